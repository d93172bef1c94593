// INBOUND-LEGACY-FORMAT: a package in the pre-2016 SOAP "e-doc" form is not a QCVN 102:2016
// document (edxml.md §1, §9); it must be refused, never accepted.
#include "conformance/common.h"

namespace vxp::conformance {

Scenario InboundLegacyFormat() {
  return {
      .id = "INBOUND-LEGACY-FORMAT",
      .title = "A package in the legacy SOAP e-doc format is refused, never accepted",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-UNREADABLE", "API-ACK", "API-FETCH"},
      .description =
          "A legacy SOAP-envelope e-doc package (namespace http://www.e-doc.vn/Schema/) reaches "
          "the SUT (placed in its queue). The SUT must acknowledge it 'fail', or answer 02 with "
          "a reason; never 03, and never 'done' with no answer.",
      .run =
          [](Context& ctx) {
            std::string bytes =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
                "  <SOAP-ENV:Header>\n"
                "    <edXML:MessageHeader xmlns:edXML=\"http://www.e-doc.vn/Schema/\">\n"
                "      <edXML:From><edXML:OrganId>" +
                ctx.peer() +
                "</edXML:OrganId></edXML:From>\n"
                "      <edXML:To><edXML:OrganId>" +
                ctx.sut_agency() +
                "</edXML:OrganId></edXML:To>\n"
                "      <edXML:Subject>Van ban theo dinh dang cu</edXML:Subject>\n"
                "      <edXML:PromulgationDate>20/11/2015</edXML:PromulgationDate>\n"
                "    </edXML:MessageHeader>\n"
                "  </SOAP-ENV:Header>\n"
                "  <SOAP-ENV:Body/>\n"
                "</SOAP-ENV:Envelope>\n";
            ExpectUnreadable(ctx, "legacy-edoc.xml", bytes);
          },
  };
}

}  // namespace vxp::conformance
