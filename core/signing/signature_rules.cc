#include "core/signing/signature_rules.h"

#include <cstdlib>
#include <iostream>

namespace vxp::signing {
namespace {

constexpr std::string_view kEnvClause =
    "Decision 28/2018/QĐ-TTg art. 9; observed: VNPT library XML-DSig envelope";
constexpr std::string_view kPdfClause =
    "Decision 28/2018/QĐ-TTg art. 9; Circular 01/2019/TT-BNV (signed PDF)";

#define VXP_SHARED_RULES(P, CLAUSE)                                                              \
  RuleInfo{"DSIG-" P "-DIGEST", Level::kMust, CLAUSE,                                            \
           "the digest of the signed content matches the content as received",                   \
           "a byte of the package or PDF changed after signing"},                                \
      RuleInfo{"DSIG-" P "-VALUE", Level::kMust, CLAUSE,                                         \
               "the signature value verifies with the signer's certificate",                     \
               "SignatureValue altered, or the certificate is not the one that signed"},         \
      RuleInfo{"DSIG-" P "-WEAK-ALG", Level::kShould, CLAUSE,                                    \
               "signatures and certificates use SHA-256 or stronger, not SHA-1",                 \
               "rsa-sha1 signature, or a certificate signed with sha1WithRSAEncryption"},        \
      RuleInfo{"DSIG-" P "-CERT-CHAIN", Level::kMust, CLAUSE,                                    \
               "the signer's certificate chains to a trusted Government or licensed CA",         \
               "self-signed certificate, or issued by an unknown root"},                         \
      RuleInfo{"DSIG-" P "-CERT-EXPIRED", Level::kMust, CLAUSE,                                  \
               "every certificate of the chain is within its validity at the verification time", \
               "notAfter 2021-01-01, verified at 2026-11-20"},                                   \
      RuleInfo{"DSIG-" P "-CERT-NOT-YET-VALID", Level::kMust, CLAUSE,                            \
               "every certificate of the chain was already valid at the verification time",      \
               "notBefore 2040-01-01, verified at 2026-11-20"},                                  \
      RuleInfo{"DSIG-" P "-CERT-REVOKED", Level::kMust, CLAUSE,                                  \
               "no certificate of the chain is revoked by its issuer's CRL at that time",        \
               "serial listed in the intermediate CA's CRL since 2026-01-01"},                   \
      RuleInfo{"DSIG-" P "-CERT-KEY-USAGE", Level::kMust, CLAUSE,                                \
               "the signer's certificate allows digitalSignature or nonRepudiation",             \
               "keyUsage = keyEncipherment only"},                                               \
      RuleInfo{"DSIG-" P "-CERT-WEAK-KEY", Level::kMust, CLAUSE,                                 \
               "the signer's RSA key has at least 2048 bits", "RSA-1024 key"},                   \
      RuleInfo {                                                                                 \
    "DSIG-" P "-REVOCATION-UNCHECKED", Level::kShould, CLAUSE,                                   \
        "revocation of every non-root certificate can be checked against a current CRL",         \
        "no CRL configured for the issuing CA"                                                   \
  }

constexpr RuleInfo kRules[] = {
    RuleInfo{rules::kNone, Level::kMust, "Decision 28/2018/QĐ-TTg art. 9",
             "a file given to `verify` carries a signature of one of the two profiles",
             "a package with neither an envelope signature nor a signed PDF"},
    RuleInfo{rules::kEnvVnptForm, Level::kShould, kEnvClause,
             "the envelope signature uses the XML-DSig namespace and standard algorithm URIs",
             "Signature in the edXML namespace with the mis-spelled exclusive C14N URI (VNPT "
             "library)"},
    RuleInfo{rules::kEnvPlacement, Level::kMust, kEnvClause,
             "at most one envelope Signature, a child of edXMLHeader",
             "Signature inside edXMLBody, or two Signature elements"},
    RuleInfo{rules::kEnvScope, Level::kMust, kEnvClause,
             "the signature has one Reference, URI=\"\" with the enveloped-signature transform, "
             "so it covers the whole package as received",
             "Reference URI=\"#hdr\" signing only part of the package"},
    RuleInfo{rules::kEnvWrapped, Level::kMust, kEnvClause,
             "no edXML content is carried inside the Signature element",
             "a signed copy of MessageHeader moved into ds:Object (signature wrapping)"},
    RuleInfo{rules::kEnvKeyInfo, Level::kMust, kEnvClause,
             "KeyInfo/X509Data carries the signer's certificate (and its chain)",
             "no X509Certificate, or one that does not decode"},
    RuleInfo{rules::kEnvAlgorithm, Level::kMust, kEnvClause,
             "only RSA-SHA256/RSA-SHA1, SHA-256/SHA-1 digests, C14N 1.0 or exclusive C14N and "
             "the enveloped-signature transform are used",
             "an XSLT transform, or an HMAC signature method"},
    RuleInfo{rules::kEnvStructure, Level::kMust, kEnvClause,
             "the Signature element is complete XML-DSig (SignedInfo, SignatureValue)",
             "SignatureValue missing"},
    VXP_SHARED_RULES("ENV", kEnvClause),
    RuleInfo{rules::kPdfUnsigned, Level::kMust, kPdfClause,
             "a PDF document with legal effect carries a CMS signature over its /ByteRange",
             "a PDF without a signature dictionary"},
    RuleInfo{rules::kPdfMalformed, Level::kMust, kPdfClause,
             "the signature dictionary has a readable /ByteRange and hex /Contents holding "
             "one CMS SignedData",
             "/Contents that is not hex, or not DER CMS"},
    RuleInfo{rules::kPdfByteRange, Level::kMust, kPdfClause,
             "the last signature's /ByteRange covers the whole file except its /Contents",
             "bytes appended after the signed range"},
    RuleInfo{rules::kPdfTruncated, Level::kMust, kPdfClause,
             "the file is as long as the /ByteRange says", "a file cut short in transit"},
    RuleInfo{rules::kPdfSubFilter, Level::kMust, kPdfClause,
             "/SubFilter is adbe.pkcs7.detached or ETSI.CAdES.detached",
             "/SubFilter /adbe.x509.rsa_sha1"},
    RuleInfo{rules::kPdfSignerCert, Level::kMust, kPdfClause,
             "the CMS carries the signer's certificate named by its SignerInfo",
             "a different agency's certificate embedded in the CMS"},
    VXP_SHARED_RULES("PDF", kPdfClause),
};
#undef VXP_SHARED_RULES

}  // namespace

std::string_view Id(Profile profile, std::string_view shared_rule) {
  if (shared_rule.starts_with("DSIG-")) return shared_rule;
  std::string_view prefix = profile == Profile::kEnvelope ? "DSIG-ENV-" : "DSIG-PDF-";
  for (const RuleInfo& rule : kRules) {
    if (rule.id.size() == prefix.size() + shared_rule.size() && rule.id.starts_with(prefix) &&
        rule.id.ends_with(shared_rule)) {
      return rule.id;
    }
  }
  std::cerr << "vxpkit: internal error: no signature rule " << prefix << shared_rule << "\n";
  std::abort();
}

std::span<const RuleInfo> SignatureRules() { return kRules; }

const RuleInfo& Rule(std::string_view id) {
  for (const RuleInfo& rule : kRules) {
    if (rule.id == id) return rule;
  }
  std::cerr << "vxpkit: internal error: no signature rule " << id << "\n";
  std::abort();
}

}  // namespace vxp::signing
