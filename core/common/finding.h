// Findings: how a conformance result is expressed everywhere in vxpkit.
//
// A vendor's non-conformance is data, not an error: every check produces Finding values that name
// a stable rule ID, the rule's level, the verdict it earns, where it was found, what was expected
// and what was found. Harness faults (bad configuration, I/O) are errors (see result.h), never
// findings. All types here are plain values, safe to copy and to share between threads.
#ifndef VXP_CORE_COMMON_FINDING_H_
#define VXP_CORE_COMMON_FINDING_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vxp {

// The strength of a requirement (RFC 2119 terms, as the spec uses them).
enum class Level { kMust, kShould, kMay };

// Graded verdicts of ARCHITECTURE.md: PASS, WARN (SHOULD broken), FAIL (MUST broken), SKIP,
// INCONCLUSIVE (the harness could not decide), ERROR (harness fault). Ordered by severity for
// Worst(), with SKIP ranked below PASS so that a skipped check never hides a pass.
// kNotRun and kIncomplete are never a finding's: a scenario the run did not get to (or that was
// cut short) because the run was interrupted, and the verdict of such a run.
enum class Verdict { kSkip, kPass, kWarn, kFail, kInconclusive, kError, kNotRun, kIncomplete };

// Whether agency identifiers and other legacy-tolerant checks are judged strictly
// (certification: MUST rules fail) or leniently (interop: legacy forms warn). edxml.md §5.
enum class Strictness { kStrict, kLenient };

// The permanent description of one rule. IDs are never renumbered; a retired rule keeps its ID.
struct RuleInfo {
  std::string_view id;      // e.g. "EDXML-HDR-1.4-DATE"
  Level level;              // level of the requirement
  std::string_view clause;  // where it comes from, normative source first: "QCVN 102:2016/BTTTT §2
                            // (1.4)", "Decision 28/2018/QĐ-TTg art. 9", "observed: live hub"
  std::string_view summary;  // one sentence: what a conforming package does
  std::string_view example;  // a short example of a violation
  // When true, the rule is judged as a warning in lenient mode (edxml.md §5 decision).
  bool lenient_warns = false;
};

// Where a finding was made: an XPath by local names (e.g.
// "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[2]/OrganId") or a header name, and the
// 1-based line in the judged bytes when known (0 = unknown).
struct Location {
  std::string path;
  int line = 0;
};

struct Finding {
  std::string rule_id;
  Level level = Level::kMust;
  Verdict verdict = Verdict::kFail;
  Location location;
  std::string expected;
  std::string actual;
  std::string message;  // plain language: what was expected and what was found
};

// Builds a finding for `rule`: its verdict is FAIL for MUST, WARN for SHOULD and PASS for MAY
// (a MAY finding is a note); in lenient mode a rule marked lenient_warns earns WARN instead of
// FAIL.
Finding MakeFinding(const RuleInfo& rule, Location location, std::string message,
                    std::string expected = {}, std::string actual = {},
                    Strictness strictness = Strictness::kStrict);

// The most severe verdict among the findings; PASS when there are none.
Verdict Worst(std::span<const Finding> findings);

// Whether any finding has the given rule ID.
bool HasRule(std::span<const Finding> findings, std::string_view rule_id);

// The first FAIL finding (what a rejection names as its reason), or nullptr when none failed.
const Finding* FirstFailure(std::span<const Finding> findings);

std::string_view ToString(Level level);      // "MUST", "SHOULD", "MAY"
std::string_view ToString(Verdict verdict);  // "PASS", "WARN", "FAIL", "SKIP", ...

}  // namespace vxp

#endif  // VXP_CORE_COMMON_FINDING_H_
