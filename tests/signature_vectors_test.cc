// The signature vector corpus (vectors/signatures/): every vector produces exactly the rule IDs
// and verdict of its .expect.json through `verify` and, for packages, through `validate`; the
// corpus regenerates byte-for-byte from the committed keys; the built-in trust anchors are the
// committed ones.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/signing/test_pki.h"
#include "core/signing/trust.h"
#include "core/signing/vectors.h"
#include "core/signing/verify.h"
#include "tests/support/data_files.h"

namespace vxp::embedded {
extern const std::string_view test_root_ca_crt;
extern const std::string_view test_intermediate_ca_crl;
}  // namespace vxp::embedded

namespace vxp::signing {
namespace {

namespace fs = std::filesystem;
const fs::path kDir = fs::path(VXP_SOURCE_DIR) / "vectors" / "signatures";
const fs::path kKeys = fs::path(VXP_SOURCE_DIR) / "vectors" / "keys";

using testing::Slurp;

struct Expectation {
  std::string file;
  std::string verdict;
  std::vector<std::string> rule_ids;
  std::string at;
};

void PrintTo(const Expectation& x, std::ostream* os) { *os << x.file; }

std::vector<Expectation> Load() {
  std::vector<Expectation> out;
  for (const auto& e : fs::directory_iterator(kDir)) {
    std::string name = e.path().filename().string();
    if (!name.ends_with(".expect.json")) continue;
    boost::json::object o = boost::json::parse(Slurp(e.path())).as_object();
    Expectation x;
    std::string stem = name.substr(0, name.size() - std::string_view(".expect.json").size());
    x.file = fs::exists(kDir / (stem + ".pdf")) ? stem + ".pdf" : stem + ".xml";
    x.verdict = boost::json::value_to<std::string>(o.at("verdict"));
    x.at = boost::json::value_to<std::string>(o.at("at"));
    for (const auto& id : o.at("rule_ids").as_array()) {
      x.rule_ids.push_back(boost::json::value_to<std::string>(id));
    }
    out.push_back(std::move(x));
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.file < b.file; });
  return out;
}

std::vector<std::string> UniqueIds(const std::vector<Finding>& findings, bool dsig_only) {
  std::set<std::string> ids;
  for (const Finding& f : findings) {
    if (!dsig_only || f.rule_id.starts_with("DSIG-")) ids.insert(f.rule_id);
  }
  return {ids.begin(), ids.end()};
}

class SignatureVector : public ::testing::TestWithParam<Expectation> {};

TEST_P(SignatureVector, VerifyGivesExactlyTheExpectedRules) {
  const Expectation& x = GetParam();
  SignaturePolicy policy{VerifyOptions{nullptr, *ParseTime(x.at)}, true};
  FileVerification v = VerifyFile(Slurp(kDir / x.file), policy);
  EXPECT_EQ(UniqueIds(v.check.findings, false), x.rule_ids);
  EXPECT_EQ(ToString(v.verdict), x.verdict);
  for (const Finding& f : v.check.findings) {
    EXPECT_FALSE(f.message.empty()) << f.rule_id;
    EXPECT_FALSE(f.location.path.empty()) << f.rule_id;
  }
}

class PackageSignatureVector : public ::testing::TestWithParam<Expectation> {};

TEST_P(PackageSignatureVector, ValidateReportsTheSameSignatureFindings) {
  const Expectation& x = GetParam();
  SignaturePolicy policy{VerifyOptions{nullptr, *ParseTime(x.at)}, true};
  edxml::Judgement j = Judge(Slurp(kDir / x.file), {}, policy);
  std::vector<std::string> expected = x.rule_ids;
  std::erase(expected, "DSIG-NONE");  // only `verify` asks for a signature to be present
  EXPECT_EQ(UniqueIds(j.findings, true), expected);
}

std::string TestName(const ::testing::TestParamInfo<Expectation>& info) {
  std::string name = info.param.file;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::vector<Expectation> LoadPackages() {
  std::vector<Expectation> out = Load();
  std::erase_if(out, [](const Expectation& x) { return !x.file.ends_with(".xml"); });
  return out;
}

INSTANTIATE_TEST_SUITE_P(Corpus, SignatureVector, ::testing::ValuesIn(Load()), TestName);
INSTANTIATE_TEST_SUITE_P(Corpus, PackageSignatureVector, ::testing::ValuesIn(LoadPackages()),
                         TestName);

TEST(SignatureCorpus, CoversBothProfilesAndEveryRequiredDefect) {
  std::set<std::string> files;
  for (const Expectation& x : Load()) files.insert(x.file);
  for (std::string_view profile : {"env", "pdf"}) {
    for (std::string_view defect :
         {"valid", "content-changed", "signature-value-altered", "wrong-certificate", "expired",
          "not-yet-valid", "revoked", "untrusted-root", "wrong-key-usage", "sha1",
          "signature-removed"}) {
      std::string ext = profile == "env" ? ".xml" : ".pdf";
      EXPECT_TRUE(files.contains(std::string(profile) + "-" + std::string(defect) + ext))
          << profile << "-" << defect;
    }
  }
  for (std::string_view f : {"env-wrapping.xml", "env-vnpt-form.xml", "pdf-bytes-appended.pdf",
                             "pdf-truncated.pdf", "package-tampered-pdf.xml"}) {
    EXPECT_TRUE(files.contains(std::string(f))) << f;
  }
}

TEST(SignatureCorpus, RegeneratesByteForByteFromTheCommittedKeys) {
  auto vectors = GenerateSignatureVectors(testing::SlurpDirectory(kKeys));
  ASSERT_TRUE(vectors) << vectors.error().message;
  std::set<std::string> generated;
  for (const auto& v : *vectors) {
    fs::path file = kDir / v.name;
    fs::path expect = file;
    expect.replace_extension(".expect.json");
    generated.insert(file.filename().string());
    generated.insert(expect.filename().string());
    EXPECT_TRUE(Slurp(file) == v.bytes) << v.name << " differs: run `vxpkit vectors`";
    EXPECT_EQ(Slurp(expect), ExpectJson(v)) << v.name;
  }
  for (const auto& e : fs::directory_iterator(kDir)) {
    EXPECT_TRUE(generated.contains(e.path().filename().string()))
        << e.path() << " is not produced by `vxpkit vectors` (stale?)";
  }
}

TEST(SignatureCorpus, BuiltInTrustIsTheCommittedTestPki) {
  EXPECT_EQ(embedded::test_root_ca_crt, Slurp(kKeys / "root-ca.crt"));
  EXPECT_EQ(embedded::test_intermediate_ca_crl, Slurp(kKeys / "intermediate-ca.crl"));
}

}  // namespace
}  // namespace vxp::signing
