// vxpkit's test PKI: a mock Government root CA (standing in for Ban Cơ yếu Chính phủ), an
// intermediate signing CA, CRLs, agency signing certificates whose subjects carry agency
// identifiers, and defective material each named for its defect. edxml.md §7.
//
// Generation is pure computation (OpenSSL key generation and signing, no files): the CLI writes
// the result under vectors/keys/. Keys are fresh on every generation; everything signed with the
// committed keys afterwards (vectors) is deterministic.
#ifndef VXP_CORE_SIGNING_TEST_PKI_H_
#define VXP_CORE_SIGNING_TEST_PKI_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace vxp::signing {

// A signer: private key, its certificate and the CA certificates that complete its chain (all PEM).
struct Credential {
  std::string key_pem;
  std::string cert_pem;
  std::string chain_pem;  // may be empty
};

namespace test_pki {

// Verification time pinned for every vector and test: inside every "good" certificate's validity,
// after the revocation date of agency-revoked, before agency-not-yet-valid starts.
inline constexpr std::string_view kPinnedTime = "2026-11-20T10:00:00Z";

// One certificate of the test PKI and why it exists.
struct Entry {
  std::string_view name;     // file stem: <name>.key, <name>.crt
  std::string_view purpose;  // one line for the README
};

// Every certificate, in README order: root-ca, intermediate-ca, untrusted-root-ca, agency-g22,
// agency-h53, then the defective agency certificates (agency-expired, agency-not-yet-valid,
// agency-revoked, agency-wrong-key-usage, agency-untrusted, agency-rsa1024, agency-sha1,
// agency-self-signed).
const std::vector<Entry>& Entries();

// Generates the whole PKI: for every entry <name>.key and <name>.crt, plus root-ca.crl,
// intermediate-ca.crl and README.md (what each file is, subjects, validity, SHA-256
// fingerprints). Keys are new each time. Error only if OpenSSL fails.
Result<std::map<std::string, std::string>> Generate();

// The credential named `name` (an Entries() name) from files as Generate() returns them: its key,
// certificate and, for certificates issued by the intermediate CA, intermediate-ca.crt as chain.
Result<Credential> CredentialFor(const std::map<std::string, std::string>& files,
                                 std::string_view name);

// Committed credentials compiled in: the good agency signers "agency-g22" and "agency-h53", and the
// defective "agency-expired", "agency-revoked", "agency-untrusted" and "agency-wrong-key-usage"
// the conformance scenarios sign with (chains as CredentialFor gives). Error "signing.pki" for any
// other name.
Result<Credential> BuiltInCredential(std::string_view name);

}  // namespace test_pki
}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_TEST_PKI_H_
