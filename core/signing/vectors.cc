#include "core/signing/vectors.h"

#include <algorithm>

#include "core/edxml/base64.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "core/signing/envelope.h"
#include "core/signing/ossl.h"
#include "core/signing/pdf.h"
#include "core/signing/signature_rules.h"
#include "core/signing/test_pki.h"
#include "core/signing/trust.h"

namespace vxp::signing {
namespace {

using Keys = std::map<std::string, std::string>;

class Builder {
 public:
  explicit Builder(const Keys& keys) : keys_(keys) {}

  Result<Credential> Cred(std::string_view name) { return test_pki::CredentialFor(keys_, name); }

  std::string Cert(std::string_view name) {
    auto it = keys_.find(std::string(name) + ".crt");
    return it == keys_.end() ? std::string() : it->second;
  }

  void Add(std::string name, std::string profile, std::string defect, Verdict verdict,
           std::vector<std::string> rule_ids, std::string bytes) {
    std::sort(rule_ids.begin(), rule_ids.end());
    out_.push_back(SignatureVector{std::move(name), std::move(profile), std::move(defect), verdict,
                                   std::move(rule_ids), std::move(bytes)});
  }

  std::vector<SignatureVector> Take() { return std::move(out_); }

 private:
  const Keys& keys_;
  std::vector<SignatureVector> out_;
};

// Replaces the first occurrence of `from` (which must exist).
Result<std::string> Replace(std::string text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  if (at == std::string::npos) {
    return MakeError("vectors.build",
                     "expected text not found: " + std::string(from.substr(0, 60)));
  }
  text.replace(at, from.size(), to);
  return text;
}

// Flips one character of the text between `open` and `close` (the first such element), keeping
// it valid base64 / hex.
Result<std::string> FlipInside(std::string text, std::string_view open, size_t skip) {
  size_t at = text.find(open);
  if (at == std::string::npos) return MakeError("vectors.build", "no " + std::string(open));
  size_t pos = at + open.size() + skip;
  char& c = text[pos];
  c = c == 'A' ? 'B' : 'A';
  return text;
}

std::string PackageWithTextAttachment() {
  edxml::Package p = edxml::samples::Document(
      "Nội dung văn bản số 7816/VPCP-TTĐT: bản văn bản điện tử dạng văn bản thuần.\n");
  p.attachments[0].attachment_name = "7816-VPCP-TTDT.txt";
  p.attachments[0].mime_type = "text/plain";
  p.attachments[0].format = "txt";
  p.manifest->references[0].content_type = "text/plain";
  p.manifest->references[0].attachment_name = "7816-VPCP-TTDT.txt";
  return *edxml::Serialize(p);
}

std::string PackageWithAttachment(std::string_view pdf) {
  return *edxml::Serialize(edxml::samples::Document(pdf));
}

}  // namespace

#define VXP_TRY(var, expr)                              \
  auto var##_r = (expr);                                \
  if (!var##_r) return tl::unexpected(var##_r.error()); \
  auto var = std::move(*var##_r)

Result<std::vector<SignatureVector>> GenerateSignatureVectors(const Keys& keys) {
  Builder b(keys);
  const std::string env = "envelope";
  const std::string pdfp = "pdf";
  auto id = [](std::string_view shared, Profile p) { return std::string(Id(p, shared)); };
  const Profile E = Profile::kEnvelope, P = Profile::kPdf;
  VXP_TRY(pinned, ParseTime(test_pki::kPinnedTime));

  // ----- Envelope profile.
  const std::string package = PackageWithTextAttachment();
  VXP_TRY(g22, b.Cred("agency-g22"));
  VXP_TRY(valid, SignEnvelope(package, g22));
  b.Add("env-valid.xml", env, "none: RSA-SHA256, exclusive C14N, chain in KeyInfo", Verdict::kPass,
        {}, valid);
  VXP_TRY(c14n10, SignEnvelope(package, g22, EnvelopeOptions{.c14n = C14n::kInclusive}));
  b.Add("env-valid-c14n10.xml", env, "none: C14N 1.0", Verdict::kPass, {}, c14n10);
  VXP_TRY(changed, Replace(valid, "V/v triển khai kết nối", "V/v tạm dừng kết nối"));
  b.Add("env-content-changed.xml", env, "Subject changed after signing", Verdict::kFail,
        {id(rules::kDigest, E)}, changed);
  VXP_TRY(altered, FlipInside(valid, "<SignatureValue>", 40));
  b.Add("env-signature-value-altered.xml", env, "one base64 character of SignatureValue changed",
        Verdict::kFail, {id(rules::kValue, E)}, altered);
  {
    VXP_TRY(g22_cert, ossl::ParseCertificate(b.Cert("agency-g22")));
    VXP_TRY(h53_cert, ossl::ParseCertificate(b.Cert("agency-h53")));
    VXP_TRY(wrong, Replace(valid, edxml::EncodeBase64(ossl::ToDer(g22_cert.get())),
                           edxml::EncodeBase64(ossl::ToDer(h53_cert.get()))));
    b.Add("env-wrong-certificate.xml", env,
          "KeyInfo carries agency-h53's certificate; agency-g22 signed", Verdict::kFail,
          {id(rules::kValue, E)}, wrong);
  }
  struct Defect {
    std::string_view key;
    std::string_view suffix;
    std::string_view defect;
    std::string_view rule;
    Verdict verdict;
  };
  const Defect cert_defects[] = {
      {"agency-expired", "expired", "signer certificate expired 2021-01-01", rules::kCertExpired,
       Verdict::kFail},
      {"agency-not-yet-valid", "not-yet-valid", "signer certificate valid only from 2040-01-01",
       rules::kCertNotYetValid, Verdict::kFail},
      {"agency-revoked", "revoked", "signer certificate revoked 2026-01-01 (intermediate-ca.crl)",
       rules::kCertRevoked, Verdict::kFail},
      {"agency-untrusted", "untrusted-root", "signer certificate issued by an untrusted root",
       rules::kCertChain, Verdict::kFail},
      {"agency-self-signed", "self-signed", "self-signed signer certificate", rules::kCertChain,
       Verdict::kFail},
      {"agency-wrong-key-usage", "wrong-key-usage", "signer certificate keyUsage keyEncipherment",
       rules::kCertKeyUsage, Verdict::kFail},
      {"agency-rsa1024", "rsa1024", "signer key RSA-1024", rules::kCertWeakKey, Verdict::kFail},
      {"agency-sha1", "sha1-certificate", "signer certificate signed with SHA-1", rules::kWeakAlg,
       Verdict::kWarn},
  };
  for (const Defect& d : cert_defects) {
    VXP_TRY(cred, b.Cred(d.key));
    VXP_TRY(signed_package, SignEnvelope(package, cred));
    b.Add("env-" + std::string(d.suffix) + ".xml", env, std::string(d.defect), d.verdict,
          {id(d.rule, E)}, signed_package);
  }
  VXP_TRY(sha1, SignEnvelope(package, g22, EnvelopeOptions{.digest = DigestAlg::kSha1}));
  b.Add("env-sha1.xml", env, "rsa-sha1 signature and sha1 digest", Verdict::kWarn,
        {id(rules::kWeakAlg, E)}, sha1);
  b.Add("env-signature-removed.xml", env, "the Signature element removed", Verdict::kFail,
        {std::string(rules::kNone)}, package);
  {
    // Wrapping: a signature over MessageHeader by Id; the signed header is moved into ds:Object
    // and a forged header takes its place. The signature itself still verifies.
    VXP_TRY(with_id, Replace(package, "<edXML:MessageHeader>", "<edXML:MessageHeader Id=\"hdr\">"));
    VXP_TRY(by_id, SignEnvelope(with_id, g22, EnvelopeOptions{.reference_id = "hdr"}));
    size_t begin = by_id.find("<edXML:MessageHeader Id=\"hdr\">");
    size_t end = by_id.find("</edXML:MessageHeader>");
    if (begin == std::string::npos || end == std::string::npos) {
      return MakeError("vectors.build", "MessageHeader not found in the signed package");
    }
    end += std::string_view("</edXML:MessageHeader>").size();
    std::string original = by_id.substr(begin, end - begin);
    std::string forged = original;
    forged.replace(forged.find(" Id=\"hdr\""), 9, "");
    VXP_TRY(forged2, Replace(forged, "V/v triển khai kết nối", "V/v tạm dừng kết nối"));
    std::string wrapped = by_id;
    wrapped.replace(begin, end - begin, forged2);
    VXP_TRY(wrapped2,
            Replace(wrapped, "</Signature>", "<Object>" + original + "</Object></Signature>"));
    b.Add("env-wrapping.xml", env,
          "signature wrapping: the signed MessageHeader moved into ds:Object, a forged one in "
          "its place (Reference URI=\"#hdr\")",
          Verdict::kFail, {std::string(rules::kEnvScope), std::string(rules::kEnvWrapped)},
          wrapped2);
  }
  {
    // The VNPT library's form: Signature elements in the edXML namespace, RSA-SHA1, the
    // mis-spelled exclusive C14N URI.
    VXP_TRY(vnpt1, Replace(sha1, "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">",
                           "<Signature xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">"));
    std::string vnpt = vnpt1;
    for (size_t at;
         (at = vnpt.find("http://www.w3.org/2001/10/xml-exc-c14n#")) != std::string::npos;) {
      vnpt.replace(at, 39, "http://www.w3.org/TR/xml-exc-c14n#");
    }
    b.Add("env-vnpt-form.xml", env,
          "VNPT library form: Signature in the edXML namespace, rsa-sha1, mis-spelled C14N URI",
          Verdict::kWarn, {std::string(rules::kEnvVnptForm)}, vnpt);
  }

  // ----- PDF profile.
  const std::string pdf =
      MakeTestPdf({"CONG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc", "",
                   "So: 7816/VPCP-TTDT    Ha Noi, ngay 20 thang 11 nam 2026",
                   "V/v trien khai ket noi, lien thong van ban dien tu", "vxpkit test document"});
  PdfSignOptions pdf_options{.signing_time = pinned};
  VXP_TRY(pdf_valid, SignPdf(pdf, g22, pdf_options));
  b.Add("pdf-valid.pdf", pdfp, "none: adbe.pkcs7.detached, SHA-256, chain in the CMS",
        Verdict::kPass, {}, pdf_valid);
  VXP_TRY(pdf_changed, Replace(pdf_valid, "vxpkit test document", "vxpkit TEST document"));
  b.Add("pdf-content-changed.pdf", pdfp, "page text changed inside the signed range",
        Verdict::kFail, {id(rules::kDigest, P)}, pdf_changed);
  {
    // Flip one hex digit inside the CMS signature value (the last 256 bytes of the SignerInfo).
    auto fields = FindPdfSignatures(pdf_valid);
    if (fields.empty()) return MakeError("vectors.build", "signed PDF has no /ByteRange");
    std::string altered_pdf = pdf_valid;
    size_t hex_end = altered_pdf.find_last_not_of('0', fields[0].contents_end - 2);
    size_t pos = hex_end - 20;
    altered_pdf[pos] = altered_pdf[pos] == 'a' ? 'b' : 'a';
    b.Add("pdf-signature-value-altered.pdf", pdfp, "one hex digit of the CMS signature changed",
          Verdict::kFail, {id(rules::kValue, P)}, altered_pdf);
  }
  {
    PdfSignOptions wrong = pdf_options;
    wrong.embed_instead_of_signer = b.Cert("agency-h53");
    VXP_TRY(pdf_wrong, SignPdf(pdf, g22, wrong));
    b.Add("pdf-wrong-certificate.pdf", pdfp,
          "the CMS carries agency-h53's certificate; agency-g22 signed", Verdict::kFail,
          {std::string(rules::kPdfSignerCert)}, pdf_wrong);
  }
  for (const Defect& d : cert_defects) {
    VXP_TRY(cred, b.Cred(d.key));
    VXP_TRY(signed_pdf, SignPdf(pdf, cred, pdf_options));
    b.Add("pdf-" + std::string(d.suffix) + ".pdf", pdfp, std::string(d.defect), d.verdict,
          {id(d.rule, P)}, signed_pdf);
  }
  {
    PdfSignOptions weak = pdf_options;
    weak.digest = DigestAlg::kSha1;
    VXP_TRY(pdf_sha1, SignPdf(pdf, g22, weak));
    b.Add("pdf-sha1.pdf", pdfp, "CMS digest SHA-1", Verdict::kWarn, {id(rules::kWeakAlg, P)},
          pdf_sha1);
  }
  b.Add("pdf-signature-removed.pdf", pdfp, "no signature dictionary", Verdict::kFail,
        {std::string(rules::kPdfUnsigned)}, pdf);
  b.Add("pdf-bytes-appended.pdf", pdfp, "an unsigned incremental update appended after signing",
        Verdict::kFail, {std::string(rules::kPdfByteRange)},
        pdf_valid +
            "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>\nendobj\n"
            "%%EOF\n");
  b.Add("pdf-truncated.pdf", pdfp, "the last 64 bytes cut off", Verdict::kFail,
        {std::string(rules::kPdfTruncated)}, pdf_valid.substr(0, pdf_valid.size() - 64));

  // ----- Packages carrying PDF attachments: the package's verdict includes each attachment.
  b.Add("package-signed-pdf.xml", "package", "none: the attachment is pdf-valid.pdf",
        Verdict::kPass, {}, PackageWithAttachment(pdf_valid));
  b.Add("package-tampered-pdf.xml", "package", "the attachment is pdf-content-changed.pdf",
        Verdict::kFail, {id(rules::kDigest, P)}, PackageWithAttachment(pdf_changed));
  b.Add("package-unsigned-pdf.xml", "package",
        "the attachment is an unsigned PDF and nothing else is signed", Verdict::kFail,
        {std::string(rules::kNone), std::string(rules::kPdfUnsigned)}, PackageWithAttachment(pdf));
  return b.Take();
}
#undef VXP_TRY

namespace {
std::string Esc(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}
}  // namespace

std::string ExpectJson(const SignatureVector& v) {
  std::string clause =
      v.profile == "envelope"
          ? "Decision 28/2018/QĐ-TTg art. 9; observed: VNPT library XML-DSig envelope"
          : "Decision 28/2018/QĐ-TTg art. 9; Circular 01/2019/TT-BNV (signed PDF)";
  if (!v.rule_ids.empty()) clause = std::string(Rule(v.rule_ids.front()).clause);
  std::string ids;
  for (const std::string& r : v.rule_ids) ids += (ids.empty() ? "\"" : ", \"") + r + "\"";
  return "{\n  \"profile\": \"" + v.profile + "\",\n  \"defect\": \"" + Esc(v.defect) +
         "\",\n  \"verdict\": \"" + std::string(ToString(v.verdict)) + "\",\n  \"rule_ids\": [" +
         ids + "],\n  \"clause\": \"" + clause + "\",\n  \"at\": \"" +
         std::string(test_pki::kPinnedTime) + "\"\n}\n";
}

}  // namespace vxp::signing
