// Signatures of whole files: what `vxpkit verify` and `vxpkit validate` report.
//
// A package's signature verdict includes its envelope signature (when present) and every PDF
// attachment; a PDF file is verified on its own. Pure functions of the bytes and options;
// thread-safe.
#ifndef VXP_CORE_SIGNING_VERIFY_H_
#define VXP_CORE_SIGNING_VERIFY_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/common/finding.h"
#include "core/edxml/model.h"
#include "core/edxml/validate.h"
#include "core/signing/trust.h"

namespace vxp::signing {

struct SignatureCheck {
  std::vector<Finding> findings;     // DSIG-* (and EDXML-XML-* if the bytes do not load)
  bool any_signature = false;        // an envelope or PDF signature was found (either profile)
  std::vector<std::string> signers;  // subjects of the signers found, in order
};

struct SignaturePolicy {
  VerifyOptions verify;
  // A PDF attachment without a signature is DSIG-PDF-UNSIGNED (MUST). Off by default in
  // `validate`: a package alone does not say whether its document has legal effect (edxml.md
  // §7 (1)); `verify` and the harness's signature scenarios turn it on.
  bool require_signed_pdf = false;
  // A ZIP attachment (the VNPT library's wrapping, or the hub zipping a PDF in transit) is
  // opened and each PDF inside it judged as if attached directly (edxml.md §6: receivers must
  // cope). Off only to model a receiver that does not look inside (a fault profile).
  bool look_inside_zip = true;
};

// The signature findings of a package parsed from `bytes` (the package as received): its
// envelope signature, verified over the tree already parsed, and each attachment whose decoded
// content is a PDF.
SignatureCheck CheckPackageSignatures(std::string_view bytes, const edxml::ParsedPackage& parsed,
                                      const SignaturePolicy& policy);

// `vxpkit verify` on one file: a PDF (starts with %PDF-) is verified as a signed PDF; anything
// else as an edXML package (load and parse failures come back as their EDXML-* findings). A file
// carrying no signature of either profile gets DSIG-NONE. require_signed_pdf applies as given.
struct FileVerification {
  std::string kind;  // "pdf", "document", "status" or "unknown"
  Verdict verdict = Verdict::kPass;
  SignatureCheck check;
};
FileVerification VerifyFile(std::string_view bytes, const SignaturePolicy& policy);

// `vxpkit validate`: edxml::Validate plus the signature findings of both profiles, merged in
// source-line order with the verdict recomputed.
edxml::Judgement Judge(std::string_view bytes, const edxml::ValidateOptions& validate,
                       const SignaturePolicy& policy);

// Every DSIG rule together with edxml::AllRules(), for `vxpkit rules`.
std::vector<RuleInfo> AllRulesWithSignatures();

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_VERIFY_H_
