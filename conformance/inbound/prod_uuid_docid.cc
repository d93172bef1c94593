// INBOUND-PROD-UUID-DOCID: a valid document whose DocumentId is a UUID is accepted
// (production-shaped inbound; hub-api.md §5). A SUT that rejects what production delivers fails,
// naming the shape.
#include <cstdio>
#include <functional>

#include "conformance/common.h"

namespace vxp::conformance {

Scenario ProdUuidDocId() {
  return {
      .id = "INBOUND-PROD-UUID-DOCID",
      .title = "A valid document whose DocumentId is a UUID is accepted",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-PRODUCTION-SHAPES", "API-FETCH", "RECV-01-AT-ONCE",
                       "RECV-ACCEPT-VALID"},
      .description =
          "A peer sends a valid document whose DocumentId is a UUID, as live traffic "
          "carries, not the composite IssuerOrganId,yyyy/MM/dd,Number/Notation form (QCVN "
          "102:2016/BTTTT §2 (1.14): the composite form is a SHOULD). The SUT must accept "
          "it (01, then 03) and answer about that DocumentId.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            // A UUID made from the run's seed and the composite id, so a replay sends the same.
            std::size_t h = std::hash<std::string>{}(p.document()->document_id);
            char uuid[40];
            std::snprintf(uuid, sizeof uuid, "%08zx-%04zx-4%03zx-8%03zx-%012zx", h & 0xffffffff,
                          (h >> 32) & 0xffff, (h >> 48) & 0xfff, (h >> 20) & 0xfff,
                          (h * 2654435761u) & 0xffffffffffff);
            p.document()->document_id = uuid;
            ExpectProductionShapeAccepted(ctx, "uuid-docid.xml", p, {}, "",
                                          std::string("a UUID DocumentId (") + uuid + ")");
          },
  };
}

}  // namespace vxp::conformance
