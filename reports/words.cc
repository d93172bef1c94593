#include "reports/words.h"

#include <vector>

#include "core/lifecycle/lifecycle.h"
#include "core/signing/verify.h"

namespace vxp::reports {

std::string Words::Category(std::string_view name) const {
  const auto& messages = i18n::Messages(lang);
  auto it = messages.find("category." + std::string(name));
  return it == messages.end() ? std::string(name) : it->second;
}

std::string Words::RuleGloss(const results::RunRecord& run, std::string_view id) const {
  if (lang == i18n::Lang::kEn) return "";
  static const std::vector<RuleInfo> rules = [] {
    std::vector<RuleInfo> all = signing::AllRulesWithSignatures();
    for (const RuleInfo& r : lifecycle::rules::kAll) all.push_back(r);
    return all;
  }();
  for (const RuleInfo& r : rules) {
    if (r.id != id) continue;
    std::string text = i18n::Translate(lang, i18n::RuleKey(id), r.summary);
    return text == r.summary ? "" : text;
  }
  for (const results::RequirementRecord& q : run.requirements) {
    if (q.id != id) continue;
    std::string text = Summary(q);
    return text == q.summary ? "" : text;
  }
  return "";
}

}  // namespace vxp::reports
