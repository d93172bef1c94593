#include <gtest/gtest.h>

#include <set>

#include "core/edxml/text_form.h"
#include "i18n/catalog.h"

namespace vxp::i18n {
namespace {

constexpr Lang kLangs[] = {Lang::kEn, Lang::kVi};

TEST(Catalogue, EachParsesWithoutAProblem) {
  for (Lang lang : kLangs) {
    EXPECT_EQ(CatalogueProblems(lang), std::vector<std::string>{}) << Code(lang);
    EXPECT_GT(Messages(lang).size(), 100u) << Code(lang);
  }
}

TEST(Catalogue, EveryMessageIsInEveryLanguageWithTheSamePlaceholders) {
  for (Lang lang : kLangs) {
    for (Lang other : kLangs) {
      for (const auto& [key, text] : Messages(lang)) {
        auto it = Messages(other).find(key);
        if (it == Messages(other).end()) {
          ADD_FAILURE() << key << " is in messages." << Code(lang) << ".json but not in messages."
                        << Code(other) << ".json";
          continue;
        }
        std::vector<std::string> mine = Placeholders(text), theirs = Placeholders(it->second);
        EXPECT_EQ(std::set<std::string>(mine.begin(), mine.end()),
                  std::set<std::string>(theirs.begin(), theirs.end()))
            << key << ": " << Code(lang) << " \"" << text << "\" vs " << Code(other) << " \""
            << it->second << "\"";
      }
    }
  }
}

// Messages are text: the reports put markup in only through placeholders, so that a translator
// cannot break a page, and some messages are inserted where markup would be read as markup.
// (Translations are always escaped: a rule summary may quote "cid:<id>".)
TEST(Catalogue, NoMessageCarriesMarkup) {
  for (Lang lang : kLangs) {
    for (const auto& [key, text] : Messages(lang)) {
      EXPECT_EQ(text.find_first_of("<>&"), std::string::npos) << Code(lang) << " " << key;
    }
  }
}

// Vietnamese is written precomposed (NFC, TCVN 6909:2001), as EDXML-TEXT-NFC asks of packages:
// decomposed text renders badly and compares unequal.
TEST(Catalogue, VietnameseIsNfc) {
  for (const auto& [key, text] : Messages(Lang::kVi)) {
    EXPECT_EQ(edxml::FirstNonNfc(text), std::string_view::npos) << key << ": " << text;
  }
  for (const auto& [key, t] : Translations(Lang::kVi)) {
    EXPECT_EQ(edxml::FirstNonNfc(t.translated), std::string_view::npos) << key;
    EXPECT_NE(t.translated, "") << key << " is empty";
    std::vector<std::string> en = Placeholders(t.en), vi = Placeholders(t.translated);
    EXPECT_EQ(std::set<std::string>(en.begin(), en.end()),
              std::set<std::string>(vi.begin(), vi.end()))
        << key;
  }
}

TEST(Text, FillsPlaceholdersAndShowsAMissingKey) {
  EXPECT_EQ(Text(Lang::kEn, "html.finding.line", {{"n", "12"}}), "line 12");
  EXPECT_EQ(Text(Lang::kVi, "html.finding.line", {{"n", "12"}}), "dòng 12");
  EXPECT_EQ(Text(Lang::kVi, "no.such.key"), "⟦no.such.key⟧");
  // A value that looks like a placeholder is not filled again.
  EXPECT_EQ(Text(Lang::kEn, "html.evidence.missing", {{"file", "{file}"}}), "{file} is missing.");
}

TEST(Text, PluralPicksOneOrOther) {
  EXPECT_EQ(Plural(Lang::kEn, "sentence.fail", 1).rfind("1 scenario fails", 0), 0u);
  EXPECT_EQ(Plural(Lang::kEn, "sentence.fail", 2).rfind("2 scenarios fail", 0), 0u);
  EXPECT_EQ(Plural(Lang::kVi, "sentence.fail", 2).rfind("2 kịch bản", 0), 0u);
}

TEST(Names, VerdictsAndLevels) {
  EXPECT_EQ(VerdictName(Lang::kEn, Verdict::kNotRun), "NOT RUN");
  EXPECT_EQ(VerdictName(Lang::kVi, Verdict::kPass), "ĐẠT");
  EXPECT_EQ(VerdictName(Lang::kVi, Verdict::kFail), "KHÔNG ĐẠT");
  EXPECT_EQ(VerdictName(Lang::kVi, Verdict::kIncomplete), "CHƯA HOÀN TẤT");
  EXPECT_EQ(LevelName(Lang::kVi, Level::kMust), "BẮT BUỘC");
  for (Verdict v :
       {Verdict::kSkip, Verdict::kPass, Verdict::kWarn, Verdict::kFail, Verdict::kInconclusive,
        Verdict::kError, Verdict::kNotRun, Verdict::kIncomplete}) {
    for (Lang lang : kLangs) EXPECT_EQ(VerdictName(lang, v).find("⟦"), std::string::npos);
  }
}

TEST(Translate, OnlyTheEnglishItWasMadeFrom) {
  ASSERT_FALSE(Translations(Lang::kVi).empty());
  const auto& [key, t] = *Translations(Lang::kVi).begin();
  EXPECT_EQ(Translate(Lang::kVi, key, t.en), t.translated);
  EXPECT_EQ(Translate(Lang::kEn, key, t.en), t.en);
  // English that changed since it was translated reads in English, not as the old translation.
  EXPECT_EQ(Translate(Lang::kVi, key, t.en + " (changed)"), t.en + " (changed)");
  EXPECT_EQ(Translate(Lang::kVi, "scenario.NO-SUCH.title", "Some title"), "Some title");
}

TEST(ParseLang, KnowsBothAndNothingElse) {
  EXPECT_EQ(ParseLang("vi"), Lang::kVi);
  EXPECT_EQ(ParseLang("EN"), Lang::kEn);
  EXPECT_EQ(ParseLang("fr"), std::nullopt);
  EXPECT_EQ(ParseLang(""), std::nullopt);
}

}  // namespace
}  // namespace vxp::i18n
