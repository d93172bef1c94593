// Trust anchors, CRLs and the pinned verification time: what a signature is judged against.
//
// A TrustStore is built once from PEM text (no files are read here) and is immutable afterwards;
// it is safe to share between threads. Verification time is always explicit (VerifyOptions::at),
// so vectors and tests never depend on the clock.
#ifndef VXP_CORE_SIGNING_TRUST_H_
#define VXP_CORE_SIGNING_TRUST_H_

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/common/result.h"

namespace vxp::signing {

class TrustStore {
 public:
  // `anchors`: PEM texts of trusted root certificates (each may hold several). `crls`: PEM or DER
  // CRLs. `intermediates`: untrusted CA certificates that may complete a chain the signature does
  // not carry. Returns an error naming the first text that does not parse, or when no anchor is
  // given.
  static Result<TrustStore> Create(std::span<const std::string> anchors,
                                   std::span<const std::string> crls = {},
                                   std::span<const std::string> intermediates = {});

  // From the files of a trust directory (file name → bytes): *.crl are CRLs; *.crt and *.pem
  // holding a CA certificate are anchors when self-signed, intermediates otherwise; end-entity
  // certificates, keys and other files are ignored. `extra_crls` are added. Errors as Create().
  static Result<TrustStore> FromFiles(const std::map<std::string, std::string>& files,
                                      std::span<const std::string> extra_crls = {});

  // The trust anchors, CRLs and intermediate CA of vxpkit's own test PKI (vectors/keys/),
  // compiled into the library.
  static const TrustStore& TestPki();

  // Subjects of the anchors, for messages ("trusted: CN=Mock Government Root CA, ...").
  std::string Describe() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
};

struct VerifyOptions {
  const TrustStore* trust = nullptr;  // nullptr: TrustStore::TestPki()
  // Verification time, seconds since the Unix epoch (UTC). For a PDF signature the CMS
  // signingTime is used instead when present and not later than `at`.
  std::int64_t at = 0;
};

// Seconds since the epoch for "YYYY-MM-DDTHH:MM:SSZ" (or with an offset such as +07:00), or for
// "YYYY-MM-DD" (midnight UTC). Error for anything else.
Result<std::int64_t> ParseTime(std::string_view text);

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_TRUST_H_
