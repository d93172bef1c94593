// Internal to core/signing: judging a signer's certificate and its chain at a pinned time.
#ifndef VXP_CORE_SIGNING_CHAIN_H_
#define VXP_CORE_SIGNING_CHAIN_H_

#include <openssl/x509.h>

#include <cstdint>
#include <vector>

#include "core/common/finding.h"
#include "core/signing/ossl.h"
#include "core/signing/signature_rules.h"
#include "core/signing/test_pki.h"
#include "core/signing/trust.h"

namespace vxp::signing {

// Findings for `signer` (with `extra` certificates that may complete its chain, e.g. from KeyInfo
// or the CMS) judged against `trust` at `at`: chain to an anchor, validity of every certificate,
// revocation by CRL, key usage and key size of the signer, SHA-1 certificate signatures. Empty
// when the signer is acceptable.
std::vector<Finding> CheckSigner(Profile profile, const Location& location, X509* signer,
                                 const std::vector<X509*>& extra, const TrustStore& trust,
                                 std::int64_t at);

// A credential's parsed parts. LoadSigner checks that the key belongs to the certificate.
struct Signer {
  ossl::KeyPtr key;
  ossl::X509Ptr cert;
  std::vector<ossl::X509Ptr> chain;  // empty when the credential has none
};
// Errors: "signing.key" naming the part that does not parse, or a key/certificate mismatch.
Result<Signer> LoadSigner(const Credential& credential);

// "CN=..., UID=000.00.00.G22 (serial 1003)": how messages name a certificate.
std::string Describe(X509* cert);

// A finding for rule `id` (complete or shared, see Id()).
Finding SigFinding(Profile profile, std::string_view id, Location location, std::string message,
                   std::string expected = {}, std::string actual = {});

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_CHAIN_H_
