// Detached CMS signatures over arbitrary bytes, in PEM ("-----BEGIN CMS-----"), as `openssl cms
// -sign -binary -outform PEM` writes them: what signs a run's manifest (reports/manifest.h).
// Anyone can check such a signature without vxpkit:
//   openssl cms -verify -binary -inform PEM -in manifest.json.p7s -content manifest.json -CAfile CA
// Pure computation over bytes; no files, no clock reads (the signing time is a parameter).
#ifndef VXP_CORE_SIGNING_DETACHED_H_
#define VXP_CORE_SIGNING_DETACHED_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/signing/test_pki.h"

namespace vxp::signing {

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

// Signs `content` with `credential` (SHA-256, signingTime `signing_time` seconds since the epoch,
// the certificate and its chain embedded). Errors: "signing.key" (the key or certificate does not
// parse, or they do not belong together), "signing.cms".
Result<std::string> SignDetached(std::string_view content, const Credential& credential,
                                 std::int64_t signing_time);

// Who signed, as the signature says.
struct DetachedSigner {
  std::string subject, issuer, serial, fingerprint;  // fingerprint: hex SHA-256 of the DER
  std::string common_name;                           // the subject's CN, "" when none
  std::string title;                  // the subject's title (2.5.4.12), else its O; "" when neither
  std::string not_before, not_after;  // "2026-11-20T10:00:00Z"
  std::int64_t signing_time = 0;      // 0 when the signature carries none
  std::string signed_at;              // signing_time as text, "" when none
  // Whether the signer's chain reaches a trust anchor the caller gave. When false,
  // `untrusted_reason` says why: no anchor was given, or the chain does not reach it (and where
  // it broke). A signature nobody trusts proves only that the bytes are as its key signed them.
  bool trusted = false;
  std::string untrusted_reason;
};

// The certificate (the first of `cert_pem`, which may go on with its chain) described as a
// signer: subject, issuer, serial, fingerprint, CN, title, validity. Error "signing.key" when it
// does not parse.
Result<DetachedSigner> DescribeSigner(std::string_view cert_pem);

// Checks `signature_pem` over `content`, then whether the signer's chain reaches one of
// `trust_pem`'s certificates (PEM, one or more), judged at the signature's signing time (a report
// stays verifiable after its signer's certificate expires). A chain that does not reach them, or
// no `trust_pem`, is not an error: `trusted` is false and `untrusted_reason` says why. Errors:
//   "signing.detached.format"    not a PEM CMS SignedData with exactly one signer
//   "signing.detached.mismatch"  the content is not what was signed
//   "signing.key"                `trust_pem` does not parse
Result<DetachedSigner> VerifyDetached(std::string_view content, std::string_view signature_pem,
                                      std::string_view trust_pem);

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_DETACHED_H_
