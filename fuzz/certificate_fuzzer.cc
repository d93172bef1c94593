// Fuzz target for what `vxpkit verify-certificate` reads from files anyone may hand it: a
// certificate's JSON, a register's JSON and their CMS signatures (service/certificate.h). Any
// crash, hang or sanitizer report is a bug; so is a certificate that does not read back as it
// was written, or a PDF that cairo and pango cannot draw from facts that read (with a URL that
// fits a QR code).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "service/certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto facts = vxp::service::ReadCertificateJson(bytes)) {
    const std::string written = vxp::service::CertificateJson(*facts);
    auto again = vxp::service::ReadCertificateJson(written);
    if (!again || vxp::service::CertificateJson(*again) != written) std::abort();
    // Any facts draw, but a verification URL too long for a QR code (libqrencode says so).
    if (size < 8192 && facts->verify_url.size() <= 1000 && !vxp::service::CertificatePdf(*facts)) {
      std::abort();
    }
  }
  if (auto reg = vxp::service::ReadRegisterJson(bytes)) {
    const std::string written = vxp::service::RegisterJson(*reg);
    auto again = vxp::service::ReadRegisterJson(written);
    if (!again || vxp::service::RegisterJson(*again) != written) std::abort();
  }
  // The input as a certificate, as its signature, and as the register beside them.
  (void)vxp::service::VerifyCertificate(
      bytes, bytes, "", 0, vxp::service::RegisterCopy{std::string(bytes), std::string(bytes)},
      std::string(bytes));
  return 0;
}
