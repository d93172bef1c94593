// The reports' words in the run's language (i18n/catalog.h): the page's own text, verdict and
// level names, and the run's content — scenario titles and descriptions, requirement and rule
// summaries, category names — translated where the catalogue translates them. What the harness
// wrote during the run (findings' messages, reasons, steps) stays as written, in English; in
// Vietnamese each finding also gets the summary of its rule, so that a reader has the rule in
// Vietnamese beside the detail.
#ifndef VXP_REPORTS_WORDS_H_
#define VXP_REPORTS_WORDS_H_

#include <string>
#include <string_view>

#include "i18n/catalog.h"
#include "results/result_model.h"

namespace vxp::reports {

struct Words {
  i18n::Lang lang = i18n::kDefaultLang;

  std::string operator()(std::string_view key, const i18n::Args& args = {}) const {
    return i18n::Text(lang, key, args);
  }
  std::string Plural(std::string_view key, long long n, i18n::Args args = {}) const {
    return i18n::Plural(lang, key, n, std::move(args));
  }
  std::string Verdict(vxp::Verdict v) const { return i18n::VerdictName(lang, v); }
  std::string Level(vxp::Level l) const { return i18n::LevelName(lang, l); }
  std::string Title(const results::ScenarioRecord& s) const {
    return i18n::Translate(lang, i18n::ScenarioTitleKey(s.id), s.title);
  }
  std::string Description(const results::ScenarioRecord& s) const {
    return i18n::Translate(lang, i18n::ScenarioDescriptionKey(s.id), s.description);
  }
  std::string Summary(const results::RequirementRecord& q) const {
    return i18n::Translate(lang, i18n::RequirementKey(q.id), q.summary);
  }
  std::string ProfileDescription(const results::RunRecord& r) const {
    return i18n::Translate(lang, i18n::ProfileKey(r.profile), r.profile_description);
  }
  // The category's name ("category.inbound"), or `name` itself when the catalogue has none.
  std::string Category(std::string_view name) const;
  // In a language other than English: the translated summary of the rule `id` (core's rule
  // catalogues) or of the requirement `id` (the run's registry); "" in English, or when neither
  // is translated.
  std::string RuleGloss(const results::RunRecord& run, std::string_view id) const;
};

}  // namespace vxp::reports

#endif  // VXP_REPORTS_WORDS_H_
