// INBOUND-PROD-ZIPPED-PDF: a valid document whose signed PDF the hub zipped is accepted
// (production-shaped inbound; hub-api.md §5). A SUT that rejects what production delivers fails,
// naming the shape.
#include "conformance/common.h"

namespace vxp::conformance {

Scenario ProdZippedPdf() {
  return {
      .id = "INBOUND-PROD-ZIPPED-PDF",
      .title = "A valid document whose signed PDF the hub zipped is accepted",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-PRODUCTION-SHAPES", "API-FETCH", "RECV-01-AT-ONCE",
                       "RECV-ACCEPT-VALID"},
      .description =
          "A peer's valid document reaches the SUT with its signed PDF inside a one-entry "
          "ZIP (application/zip), as the live hub may deliver it (observed: live hub; the "
          "VNPT library zips other types). The SUT must open the ZIP, verify the PDF inside "
          "and accept the document (01, then 03).",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            ExpectProductionShapeAccepted(ctx, "zipped-pdf.xml", p, {.zip_pdf = true});
          },
  };
}

}  // namespace vxp::conformance
