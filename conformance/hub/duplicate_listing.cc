// HUB-DUPLICATE-LISTING: an item listed twice is handled once (hub-api.md §4; edxml.md §8.6).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario HubDuplicateListing() {
  return {
      .id = "HUB-DUPLICATE-LISTING",
      .title = "The SUT registers once an item the hub lists twice",
      .category = "hub",
      .claims = {"receive"},
      .requirements = {"API-RETRY", "RECV-REPEAT-ONCE"},
      .description =
          "The hub lists each pending item twice (as a hub retrying after a timeout may). The SUT "
          "must answer the document 01 and 03 once.",
      .run =
          [](Context& ctx) {
            const std::string system = ctx.world().sut.system_id;
            ExpectAnsweredOnceDespite(
                ctx, {"duplicate,op=getReceivedEdocList,system=" + system + ",times=5"},
                "RECV-REPEAT-ONCE");
          },
  };
}

}  // namespace vxp::conformance
