#include "core/signing/pdf.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <optional>
#include <string_view>
#include <vector>

#include "core/signing/chain.h"
#include "core/signing/cms.h"
#include "core/signing/ossl.h"
#include "core/signing/qpdf_field.h"

namespace vxp::signing {
namespace {

// One DER element: where it starts, its header length and its content length.
struct Tlv {
  size_t begin = 0, header = 0, length = 0;
  int tag = 0, cls = 0;
  bool constructed = false;
  size_t end() const { return begin + header + length; }
};

// The DER element at der[at], inside der[..limit); nullopt if it is not one (or has an
// indefinite length).
std::optional<Tlv> ReadTlv(std::string_view der, size_t at, size_t limit) {
  if (at >= limit) return std::nullopt;
  const auto* start = reinterpret_cast<const unsigned char*>(der.data()) + at;
  const unsigned char* p = start;
  long length = 0;
  int tag = 0, cls = 0;
  int flags = ASN1_get_object(&p, &length, &tag, &cls, static_cast<long>(limit - at));
  if ((flags & 0x80) != 0 || flags == 0x21) {
    ERR_clear_error();
    return std::nullopt;
  }
  Tlv out{at,  static_cast<size_t>(p - start),   static_cast<size_t>(length), tag,
          cls, (flags & V_ASN1_CONSTRUCTED) != 0};
  if (out.end() > limit) return std::nullopt;
  return out;
}

std::string Header(bool constructed, size_t length, int tag, int cls) {
  std::string out(
      static_cast<size_t>(ASN1_object_size(constructed, static_cast<int>(length), tag)) - length,
      '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  ASN1_put_object(&p, constructed, static_cast<int>(length), tag, cls);
  return out;
}

// A CMS SignedData split in two: the DER without its certificates field, and each certificate's
// DER. Decoding a certificate (its public key above all) is most of what decoding a CMS costs;
// apart, the certificates go through the certificate cache. nullopt when the DER is not that
// shape; the caller then decodes it whole.
struct SplitCms {
  std::string without_certificates;
  std::vector<std::string_view> certificates;
};
std::optional<SplitCms> SplitCertificates(std::string_view der) {
  auto info = ReadTlv(der, 0, der.size());
  // What follows the ContentInfo (the zeros that pad /Contents) is ignored, as d2i does.
  if (!info || info->tag != V_ASN1_SEQUENCE) return std::nullopt;
  auto type = ReadTlv(der, info->begin + info->header, info->end());
  if (!type || type->tag != V_ASN1_OBJECT) return std::nullopt;
  auto explicit_content = ReadTlv(der, type->end(), info->end());
  if (!explicit_content || explicit_content->cls != V_ASN1_CONTEXT_SPECIFIC ||
      explicit_content->tag != 0 || explicit_content->end() != info->end()) {
    return std::nullopt;
  }
  auto signed_data =
      ReadTlv(der, explicit_content->begin + explicit_content->header, explicit_content->end());
  if (!signed_data || signed_data->tag != V_ASN1_SEQUENCE ||
      signed_data->end() != explicit_content->end()) {
    return std::nullopt;
  }
  SplitCms out;
  std::string fields;
  for (size_t at = signed_data->begin + signed_data->header; at < signed_data->end();) {
    auto field = ReadTlv(der, at, signed_data->end());
    if (!field) return std::nullopt;
    if (field->cls == V_ASN1_CONTEXT_SPECIFIC && field->tag == 0) {
      for (size_t c = field->begin + field->header; c < field->end();) {
        auto cert = ReadTlv(der, c, field->end());
        if (!cert || cert->tag != V_ASN1_SEQUENCE || cert->cls != V_ASN1_UNIVERSAL) {
          return std::nullopt;  // other certificate choices: leave them to OpenSSL
        }
        out.certificates.push_back(der.substr(cert->begin, cert->end() - cert->begin));
        c = cert->end();
      }
    } else {
      fields.append(der.substr(field->begin, field->end() - field->begin));
    }
    at = field->end();
  }
  std::string sd = Header(true, fields.size(), V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL) + fields;
  std::string content = std::string(der.substr(type->begin, type->end() - type->begin)) +
                        Header(true, sd.size(), 0, V_ASN1_CONTEXT_SPECIFIC) + sd;
  out.without_certificates =
      Header(true, content.size(), V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL) + content;
  return out;
}

constexpr std::string_view kRangePlaceholder = "1111111111";

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string PdfDate(std::int64_t t) {
  std::string iso = ossl::FormatUnix(t);  // 2026-11-20T10:00:00Z
  std::string out = "D:";
  for (char c : iso) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out + "Z";
}

std::string EscapePdfText(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += (static_cast<unsigned char>(c) < 0x80) ? c : '?';
  }
  return out;
}

// Adds the signature field and placeholder dictionary with qpdf; returns the rewritten file.
Result<std::string> PrepareWithQpdf(std::string_view pdf, const PdfSignOptions& options) {
  std::string range = "[0 " + std::string(kRangePlaceholder) + " " +
                      std::string(kRangePlaceholder) + " " + std::string(kRangePlaceholder) + "]";
  std::string out, error;
  if (!AddSignatureField(pdf, options.sub_filter, range, PdfDate(options.signing_time),
                         options.contents_bytes, &out, &error)) {
    return MakeError("signing.input", error);
  }
  return out;
}

bool ReadUint(std::string_view s, size_t* pos, std::uint64_t* out) {
  while (*pos < s.size() && IsSpace(s[*pos])) ++*pos;
  size_t begin = *pos;
  while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9' && *pos - begin < 15) ++*pos;
  if (*pos == begin) return false;
  std::from_chars(s.data() + begin, s.data() + *pos, *out);
  return true;
}

}  // namespace

Result<std::string> MakeCms(std::string_view data, const Credential& credential,
                            const PdfSignOptions& options) {
  auto signer = LoadSigner(credential);
  if (!signer) return tl::unexpected(signer.error());
  std::vector<ossl::X509Ptr> extra = std::move(signer->chain);
  bool substitute = !options.embed_instead_of_signer.empty();
  if (substitute) {
    auto other = ossl::ParseCertificate(options.embed_instead_of_signer);
    if (!other) return tl::unexpected(other.error());
    extra.insert(extra.begin(), std::move(*other));
  }
  STACK_OF(X509)* certs = sk_X509_new_null();
  for (auto& c : extra) sk_X509_push(certs, c.get());
  constexpr unsigned kFlags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  ossl::CmsPtr cms(CMS_sign(nullptr, nullptr, certs, nullptr, kFlags));
  sk_X509_free(certs);
  if (!cms) return MakeError("signing.cms", "CMS_sign: " + ossl::TakeErrors());
  const EVP_MD* md = options.digest == DigestAlg::kSha1 ? EVP_sha1() : EVP_sha256();
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), signer->cert.get(), signer->key.get(), md,
                                       kFlags | (substitute ? CMS_NOCERTS : 0));
  if (si == nullptr) return MakeError("signing.cms", "CMS_add1_signer: " + ossl::TakeErrors());
  ASN1_TIME* when = ASN1_TIME_set(nullptr, static_cast<time_t>(options.signing_time));
  // RFC 5652 §11.3: UTCTime up to 2049. ASN1_TIME_set picks that form for such dates.
  int added = CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, when->type, when, -1);
  ASN1_TIME_free(when);
  if (added != 1) return MakeError("signing.cms", "signingTime: " + ossl::TakeErrors());
  ossl::BioPtr content = ossl::MemoryBio(data);
  if (CMS_final(cms.get(), content.get(), nullptr, CMS_DETACHED | CMS_BINARY) != 1) {
    return MakeError("signing.cms", "CMS_final: " + ossl::TakeErrors());
  }
  unsigned char* der = nullptr;
  int n = i2d_CMS_ContentInfo(cms.get(), &der);
  if (n <= 0) return MakeError("signing.cms", "DER encoding: " + ossl::TakeErrors());
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string MakeTestPdf(const std::vector<std::string>& lines) {
  std::string text = "BT /F1 12 Tf 72 780 Td 16 TL\n";
  for (const std::string& line : lines) text += "(" + EscapePdfText(line) + ") '\n";
  text += "ET\n";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> "
      ">> /Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
      "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "endstream",
  };
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
    out += entry;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

Result<std::string> SignPdf(std::string_view pdf, const Credential& credential,
                            const PdfSignOptions& options) {
  auto prepared = PrepareWithQpdf(pdf, options);
  if (!prepared) return tl::unexpected(prepared.error());
  std::string out = std::move(*prepared);
  std::string placeholder_hex = "<" + std::string(options.contents_bytes * 2, '0') + ">";
  size_t contents = out.find(placeholder_hex);
  size_t range_value =
      out.find(std::string(kRangePlaceholder) + " " + std::string(kRangePlaceholder));
  size_t range_open = range_value != std::string::npos ? out.rfind('[', range_value) : out.npos;
  size_t range_close = range_value != std::string::npos ? out.find(']', range_value) : out.npos;
  if (contents == std::string::npos || range_open == std::string::npos ||
      range_close == std::string::npos) {
    return MakeError("signing.input", "qpdf did not write the signature placeholder as expected");
  }
  size_t a = contents, b = contents + placeholder_hex.size();
  std::string range =
      "[0 " + std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(out.size() - b);
  size_t width = range_close - range_open;  // the placeholder keeps its length
  if (range.size() > width) return MakeError("signing.input", "ByteRange does not fit");
  range.append(width - range.size(), ' ');
  out.replace(range_open, width, range);
  std::string signed_bytes = out.substr(0, a) + out.substr(b);
  auto cms = MakeCms(signed_bytes, credential, options);
  if (!cms) return tl::unexpected(cms.error());
  std::string hex = ToHex(*cms);
  if (hex.size() > options.contents_bytes * 2) {
    return MakeError("signing.cms", "the CMS signature (" + std::to_string(cms->size()) +
                                        " bytes) does not fit the " +
                                        std::to_string(options.contents_bytes) +
                                        " bytes reserved for /Contents");
  }
  out.replace(a + 1, hex.size(), hex);
  return out;
}

std::vector<PdfSignatureField> FindPdfSignatures(std::string_view pdf) {
  std::vector<PdfSignatureField> out;
  constexpr std::string_view kKey = "/ByteRange";
  for (size_t at = pdf.find(kKey); at != std::string_view::npos; at = pdf.find(kKey, at + 1)) {
    PdfSignatureField field;
    field.offset = at;
    size_t pos = at + kKey.size();
    while (pos < pdf.size() && IsSpace(pdf[pos])) ++pos;
    if (pos < pdf.size() && pdf[pos] == '[') {
      ++pos;
      bool ok = true;
      for (auto& v : field.range) ok = ok && ReadUint(pdf, &pos, &v);
      while (ok && pos < pdf.size() && IsSpace(pdf[pos])) ++pos;
      field.range_readable = ok && pos < pdf.size() && pdf[pos] == ']';
    }
    // The dictionary's SubFilter: within the same indirect object.
    size_t obj_begin = pdf.rfind(" obj", at);
    size_t obj_end = pdf.find("endobj", at);
    if (obj_begin == std::string_view::npos) obj_begin = 0;
    if (obj_end == std::string_view::npos) obj_end = pdf.size();
    std::string_view object = pdf.substr(obj_begin, obj_end - obj_begin);
    if (size_t sf = object.find("/SubFilter"); sf != std::string_view::npos) {
      size_t p = sf + 10;
      while (p < object.size() && IsSpace(object[p])) ++p;
      if (p < object.size() && object[p] == '/') {
        size_t q = p + 1;
        while (q < object.size() && !IsSpace(object[q]) && object[q] != '/' && object[q] != '>' &&
               object[q] != '[' && object[q] != '<' && object[q] != '(') {
          ++q;
        }
        field.sub_filter = std::string(object.substr(p + 1, q - p - 1));
      }
    }
    if (field.range_readable) {
      std::uint64_t a = field.range[0] + field.range[1], b = field.range[2];
      if (a < b && b <= pdf.size()) {
        field.contents_begin = a;
        field.contents_end = b;
      }
    }
    out.push_back(std::move(field));
  }
  return out;
}

PdfVerification VerifyPdf(std::string_view pdf, const VerifyOptions& options,
                          std::string_view where) {
  PdfVerification result;
  constexpr Profile kP = Profile::kPdf;
  const TrustStore& trust = options.trust != nullptr ? *options.trust : TrustStore::TestPki();
  std::vector<PdfSignatureField> fields = FindPdfSignatures(pdf);
  result.present = !fields.empty();
  for (size_t i = 0; i < fields.size(); ++i) {
    const PdfSignatureField& f = fields[i];
    bool last = i + 1 == fields.size();
    std::string path = std::string(where) + (where.empty() ? "" : " ") + "signature " +
                       std::to_string(i + 1) + " (/ByteRange at byte " + std::to_string(f.offset) +
                       ")";
    Location loc{path, 0};
    if (!f.range_readable) {
      result.findings.push_back(SigFinding(kP, rules::kPdfMalformed, loc,
                                           "the /ByteRange is not an array of four non-negative "
                                           "integers",
                                           "/ByteRange [0 a b c]", "unreadable"));
      continue;
    }
    const auto* r = f.range;
    std::uint64_t end = r[2] + r[3];
    if (r[0] + r[1] > pdf.size() || end > pdf.size()) {
      result.findings.push_back(SigFinding(
          kP, rules::kPdfTruncated, loc,
          "the file is " + std::to_string(pdf.size()) +
              " bytes but the signature's /ByteRange "
              "reaches byte " +
              std::to_string(std::max(r[0] + r[1], end)) + ": the file was cut short after signing",
          std::to_string(end) + " bytes or more", std::to_string(pdf.size()) + " bytes"));
      continue;
    }
    if (r[0] != 0 || f.contents_begin == 0 || pdf[f.contents_begin] != '<' ||
        pdf[f.contents_end - 1] != '>') {
      result.findings.push_back(SigFinding(
          kP, rules::kPdfByteRange, loc,
          "the gap in the /ByteRange is not exactly the /Contents hex string, so bytes outside "
          "the signature are not covered",
          "[0 a b c] where bytes a..b are <hex>",
          "[" + std::to_string(r[0]) + " " + std::to_string(r[1]) + " " + std::to_string(r[2]) +
              " " + std::to_string(r[3]) + "]"));
      continue;
    }
    if (last && end < pdf.size()) {
      result.findings.push_back(
          SigFinding(kP, rules::kPdfByteRange, loc,
                     std::to_string(pdf.size() - end) +
                         " bytes after the signed range (from byte " + std::to_string(end) +
                         ") are not covered by any signature: content was appended "
                         "after signing",
                     "the last signature covers the file to its end (" +
                         std::to_string(pdf.size()) + " bytes)",
                     "covers " + std::to_string(end) + " bytes"));
    }
    if (f.sub_filter != "adbe.pkcs7.detached" && f.sub_filter != "ETSI.CAdES.detached") {
      result.findings.push_back(SigFinding(
          kP, rules::kPdfSubFilter, loc,
          "/SubFilter is '" + f.sub_filter + "'; the profile is a detached CMS signature",
          "adbe.pkcs7.detached or ETSI.CAdES.detached",
          f.sub_filter.empty() ? "absent" : f.sub_filter));
    }

    // /Contents: hex, possibly zero-padded after the DER.
    std::string der;
    der.reserve((f.contents_end - f.contents_begin) / 2);
    bool hex_ok = true;
    int high = -1;
    for (size_t p = f.contents_begin + 1; p + 1 < f.contents_end; ++p) {
      if (IsSpace(pdf[p])) continue;
      int v = HexValue(pdf[p]);
      if (v < 0) {
        hex_ok = false;
        break;
      }
      if (high < 0) {
        high = v;
      } else {
        der += static_cast<char>(high * 16 + v);
        high = -1;
      }
    }
    // The certificates apart (cached), the rest decoded by OpenSSL.
    std::optional<SplitCms> split = hex_ok ? SplitCertificates(der) : std::nullopt;
    std::vector<ossl::X509Ptr> carried;
    bool certs_ok = true;
    for (std::string_view cert : split ? split->certificates : std::vector<std::string_view>{}) {
      auto parsed = ossl::ParseCertificateCached(
          "der:" + std::string(cert), [&] { return Result<std::string>(std::string(cert)); });
      certs_ok = certs_ok && parsed.has_value();
      if (parsed) carried.push_back(std::move(*parsed));
    }
    std::string_view decoded = split ? std::string_view(split->without_certificates) : der;
    const auto* p = reinterpret_cast<const unsigned char*>(decoded.data());
    ossl::CmsPtr cms(hex_ok && certs_ok
                         ? d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(decoded.size()))
                         : nullptr);
    ERR_clear_error();
    if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed ||
        sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms.get())) < 1) {
      result.findings.push_back(
          SigFinding(kP, rules::kPdfMalformed, loc,
                     hex_ok ? "/Contents does not hold a CMS SignedData with a SignerInfo"
                            : "/Contents is not a hex string",
                     "DER CMS SignedData", "unreadable"));
      continue;
    }
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms.get()), 0);
    STACK_OF(X509)* certs = split ? nullptr : CMS_get1_certs(cms.get());
    std::vector<X509*> all;
    for (auto& c : carried) all.push_back(c.get());
    for (int k = 0; certs != nullptr && k < sk_X509_num(certs); ++k) {
      all.push_back(sk_X509_value(certs, k));
    }
    X509* signer = nullptr;
    std::vector<X509*> others;
    for (X509* c : all) {
      if (signer == nullptr && CMS_SignerInfo_cert_cmp(si, c) == 0) {
        signer = c;
      } else {
        others.push_back(c);
      }
    }
    auto free_certs = [&] {
      if (certs != nullptr) sk_X509_pop_free(certs, X509_free);
    };
    if (signer == nullptr) {
      std::string carried;
      for (X509* c : others) carried += (carried.empty() ? "" : "; ") + Describe(c);
      result.findings.push_back(SigFinding(
          kP, rules::kPdfSignerCert, loc,
          "the CMS does not carry the certificate its SignerInfo names, so the signer cannot be "
          "identified; it carries: " +
              (carried.empty() ? std::string("no certificate") : carried),
          "the signer's certificate", carried.empty() ? "none" : carried));
      free_certs();
      continue;
    }
    result.signer = ossl::NameOf(X509_get_subject_name(signer));
    CMS_SignerInfo_set1_signer_cert(si, signer);
    X509_ALGOR* digest_alg = nullptr;
    CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &digest_alg, nullptr);
    const ASN1_OBJECT* digest_oid = nullptr;
    if (digest_alg != nullptr) X509_ALGOR_get0(&digest_oid, nullptr, nullptr, digest_alg);
    if (digest_oid != nullptr && OBJ_obj2nid(digest_oid) == NID_sha1) {
      result.findings.push_back(SigFinding(kP, rules::kWeakAlg, loc,
                                           "the CMS signature uses SHA-1, which is no longer "
                                           "collision-resistant",
                                           "SHA-256 or stronger", "SHA-1"));
    }
    std::string covered = std::string(pdf.substr(0, r[1])) + std::string(pdf.substr(r[2], r[3]));
    if (CMS_signed_get_attr_count(si) > 0) {
      // Signature over the signed attributes, then their messageDigest against the bytes.
      if (CMS_SignerInfo_verify(si) != 1) {
        result.findings.push_back(
            SigFinding(kP, rules::kValue, loc,
                       "the CMS signature value does not verify with the signer's certificate " +
                           Describe(signer),
                       "a valid RSA signature over the signed attributes", "invalid"));
      }
      const EVP_MD* md = digest_oid != nullptr ? EVP_get_digestbyobj(digest_oid) : nullptr;
      int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1);
      ASN1_TYPE* claimed =
          idx >= 0 ? X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0) : nullptr;
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int digest_len = 0;
      bool matches =
          md != nullptr && claimed != nullptr && claimed->type == V_ASN1_OCTET_STRING &&
          EVP_Digest(covered.data(), covered.size(), digest, &digest_len, md, nullptr) == 1 &&
          static_cast<unsigned>(ASN1_STRING_length(claimed->value.octet_string)) == digest_len &&
          std::equal(digest, digest + digest_len,
                     ASN1_STRING_get0_data(claimed->value.octet_string));
      if (!matches) {
        result.findings.push_back(SigFinding(
            kP, rules::kDigest, loc,
            "the digest of the signed byte ranges does not match the CMS messageDigest: the PDF "
            "was changed after it was signed",
            "digest of the received bytes", "different digest"));
      }
    } else {
      // No signed attributes: the signature is over the content digest itself.
      ossl::BioPtr content = ossl::MemoryBio(covered);
      STACK_OF(X509)* signers = sk_X509_new_null();
      sk_X509_push(signers, signer);
      int ok = CMS_verify(cms.get(), signers, nullptr, content.get(), nullptr,
                          CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY | CMS_NOINTERN);
      sk_X509_free(signers);
      if (ok != 1) {
        result.findings.push_back(SigFinding(
            kP, rules::kValue, loc,
            "the CMS signature (without signed attributes) does not verify over the signed byte "
            "ranges: the PDF or the signature was changed",
            "a valid RSA signature over the content", "invalid"));
      }
    }
    ERR_clear_error();
    std::int64_t at = options.at;
    int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (idx >= 0) {
      X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, idx);
      ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attr, 0);
      if (value != nullptr &&
          (value->type == V_ASN1_UTCTIME || value->type == V_ASN1_GENERALIZEDTIME)) {
        std::int64_t t = ossl::ToUnix(reinterpret_cast<const ASN1_TIME*>(value->value.asn1_string));
        result.signing_time = t;
        if (t != 0 && t <= options.at) at = t;
      }
    }
    auto chain = CheckSigner(kP, loc, signer, others, trust, at);
    result.findings.insert(result.findings.end(), chain.begin(), chain.end());
    free_certs();
  }
  return result;
}

}  // namespace vxp::signing
