// UTF-8 checks for bytes from outside: what the parsers require, and what answers, logs and
// evidence do with header values a client sent in another encoding. Pure functions; thread-safe.
#ifndef VXP_CORE_COMMON_UTF8_H_
#define VXP_CORE_COMMON_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace vxp {

// Validates UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). Returns the byte offset of the first
// invalid sequence, or npos when all of `bytes` is valid.
size_t FindInvalidUtf8(std::string_view bytes);

// `bytes` as valid UTF-8 for JSON answers, logs and evidence: valid sequences are kept and every
// byte of an invalid one becomes the four characters \xNN (upper-case hex), so what was sent
// stays visible. A backslash already in `bytes` is kept as it is.
std::string EscapeInvalidUtf8(std::string_view bytes);

}  // namespace vxp

#endif  // VXP_CORE_COMMON_UTF8_H_
