// Internal to core/signing: owning handles for OpenSSL objects and small conversions. Not a public
// API; other layers use the signing headers, which never expose OpenSSL types.
#ifndef VXP_CORE_SIGNING_OSSL_H_
#define VXP_CORE_SIGNING_OSSL_H_

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace vxp::signing::ossl {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};

using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;

// The pending OpenSSL error queue as one line (and clears it); "unknown error" when empty.
std::string TakeErrors();

// A read-only memory BIO over `bytes` (which must outlive it).
BioPtr MemoryBio(std::string_view bytes);
// The bytes written to a memory BIO.
std::string BioBytes(BIO* bio);

// Every certificate in PEM text, in order. An empty list is an error.
Result<std::vector<X509Ptr>> ParseCertificates(std::string_view pem);
Result<X509Ptr> ParseCertificate(std::string_view pem_or_der);
// A certificate from a signature (KeyInfo, a CMS): the same bytes give the same parsed,
// reference-counted X509 from a bounded process-wide cache, since decoding one (its public key
// above all) costs more than verifying an RSA signature. `key` is the bytes as they arrived,
// named by their form ("der:" + DER, or "base64:" + KeyInfo's text), so one form never stands
// for another; `der` gives the DER on a miss. The X509 is shared between threads: use it
// read-only. Errors: der's, or those of ParseCertificate.
Result<X509Ptr> ParseCertificateCached(std::string_view key,
                                       const std::function<Result<std::string>()>& der);
Result<KeyPtr> ParsePrivateKey(std::string_view pem);
Result<CrlPtr> ParseCrl(std::string_view pem_or_der);

std::string ToPem(X509* cert);
std::string ToPem(X509_CRL* crl);
std::string ToPem(EVP_PKEY* key);  // PKCS#8, unencrypted
std::string ToDer(X509* cert);

// Seconds since the epoch for an ASN1_TIME; 0 if unreadable.
std::int64_t ToUnix(const ASN1_TIME* time);
// "2026-11-20T10:00:00Z".
std::string FormatUnix(std::int64_t seconds);
// Subject or issuer as a one-line RFC 2253 string (UTF-8).
std::string NameOf(const X509_NAME* name);
// Lower-case hex SHA-256 of the DER certificate.
std::string Fingerprint(X509* cert);

std::string Sha256(std::string_view bytes);  // raw 32 bytes

}  // namespace vxp::signing::ossl

#endif  // VXP_CORE_SIGNING_OSSL_H_
