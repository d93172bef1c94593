// The conformance service's secrets, made and checked with OpenSSL (no hand-made crypto):
//   passwords  scrypt (RFC 7914) through EVP_PBE_scrypt, N = 2^15, r = 8, p = 1, a 16-byte
//              random salt and a 32-byte key, stored as "scrypt$15$8$1$<salt>$<key>" (base64):
//              the parameters travel with the hash, so they can be raised later and old hashes
//              still verify. Checked in constant time (CRYPTO_memcmp).
//   tokens     session cookies, CSRF tokens and API tokens for CI: 32 random bytes (RAND_bytes),
//              base64url, with a prefix saying what they are ("vxps_" session, "vxpt_" API
//              token). Stored only as their SHA-256 (TokenDigest): the database never holds a
//              token that works.
#ifndef VXP_SERVICE_CREDENTIALS_H_
#define VXP_SERVICE_CREDENTIALS_H_

#include <string>
#include <string_view>

#include "core/common/result.h"

namespace vxp::service {

// The shortest password accepted (NIST SP 800-63B: at least 8; no other composition rule).
inline constexpr size_t kMinPasswordLength = 10;

// The stored form of `password`. Errors "service.input" (shorter than kMinPasswordLength
// characters), "service.crypto" (no random salt, scrypt failed).
Result<std::string> HashPassword(std::string_view password);

// Whether `password` is the one `stored` (HashPassword's form) was made from. A stored value that
// is not that form verifies nothing.
bool VerifyPassword(std::string_view password, std::string_view stored);

// A new random token, "<prefix>" + 43 base64url characters. Error "service.crypto".
Result<std::string> NewToken(std::string_view prefix);

// The form a token is stored and looked up by: lowercase hex SHA-256 of its bytes.
std::string TokenDigest(std::string_view token);

}  // namespace vxp::service

#endif  // VXP_SERVICE_CREDENTIALS_H_
