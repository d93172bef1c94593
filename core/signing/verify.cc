#include "core/signing/verify.h"

#include <algorithm>

#include "core/edxml/base64.h"
#include "core/edxml/parse.h"
#include "core/edxml/zip.h"
#include "core/signing/chain.h"
#include "core/signing/envelope.h"
#include "core/signing/pdf.h"
#include "core/signing/signature_rules.h"

namespace vxp::signing {
namespace {

bool IsPdf(std::string_view bytes) { return bytes.starts_with("%PDF-"); }

// PDF readers find the header within the first 1024 bytes (ISO 32000-1, annex H.3 note 13):
// an attachment with a few bytes before "%PDF-" is still a PDF a receiver opens, so it is judged
// as one. kHeadChars of base64 decode to 1026 bytes.
constexpr size_t kHeadChars = 1368;
bool HasPdfHeader(std::string_view head) {
  size_t at = head.find("%PDF-");
  return at != std::string_view::npos && at < 1024;
}

std::string AttachmentPath(size_t k, size_t n) {
  std::string path = "/edXML/AttachmentEncoded/Attachment";
  if (n > 1) path += "[" + std::to_string(k + 1) + "]";
  return path;
}

void Append(std::vector<Finding>* to, std::vector<Finding> from) {
  to->insert(to->end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

SignatureCheck CheckPackageSignatures(std::string_view bytes, const edxml::ParsedPackage& parsed,
                                      const SignaturePolicy& policy) {
  SignatureCheck out;
  const edxml::Package& package = parsed.package;
  EnvelopeVerification envelope = VerifyEnvelope(bytes, parsed.xml, policy.verify);
  out.any_signature = envelope.present;  // the VNPT form counts: it has its own finding
  if (!envelope.signer.empty()) out.signers.push_back(envelope.signer);
  Append(&out.findings, std::move(envelope.findings));

  const size_t n = package.attachments.size();
  bool any_pdf = false, unopened_zip = false;
  for (size_t k = 0; k < n; ++k) {
    const edxml::Attachment& a = package.attachments[k];
    // Whether it is a PDF, from the first groups of base64. Producers that wrap or indent the
    // text (a line break or spaces before the first group) are read the same way: a signature
    // check must not depend on layout.
    std::string head_text;
    for (char c : a.content_base64) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
      head_text += c;
      if (head_text.size() == kHeadChars) break;
    }
    auto head = edxml::DecodeBase64ToString(head_text.substr(0, head_text.size() / 4 * 4));
    if (!head) continue;
    const bool zipped = policy.look_inside_zip && edxml::LooksLikeZip(*head);
    if (!policy.look_inside_zip && edxml::LooksLikeZip(*head)) unopened_zip = true;
    if (!HasPdfHeader(*head) && !zipped) continue;
    auto content = edxml::DecodeBase64ToString(a.content_base64);
    if (!content) continue;  // undecodable base64 is EDXML-7-BASE64's business
    const std::string name = a.attachment_name.value_or(a.content_id);
    // The PDFs to judge: the attachment itself, or the PDFs inside its ZIP.
    std::vector<std::pair<std::string, std::string>> pdfs;  // (label, bytes)
    if (!zipped) {
      pdfs.emplace_back("", std::move(*content));
    } else if (auto entries = edxml::ReadZip(*content); entries) {
      for (edxml::ZipEntry& e : *entries) {
        if (HasPdfHeader(e.bytes.substr(0, 1024))) pdfs.emplace_back(e.name, std::move(e.bytes));
      }
    } else {
      out.findings.push_back(
          SigFinding(Profile::kPdf, rules::kPdfMalformed, Location{AttachmentPath(k, n), 0},
                     "the ZIP attachment '" + name +
                         "' cannot be opened to check its documents: " + entries.error().message,
                     "a readable ZIP archive", entries.error().message));
      any_pdf = true;  // judged (and failed) already
    }
    for (auto& [label, bytes] : pdfs) {
      any_pdf = true;
      std::string where =
          AttachmentPath(k, n) + "/ContentTransferEncoded:" + (label.empty() ? "" : label + ":");
      std::string what = label.empty()
                             ? "the PDF attachment '" + name + "'"
                             : "the PDF '" + label + "' inside the ZIP attachment '" + name + "'";
      PdfVerification pdf = VerifyPdf(bytes, policy.verify, where);
      if (pdf.present) {
        out.any_signature = true;
        if (!pdf.signer.empty()) out.signers.push_back(pdf.signer);
      } else if (policy.require_signed_pdf) {
        out.findings.push_back(
            SigFinding(Profile::kPdf, rules::kPdfUnsigned, Location{AttachmentPath(k, n), 0},
                       what + " carries no signature; a document with legal effect is a signed PDF",
                       "a CMS signature over /ByteRange", "no /ByteRange"));
      }
      Append(&out.findings, std::move(pdf.findings));
    }
  }
  if (policy.require_signed_pdf && unopened_zip && !any_pdf) {
    // A receiver that does not open ZIPs finds no signed PDF to check.
    out.findings.push_back(SigFinding(
        Profile::kPdf, rules::kPdfUnsigned, Location{AttachmentPath(0, n), 0},
        "no attachment is a PDF (ZIP attachments were not opened): a document with legal effect "
        "is a signed PDF",
        "a signed PDF attachment", "no PDF"));
  }
  return out;
}

FileVerification VerifyFile(std::string_view bytes, const SignaturePolicy& policy) {
  FileVerification out;
  if (IsPdf(bytes)) {
    out.kind = "pdf";
    PdfVerification pdf = VerifyPdf(bytes, policy.verify);
    out.check.any_signature = pdf.present;
    if (!pdf.signer.empty()) out.check.signers.push_back(pdf.signer);
    out.check.findings = std::move(pdf.findings);
    if (!pdf.present) {
      out.check.findings.push_back(SigFinding(Profile::kPdf, rules::kPdfUnsigned, Location{"/", 0},
                                              "the PDF carries no signature dictionary",
                                              "a CMS signature over /ByteRange", "no /ByteRange"));
    }
  } else {
    auto parsed = edxml::ParsePackage(bytes);
    if (!parsed) {
      out.kind = "unknown";
      out.check.findings.push_back(parsed.error());
    } else {
      out.kind = parsed->package.kind() == edxml::PackageKind::kDocument ? "document" : "status";
      out.check = CheckPackageSignatures(bytes, *parsed, policy);
      // Nothing signed at all is DSIG-NONE (docs/signatures.md), whatever else is said about
      // the attachments; an unsigned PDF beside a signed envelope is only DSIG-PDF-UNSIGNED.
      if (!out.check.any_signature) {
        out.check.findings.insert(
            out.check.findings.begin(),
            MakeFinding(
                Rule(rules::kNone), Location{"/edXML", 1},
                "the package carries neither an XML-DSig envelope signature nor a signed PDF "
                "attachment",
                "edXMLHeader/Signature or a signed PDF attachment", "no signature"));
      }
    }
  }
  out.verdict = Worst(out.check.findings);
  return out;
}

edxml::Judgement Judge(std::string_view bytes, const edxml::ValidateOptions& validate,
                       const SignaturePolicy& policy) {
  // Parsed once: validation and the signature checks read the same tree.
  auto parsed = edxml::ParsePackage(bytes, validate.limits);
  if (!parsed) {
    edxml::Judgement refused;
    refused.findings.push_back(std::move(parsed.error()));
    refused.verdict = Worst(refused.findings);
    return refused;
  }
  edxml::Judgement judgement = edxml::Judge(*parsed, validate);
  SignatureCheck check = CheckPackageSignatures(bytes, *parsed, policy);
  judgement.package = std::move(parsed->package);
  std::erase_if(check.findings, [](const Finding& f) { return !f.rule_id.starts_with("DSIG-"); });
  Append(&judgement.findings, std::move(check.findings));
  std::stable_sort(judgement.findings.begin(), judgement.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     auto key = [](const Finding& f) {
                       return f.location.line == 0 ? INT32_MAX : f.location.line;
                     };
                     return key(a) < key(b);
                   });
  judgement.verdict = Worst(judgement.findings);
  return judgement;
}

std::vector<RuleInfo> AllRulesWithSignatures() {
  std::vector<RuleInfo> out = edxml::AllRules();
  for (const RuleInfo& r : SignatureRules()) out.push_back(r);
  return out;
}

}  // namespace vxp::signing
