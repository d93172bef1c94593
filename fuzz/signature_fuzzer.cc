// Fuzz target for the signature verifiers, which read untrusted bytes twice over: the PDF
// signature scanner (/ByteRange, /Contents hex, SubFilter), DER CMS decoding, and the envelope
// path (pugixml structure checks, then libxml2 + xmlsec over the same bytes) — through
// VerifyFile, exactly as `vxpkit verify` calls them. Any crash, hang or sanitizer report is a bug;
// so is a PDF verdict that claims a signature without a /ByteRange.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/signing/pdf.h"
#include "core/signing/test_pki.h"
#include "core/signing/trust.h"
#include "core/signing/verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const std::int64_t at = *vxp::signing::ParseTime(vxp::signing::test_pki::kPinnedTime);
  vxp::signing::SignaturePolicy policy{vxp::signing::VerifyOptions{nullptr, at}, true};
  vxp::signing::FileVerification v = vxp::signing::VerifyFile(bytes, policy);
  if (v.kind == "pdf" && v.check.any_signature && vxp::signing::FindPdfSignatures(bytes).empty()) {
    std::abort();
  }
  return 0;
}
