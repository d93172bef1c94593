#include "i18n/catalog.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/common/text.h"

namespace vxp::embedded {
extern const std::string_view messages_en_json;
extern const std::string_view messages_vi_json;
}  // namespace vxp::embedded

namespace vxp::i18n {
namespace {

namespace json = boost::json;

struct Catalogue {
  std::map<std::string, std::string, std::less<>> messages;
  std::map<std::string, Translation, std::less<>> translations;
  std::vector<std::string> problems;
};

Catalogue Parse(std::string_view code, std::string_view text) {
  Catalogue c;
  const std::string file = "i18n/messages." + std::string(code) + ".json";
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) {
    c.problems.push_back(file + " is not a JSON object" + (ec ? ": " + ec.message() : ""));
    return c;
  }
  const json::object& root = doc.get_object();
  if (const json::value* lang = root.if_contains("lang");
      lang == nullptr || !lang->is_string() || lang->get_string() != code) {
    c.problems.push_back(file + ": \"lang\" is not \"" + std::string(code) + "\"");
  }
  if (const json::value* m = root.if_contains("messages"); m != nullptr && m->is_object()) {
    for (const auto& [key, value] : m->get_object()) {
      if (value.is_string()) {
        c.messages.emplace(std::string(key), std::string(value.get_string()));
      } else {
        c.problems.push_back(file + ": messages." + std::string(key) + " is not a string");
      }
    }
  } else {
    c.problems.push_back(file + ": \"messages\" is not an object");
  }
  if (const json::value* t = root.if_contains("translations"); t != nullptr) {
    if (!t->is_object()) {
      c.problems.push_back(file + ": \"translations\" is not an object");
      return c;
    }
    for (const auto& [key, value] : t->get_object()) {
      const json::object* entry = value.if_object();
      const json::value* en = entry != nullptr ? entry->if_contains("en") : nullptr;
      const json::value* own = entry != nullptr ? entry->if_contains(code) : nullptr;
      if (en == nullptr || own == nullptr || !en->is_string() || !own->is_string()) {
        c.problems.push_back(file + ": translations." + std::string(key) +
                             " is not {\"en\": text, \"" + std::string(code) + "\": text}");
        continue;
      }
      c.translations.emplace(std::string(key), Translation{std::string(en->get_string()),
                                                           std::string(own->get_string())});
    }
  }
  return c;
}

const Catalogue& Of(Lang lang) {
  static const Catalogue en = Parse("en", embedded::messages_en_json);
  static const Catalogue vi = Parse("vi", embedded::messages_vi_json);
  return lang == Lang::kVi ? vi : en;
}

std::string Fill(std::string_view message, const Args& args) {
  std::string out;
  out.reserve(message.size() + 32);
  size_t i = 0;
  while (i < message.size()) {
    size_t open = message.find('{', i);
    if (open == std::string_view::npos) break;
    size_t close = message.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(message.substr(i, open - i));
    std::string_view name = message.substr(open + 1, close - open - 1);
    auto it =
        std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
    if (it != args.end()) {
      out += it->second;
    } else {
      out.append(message.substr(open, close - open + 1));  // left as it is: a test sees it
    }
    i = close + 1;
  }
  out.append(message.substr(std::min(i, message.size())));
  return out;
}

}  // namespace

std::string_view Code(Lang lang) { return lang == Lang::kVi ? "vi" : "en"; }

std::optional<Lang> ParseLang(std::string_view code) {
  if (EqualsIgnoreCase(code, "en")) return Lang::kEn;
  if (EqualsIgnoreCase(code, "vi")) return Lang::kVi;
  return std::nullopt;
}

std::string LangChoices() { return "en|vi"; }

std::string Text(Lang lang, std::string_view key, const Args& args) {
  const auto& messages = Of(lang).messages;
  auto it = messages.find(key);
  if (it == messages.end()) return "⟦" + std::string(key) + "⟧";
  return Fill(it->second, args);
}

std::string Plural(Lang lang, std::string_view key, long long n, Args args) {
  args.emplace_back("n", std::to_string(n));
  const auto& messages = Of(lang).messages;
  std::string one = std::string(key) + ".one";
  if (n == 1 && messages.count(one) > 0) return Text(lang, one, args);
  return Text(lang, std::string(key) + ".other", args);
}

std::string Translate(Lang lang, std::string_view key, std::string_view english) {
  if (lang == Lang::kEn) return std::string(english);
  const auto& translations = Of(lang).translations;
  auto it = translations.find(key);
  if (it == translations.end() || it->second.en != english) return std::string(english);
  return it->second.translated;
}

std::string VerdictName(Lang lang, Verdict verdict) {
  std::string name(ToString(verdict));
  std::replace(name.begin(), name.end(), ' ', '-');
  return Text(lang, "verdict." + name);
}

std::string LevelName(Lang lang, Level level) {
  return Text(lang, "level." + std::string(ToString(level)));
}

std::string ScenarioTitleKey(std::string_view id) {
  return "scenario." + std::string(id) + ".title";
}
std::string ScenarioDescriptionKey(std::string_view id) {
  return "scenario." + std::string(id) + ".description";
}
std::string RequirementKey(std::string_view id) {
  return "requirement." + std::string(id) + ".summary";
}
std::string RuleKey(std::string_view id) { return "rule." + std::string(id) + ".summary"; }
std::string ProfileKey(std::string_view name) {
  return "profile." + std::string(name) + ".description";
}

const std::map<std::string, std::string, std::less<>>& Messages(Lang lang) {
  return Of(lang).messages;
}

const std::map<std::string, Translation, std::less<>>& Translations(Lang lang) {
  return Of(lang).translations;
}

const std::vector<std::string>& CatalogueProblems(Lang lang) { return Of(lang).problems; }

std::vector<std::string> Placeholders(std::string_view message) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = message.find('{', i)) != std::string_view::npos) {
    size_t close = message.find('}', i);
    if (close == std::string_view::npos) break;
    out.emplace_back(message.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return out;
}

}  // namespace vxp::i18n
