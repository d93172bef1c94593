// Fuzz target for the report writers, which read bytes nobody vouches for: a result.json that may
// have been edited (results::ReadRunRecord, CheckManifest) and evidence files holding whatever the
// SUT sent (the pretty printers and the HTML evidence viewer). Any crash, hang or sanitizer report
// is a bug; so is HTML in which the input's markup survives unescaped.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "reports/html.h"
#include "reports/manifest.h"
#include "reports/pretty.h"
#include "reports/report.h"
#include "results/json.h"

namespace {

// The smallest result with one scenario, for rendering the input as its evidence.
constexpr std::string_view kResult = R"({"schema":"vxpkit-result/1","suite":{"version":"0"},
"run":{"started":"2026-11-20T10:00:00.000Z","finished":"2026-11-20T10:00:01.000Z","duration_ms":0,"seed":1,"strict":false,"replay":"r",
"profile":{"name":"demo","description":"","deadlines_ms":{}}},
"sut":{"system_id":"s","agencies":[],"driver":"","control":"none","outbound":false,
"hub_url":"","peers":[]},
"outcome":{"verdict":"FAIL","exit_code":1,"error":"","aborted":null,"final_sanity":null},
"scenarios":[{"id":"X","title":"t","category":"inbound","level":"MUST","description":"",
"verdict":"FAIL","reason":"","requirements":["R"],"expected_failure":false,
"unexpected_pass":false,"expected_failure_reason":"","started":"2026-11-20T10:00:00.000Z","duration_ms":0,
"findings":[],"steps":[],"evidence":{"dir":"evidence/X/","exchanges":"evidence/X/exchanges.json",
"sent":[]},"replay":"r"}],"requirements":[]})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto report = vxp::results::ReadRunRecord(bytes)) {
    vxp::reports::Html(*report, {});
    vxp::reports::JunitXml(*report);
    vxp::reports::ReportJson(*report);
  }
  (void)vxp::reports::CheckManifest(bytes, {{"result.json", std::string(bytes)}});
  vxp::reports::PrettyBody(bytes, 4096);
  static const vxp::results::RunRecord base = *vxp::results::ReadRunRecord(kResult);
  std::string input(bytes);
  std::string html = vxp::reports::Html(
      base, {{"evidence/X/exchanges.json", input}, {"evidence/X/received/1-edoc.xml", input}});
  if (html.find("<fuzz-marker") != std::string::npos) std::abort();  // markup got through
  return 0;
}
