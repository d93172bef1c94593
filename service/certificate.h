// Conformance certificates (docs/certification.md): what the office certifies about a system, in
// three forms made from one set of facts —
//   certificate.json      schema "vxpkit-certificate/1": the facts, with the SHA-256 of the PDF
//   certificate.json.p7s  a detached CMS signature of certificate.json by the office's key
//                         (core/signing/detached.h; `openssl cms -verify` checks it too)
//   certificate.pdf       one A4 page in Vietnamese and English, with the verification URL and
//                         its QR code (drawn by cairo and pango; the QR code by libqrencode),
//                         signed by the office's key as hub documents' PDFs are (edxml.md §7)
// and the register: the list of every certificate with its status (valid, expired, revoked),
// schema "vxpkit-register/1", signed the same way, that `vxpkit verify-certificate --register`
// checks revocation against offline.
//
// Pure computation over bytes (fonts are read by fontconfig); no clock reads, the times are
// parameters. Errors: "certificate.format" (a JSON that is not a certificate or register, naming
// what is wrong), "certificate.pdf" (cairo failed), the signing errors of detached.h.
#ifndef VXP_SERVICE_CERTIFICATE_H_
#define VXP_SERVICE_CERTIFICATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/clock.h"
#include "core/common/result.h"
#include "core/signing/detached.h"
#include "core/signing/test_pki.h"

namespace vxp::service {

inline constexpr std::string_view kCertificateSchema = "vxpkit-certificate/1";
inline constexpr std::string_view kRegisterSchema = "vxpkit-register/1";

struct WaiverFact {
  std::string scenario, verdict, reason, by;
};

// Everything a certificate states.
struct CertificateFacts {
  std::int64_t id = 0;
  std::string number;  // "VXP-C-000001" (CertificateNumber)
  std::string office;  // who issues it (the office's certificate's O, or its CN)
  std::string vendor;  // the organisation
  std::string system, product, product_version;
  std::vector<std::string> claims;  // the conformance statement
  std::string control;              // "driver" or "operator"
  std::string plan, profile;
  std::string suite_version;
  std::map<std::string, std::string> vectors;  // name -> SHA-256 (the catalogue's included)
  std::int64_t run_id = 0;
  Millis run_started = 0, run_finished = 0;
  std::string run_verdict;
  std::map<std::string, int> counts;  // verdict -> scenarios
  std::vector<WaiverFact> waivers;
  std::string certifier;  // "Name <e-mail>"
  std::string comments;
  Millis issued = 0, valid_until = 0;
  std::string verify_url;  // the register's page of this certificate
  std::string pdf_sha256;  // of certificate.pdf; set by IssueCertificate
};

std::string CertificateNumber(std::int64_t id);  // "VXP-C-000042"
// The UTC date of a time, as a certificate and the register show it: "2026-12-02".
std::string CertificateDay(Millis ms);

std::string CertificateJson(const CertificateFacts& facts);
Result<CertificateFacts> ReadCertificateJson(std::string_view json);

// The one-page A4 PDF of `facts`.
Result<std::string> CertificatePdf(const CertificateFacts& facts);

struct IssuedCertificate {
  std::string json, signature, pdf;
};
// The PDF (signed by `office`), then the JSON (with the signed PDF's SHA-256), then the JSON's
// signature by `office`, all at `facts.issued`.
Result<IssuedCertificate> IssueCertificate(CertificateFacts facts,
                                           const signing::Credential& office);

// One certificate as the register lists it.
struct RegisterEntry {
  std::int64_t id = 0;
  std::string number, vendor, system, product, product_version;
  Millis issued = 0, valid_until = 0;
  std::string status;  // "valid", "expired" or "revoked"
  Millis revoked = 0;
  std::string revoked_reason;
};
struct RegisterFacts {
  std::string office;
  Millis generated = 0;
  std::vector<RegisterEntry> certificates;
};
// "revoked" when revoked, else "expired" at `now` after its validity, else "valid".
std::string CertificateStatus(Millis valid_until, Millis revoked, Millis now);
std::string RegisterJson(const RegisterFacts& facts);
Result<RegisterFacts> ReadRegisterJson(std::string_view json);

// What is wrong with a certificate, each problem named by its kind:
//   "altered"       the JSON is not what the office signed (or the signature is damaged)
//   "untrusted"     the signer does not chain to the trust anchor given
//   "expired"       past its validity at the time of the check
//   "not yet valid" before its issue
//   "revoked"       the register lists it revoked (with the reason)
//   "unregistered"  the register does not list it
//   "register"      the register itself is altered or untrusted (so revocation is not known)
//   "pdf altered"   the PDF is not the one the certificate names
struct CertificateProblem {
  std::string kind, detail;
};
struct CertificateCheck {
  std::optional<CertificateFacts> facts;  // when the JSON reads as a certificate
  std::optional<signing::DetachedSigner> signer;
  std::vector<CertificateProblem> problems;  // empty: valid
  std::optional<Millis> register_generated;  // when a register was checked
};
struct RegisterCopy {
  std::string json, signature;
};
// Checks `json` and its `signature` against `trust_pem` at `now`; with `register_copy`, whether
// it is listed and not revoked; with `pdf`, that it is the certificate's PDF. Error only for
// `trust_pem` that does not parse ("signing.key").
Result<CertificateCheck> VerifyCertificate(std::string_view json, std::string_view signature,
                                           std::string_view trust_pem, Millis now,
                                           const std::optional<RegisterCopy>& register_copy,
                                           const std::optional<std::string>& pdf);

}  // namespace vxp::service

#endif  // VXP_SERVICE_CERTIFICATE_H_
