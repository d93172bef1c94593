// Whole-file reads and writes for the adapters above the core (harness, reports, CLI). Errors
// name the path: "io.read", "io.too_large", "io.write".
#ifndef VXP_RESULTS_FILE_IO_H_
#define VXP_RESULTS_FILE_IO_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/common/result.h"

namespace vxp::results {

// The whole file, or an error naming it; a file over `max_bytes` is refused unread.
Result<std::string> ReadFile(const std::string& path, size_t max_bytes = SIZE_MAX);
// Writes `bytes` to `path` (creating parent directories).
Result<void> WriteFile(const std::string& path, std::string_view bytes);
// Every regular file of `dir` (not recursive): name -> bytes.
Result<std::map<std::string, std::string>> ReadDirectory(const std::string& dir);
// Every regular file under `dir`, recursively: path relative to `dir` with '/' -> bytes.
// Symbolic links are not followed.
Result<std::map<std::string, std::string>> ReadTree(const std::string& dir);

}  // namespace vxp::results

#endif  // VXP_RESULTS_FILE_IO_H_
