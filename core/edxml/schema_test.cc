#include "core/edxml/schema.h"

#include <gtest/gtest.h>

#include "core/edxml/parse.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"

namespace vxp::edxml {
namespace {

std::vector<Finding> Check(const std::string& xml) {
  auto r = ParsePackage(xml);
  EXPECT_TRUE(r) << r.error().message;
  if (!r) return {};
  return ValidateSchema(r->xml, r->package.kind());
}

std::string Without(std::string xml, std::string_view element) {
  std::string open = "<edXML:" + std::string(element) + ">";
  std::string close = "</edXML:" + std::string(element) + ">";
  size_t a = xml.find(open);
  size_t b = xml.find(close, a);
  xml.erase(a, b + close.size() - a);
  return xml;
}

TEST(SchemaTest, SampleConforms) {
  EXPECT_TRUE(Check(*Serialize(samples::Document())).empty());
  EXPECT_TRUE(Check(*Serialize(samples::Status("02"))).empty());
}

TEST(SchemaTest, MissingRequiredElementNamesItWithPathAndLine) {
  std::string xml = Without(*Serialize(samples::Document()), "Subject");
  auto f = Check(xml);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, "EDXML-XSD");
  EXPECT_EQ(f[0].verdict, Verdict::kFail);
  EXPECT_NE(f[0].message.find("Subject"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].message.find("{http"), std::string::npos) << f[0].message;
  // libxml2 reports at the element found where Subject was expected.
  EXPECT_EQ(f[0].location.path, "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/Content");
  EXPECT_GT(f[0].location.line, 1);
}

TEST(SchemaTest, UnknownElementIsReported) {
  std::string xml = *Serialize(samples::Document());
  xml.insert(xml.find("<edXML:Subject>"), "<edXML:Colour>red</edXML:Colour>");
  auto f = Check(xml);
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].rule_id, "EDXML-XSD");
  EXPECT_NE(f[0].message.find("Colour"), std::string::npos);
}

TEST(SchemaTest, OrderIsNotAFailureWhenJudging) {
  std::string xml = *Serialize(samples::Document());
  // Move DocumentId to the front of MessageHeader.
  std::string id = "<edXML:DocumentId>" + std::string(samples::kDocumentId) + "</edXML:DocumentId>";
  xml.erase(xml.find(id), id.size());
  xml.insert(xml.find("<edXML:From>"), id);
  auto parsed = ParsePackage(xml);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(ValidateSchema(parsed->xml, PackageKind::kDocument).empty());
  EXPECT_FALSE(ValidateSchema(parsed->xml, PackageKind::kDocument, /*reorder=*/false).empty());
}

TEST(SchemaTest, LargeAttachmentTextIsNotCopiedIntoTheTree) {
  // A 3 MB attachment validates like a small one; its base64 is judged elsewhere.
  std::string xml = *Serialize(samples::Document(std::string(3 << 20, 'x')));
  EXPECT_TRUE(Check(xml).empty());
}

TEST(SchemaTest, EmbeddedSchemasAreTheFilesInTheTree) {
  EXPECT_NE(SchemaText(PackageKind::kDocument).find("name=\"DocumentId\""), std::string::npos);
  EXPECT_NE(SchemaText(PackageKind::kStatus).find("name=\"StatusCode\""), std::string::npos);
}

}  // namespace
}  // namespace vxp::edxml
