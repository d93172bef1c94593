// The words vxpkit shows people, in each language it speaks: one message catalogue per language,
// i18n/messages.<lang>.json, compiled in. The reports (index.html, JUnit messages), the terminal
// summary and the conformance service all take their text from here.
//
// Two kinds of entry:
//   messages      the text of the program itself ("verdict.PASS", "html.summary"), one catalogue
//                 per language with the same keys and the same {placeholders} in each;
//   translations  text whose English lives with what it describes — a scenario's title and
//                 description (conformance/), a requirement's summary (requirements.csv), a rule's
//                 summary (core/) — kept as {"en": the English translated, "vi": its translation}.
//                 A translation is used only while its "en" is the English it translates, so a
//                 changed English text reads in English until it is translated again, never as the
//                 translation of something else (a test lists what needs translating).
// Pure: no I/O; the catalogues are parsed once, on first use, and never change.
#ifndef VXP_I18N_CATALOG_H_
#define VXP_I18N_CATALOG_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/finding.h"

namespace vxp::i18n {

enum class Lang { kEn, kVi };

// The documented default of every --lang option.
inline constexpr Lang kDefaultLang = Lang::kEn;

// "en", "vi".
std::string_view Code(Lang lang);
// The language of `code` ("en", "vi", any case), or nullopt.
std::optional<Lang> ParseLang(std::string_view code);
// "en|vi", for help texts and usage errors.
std::string LangChoices();

// Values of a message's {placeholders}, by name.
using Args = std::vector<std::pair<std::string_view, std::string>>;

// The message `key` in `lang` with each {name} of `args` replaced. A key the catalogue lacks comes
// back as "⟦key⟧", so that a missing message shows in the page instead of vanishing.
std::string Text(Lang lang, std::string_view key, const Args& args = {});

// The message `key`.one when `n` is 1 and the catalogue has it, else `key`.other; {n} is `n`.
std::string Plural(Lang lang, std::string_view key, long long n, Args args = {});

// The text `english` known as `key` ("scenario.INBOUND-VALID.title") in `lang`: its translation
// when the catalogue of `lang` translates exactly this English text, else `english`.
std::string Translate(Lang lang, std::string_view key, std::string_view english);

// "ĐẠT" for PASS in Vietnamese, the verdict's own name in English (messages "verdict.PASS", …,
// "verdict.NOT-RUN"). Reports keep the English name in their machine-readable attributes.
std::string VerdictName(Lang lang, Verdict verdict);
// "BẮT BUỘC" for MUST in Vietnamese (messages "level.MUST", …).
std::string LevelName(Lang lang, Level level);

// The keys of translations: "scenario.ID.title", "scenario.ID.description",
// "requirement.ID.summary", "rule.ID.summary", "profile.NAME.description".
std::string ScenarioTitleKey(std::string_view id);
std::string ScenarioDescriptionKey(std::string_view id);
std::string RequirementKey(std::string_view id);
std::string RuleKey(std::string_view id);
std::string ProfileKey(std::string_view name);

// The catalogues as parsed, for tests and tools.
const std::map<std::string, std::string, std::less<>>& Messages(Lang lang);
struct Translation {
  std::string en;          // the English translated
  std::string translated;  // its translation
};
const std::map<std::string, Translation, std::less<>>& Translations(Lang lang);
// Problems found parsing the catalogue of `lang` (empty when it is well-formed): malformed JSON,
// an entry that is not a string, a translation without "en" or the language's text.
const std::vector<std::string>& CatalogueProblems(Lang lang);

// The {placeholders} of a message, in order of appearance.
std::vector<std::string> Placeholders(std::string_view message);

}  // namespace vxp::i18n

#endif  // VXP_I18N_CATALOG_H_
