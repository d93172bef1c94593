#include "core/edxml/relay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/edxml/base64.h"
#include "core/edxml/parse.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "core/edxml/validate.h"
#include "core/edxml/zip.h"

namespace vxp::edxml {
namespace {

using ::testing::HasSubstr;

std::string Sample() {
  Package p = samples::Document();
  p.document()->due_date.reset();  // so the relay writes an empty one
  return *Serialize(p);
}

std::vector<std::string> Ids(const Judgement& j) {
  std::vector<std::string> out;
  for (const Finding& f : j.findings) out.push_back(f.rule_id);
  return out;
}

ValidateOptions Options(Strictness s) {
  ValidateOptions o;
  o.rules.today = Date{2026, 11, 21};
  o.rules.strictness = s;
  return o;
}

TEST(Relay, EachChangeAloneShowsAsItsOwnFinding) {
  struct Case {
    RelayShape shape;
    std::vector<std::string> strict_ids;
  } cases[] = {
      {{.reorder = true}, {"EDXML-1-ORDER"}},
      {{.empty_elements = true}, {"EDXML-XSD", "EDXML-HDR-1.9-DUEDATE"}},
      {{.trace_organ_id = "vxp.saas.03", .trace_timestamp = "2026/11/20 08:30:05"},
       {"AGENCY-5-FORMAT"}},
      {{.zip_pdf = true}, {}},
  };
  for (const Case& c : cases) {
    auto relayed = Relay(Sample(), c.shape);
    ASSERT_TRUE(relayed) << relayed.error().message;
    Judgement strict = Validate(*relayed, Options(Strictness::kStrict));
    EXPECT_THAT(Ids(strict), ::testing::UnorderedElementsAreArray(c.strict_ids))
        << c.shape.Describe();
    Judgement lenient = Validate(*relayed, Options(Strictness::kLenient));
    EXPECT_NE(lenient.verdict, Verdict::kFail) << c.shape.Describe();
  }
}

TEST(Relay, ThePdfTravelsInsideAZip) {
  auto relayed = Relay(Sample(), {.zip_pdf = true});
  ASSERT_TRUE(relayed);
  auto parsed = ParsePackage(*relayed);
  ASSERT_TRUE(parsed);
  const Attachment& a = parsed->package.attachments.front();
  EXPECT_THAT(a.attachment_name.value_or(""), HasSubstr(".zip"));
  auto zip = DecodeBase64ToString(a.content_base64);
  ASSERT_TRUE(zip && LooksLikeZip(*zip));
  auto entries = ReadZip(*zip);
  ASSERT_TRUE(entries && entries->size() == 1);
  EXPECT_TRUE((*entries)[0].bytes.starts_with("%PDF-"));
  EXPECT_EQ(parsed->package.manifest->references.front().content_type, "application/zip");
}

TEST(Relay, TheSignatureMovesIntoTheEdxmlNamespace) {
  std::string bytes = Sample();
  bytes.replace(bytes.find("</edXML:MessageHeader>"), 22,
                "</edXML:MessageHeader><ds:Signature "
                "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo/></ds:Signature>");
  auto relayed = Relay(bytes, {.vnpt_signature = true});
  ASSERT_TRUE(relayed) << relayed.error().message;
  EXPECT_THAT(*relayed, HasSubstr("<Signature xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">"));
  EXPECT_THAT(*relayed, HasSubstr("<SignedInfo"));
  EXPECT_THAT(*relayed, ::testing::Not(HasSubstr("xmldsig#")));
}

TEST(Relay, RefusesWhatIsNotADocument) {
  for (std::string bad : {std::string("not xml"), *Serialize(samples::Status("01"))}) {
    auto r = Relay(bad, RelayShape::LiveHub("000.00.00.G22", "2026/11/20 08:30:05"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "edxml.relay");
  }
}

}  // namespace
}  // namespace vxp::edxml
