// Throughput of `vxpkit validate`'s pipeline (load + parse + schema + rules) on 10 KB, 1 MB and
// 20 MB packages, next to libxml2's bare parse of the same bytes measured in the same run, and
// the peak memory of validating a 100 MiB package, unsigned and signed. A program, not a test: it
// prints figures and asserts nothing about time.
//   build/bench/validate_bench [--quick]
#include <libxml/parser.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>

#include "bench/bench_util.h"
#include "core/edxml/parse.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "core/edxml/validate.h"
#include "core/signing/envelope.h"
#include "core/signing/test_pki.h"
#include "core/signing/verify.h"
#include "tests/support/data_files.h"

namespace {

using vxp::bench::Clock;
using vxp::bench::Package;
using vxp::bench::TimeIt;

long StatusKb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const double budget = quick ? 0.2 : 1.5;
  vxp::edxml::ValidateOptions options;
  options.rules.today = vxp::Date{2026, 11, 21};

  std::printf("%-8s %14s %14s %14s %14s %10s\n", "package", "libxml2 MB/s", "load MB/s",
              "parse MB/s", "validate MB/s", "ratio");
  for (size_t size : {size_t{10} << 10, size_t{1} << 20, size_t{20} << 20}) {
    std::string bytes = Package(size);
    const double mb = static_cast<double>(bytes.size()) / 1e6;
    double bare = TimeIt(
        [&] {
          xmlDocPtr d = xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "p.xml",
                                      nullptr, XML_PARSE_HUGE | XML_PARSE_NONET);
          xmlFreeDoc(d);
        },
        budget);
    double load = TimeIt([&] { (void)vxp::edxml::LoadXml(bytes); }, budget);
    double parse = TimeIt([&] { (void)vxp::edxml::ParsePackage(bytes); }, budget);
    double full = TimeIt(
        [&] {
          auto j = vxp::edxml::Validate(bytes, options);
          if (j.verdict != vxp::Verdict::kPass) std::abort();  // the bench must judge a PASS
        },
        budget);
    std::printf("%-8s %14.0f %14.0f %14.0f %14.0f %9.2fx\n", vxp::bench::SizeLabel(size).c_str(),
                mb / bare, mb / load, mb / parse, mb / full, bare / full);
  }
  std::printf("ratio = vxpkit validate throughput / libxml2 bare parse throughput (same bytes)\n");

  // Peak memory for a 100 MiB package (the default limit), relative to the package's size.
  std::string big = Package(size_t{100} << 20);
  big.shrink_to_fit();
  options.limits.max_bytes = big.size();
  std::ofstream("/proc/self/clear_refs") << "5";  // reset the peak-RSS mark
  long before = StatusKb("VmRSS:");
  auto t0 = Clock::now();
  auto j = vxp::edxml::Validate(big, options);
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  long peak = StatusKb("VmHWM:");
  std::printf(
      "100 MiB package: verdict %s in %.2f s; peak memory above the input %.0f MiB = "
      "%.1fx the package size\n",
      std::string(vxp::ToString(j.verdict)).c_str(), secs, (peak - before) / 1024.0,
      (peak - before) * 1024.0 / static_cast<double>(big.size()));

  // The same package signed, judged as `vxpkit validate` judges it (schema, rules and the
  // envelope signature over the one parsed tree).
  auto keys = vxp::testing::SlurpDirectory(std::string(VXP_SOURCE_DIR) + "/vectors/keys");
  auto credential = *vxp::signing::test_pki::CredentialFor(keys, "agency-g22");
  big = std::string();
  // 99 MiB, so that the signed package stays under the signer's 100 MiB limit.
  auto signed_result = vxp::signing::SignEnvelope(Package(size_t{99} << 20), credential);
  if (!signed_result) {
    std::printf("cannot sign the package: %s\n", signed_result.error().message.c_str());
    return 1;
  }
  std::string signed_big = std::move(*signed_result);
  signed_big.shrink_to_fit();
  options.limits.max_bytes = signed_big.size();
  vxp::signing::SignaturePolicy policy;
  policy.verify.at = *vxp::signing::ParseTime(vxp::signing::test_pki::kPinnedTime);
  std::ofstream("/proc/self/clear_refs") << "5";
  before = StatusKb("VmRSS:");
  t0 = Clock::now();
  auto sj = vxp::signing::Judge(signed_big, options, policy);
  secs = std::chrono::duration<double>(Clock::now() - t0).count();
  peak = StatusKb("VmHWM:");
  if (sj.verdict != vxp::Verdict::kPass && !sj.findings.empty()) {
    std::printf("  %s\n", sj.findings.front().message.c_str());
  }
  std::printf(
      "99 MiB signed package: verdict %s in %.2f s; peak memory above the input %.0f MiB = "
      "%.1fx the package size\n",
      std::string(vxp::ToString(sj.verdict)).c_str(), secs, (peak - before) / 1024.0,
      (peak - before) * 1024.0 / static_cast<double>(signed_big.size()));
  return 0;
}
