// Base64 (RFC 4648 §4, standard alphabet) for attachment payloads, checked and decoded in one
// streaming pass with no allocation proportional to the payload. Line breaks and spaces between
// groups are tolerated (some producers wrap lines); padding may appear only at the end.
#ifndef VXP_CORE_EDXML_BASE64_H_
#define VXP_CORE_EDXML_BASE64_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/result.h"

namespace vxp::edxml {

struct Base64Problem {
  size_t offset;       // byte offset in the text where decoding failed
  std::string reason;  // plain language
};

// Decodes `text`, calling `sink` with decoded chunks of at most 48 KiB (sink may be empty to only
// check). Returns the decoded size, or the first problem.
tl::expected<size_t, Base64Problem> DecodeBase64(
    std::string_view text, const std::function<void(std::string_view)>& sink = {});

// Decodes all of `text` into a string; Error{"edxml.base64", …} on a problem.
Result<std::string> DecodeBase64ToString(std::string_view text);

std::string EncodeBase64(std::string_view bytes);

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_BASE64_H_
