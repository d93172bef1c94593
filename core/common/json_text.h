// JSON text a person wrote (a SUT file, hub settings): parsed with the place of a syntax error
// named as a person finds it in an editor, e.g. "line 4, column 1: syntax error".
// Pure; thread-safe.
#ifndef VXP_CORE_COMMON_JSON_TEXT_H_
#define VXP_CORE_COMMON_JSON_TEXT_H_

#include <boost/json/value.hpp>
#include <string_view>

#include "core/common/result.h"

namespace vxp {

// The value of `text`. Errors "json.syntax" naming the line and column (both from 1; the column
// counts characters, not bytes) where the text stops being JSON and what the parser expected
// there; text after a complete value is an error too.
Result<boost::json::value> ParseJsonText(std::string_view text);

}  // namespace vxp

#endif  // VXP_CORE_COMMON_JSON_TEXT_H_
