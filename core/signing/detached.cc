#include "core/signing/detached.h"

// pem.h before cms.h: cms.h declares PEM_read_bio_CMS only when pem.h was seen.
// clang-format off
#include <openssl/pem.h>
#include <openssl/cms.h>
// clang-format on
#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "core/signing/chain.h"
#include "core/signing/cms.h"
#include "core/signing/ossl.h"

namespace vxp::signing {
namespace {

std::string Hex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string SerialOf(X509* cert) {
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  i2a_ASN1_INTEGER(bio.get(), X509_get0_serialNumber(cert));
  return ossl::BioBytes(bio.get());
}

// The subject's first entry of `nid`, as UTF-8; "" when none.
std::string EntryOf(X509* cert, int nid) {
  const X509_NAME* name = X509_get_subject_name(cert);
  int at = X509_NAME_get_index_by_NID(name, nid, -1);
  if (at < 0) return "";
  ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, value);
  if (n < 0) return "";
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

DetachedSigner SignerOf(X509* cert) {
  DetachedSigner out;
  out.subject = ossl::NameOf(X509_get_subject_name(cert));
  out.issuer = ossl::NameOf(X509_get_issuer_name(cert));
  out.serial = SerialOf(cert);
  out.fingerprint = ossl::Fingerprint(cert);
  out.common_name = EntryOf(cert, NID_commonName);
  out.title = EntryOf(cert, NID_title);
  if (out.title.empty()) out.title = EntryOf(cert, NID_organizationName);
  out.not_before = ossl::FormatUnix(ossl::ToUnix(X509_get0_notBefore(cert)));
  out.not_after = ossl::FormatUnix(ossl::ToUnix(X509_get0_notAfter(cert)));
  return out;
}

}  // namespace

Result<DetachedSigner> DescribeSigner(std::string_view cert_pem) {
  auto certs = ossl::ParseCertificates(cert_pem);
  if (!certs) return MakeError("signing.key", "the certificate: " + certs.error().message);
  if (certs->empty()) return MakeError("signing.key", "the certificate file holds no certificate");
  return SignerOf(certs->front().get());
}

std::string Sha256Hex(std::string_view bytes) { return Hex(ossl::Sha256(bytes)); }

Result<std::string> SignDetached(std::string_view content, const Credential& credential,
                                 std::int64_t signing_time) {
  PdfSignOptions options;
  options.signing_time = signing_time;
  auto der = MakeCms(content, credential, options);
  if (!der) return tl::unexpected(der.error());
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  ossl::CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der->size())));
  ossl::BioPtr out(BIO_new(BIO_s_mem()));
  if (!cms || PEM_write_bio_CMS(out.get(), cms.get()) != 1) {
    return MakeError("signing.cms", "PEM encoding: " + ossl::TakeErrors());
  }
  return ossl::BioBytes(out.get());
}

Result<DetachedSigner> VerifyDetached(std::string_view content, std::string_view signature_pem,
                                      std::string_view trust_pem) {
  ossl::BioPtr in = ossl::MemoryBio(signature_pem);
  ossl::CmsPtr cms(PEM_read_bio_CMS(in.get(), nullptr, nullptr, nullptr));
  if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    ossl::TakeErrors();
    return MakeError("signing.detached.format",
                     "the signature file is not a PEM CMS SignedData (-----BEGIN CMS-----)");
  }
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
  X509* signer = nullptr;
  if (infos != nullptr && sk_CMS_SignerInfo_num(infos) == 1 &&
      CMS_set1_signers_certs(cms.get(), nullptr, 0) == 1) {
    CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(infos, 0), nullptr, &signer, nullptr, nullptr);
  }
  if (signer == nullptr) {
    ossl::TakeErrors();
    return MakeError("signing.detached.format",
                     "the signature must have exactly one signer with its certificate embedded");
  }
  DetachedSigner out = SignerOf(signer);
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
  int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (idx >= 0) {
    ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0);
    if (value != nullptr &&
        (value->type == V_ASN1_UTCTIME || value->type == V_ASN1_GENERALIZEDTIME)) {
      out.signing_time = ossl::ToUnix(reinterpret_cast<const ASN1_TIME*>(value->value.asn1_string));
      out.signed_at = ossl::FormatUnix(out.signing_time);
    }
  }
  // Integrity first, whatever the trust: a changed manifest must say so, not "untrusted".
  ossl::BioPtr data = ossl::MemoryBio(content);
  int ok = CMS_verify(cms.get(), nullptr, nullptr, data.get(), nullptr,
                      CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY | CMS_DETACHED);
  if (ok != 1) {
    ossl::TakeErrors();
    return MakeError("signing.detached.mismatch",
                     "the signature does not match the signed file: it was changed after signing "
                     "(signer " +
                         out.subject + ")");
  }
  if (trust_pem.empty()) {
    out.untrusted_reason = "no trust anchor was given, so nothing says who the signer is";
    return out;
  }
  {
    auto anchors = ossl::ParseCertificates(trust_pem);
    if (!anchors) {
      return MakeError("signing.key", "trust anchors: " + anchors.error().message);
    }
    ossl::StorePtr store(X509_STORE_new());
    for (auto& a : *anchors) X509_STORE_add_cert(store.get(), a.get());
    STACK_OF(X509)* untrusted = CMS_get1_certs(cms.get());
    ossl::StoreCtxPtr ctx(X509_STORE_CTX_new());
    X509_STORE_CTX_init(ctx.get(), store.get(), signer, untrusted);
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_ANY);
    if (out.signing_time != 0) {
      X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(out.signing_time));
    }
    int verified = X509_verify_cert(ctx.get());
    int error = X509_STORE_CTX_get_error(ctx.get());
    sk_X509_pop_free(untrusted, X509_free);
    if (verified != 1) {
      ossl::TakeErrors();
      out.untrusted_reason = std::string("the signer's chain does not reach the trust anchors: ") +
                             X509_verify_cert_error_string(error);
      return out;
    }
    out.trusted = true;
  }
  return out;
}

}  // namespace vxp::signing
