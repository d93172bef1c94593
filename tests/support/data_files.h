// Test and benchmark support: reading the committed data files (vectors, keys). Header-only;
// programs under tests/, bench/ and core/*_test.cc use it, libraries never do (core has no I/O).
#ifndef VXP_TESTS_SUPPORT_DATA_FILES_H_
#define VXP_TESTS_SUPPORT_DATA_FILES_H_

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace vxp::testing {

// The whole file ("" when it cannot be read; the caller's assertions then fail).
inline std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every regular file of `dir`: file name → bytes.
inline std::map<std::string, std::string> SlurpDirectory(const std::filesystem::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) out[e.path().filename().string()] = Slurp(e.path());
  }
  return out;
}

}  // namespace vxp::testing

#endif  // VXP_TESTS_SUPPORT_DATA_FILES_H_
