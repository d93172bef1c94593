// Every scenario title and description, requirement summary, rule summary and profile description
// has its translation in each language's catalogue (i18n/messages.<lang>.json), made from the
// English text as it is today, and the catalogue translates nothing that no longer exists.
// With VXP_I18N_MISSING=FILE the missing entries are also written to FILE as JSON, ready to
// translate and paste into "translations".
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <map>

#include "conformance/common.h"
#include "core/lifecycle/lifecycle.h"
#include "core/signing/verify.h"
#include "harness/profile.h"
#include "i18n/catalog.h"

namespace vxp::conformance {
namespace {

// Every translatable text of the suite: key -> its English.
std::map<std::string, std::string> EnglishTexts() {
  std::map<std::string, std::string> out;
  for (const Scenario& s : Catalogue()) {
    out[i18n::ScenarioTitleKey(s.id)] = s.title;
    out[i18n::ScenarioDescriptionKey(s.id)] = s.description;
  }
  for (const harness::Requirement& q : Requirements()) out[i18n::RequirementKey(q.id)] = q.summary;
  for (const RuleInfo& r : signing::AllRulesWithSignatures()) {
    out[i18n::RuleKey(r.id)] = std::string(r.summary);
  }
  for (const RuleInfo& r : lifecycle::rules::kAll)
    out[i18n::RuleKey(r.id)] = std::string(r.summary);
  for (const harness::RunProfile& p : harness::RunProfiles()) {
    out[i18n::ProfileKey(p.name)] = p.description;
  }
  return out;
}

TEST(Translations, EveryTextIsTranslatedFromTodaysEnglish) {
  const auto& translations = i18n::Translations(i18n::Lang::kVi);
  boost::json::object missing;
  std::string stale;
  for (const auto& [key, english] : EnglishTexts()) {
    auto it = translations.find(key);
    if (it == translations.end()) {
      missing[key] = boost::json::object{{"en", english}, {"vi", ""}};
    } else if (it->second.en != english) {
      stale +=
          "\n  " + key + ": translated from \"" + it->second.en + "\", now \"" + english + "\"";
      missing[key] = boost::json::object{{"en", english}, {"vi", it->second.translated}};
    }
  }
  if (const char* path = std::getenv("VXP_I18N_MISSING"); path != nullptr && !missing.empty()) {
    std::ofstream(path) << boost::json::serialize(missing) << "\n";
  }
  EXPECT_EQ(stale, "") << "the English changed since these were translated";
  std::string keys;
  for (const auto& [key, unused] : missing) keys += " " + std::string(key);
  EXPECT_EQ(keys, "") << "not translated into Vietnamese (VXP_I18N_MISSING=FILE writes them)";
}

TEST(Translations, NothingIsTranslatedThatNoLongerExists) {
  const std::map<std::string, std::string> texts = EnglishTexts();
  for (const auto& [key, unused] : i18n::Translations(i18n::Lang::kVi)) {
    EXPECT_TRUE(texts.count(key) > 0) << key << " translates a text vxpkit no longer has";
  }
}

TEST(Translations, EveryCategoryHasAName) {
  for (const Scenario& s : Catalogue()) {
    for (i18n::Lang lang : {i18n::Lang::kEn, i18n::Lang::kVi}) {
      EXPECT_TRUE(i18n::Messages(lang).count("category." + s.category) > 0)
          << s.id << ": category \"" << s.category << "\" has no name in " << i18n::Code(lang);
    }
  }
}

}  // namespace
}  // namespace vxp::conformance
