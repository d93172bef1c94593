// SIGNATURE-ENVELOPE-INVALID: a package whose envelope signature no longer verifies is rejected
// (edxml.md §7 (2)).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario SignatureEnvelopeInvalid() {
  return {
      .id = "SIGNATURE-ENVELOPE-INVALID",
      .title = "A package changed after its envelope was signed is rejected",
      .category = "signature",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-SIGNATURE", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document signed as a whole whose Subject was changed after signing (the "
          "digest no longer matches). The SUT must answer 02 with a reason, never 03.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            std::string bytes = SignedEnvelope(ctx, p);
            const std::string subject = p.document()->subject;
            size_t at = bytes.find(subject);
            if (bytes.empty() || at == std::string::npos) {
              if (!bytes.empty()) ctx.Error("the signed package does not contain its Subject");
              return;
            }
            bytes.replace(at, subject.size(), subject + " (đã sửa)");
            ExpectRejected(ctx, "envelope-altered.xml", bytes, p.document()->document_id,
                           "DSIG-ENV-DIGEST", "RECV-REJECT-SIGNATURE");
          },
  };
}

}  // namespace vxp::conformance
