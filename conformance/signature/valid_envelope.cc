// SIGNATURE-VALID-ENVELOPE: a package with a valid XML-DSig envelope signature is accepted
// (edxml.md §7 (2)).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario SignatureValidEnvelope() {
  return {
      .id = "SIGNATURE-VALID-ENVELOPE",
      .title = "A document with a valid envelope signature is accepted",
      .category = "signature",
      .claims = {"receive"},
      .requirements = {"RECV-ACCEPT-VALID", "RECV-VERIFY-SIGNATURE", "API-FETCH",
                       "RECV-01-AT-ONCE"},
      .description =
          "A peer sends a document signed as a whole (XML-DSig over the package, RSA-SHA256, "
          "exclusive C14N) whose PDF is signed too. The SUT must accept it (03).",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            std::string bytes = SignedEnvelope(ctx, p);
            if (!bytes.empty()) ExpectAccepted(ctx, "signed-envelope.xml", p, bytes);
          },
  };
}

}  // namespace vxp::conformance
