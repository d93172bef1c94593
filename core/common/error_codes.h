// Every Error::code vxpkit returns (result.h), as one closed, documented set: docs/error-codes.md
// is generated from this table (`vxpkit rules --error-codes`) and a test fails when the sources
// return a code that is not here, or when an entry is no longer returned. Codes are permanent,
// like rule IDs. A finding against the system under test is never an Error (finding.h).
#ifndef VXP_CORE_COMMON_ERROR_CODES_H_
#define VXP_CORE_COMMON_ERROR_CODES_H_

#include <span>
#include <string_view>

namespace vxp {

struct ErrorCodeInfo {
  std::string_view code;  // "http.timeout"; a family ends in ".<…>": "hub.<ErrorCode>"
  std::string_view when;  // one line: when it is returned
};

std::span<const ErrorCodeInfo> ErrorCodes();

// Whether `code` is in the set (a member of a family included: "hub.1003").
bool IsKnownErrorCode(std::string_view code);

}  // namespace vxp

#endif  // VXP_CORE_COMMON_ERROR_CODES_H_
