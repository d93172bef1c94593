// Error codes are a closed, documented set (core/common/error_codes.h, docs/error-codes.md):
// every code the sources return as a literal is in it, every entry is still returned somewhere,
// and the codes built from another party's answer stay in it.
#include "core/common/error_codes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "tests/support/data_files.h"

namespace vxp {
namespace {

namespace fs = std::filesystem;

// The text of every source file of the libraries and the CLI (tests excluded), by path.
std::map<std::string, std::string> Sources() {
  std::map<std::string, std::string> out;
  for (const char* dir : {"core", "clients", "simulator", "harness", "conformance", "results",
                          "reports", "cli", "pybind", "i18n", "storage", "service"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(VXP_SOURCE_DIR) / dir)) {
      std::string name = e.path().filename().string();
      if (!e.is_regular_file() || name.ends_with("_test.cc")) continue;
      if (!name.ends_with(".cc") && !name.ends_with(".h")) continue;
      if (name.starts_with("error_codes.")) continue;  // the registry itself
      out[e.path().lexically_relative(VXP_SOURCE_DIR).string()] = testing::Slurp(e.path());
    }
  }
  return out;
}

// Every "code" in MakeError("code", …) and Error{"code", …}, with a file that returns it.
std::map<std::string, std::string> LiteralCodes() {
  const std::regex returned(R"re((?:MakeError\(|Error\{)\s*"([a-z0-9_.\-]+)")re");
  std::map<std::string, std::string> out;
  for (const auto& [path, text] : Sources()) {
    for (auto it = std::sregex_iterator(text.begin(), text.end(), returned);
         it != std::sregex_iterator(); ++it) {
      out.emplace((*it)[1], path);
    }
  }
  return out;
}

TEST(ErrorCodes, EveryCodeReturnedIsDocumented) {
  auto codes = LiteralCodes();
  ASSERT_GT(codes.size(), 40u);  // the scan found the sources
  for (const auto& [code, file] : codes) {
    EXPECT_TRUE(IsKnownErrorCode(code))
        << code << " (returned in " << file << ") is not in core/common/error_codes.cc";
  }
}

TEST(ErrorCodes, EveryDocumentedCodeIsStillReturned) {
  std::string all;
  for (const auto& [path, text] : Sources()) all += text;
  std::set<std::string> unique;
  for (const ErrorCodeInfo& e : ErrorCodes()) {
    EXPECT_TRUE(unique.insert(std::string(e.code)).second) << e.code << " is listed twice";
    if (e.code.find(".<") != std::string_view::npos) continue;  // a family, built from a table
    EXPECT_NE(all.find("\"" + std::string(e.code) + "\""), std::string::npos)
        << e.code << " is documented but nothing returns it: retire it in error_codes.cc";
  }
}

TEST(ErrorCodes, FamiliesAreClosed) {
  EXPECT_TRUE(IsKnownErrorCode("hub.1003"));
  EXPECT_TRUE(IsKnownErrorCode("hub.other"));
  EXPECT_FALSE(IsKnownErrorCode("hub."));
  EXPECT_FALSE(IsKnownErrorCode("hub.1003x"));
  EXPECT_FALSE(IsKnownErrorCode("driver.whatever-they-said"));
  EXPECT_FALSE(IsKnownErrorCode(""));
}

}  // namespace
}  // namespace vxp
