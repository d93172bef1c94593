#include "core/signing/ossl.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <cstdio>
#include <ctime>

#include "core/common/bounded_cache.h"
#include "core/common/datetime.h"

namespace vxp::signing::ossl {

std::string TakeErrors() {
  std::string out;
  unsigned long code;
  while ((code = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown error" : out;
}

BioPtr MemoryBio(std::string_view bytes) {
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

std::string BioBytes(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, n > 0 ? static_cast<size_t>(n) : 0);
}

Result<std::vector<X509Ptr>> ParseCertificates(std::string_view pem) {
  std::vector<X509Ptr> out;
  BioPtr bio = MemoryBio(pem);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    out.emplace_back(cert);
  }
  ERR_clear_error();  // the loop ends on "no start line"
  if (out.empty()) return MakeError("signing.certificate", "no PEM certificate found");
  return out;
}

Result<X509Ptr> ParseCertificate(std::string_view pem_or_der) {
  if (pem_or_der.find("-----BEGIN") != std::string_view::npos) {
    auto certs = ParseCertificates(pem_or_der);
    if (!certs) return tl::unexpected(certs.error());
    return std::move(certs->front());
  }
  const auto* p = reinterpret_cast<const unsigned char*>(pem_or_der.data());
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(pem_or_der.size()));
  if (cert == nullptr)
    return MakeError("signing.certificate", "not a certificate: " + TakeErrors());
  return X509Ptr(cert);
}

Result<X509Ptr> ParseCertificateCached(std::string_view key_bytes,
                                       const std::function<Result<std::string>()>& der) {
  // 512 of the last-used certificates per generation: a national hub's active signers' chains fit;
  // at about 4 KB each (key, bytes and parsed form) the cache stays under 4 MiB.
  static BoundedCache<std::string, std::shared_ptr<X509>> cache(512);
  std::string key(key_bytes);
  std::shared_ptr<X509> cert;
  if (auto found = cache.Find(key)) {
    cert = std::move(*found);
  } else {
    auto bytes = der();
    if (!bytes) return tl::unexpected(bytes.error());
    auto parsed = ParseCertificate(*bytes);
    if (!parsed) return tl::unexpected(parsed.error());
    cert = std::shared_ptr<X509>(parsed->release(), X509_free);
    cache.Insert(std::move(key), cert);
  }
  X509_up_ref(cert.get());
  return X509Ptr(cert.get());
}

Result<KeyPtr> ParsePrivateKey(std::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) return MakeError("signing.key", "not a PEM private key: " + TakeErrors());
  return KeyPtr(key);
}

Result<CrlPtr> ParseCrl(std::string_view pem_or_der) {
  X509_CRL* crl = nullptr;
  if (pem_or_der.find("-----BEGIN") != std::string_view::npos) {
    BioPtr bio = MemoryBio(pem_or_der);
    crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr);
  } else {
    const auto* p = reinterpret_cast<const unsigned char*>(pem_or_der.data());
    crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(pem_or_der.size()));
  }
  if (crl == nullptr) return MakeError("signing.crl", "not a CRL: " + TakeErrors());
  return CrlPtr(crl);
}

std::string ToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return BioBytes(bio.get());
}

std::string ToPem(X509_CRL* crl) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_CRL(bio.get(), crl);
  return BioBytes(bio.get());
}

std::string ToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return BioBytes(bio.get());
}

std::string ToDer(X509* cert) {
  unsigned char* der = nullptr;
  int n = i2d_X509(cert, &der);
  std::string out(reinterpret_cast<char*>(der), n > 0 ? static_cast<size_t>(n) : 0);
  OPENSSL_free(der);
  return out;
}

std::int64_t ToUnix(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return 0;
  return UnixSeconds(DateTime{Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, tm.tm_hour,
                              tm.tm_min, tm.tm_sec});
}

std::string FormatUnix(std::int64_t seconds) {
  DateTime t = CivilTime(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.date.year, t.date.month,
                t.date.day, t.hour, t.minute, t.second);
  return buf;
}

std::string NameOf(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return BioBytes(bio.get());
}

std::string Fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha256(), md, &n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

std::string Sha256(std::string_view bytes) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

}  // namespace vxp::signing::ossl
