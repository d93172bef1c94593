// The agency directory file: the built-in one is complete and well formed; mistakes in a
// vendor-supplied one are named with their line.
#include "simulator/hub/directory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/agency/agency_id.h"
#include "simulator/hub/hub.h"

namespace vxp::hub {
namespace {

using ::testing::HasSubstr;

TEST(DefaultDirectory, HasTheMinistriesTheProvincesAndLowerUnits) {
  const auto& dir = DefaultDirectory();
  std::set<std::string> codes;
  int lower = 0;
  for (const Agency& a : dir) {
    codes.insert(a.code);
    auto id = agency::ParseStrict(a.code);
    ASSERT_TRUE(id) << a.code;
    EXPECT_EQ(id->depth, a.level) << a.code;
    EXPECT_FALSE(id->has_gap) << a.code;
    EXPECT_FALSE(a.name.empty()) << a.code;
    if (a.level > 1) {
      ++lower;
      EXPECT_NE(a.pid, 0) << a.code;
    }
  }
  for (int i = 1; i <= 30; ++i) {
    EXPECT_TRUE(codes.contains("000.00.00.G" + std::string(i < 10 ? "0" : "") + std::to_string(i)));
  }
  for (int i = 1; i <= 63; ++i) {
    EXPECT_TRUE(codes.contains("000.00.00.H" + std::string(i < 10 ? "0" : "") + std::to_string(i)));
  }
  EXPECT_GE(lower, 20);
  EXPECT_EQ(codes.size(), dir.size());
}

// The rehearsal's directory: 111,000 units as the live hub lists, every identifier of the strict
// form at its level, parents before children, read back whole from its file form.
TEST(NationalDirectory, HasEveryLevelAndReadsBackFromItsFile) {
  std::vector<Agency> dir = NationalDirectory(111'000);
  ASSERT_EQ(dir.size(), 111'000u);
  std::map<int, int> per_level;
  std::map<std::string, const Agency*> by_code;
  for (const Agency& a : dir) {
    ++per_level[a.level];
    auto id = agency::ParseStrict(a.code);
    ASSERT_TRUE(id) << a.code;
    ASSERT_EQ(id->depth, a.level) << a.code;
    ASSERT_FALSE(id->has_gap) << a.code;
    ASSERT_TRUE(by_code.emplace(a.code, &a).second) << a.code << " twice";
    if (a.level > 1) {
      ASSERT_TRUE(by_code.contains(a.pcode)) << a.code;  // its parent came first
      EXPECT_EQ(by_code[a.pcode]->id, a.pid);
      EXPECT_EQ(by_code[a.pcode]->level, a.level - 1) << a.code;
    }
    EXPECT_EQ(a.system_id, "sys." + a.code.substr(a.code.size() - 3)) << a.code;
  }
  EXPECT_EQ(per_level[1], 93);
  EXPECT_EQ(per_level[2], 93 * 40);
  EXPECT_EQ(per_level[3], 93 * 40 * 8);
  EXPECT_EQ(per_level[4], 111'000 - 93 - 93 * 40 - 93 * 40 * 8);
  auto parsed = ParseDirectory(DirectoryTsv(dir));
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), dir.size());
  for (size_t i = 0; i < dir.size(); i += 997) {
    EXPECT_EQ((*parsed)[i].code, dir[i].code);
    EXPECT_EQ((*parsed)[i].pid, dir[i].pid);
    EXPECT_EQ((*parsed)[i].name, dir[i].name);
  }
}

TEST(DefaultDirectory, AgreesWithTheSamples) {
  // The sample packages name G22 as Văn phòng Chính phủ and H53 as Tây Ninh.
  std::map<std::string, std::string> names;
  for (const Agency& a : DefaultDirectory()) names[a.code] = a.name;
  EXPECT_EQ(names["000.00.00.G22"], "Văn phòng Chính phủ");
  EXPECT_EQ(names["000.00.00.H53"], "Ủy ban nhân dân tỉnh Tây Ninh");
}

TEST(ParseDirectory, NamesTheLineAndTheMistake) {
  struct Case {
    const char* text;
    const char* says;
  } cases[] = {
      {"000.00.00.G01\t\t1\tA\n000.00.00.G01\t\t1\tB\ta@b\n", "line 1: expected 5"},
      {"# c\n\nG01\t\t1\tA\ta@b\n", "line 3: 'G01' is not an agency identifier"},
      {"000.00.01.G01\t000.00.00.G01\t2\tA\ta@b\n", "parent '000.00.00.G01' is not listed before"},
      {"000.00.00.G01\t\t5\tA\ta@b\n", "level '5' is not 1, 2, 3 or 4"},
      {"000.00.00.G01\t\t1\tA\ta@b\n000.00.00.G01\t\t1\tB\tb@b\n",
       "line 2: '000.00.00.G01' appears twice"},
      {"000.00.00.G01\t\t1\t\ta@b\n", "has no name"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseDirectory(c.text);
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_EQ(parsed.error().code, "directory.line");
    EXPECT_THAT(parsed.error().message, HasSubstr(c.says));
  }
  auto ok = ParseDirectory("000.00.00.G01\t\t1\tA\ta@b\r\n000.00.01.G01\t000.00.00.G01\t2\tB\t\n");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[1].pid, 1);
}

TEST(DefaultDirectory, SeedsTheHub) {
  Hub hub(std::move(*OpenSqliteStore(":memory:")), HubConfig{}, [] { return wire::Millis{0}; });
  ASSERT_TRUE(hub.SeedDirectory(DefaultDirectory()));
  ASSERT_TRUE(hub.RegisterSystem({"00.53.W00", "s"}, {"000.00.00.H53", "000.00.09.H53"}));
  auto all = hub.store().Agencies();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), DefaultDirectory().size() + 1);  // 000.00.09.H53 is new
  auto h53 = hub.store().GetAgency("000.00.00.H53");
  EXPECT_EQ((*h53)->system_id, "00.53.W00");
  EXPECT_EQ((*h53)->name, "Ủy ban nhân dân tỉnh Tây Ninh");  // the directory's name is kept
  auto added = hub.store().GetAgency("000.00.09.H53");
  EXPECT_EQ((*added)->id, static_cast<std::int64_t>(DefaultDirectory().size()) + 1);
}

}  // namespace
}  // namespace vxp::hub
