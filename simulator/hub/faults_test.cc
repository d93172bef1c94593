// The fault language: parsing (each mistake named), matching with skip/times, and the listing
// transforms. The hub applying them is in hub_test.cc.
#include "simulator/hub/faults.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vxp::hub {
namespace {

using ::testing::HasSubstr;

TEST(ParseFault, ReadsEverySetting) {
  auto f = ParseFault(
      "latency, op=getEdoc, agency=000.00.00.H53, system=00.53.W00, ms=250, "
      "skip=2, times=3");
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->kind, FaultKind::kLatency);
  EXPECT_EQ(f->operation, "getEdoc");
  EXPECT_EQ(f->agency, "000.00.00.H53");
  EXPECT_EQ(f->system_id, "00.53.W00");
  EXPECT_EQ(f->latency.count(), 250);
  EXPECT_EQ(f->skip, 2);
  EXPECT_EQ(f->times, 3);
  EXPECT_EQ(ParseFault(f->ToString())->ToString(), f->ToString());  // round trip
  EXPECT_EQ(ParseFault("kind=drop")->kind, FaultKind::kDrop);
  EXPECT_EQ(ParseFault("error,http=503")->http_status, 503);
}

TEST(ParseFault, NamesWhatIsWrong) {
  struct Case {
    const char* spec;
    const char* says;
  } cases[] = {
      {"explode", "unknown kind 'explode'"},
      {"latency,op=getEdoc", "latency needs ms="},
      {"error,colour=red", "unknown setting 'colour'"},
      {"latency,ms=soon", "ms 'soon' is not a whole number"},
      {"error,times=-1", "times '-1' is not a whole number"},
      {"drop,http=503", "http= is an HTTP error status"},
      {"error,http=200", "http= is an HTTP error status"},
      {"duplicate,op=sendEdoc", "duplicate applies to getReceivedEdocList or getSentEdocList"},
      {"op=getEdoc", "no kind given"},
      // A misspelled operation matches nothing: refused, with the likely one named.
      {"latency,op=getRecievedEdocList,ms=5",
       "unknown operation 'getRecievedEdocList' (did you mean getReceivedEdocList?)"},
      {"error,op=getedoc", "(did you mean getEdoc?)"},
      {"error,op=frobnicate", "unknown operation 'frobnicate'; the operations: sendEdoc"},
      {"", "unknown kind ''"},
  };
  for (const auto& c : cases) {
    auto f = ParseFault(c.spec);
    ASSERT_FALSE(f) << c.spec;
    EXPECT_EQ(f.error().code, "fault.parse");
    EXPECT_THAT(f.error().message, HasSubstr(c.says)) << c.spec;
  }
}

TEST(FaultSet, SkipThenTimes) {
  FaultSet set;
  set.Add(*ParseFault("error,op=getEdoc,skip=1,times=2"));
  FaultTarget t{"getEdoc", "s", "", nullptr};
  std::vector<size_t> hits;
  for (int i = 0; i < 5; ++i) hits.push_back(set.Match(t).size());
  EXPECT_THAT(hits, ::testing::ElementsAre(0, 1, 1, 0, 0));
  FaultTarget other{"sendEdoc", "s", "", nullptr};
  EXPECT_TRUE(set.Match(other).empty());
  set.Clear();
  EXPECT_TRUE(set.List().empty());
}

TEST(FaultSet, ListingFaultsAreMatchedOnlyForListingsThatListSomething) {
  FaultSet set;
  set.Add(*ParseFault("duplicate,op=getReceivedEdocList,skip=1,times=1"));
  set.Add(*ParseFault("latency,op=getReceivedEdocList,ms=5"));
  FaultTarget t{"getReceivedEdocList", "s", "", nullptr};
  // Match never answers a listing fault, and does not count it.
  for (int i = 0; i < 3; ++i) EXPECT_THAT(set.Match(t), ::testing::SizeIs(1));
  std::vector<size_t> hits;
  for (int i = 0; i < 3; ++i) hits.push_back(set.MatchListing(t).size());
  EXPECT_THAT(hits, ::testing::ElementsAre(0, 1, 0));
  EXPECT_TRUE(ListsSomething(R"({"status":"OK","data":[{"docId":"1"}]})"));
  EXPECT_FALSE(ListsSomething(R"({"status":"OK","data":[]})"));
  EXPECT_FALSE(ListsSomething(R"({"status":"OK","data":{}})"));
  EXPECT_FALSE(ListsSomething("not json"));
}

TEST(FaultSet, AgencyMatchesFromOrOwnership) {
  FaultSet set;
  set.Add(*ParseFault("drop,agency=000.00.00.H53"));
  auto owns = [](std::string_view agency, std::string_view system) {
    return agency == "000.00.00.H53" && system == "00.53.W00";
  };
  EXPECT_EQ(set.Match({"sendEdoc", "00.53.W00", "000.00.00.H53", owns}).size(), 1u);
  EXPECT_TRUE(set.Match({"sendEdoc", "00.53.W00", "000.00.01.H53", owns}).empty());
  EXPECT_EQ(set.Match({"getEdoc", "00.53.W00", "", owns}).size(), 1u);
  EXPECT_TRUE(set.Match({"getEdoc", "00.22.W00", "", owns}).empty());
}

TEST(Listing, DuplicateAndReverse) {
  std::string body = R"({"status":"OK","data":[{"docId":"1"},{"docId":"2"}]})";
  EXPECT_EQ(DuplicateListing(body),
            R"({"status":"OK","data":[{"docId":"1"},{"docId":"2"},{"docId":"1"},{"docId":"2"}]})");
  EXPECT_EQ(ReverseListing(body), R"({"status":"OK","data":[{"docId":"2"},{"docId":"1"}]})");
  EXPECT_EQ(ReverseListing("not json"), "not json");
  EXPECT_EQ(DuplicateListing(R"({"count":3})"), R"({"count":3})");
}

}  // namespace
}  // namespace vxp::hub
