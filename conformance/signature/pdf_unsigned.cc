// SIGNATURE-PDF-UNSIGNED: a document whose PDF is not signed is rejected (edxml.md §7 (1)).
#include "conformance/common.h"
#include "core/signing/pdf.h"

namespace vxp::conformance {

Scenario SignaturePdfUnsigned() {
  return {
      .id = "SIGNATURE-PDF-UNSIGNED",
      .title = "A document whose PDF carries no signature is rejected",
      .category = "signature",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-SIGNATURE", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document whose PDF attachment is not signed at all: it has no legal "
          "effect (Decision 28/2018/QĐ-TTg art. 9). The SUT must answer 02 with a reason, never "
          "03.",
      .run =
          [](Context& ctx) {
            ExpectPdfRejected(ctx, "unsigned-pdf.xml",
                              signing::MakeTestPdf({"vxpkit test document"}), "DSIG-PDF-UNSIGNED");
          },
  };
}

}  // namespace vxp::conformance
