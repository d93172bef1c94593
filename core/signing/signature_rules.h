// The signature rules (DSIG-*): stable IDs for every way a signature, its certificate chain or
// its placement can fail, for both profiles of edxml.md §7 — the envelope signature (DSIG-ENV-*)
// and the signed PDF attachment (DSIG-PDF-*). Thread-safe; the table is static.
#ifndef VXP_CORE_SIGNING_SIGNATURE_RULES_H_
#define VXP_CORE_SIGNING_SIGNATURE_RULES_H_

#include <span>
#include <string_view>

#include "core/common/finding.h"

namespace vxp::signing {

// Which signature profile a check belongs to; selects the DSIG-ENV- or DSIG-PDF- rule IDs.
enum class Profile { kEnvelope, kPdf };

namespace rules {
// Rules shared by both profiles, named without their profile prefix; Id() adds it.
inline constexpr std::string_view kDigest = "DIGEST";
inline constexpr std::string_view kValue = "VALUE";
inline constexpr std::string_view kWeakAlg = "WEAK-ALG";
inline constexpr std::string_view kCertChain = "CERT-CHAIN";
inline constexpr std::string_view kCertExpired = "CERT-EXPIRED";
inline constexpr std::string_view kCertNotYetValid = "CERT-NOT-YET-VALID";
inline constexpr std::string_view kCertRevoked = "CERT-REVOKED";
inline constexpr std::string_view kCertKeyUsage = "CERT-KEY-USAGE";
inline constexpr std::string_view kCertWeakKey = "CERT-WEAK-KEY";
inline constexpr std::string_view kRevocationUnchecked = "REVOCATION-UNCHECKED";

// Envelope only.
inline constexpr std::string_view kEnvVnptForm = "DSIG-ENV-VNPT-FORM";
inline constexpr std::string_view kEnvPlacement = "DSIG-ENV-PLACEMENT";
inline constexpr std::string_view kEnvScope = "DSIG-ENV-SCOPE";
inline constexpr std::string_view kEnvWrapped = "DSIG-ENV-WRAPPED";
inline constexpr std::string_view kEnvKeyInfo = "DSIG-ENV-KEYINFO";
inline constexpr std::string_view kEnvAlgorithm = "DSIG-ENV-ALGORITHM";
inline constexpr std::string_view kEnvStructure = "DSIG-ENV-STRUCTURE";

// PDF only.
inline constexpr std::string_view kPdfUnsigned = "DSIG-PDF-UNSIGNED";
inline constexpr std::string_view kPdfMalformed = "DSIG-PDF-MALFORMED";
inline constexpr std::string_view kPdfByteRange = "DSIG-PDF-BYTERANGE";
inline constexpr std::string_view kPdfTruncated = "DSIG-PDF-TRUNCATED";
inline constexpr std::string_view kPdfSubFilter = "DSIG-PDF-SUBFILTER";
inline constexpr std::string_view kPdfSignerCert = "DSIG-PDF-SIGNER-CERT";

// Neither profile found anything to verify (reported by `verify`, not by `validate`).
inline constexpr std::string_view kNone = "DSIG-NONE";
}  // namespace rules

// "DSIG-ENV-" or "DSIG-PDF-" followed by `shared_rule`; IDs that are already complete pass
// through unchanged.
std::string_view Id(Profile profile, std::string_view shared_rule);

// Every DSIG rule in catalogue order.
std::span<const RuleInfo> SignatureRules();

// The rule with this complete ID. Aborts on an unknown ID (a programming error).
const RuleInfo& Rule(std::string_view id);

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_SIGNATURE_RULES_H_
