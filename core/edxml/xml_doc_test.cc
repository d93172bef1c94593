#include "core/edxml/xml_doc.h"

#include <gtest/gtest.h>

#include <string>

namespace vxp::edxml {
namespace {

std::string RuleOf(std::string_view bytes, const ParseLimits& limits = {}) {
  auto r = LoadXml(bytes, limits);
  return r ? std::string("OK") : r.error().rule_id;
}

TEST(LoadXmlTest, AcceptsPlainXmlAndResolvesNamespaces) {
  auto r = LoadXml("<a xmlns='urn:x' xmlns:p='urn:p'>\n<p:b/>\n<c xmlns=''/></a>");
  ASSERT_TRUE(r) << r.error().message;
  XmlNode root = r->Root();
  EXPECT_EQ(root.ns, "urn:x");
  EXPECT_EQ(root.local, "a");
  auto kids = r->Children(root.node);
  ASSERT_EQ(kids.size(), 2u);
  EXPECT_EQ(kids[0].ns, "urn:p");
  EXPECT_EQ(kids[0].local, "b");
  EXPECT_EQ(kids[1].ns, "");
  EXPECT_EQ(r->Line(kids[0].node), 2);
  EXPECT_EQ(r->Line(kids[1].node), 3);
}

TEST(LoadXmlTest, RefusesExternalEntities) {
  const char* xxe =
      "<?xml version='1.0'?>\n<!DOCTYPE edXML [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
      "<edXML>&x;</edXML>";
  auto r = LoadXml(xxe);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().rule_id, "EDXML-XML-DTD");
  EXPECT_EQ(r.error().location.line, 2);
  EXPECT_NE(r.error().message.find("DOCTYPE"), std::string::npos) << r.error().message;
}

TEST(LoadXmlTest, RefusesEntityExpansionBombs) {
  std::string bomb = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>";
  for (int i = 1; i < 10; ++i) {
    bomb += "<!ENTITY lol" + std::to_string(i) + " '";
    for (int k = 0; k < 10; ++k)
      bomb += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    bomb += "'>";
  }
  bomb += "]><lolz>&lol9;</lolz>";
  EXPECT_EQ(RuleOf(bomb), "EDXML-XML-DTD");
}

TEST(LoadXmlTest, MalformedXmlNamesTheLine) {
  auto r = LoadXml("<a>\n<b>\n</a>");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().rule_id, "EDXML-XML-WELLFORMED");
  EXPECT_EQ(r.error().location.line, 3);
  EXPECT_NE(r.error().message.find("not well-formed"), std::string::npos);
  EXPECT_EQ(RuleOf(""), "EDXML-XML-WELLFORMED");
  auto pdf = LoadXml("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().rule_id, "EDXML-XML-WELLFORMED");
  EXPECT_NE(pdf.error().message.find("not XML: it starts with '%PDF-1.4"), std::string::npos);
}

TEST(LoadXmlTest, SizeLimit) {
  ParseLimits limits;
  limits.max_bytes = 10;
  auto r = LoadXml("<a>0123456789</a>", limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().rule_id, "EDXML-XML-SIZE");
  EXPECT_NE(r.error().message.find("over the limit of 10 bytes"), std::string::npos);
}

TEST(LoadXmlTest, DepthLimitWithoutRecursion) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  for (int i = 0; i < 100000; ++i) deep += "</a>";
  auto r = LoadXml(deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().rule_id, "EDXML-XML-DEPTH");
  ParseLimits limits;
  limits.max_depth = 3;
  EXPECT_EQ(RuleOf("<a><b><c/></b></a>", limits), "OK");
  EXPECT_EQ(RuleOf("<a><b><c><d/></c></b></a>", limits), "EDXML-XML-DEPTH");
}

TEST(LoadXmlTest, ElementLimitBeforeTheTree) {
  ParseLimits limits;
  limits.max_elements = 3;
  EXPECT_EQ(RuleOf("<a><b/><c/></a>", limits), "OK");
  EXPECT_EQ(RuleOf("<a><b/><c/><d/></a>", limits), "EDXML-XML-ELEMENTS");
  // Markup in comments, CDATA and processing instructions is not an element.
  EXPECT_EQ(RuleOf("<a><!-- <x/><y/> --><![CDATA[<z/><w/>]]><?pi <v/>?><b/><c/></a>", limits),
            "OK");
  std::string flood = "<a>";
  for (int i = 0; i < 200000; ++i) flood += "<x/>";
  flood += "</a>";
  auto r = LoadXml(flood);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().rule_id, "EDXML-XML-ELEMENTS");
  EXPECT_NE(r.error().message.find("more than 100000 elements"), std::string::npos);
  EXPECT_EQ(FindElementOverLimit(flood, 100000), 3 + 4 * 99999);  // the 100,001st element
}

TEST(LoadXmlTest, AttributeLimit) {
  std::string many = "<a";
  for (int i = 0; i < 70; ++i) many += " x" + std::to_string(i) + "='1'";
  many += "/>";
  EXPECT_EQ(RuleOf(many), "EDXML-XML-ATTRS");
}

TEST(LoadXmlTest, UndeclaredPrefixes) {
  EXPECT_EQ(RuleOf("<p:a/>"), "EDXML-XML-NAMESPACE");
  EXPECT_EQ(RuleOf("<a><r xlink:href='cid:1'/></a>"), "EDXML-XML-NAMESPACE");
  EXPECT_EQ(RuleOf("<a xmlns:xlink='http://www.w3.org/1999/xlink'><r xlink:href='cid:1'/></a>"),
            "OK");
  // A declaration goes out of scope with its element.
  EXPECT_EQ(RuleOf("<a><b xmlns:p='urn:p'/><p:c/></a>"), "EDXML-XML-NAMESPACE");
}

TEST(LoadXmlTest, Utf8Only) {
  EXPECT_EQ(RuleOf("<a>\xC3\x28</a>"), "EDXML-XML-UTF8");
  EXPECT_EQ(RuleOf("\xFF\xFE<\0a\0/\0>\0"), "EDXML-XML-UTF8");
  EXPECT_EQ(RuleOf("<?xml version='1.0' encoding='windows-1258'?><a/>"), "EDXML-XML-UTF8");
  EXPECT_EQ(RuleOf("<?xml version='1.0' encoding='utf-8'?><a>Tây Ninh</a>"), "OK");
  EXPECT_EQ(RuleOf("\xEF\xBB\xBF<a/>"), "OK");  // UTF-8 byte order mark
}

TEST(Utf8Test, FindsInvalidSequences) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii text, long enough for the fast path"), std::string::npos);
  EXPECT_EQ(FindInvalidUtf8("Ủy ban nhân dân"), std::string::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\x80"), 2u);                // overlong
  EXPECT_EQ(FindInvalidUtf8("ab\xED\xA0\x80"), 2u);            // surrogate
  EXPECT_EQ(FindInvalidUtf8("abcdefgh\xF4\x90\x80\x80"), 8u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("a\xE1\x80"), 1u);                 // truncated
}

TEST(XmlDocTest, PathsAndLines) {
  auto r = LoadXml("<r>\n<To/>\n<To>\n<Id/>\n</To>\n<From/>\n</r>");
  ASSERT_TRUE(r);
  auto kids = r->Children(r->Root().node);
  EXPECT_EQ(r->PathOf(kids[1].node), "/r/To[2]");
  EXPECT_EQ(r->PathOf(kids[2].node), "/r/From");
  EXPECT_EQ(r->LineOfPath("/r/To[2]/Id"), 4);
  EXPECT_EQ(r->LineOfPath("/r/From"), 6);
  EXPECT_EQ(r->LineOfPath("/r/From[1]"), 6);
  EXPECT_EQ(r->LineOfPath("/r/To[2]/Missing"), 3);  // nearest ancestor
  EXPECT_EQ(r->LineOfPath("/other"), 0);
}

}  // namespace
}  // namespace vxp::edxml
