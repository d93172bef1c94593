// INBOUND-MISSING-ELEMENT: A document without a mandatory element is rejected with a reason
// (edxml.md; the rule EDXML-XSD).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario InboundMissingElement() {
  return {
      .id = "INBOUND-MISSING-ELEMENT",
      .title = "A document without a mandatory element is rejected with a reason",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-INVALID", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document whose MessageHeader has no Subject (mandatory in the schema). "
          "The SUT must answer 02 with a reason, never 03.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            std::string bytes = ctx.Bytes(p);
            size_t start = bytes.find("<edXML:Subject>");
            size_t end = bytes.find("</edXML:Subject>");
            if (start == std::string::npos || end == std::string::npos) {
              ctx.Error("the serialised document has no edXML:Subject to remove");
              return;
            }
            bytes.erase(start, end + std::string_view("</edXML:Subject>").size() - start);
            ExpectRejected(ctx, "missing-subject.xml", bytes, p.document()->document_id,
                           "EDXML-XSD", "RECV-REJECT-INVALID");
          },
  };
}

}  // namespace vxp::conformance
