// Judges every package in vectors/packages and compares with its .expect.json: kind, verdict
// and the exact set of rule IDs found.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/edxml/validate.h"

namespace vxp {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The .xml files of vectors/<dir>, sorted.
std::vector<fs::path> XmlFilesIn(std::string_view dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(VXP_SOURCE_DIR) / "vectors" / dir)) {
    if (e.path().extension() == ".xml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> Vectors() { return XmlFilesIn("packages"); }

// Judges `bytes` in `mode` on `today` and compares verdict, rule IDs and kind with `want`
// ({"verdict", "rule_ids"}) and `kind`.
void ExpectJudged(const std::string& bytes, const std::string& label, Strictness mode,
                  const boost::json::object& expect, const boost::json::object& want) {
  edxml::ValidateOptions options;
  options.rules.strictness = mode;
  options.rules.today = ParseEdxmlDate(std::string(expect.at("today").as_string()));
  ASSERT_TRUE(options.rules.today) << label;
  edxml::Judgement j = edxml::Validate(bytes, options);
  std::set<std::string> wanted, got;
  for (const auto& id : want.at("rule_ids").as_array()) wanted.insert(std::string(id.as_string()));
  std::string messages;
  for (const Finding& f : j.findings) {
    got.insert(f.rule_id);
    messages += "\n  " + std::string(ToString(f.verdict)) + " " + f.rule_id + ": " + f.message;
  }
  EXPECT_EQ(got, wanted) << label << messages;
  EXPECT_EQ(ToString(j.verdict), want.at("verdict").as_string()) << label << messages;
  EXPECT_EQ(edxml::ToString(j.kind), expect.at("kind").as_string()) << label;
}

std::string TestName(const testing::TestParamInfo<fs::path>& info) {
  std::string n = info.param.stem().string();
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

// NAME.expect.json beside NAME.xml.
boost::json::object ExpectationOf(const fs::path& xml) {
  fs::path path = xml;
  path.replace_extension(".expect.json");
  EXPECT_TRUE(fs::exists(path)) << path << " is missing";
  return fs::exists(path) ? boost::json::parse(Slurp(path)).as_object() : boost::json::object{};
}

class VectorTest : public testing::TestWithParam<fs::path> {};

TEST_P(VectorTest, JudgedAsExpected) {
  const fs::path& xml = GetParam();
  boost::json::object expect = ExpectationOf(xml);
  ASSERT_FALSE(expect.empty());

  Strictness mode =
      expect.at("mode").as_string() == "lenient" ? Strictness::kLenient : Strictness::kStrict;
  ExpectJudged(Slurp(xml), xml.filename().string(), mode, expect, expect);
}

INSTANTIATE_TEST_SUITE_P(Packages, VectorTest, testing::ValuesIn(Vectors()), TestName);

// vectors/interop/: packages shaped like what the live hub delivers, each with its expected
// verdict and rule IDs in strict (certification) and in lenient (interop) mode (make.py).
class InteropVectorTest : public testing::TestWithParam<fs::path> {};

TEST_P(InteropVectorTest, JudgedAsExpectedInBothModes) {
  const fs::path& xml = GetParam();
  boost::json::object expect = ExpectationOf(xml);
  ASSERT_FALSE(expect.empty());
  const std::string bytes = Slurp(xml);
  for (const char* mode : {"strict", "lenient"}) {
    ExpectJudged(bytes, xml.filename().string() + " in " + mode + " mode",
                 std::string_view(mode) == "lenient" ? Strictness::kLenient : Strictness::kStrict,
                 expect, expect.at(mode).as_object());
  }
}

INSTANTIATE_TEST_SUITE_P(Interop, InteropVectorTest, testing::ValuesIn(XmlFilesIn("interop")),
                         TestName);

TEST(VectorCorpusTest, CoversEveryBusinessTypeAndStatusCode) {
  std::set<std::string> names;
  for (const auto& p : Vectors()) names.insert(p.stem().string());
  for (const char* t : {"document", "revoke", "update", "replace"}) {
    EXPECT_TRUE(names.contains(std::string("document-") + t)) << t;
  }
  for (const char* c : {"01", "02", "03", "04", "05", "06", "13", "15", "16"}) {
    EXPECT_TRUE(names.contains(std::string("status-") + c)) << c;
  }
}

}  // namespace
}  // namespace vxp
