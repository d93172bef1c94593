// Comparing two runs of a system, on the committed result fixture and an edited copy of it.
#include "service/runs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "results/json.h"

namespace vxp::service {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CompareRuns, NewlyFailingFirstThenNewlyPassingThenTheRest) {
  const fs::path fixture = fs::path(VXP_SOURCE_DIR) / "tests/reports/fixture/result.json";
  fs::path dir = fs::temp_directory_path() / ("vxp-compare-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "before");
  fs::create_directories(dir / "after");
  fs::copy_file(fixture, dir / "before/result.json");
  auto run = results::ReadRunRecord(Slurp(fixture));
  ASSERT_TRUE(run) << run.error().message;
  // The fixture: INBOUND-VALID PASS, SIGNATURE-PDF-EXPIRED FAIL, FLOW-REPEAT PASS, …
  for (auto& s : run->scenarios) {
    if (s.id == "FLOW-REPEAT") s.verdict = Verdict::kFail;            // newly failing
    if (s.id == "SIGNATURE-PDF-EXPIRED") s.verdict = Verdict::kPass;  // newly passing
  }
  std::erase_if(run->scenarios, [](const auto& s) { return s.id == "LIFECYCLE-REASON"; });
  results::ScenarioRecord added = run->scenarios.front();
  added.id = "HUB-SLOW";
  run->scenarios.push_back(added);
  std::ofstream(dir / "after/result.json") << results::ToJson(*run);

  auto changes = CompareRuns((dir / "before").string(), (dir / "after").string());
  ASSERT_TRUE(changes) << changes.error().message;
  std::map<std::string, std::string> by_id;
  for (const ScenarioChange& c : *changes) by_id[c.id] = c.change;
  EXPECT_EQ(changes->front().id, "FLOW-REPEAT");
  EXPECT_EQ(by_id["FLOW-REPEAT"], "newly failing");
  EXPECT_EQ((*changes)[1].id, "SIGNATURE-PDF-EXPIRED");
  EXPECT_EQ(by_id["SIGNATURE-PDF-EXPIRED"], "newly passing");
  EXPECT_EQ(by_id["LIFECYCLE-REASON"], "only before");
  EXPECT_EQ(by_id["HUB-SLOW"], "only after");
  EXPECT_EQ(by_id["INBOUND-VALID"], "unchanged");
  EXPECT_EQ(by_id.size(), run->scenarios.size() + 1);

  auto missing = CompareRuns((dir / "before").string(), (dir / "nowhere").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "report.input");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vxp::service
