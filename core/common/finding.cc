#include "core/common/finding.h"

#include <algorithm>

namespace vxp {

Finding MakeFinding(const RuleInfo& rule, Location location, std::string message,
                    std::string expected, std::string actual, Strictness strictness) {
  Verdict verdict = Verdict::kPass;
  switch (rule.level) {
    case Level::kMust:
      verdict = (strictness == Strictness::kLenient && rule.lenient_warns) ? Verdict::kWarn
                                                                           : Verdict::kFail;
      break;
    case Level::kShould:
      verdict = Verdict::kWarn;
      break;
    case Level::kMay:
      verdict = Verdict::kPass;
      break;
  }
  return Finding{std::string(rule.id), rule.level,        verdict,           std::move(location),
                 std::move(expected),  std::move(actual), std::move(message)};
}

Verdict Worst(std::span<const Finding> findings) {
  Verdict worst = Verdict::kPass;
  for (const Finding& f : findings) worst = std::max(worst, f.verdict);
  return worst;
}

bool HasRule(std::span<const Finding> findings, std::string_view rule_id) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.rule_id == rule_id; });
}

const Finding* FirstFailure(std::span<const Finding> findings) {
  auto it = std::find_if(findings.begin(), findings.end(),
                         [](const Finding& f) { return f.verdict == Verdict::kFail; });
  return it == findings.end() ? nullptr : &*it;
}

std::string_view ToString(Level level) {
  switch (level) {
    case Level::kMust:
      return "MUST";
    case Level::kShould:
      return "SHOULD";
    case Level::kMay:
      return "MAY";
  }
  return "?";
}

std::string_view ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kWarn:
      return "WARN";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kSkip:
      return "SKIP";
    case Verdict::kInconclusive:
      return "INCONCLUSIVE";
    case Verdict::kError:
      return "ERROR";
    case Verdict::kNotRun:
      return "NOT RUN";
    case Verdict::kIncomplete:
      return "INCOMPLETE";
  }
  return "?";
}

}  // namespace vxp
