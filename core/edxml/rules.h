// The package rule engine: every check of edxml.md §2-§6 and §8 that can be judged on one package,
// each a rule with a stable ID, a level and the clause it comes from. Pure functions over the
// model; "today" is passed in. Thread-safe.
#ifndef VXP_CORE_EDXML_RULES_H_
#define VXP_CORE_EDXML_RULES_H_

#include <optional>
#include <span>
#include <vector>

#include "core/common/datetime.h"
#include "core/common/finding.h"
#include "core/edxml/model.h"
#include "core/edxml/xml_doc.h"

namespace vxp::edxml {

struct RuleOptions {
  Strictness strictness = Strictness::kStrict;
  // Agency identifiers the sender wrote (From, To, ResponseFor, Bussiness, the first
  // TraceHeader) are judged in this mode when set, else in `strictness`.
  std::optional<Strictness> identifiers;
  // TraceHeaders after the first are appended by hubs on relay, not written by the sender
  // (edxml.md §3); when true their identifiers are judged leniently whatever the mode.
  bool relay_traces_lenient = false;
  // The date against which "not in the future" is judged; nullopt skips that rule. The CLI passes
  // the local date (or --today), so runs are reproducible.
  std::optional<Date> today;
  // SteeringType range, edxml.md §2 decision: public sources disagree between 0-2 and 1-3.
  int steering_min = 0;
  int steering_max = 3;
};

// Every rule the engine can report, for docs/rules.md and `vxpkit rules`.
std::span<const RuleInfo> PackageRules();

// Judges `package`. When `xml` is given (the tree the package was parsed from), findings carry
// source lines. Returns no findings for a conforming package.
std::vector<Finding> CheckRules(const Package& package, const RuleOptions& options,
                                const XmlDoc* xml = nullptr);

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_RULES_H_
