// The signed-PDF profile (edxml.md §7 (1)): a CMS (PKCS#7) detached signature over the PDF's
// /ByteRange, SubFilter adbe.pkcs7.detached or ETSI.CAdES.detached, the signer an agency
// certificate chaining to the Government CA.
//
// Signing adds a signature field with qpdf and fills /ByteRange and /Contents; verification reads
// the raw bytes (no PDF rendering, nothing executed) so that a truncated or appended file is
// judged exactly as received. Pure functions; thread-safe.
#ifndef VXP_CORE_SIGNING_PDF_H_
#define VXP_CORE_SIGNING_PDF_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/finding.h"
#include "core/common/result.h"
#include "core/signing/envelope.h"
#include "core/signing/test_pki.h"
#include "core/signing/trust.h"

namespace vxp::signing {

// A small but real one-page PDF (Helvetica text, one line per element of `lines`, ASCII),
// unsigned. Deterministic.
std::string MakeTestPdf(const std::vector<std::string>& lines);

struct PdfSignOptions {
  std::int64_t signing_time = 0;  // CMS signingTime attribute and /M, seconds since the epoch
  DigestAlg digest = DigestAlg::kSha256;
  std::string sub_filter = "adbe.pkcs7.detached";
  size_t contents_bytes = 8192;  // room reserved for the CMS (hex doubles it)
  // Vectors only: PEM certificate embedded in the CMS instead of the signer's own.
  std::string embed_instead_of_signer;
};

// Signs `pdf` (any PDF qpdf can read; the first page gets an invisible signature widget): the
// output is the file rewritten by qpdf with the signature dictionary filled in. Errors:
// "signing.input" (qpdf cannot read it, or it has no page), "signing.key", "signing.cms" (OpenSSL
// failed or the CMS does not fit the reserved room).
Result<std::string> SignPdf(std::string_view pdf, const Credential& credential,
                            const PdfSignOptions& options);

// One signature dictionary found in the raw bytes.
struct PdfSignatureField {
  size_t offset = 0;            // byte offset of its "/ByteRange"
  bool range_readable = false;  // /ByteRange [a b c d] parsed
  std::uint64_t range[4] = {};
  std::string sub_filter;     // "" when absent
  size_t contents_begin = 0;  // offset of '<' of /Contents, when the range locates it
  size_t contents_end = 0;    // one past '>'
};

// Every /ByteRange in the file, in file order. Never fails; a file without any is unsigned.
std::vector<PdfSignatureField> FindPdfSignatures(std::string_view pdf);

struct PdfVerification {
  bool present = false;           // at least one signature dictionary
  std::vector<Finding> findings;  // DSIG-PDF-*
  std::string signer;             // subject of the last signature's signer, when found
  std::int64_t signing_time = 0;  // of the last signature; 0 when absent
};

// Verifies every signature of `pdf`: /ByteRange coverage (the last one must cover the whole file
// except /Contents), SubFilter, the CMS structure, message digest, signature value, then the
// signer's chain, validity, revocation and key usage at the CMS signing time (or options.at when
// absent or later than it). `where` prefixes the locations (e.g. an attachment's XPath).
PdfVerification VerifyPdf(std::string_view pdf, const VerifyOptions& options,
                          std::string_view where = "");

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_PDF_H_
