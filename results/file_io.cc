#include "results/file_io.h"

#include <filesystem>
#include <fstream>

namespace vxp::results {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return MakeError("io.read", "cannot read " + path + ": " + ec.message());
  if (size > max_bytes) {
    return MakeError("io.too_large", path + " is " + std::to_string(size) +
                                         " bytes, over the limit of " + std::to_string(max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return MakeError("io.read", "cannot read " + path);
  }
  return bytes;
}

Result<void> WriteFile(const std::string& path, std::string_view bytes) {
  std::error_code ec;
  fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return MakeError("io.write", "cannot write " + path);
  }
  return {};
}

Result<std::map<std::string, std::string>> ReadDirectory(const std::string& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return MakeError("io.read", "cannot list " + dir + ": " + ec.message());
  for (const auto& entry : it) {
    if (!entry.is_regular_file()) continue;
    auto bytes = ReadFile(entry.path().string());
    if (!bytes) return tl::unexpected(bytes.error());
    out[entry.path().filename().string()] = std::move(*bytes);
  }
  return out;
}

Result<std::map<std::string, std::string>> ReadTree(const std::string& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec);
  if (ec) return MakeError("io.read", "cannot list " + dir + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return MakeError("io.read", "cannot list " + dir + ": " + ec.message());
    if (!it->is_regular_file() || it->is_symlink()) continue;
    auto bytes = ReadFile(it->path().string());
    if (!bytes) return tl::unexpected(bytes.error());
    out[fs::relative(it->path(), dir).generic_string()] = std::move(*bytes);
  }
  return out;
}

}  // namespace vxp::results
