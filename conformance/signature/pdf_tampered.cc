// SIGNATURE-PDF-TAMPERED: a PDF whose signed bytes were changed is rejected (edxml.md §7 (1)).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario SignaturePdfTampered() {
  return {
      .id = "SIGNATURE-PDF-TAMPERED",
      .title = "A PDF changed after signing is rejected",
      .category = "signature",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-SIGNATURE", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document whose signed PDF had its page text changed after signing "
          "(inside the signed byte range). The SUT must answer 02 with a reason, never 03.",
      .run =
          [](Context& ctx) {
            std::string pdf = PdfSignedBy(ctx, "agency-g22", {"vxpkit test document"});
            size_t at = pdf.find("vxpkit test document");
            if (pdf.empty() || at == std::string::npos) {
              if (!pdf.empty()) ctx.Error("the test PDF does not show its text uncompressed");
              return;
            }
            pdf.replace(at, 20, "vxpkit TEST document");
            ExpectPdfRejected(ctx, "tampered-pdf.xml", pdf, "DSIG-PDF-DIGEST");
          },
  };
}

}  // namespace vxp::conformance
