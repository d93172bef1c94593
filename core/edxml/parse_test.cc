#include "core/edxml/parse.h"

#include <gtest/gtest.h>

#include "core/edxml/base64.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"

namespace vxp::edxml {
namespace {

constexpr char kStatusXml[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<q:edXML xmlns:q="http://www.mic.gov.vn/TBT/QCVN_102_2016">
 <q:edXMLEnvelope>
  <q:edXMLHeader>
   <q:MessageHeader>
    <q:Timestamp>2026/11/20 09:00:00</q:Timestamp>
    <q:StatusCode>03</q:StatusCode>
    <q:ResponseFor><q:DocumentId>D1</q:DocumentId><q:OrganId>000.00.00.G22</q:OrganId>
      <q:Code>1/X</q:Code><q:PromulgationDate>2026/11/20</q:PromulgationDate></q:ResponseFor>
    <q:From><q:OrganName>Tây Ninh</q:OrganName><q:OrganId>000.00.00.H53</q:OrganId></q:From>
   </q:MessageHeader>
  </q:edXMLHeader>
 </q:edXMLEnvelope>
</q:edXML>)";

// A large attachment's base64 is not copied out of the parsed document: the model views the
// document's buffer and keeps it alive, so the package outlives the parse intact, and copies of
// the package share the text. A small one is the model's own.
TEST(ParseTest, LargePayloadsAreViewsThatKeepTheDocumentAlive) {
  Package sample = samples::Document();
  const std::string large = EncodeBase64(std::string(300 * 1024, '\x25'));
  sample.attachments.front().content_base64 = large;
  const std::string bytes = *Serialize(sample);
  std::optional<Package> kept;
  std::weak_ptr<const void> document;
  {
    auto parsed = ParsePackage(bytes);
    ASSERT_TRUE(parsed) << parsed.error().message;
    document = parsed->xml.Keeper();
    kept = parsed->package;  // the parse (tree and buffer) ends with this scope
  }
  EXPECT_FALSE(document.expired());  // the package keeps what it views
  ASSERT_EQ(kept->attachments.size(), 1u);
  EXPECT_EQ(kept->attachments.front().content_base64.view(), large);
  Package copy = *kept;
  EXPECT_EQ(copy.attachments.front().content_base64.view().data(),
            kept->attachments.front().content_base64.view().data());  // shared, not copied
  kept.reset();
  EXPECT_EQ(copy.attachments.front().content_base64.view(), large);
  copy.attachments.clear();
  EXPECT_TRUE(document.expired());  // and no longer than that

  auto small = ParsePackage(*Serialize(samples::Document()));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->package.attachments.front().content_base64,
            samples::Document().attachments.front().content_base64);
}

TEST(ParseTest, AnyPrefixAnyOrder) {
  auto r = ParsePackage(kStatusXml);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->package.kind(), PackageKind::kStatus);
  const StatusHeader& s = *r->package.status();
  EXPECT_EQ(s.status_code, "03");
  EXPECT_EQ(s.from.organ_id, "000.00.00.H53");
  EXPECT_EQ(s.from.organ_name, "Tây Ninh");
  EXPECT_EQ(s.response_for.document_id, "D1");
  EXPECT_EQ(s.timestamp, "2026/11/20 09:00:00");
  // Order is accepted, and warned about once.
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].rule_id, "EDXML-1-ORDER");
  EXPECT_EQ(r->findings[0].verdict, Verdict::kWarn);
  EXPECT_EQ(r->findings[0].location.line, 7);  // StatusCode, the first child out of order
}

TEST(ParseTest, UnqualifiedElementsAreReadAndWarned) {
  std::string xml = *Serialize(samples::Document());
  // Move the attachments out of the namespace, as some producers do.
  size_t at = xml.find("<AttachmentEncoded>");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 19, "<AttachmentEncoded xmlns=\"\">");
  auto r = ParsePackage(xml);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->package, samples::Document());
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].rule_id, "EDXML-1-UNQUALIFIED");
  EXPECT_NE(r->findings[0].message.find("AttachmentEncoded"), std::string::npos);
}

TEST(ParseTest, ElementsOfOtherNamespacesAreNotEdxml) {
  std::string xml = *Serialize(samples::Status("01"));
  size_t at = xml.find("<edXML:StatusCode>");
  xml.replace(at, 18, "<edXML:StatusCode xmlns:edXML=\"urn:other\">");
  auto r = ParsePackage(xml);
  ASSERT_TRUE(r);
  // Without an edXML StatusCode the package reads as a document (and the schema will say why).
  EXPECT_EQ(r->package.kind(), PackageKind::kDocument);
}

TEST(ParseTest, NotEdxml) {
  auto html = ParsePackage("<html><body/></html>");
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().rule_id, "EDXML-1-ROOT");
  EXPECT_NE(html.error().message.find("not an edXML package"), std::string::npos);
  auto no_ns = ParsePackage("<edXML><edXMLEnvelope/></edXML>");
  ASSERT_FALSE(no_ns);
  EXPECT_EQ(no_ns.error().rule_id, "EDXML-1-ROOT");
  EXPECT_NE(no_ns.error().message.find("in no namespace"), std::string::npos);
}

TEST(ParseTest, LegacyFormatsAreNamed) {
  auto edoc = ParsePackage(
      "<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'>"
      "<soap:Header><MessageHeader xmlns='http://www.e-doc.vn/Schema/'/></soap:Header>"
      "</soap:Envelope>");
  ASSERT_FALSE(edoc);
  EXPECT_EQ(edoc.error().rule_id, "EDXML-9-LEGACY-EDOC");
  auto govn = ParsePackage("<EdXMLEnvelope xmlns='http://www.go.vn/eDoc'/>");
  ASSERT_FALSE(govn);
  EXPECT_EQ(govn.error().rule_id, "EDXML-9-LEGACY-GOVN");
}

TEST(ParseTest, SignatureIsKeptAsStandaloneXml) {
  std::string xml = *Serialize(samples::Document());
  size_t at = xml.find("</edXML:edXMLHeader>");
  xml.insert(at,
             "<edXML:Signature><edXML:SignatureValue>YWJj</edXML:SignatureValue>"
             "</edXML:Signature>");
  auto r = ParsePackage(xml);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->package.signature_xml);
  EXPECT_EQ(*r->package.signature_xml,
            "<edXML:Signature xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">"
            "<edXML:SignatureValue>YWJj</edXML:SignatureValue></edXML:Signature>");
}

TEST(ParseTest, MissingPartsLeaveEmptyValues) {
  auto r = ParsePackage(
      "<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><edXMLEnvelope/></edXML>");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->package.kind(), PackageKind::kDocument);
  EXPECT_EQ(r->package.document()->subject, "");
  EXPECT_FALSE(r->package.manifest);
}

}  // namespace
}  // namespace vxp::edxml
