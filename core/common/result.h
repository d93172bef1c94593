// The result type that crosses library boundaries: a value or an Error, never an exception.
#ifndef VXP_CORE_COMMON_RESULT_H_
#define VXP_CORE_COMMON_RESULT_H_

#include <string>
#include <tl/expected.hpp>

namespace vxp {

// A harness-side failure (bad input to an API, I/O, configuration). `code` is a stable
// machine-readable identifier, `message` is plain language for a person.
struct Error {
  std::string code;
  std::string message;
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> MakeError(std::string code, std::string message) {
  return tl::unexpected<Error>(Error{std::move(code), std::move(message)});
}

}  // namespace vxp

#endif  // VXP_CORE_COMMON_RESULT_H_
