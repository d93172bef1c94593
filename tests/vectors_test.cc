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

std::vector<fs::path> Vectors() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(VXP_SOURCE_DIR) / "vectors/packages")) {
    if (e.path().extension() == ".xml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class VectorTest : public testing::TestWithParam<fs::path> {};

TEST_P(VectorTest, JudgedAsExpected) {
  const fs::path& xml = GetParam();
  fs::path expect_path = xml;
  expect_path.replace_extension(".expect.json");
  ASSERT_TRUE(fs::exists(expect_path)) << expect_path << " is missing";
  boost::json::object expect = boost::json::parse(Slurp(expect_path)).as_object();

  edxml::ValidateOptions options;
  options.rules.strictness =
      expect.at("mode").as_string() == "lenient" ? Strictness::kLenient : Strictness::kStrict;
  options.rules.today = ParseEdxmlDate(std::string(expect.at("today").as_string()));
  ASSERT_TRUE(options.rules.today);
  edxml::Judgement j = edxml::Validate(Slurp(xml), options);

  std::set<std::string> want, got;
  for (const auto& id : expect.at("rule_ids").as_array()) want.insert(std::string(id.as_string()));
  for (const Finding& f : j.findings) got.insert(f.rule_id);
  std::string messages;
  for (const Finding& f : j.findings) messages += "\n  " + f.rule_id + ": " + f.message;
  EXPECT_EQ(got, want) << xml.filename() << messages;
  EXPECT_EQ(ToString(j.verdict), expect.at("verdict").as_string()) << xml.filename() << messages;
  EXPECT_EQ(edxml::ToString(j.kind), expect.at("kind").as_string()) << xml.filename();
}

INSTANTIATE_TEST_SUITE_P(Packages, VectorTest, testing::ValuesIn(Vectors()),
                         [](const testing::TestParamInfo<fs::path>& info) {
                           std::string n = info.param.stem().string();
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

// vectors/interop/: packages shaped like what the live hub delivers, each with its expected
// verdict and rule IDs in strict (certification) and in lenient (interop) mode (make.py).
std::vector<fs::path> InteropVectors() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(VXP_SOURCE_DIR) / "vectors/interop")) {
    if (e.path().extension() == ".xml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class InteropVectorTest : public testing::TestWithParam<fs::path> {};

TEST_P(InteropVectorTest, JudgedAsExpectedInBothModes) {
  const fs::path& xml = GetParam();
  fs::path expect_path = xml;
  expect_path.replace_extension(".expect.json");
  ASSERT_TRUE(fs::exists(expect_path)) << expect_path << " is missing";
  boost::json::object expect = boost::json::parse(Slurp(expect_path)).as_object();
  const std::string bytes = Slurp(xml);
  for (const char* mode : {"strict", "lenient"}) {
    const boost::json::object& want_mode = expect.at(mode).as_object();
    edxml::ValidateOptions options;
    options.rules.strictness =
        std::string_view(mode) == "lenient" ? Strictness::kLenient : Strictness::kStrict;
    options.rules.today = ParseEdxmlDate(std::string(expect.at("today").as_string()));
    ASSERT_TRUE(options.rules.today);
    edxml::Judgement j = edxml::Validate(bytes, options);
    std::set<std::string> want, got;
    for (const auto& id : want_mode.at("rule_ids").as_array()) {
      want.insert(std::string(id.as_string()));
    }
    std::string messages;
    for (const Finding& f : j.findings) {
      got.insert(f.rule_id);
      messages += "\n  " + std::string(ToString(f.verdict)) + " " + f.rule_id + ": " + f.message;
    }
    EXPECT_EQ(got, want) << xml.filename() << " in " << mode << " mode" << messages;
    EXPECT_EQ(ToString(j.verdict), want_mode.at("verdict").as_string())
        << xml.filename() << " in " << mode << " mode" << messages;
    EXPECT_EQ(edxml::ToString(j.kind), expect.at("kind").as_string()) << xml.filename();
  }
}

INSTANTIATE_TEST_SUITE_P(Interop, InteropVectorTest, testing::ValuesIn(InteropVectors()),
                         [](const testing::TestParamInfo<fs::path>& info) {
                           std::string n = info.param.stem().string();
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

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
