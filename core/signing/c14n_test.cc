// vxpkit's C14N (c14n.h) against libxml2's, byte for byte, and the fast envelope-signature check
// (envelope_value.h) against xmlsec's verdict: on every XML file of the vectors and fuzz corpora,
// on documents written to exercise each rule of C14N, and on signed packages altered in ways that
// must and must not break their signature.
#include "core/signing/c14n.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/edxml/base64.h"
#include "core/edxml/model.h"
#include "core/edxml/xml_doc.h"
#include "core/signing/c14n_reference.h"
#include "core/signing/envelope.h"
#include "core/signing/envelope_value.h"
#include "core/signing/ossl.h"
#include "core/signing/test_pki.h"
#include "tests/support/data_files.h"

namespace vxp::signing::c14n {
namespace {

constexpr std::string_view kDsig = edxml::kXmlDsigNamespace;
constexpr std::string_view kEdxml = edxml::kNamespace;

struct SubsetCase {
  bool exclude;
  std::string_view local, ns;
};
constexpr SubsetCase kSubsets[] = {
    {true, "", ""},  // the whole document
    {true, "Signature", kDsig},
    {false, "SignedInfo", kDsig},
    {false, "edXMLHeader", kEdxml},
    {true, "edXMLHeader", kEdxml},
};

// Compares both forms of every subset in both modes; returns how many vxpkit produced.
int CompareAll(const std::string& name, const std::string& bytes) {
  int compared = 0;
  for (Mode mode : {Mode::kInclusive, Mode::kExclusive}) {
    for (const SubsetCase& s : kSubsets) {
      BothForms both = CanonicalizeBoth(bytes, s.exclude, s.local, s.ns, mode);
      if (!both.own) continue;
      ++compared;
      EXPECT_TRUE(both.libxml.has_value())
          << name << ": vxpkit canonicalised what libxml2 refuses (" << s.local << ")";
      if (both.libxml) {
        EXPECT_EQ(*both.own, *both.libxml)
            << name << " " << (s.exclude ? "without " : "only ") << s.local << " "
            << (mode == Mode::kExclusive ? "exclusive" : "inclusive");
      }
    }
  }
  return compared;
}

TEST(C14n, MatchesLibxml2OnEveryCorpusFile) {
  int files = 0, compared = 0;
  for (const char* dir : {"vectors", "fuzz/corpus/parse", "fuzz/corpus/signature",
                          "fuzz/corpus/relay", "fuzz/corpus/hub"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(
             std::filesystem::path(VXP_SOURCE_DIR) / dir)) {
      if (!e.is_regular_file() || e.path().extension() == ".json") continue;
      ++files;
      compared += CompareAll(e.path().string(), vxp::testing::Slurp(e.path()));
    }
  }
  // The comparison must have happened: every signed vector and most corpus files are handled.
  EXPECT_GT(files, 500);
  EXPECT_GT(compared, 400);
}

std::optional<std::string> Canon(const pugi::xml_document& doc, Mode mode) {
  std::string out;
  pugi::xml_node sig = FirstElement(doc, "Signature", kDsig);
  if (!Canonicalize(doc, {.excluded = sig}, mode, [&](std::string_view b) { out += b; })) {
    return std::nullopt;
  }
  return out;
}

// The signature check digests the tree edxml::LoadXml built for validation when
// FaithfulAsLoaded says it may: on every corpus file it so accepts, ParseFaithful accepts the
// bytes too and both trees canonicalise to the same bytes.
TEST(C14n, TheTreeLoadedForValidationIsTheFaithfulOne) {
  int shared = 0;
  for (const char* dir : {"vectors", "fuzz/corpus/parse", "fuzz/corpus/signature"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(
             std::filesystem::path(VXP_SOURCE_DIR) / dir)) {
      if (!e.is_regular_file() || e.path().extension() == ".json") continue;
      std::string bytes = vxp::testing::Slurp(e.path());
      auto loaded = edxml::LoadXml(bytes);
      if (!loaded || !FaithfulAsLoaded(bytes, loaded->Tree())) continue;
      pugi::xml_document faithful;
      ASSERT_TRUE(ParseFaithful(bytes, &faithful)) << e.path();
      for (Mode mode : {Mode::kInclusive, Mode::kExclusive}) {
        EXPECT_EQ(Canon(loaded->Tree(), mode), Canon(faithful, mode)) << e.path();
      }
      ++shared;
    }
  }
  EXPECT_GT(shared, 100);
}

TEST(C14n, CommentsAndProcessingInstructionsAreLeftToTheFaithfulParse) {
  const std::string plain =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a xmlns=\"urn:x\">\n  <b>1</b>\n</a>\n";
  auto loaded = edxml::LoadXml(plain);
  ASSERT_TRUE(loaded);
  EXPECT_TRUE(FaithfulAsLoaded(plain, loaded->Tree()));
  for (std::string bytes :
       {"<?xml version=\"1.0\"?>\n<a xmlns=\"urn:x\"><!-- c --><b>1</b></a>",
        "<a xmlns=\"urn:x\"><?pi x?><b>1</b></a>", "<?pi x?><a xmlns=\"urn:x\"><b>1</b></a>",
        "<?xml version=\"1.0\"?><?pi x?><a xmlns=\"urn:x\"><b>1</b></a>"}) {
    auto doc = edxml::LoadXml(bytes);
    ASSERT_TRUE(doc) << bytes;
    EXPECT_FALSE(FaithfulAsLoaded(bytes, doc->Tree())) << bytes;
  }
}

// Documents written for the rules of C14N 1.0 and Exclusive C14N; vxpkit must handle each and
// agree with libxml2 on each.
TEST(C14n, MatchesLibxml2OnEachRule) {
  const std::string kWrap = "<r xmlns='urn:r' xmlns:a='http://a.example/' xmlns:b='urn:b'>";
  const std::vector<std::string> docs = {
      // attribute order: unqualified first, then by namespace URI, then local name
      "<r xmlns:z='urn:a' xmlns:y='urn:b'><e z:b='1' y:a='2' c='3' a='4'/></r>",
      // superfluous and overriding declarations, xmlns="" undoing a default
      "<r xmlns='urn:d' xmlns:p='urn:p'><p:e xmlns:p='urn:p'><f xmlns=''><g xmlns='urn:d'/></f>"
      "</p:e></r>",
      // escaping in text and attributes, character references, CR, tabs and newlines
      "<r a='&amp;&quot;&#9;&#10;&#13;x&gt;>' b=\"it's\">&lt;&amp;&gt;&#13;\r\n tab\t&#x1F600;"
      "</r>",
      // comments, whitespace between elements, empty elements, a declaration
      "<?xml version='1.0' encoding='utf-8' ?>\n<!-- a -->\n<r>\n  <!-- gone -->\n  <e/><e></e>\n"
      "</r>\n<!-- b -->\n",
      // prefixes used only by attributes; unused declarations (exclusive drops them)
      kWrap + "<a:e b:x='1'><c/></a:e><f xmlns:unused='urn:u'/></r>",
      // the XML namespace
      "<r xml:lang='vi'><e xml:space='preserve'> a </e></r>",
      // Vietnamese text, precomposed and combining
      "<r>Công văn số 12/UBND — Ủy ban nhân dân</r>",
      // an edXML-shaped document with a Signature to leave out
      std::string("<edXML xmlns='") + std::string(kEdxml) + "'><edXMLEnvelope><edXMLHeader a='1'>" +
          "<ds:Signature xmlns:ds='" + std::string(kDsig) + "'><ds:SignedInfo Id='s'>" +
          "<ds:Reference URI=''/></ds:SignedInfo></ds:Signature>\n</edXMLHeader>" +
          "</edXMLEnvelope></edXML>",
  };
  for (const std::string& doc : docs) {
    EXPECT_GT(CompareAll(doc, doc), 0) << "vxpkit refused: " << doc;
  }
}

TEST(C14n, RefusesWhatItDoesNotImplement) {
  for (const std::string doc : {
           "<r><?pi data?></r>",                                    // processing instruction
           "<?pi data?><r/>",                                       // at document level
           "<r xmlns:p='relative'><p:e/></r>",                      // relative namespace URI
           "<r xmlns='urn:a b'/>",                                  // a space in a namespace URI
           "<r>&#0;</r>",                                           // not an XML character
           "<r>&nbsp;</r>",                                         // an undeclared entity
           "<r>\x01</r>",                                           // a control character
           "<p:r/>",                                                // an undeclared prefix
           "<r a='<'/>",                                            // '<' in an attribute value
           "<r a='1' a='2'/>",                                      // a duplicate attribute
           "<r xmlns:p='urn:p' xmlns:q='urn:p' p:a='1' q:a='2'/>",  // the same, by namespace
           "<?xml version='1.1'?><r/>",                             // not the plainest declaration
           "<?xml version='1.0' encoding='latin1'?><r/>",
           "<r><!-- a -- b --></r>",  // "--" in a comment
           "<r><![CDATA[x]]></r>",    // CDATA
           "text<r/>",                // text beside the document element
           "<r/>text",
           "<r></r>text<!-- c -->",
           "<r><e/></r><!-- c -->text",
           "<r a='/>'/>x/>",
           "<r/><r/>",                               // two document elements
           "<r xmlns:p='http://a.example:port/'/>",  // not a plain URI
       }) {
    pugi::xml_document parsed;
    bool refused = !ParseFaithful(doc, &parsed) ||
                   !Canonicalize(parsed, {}, Mode::kInclusive, [](std::string_view) {});
    EXPECT_TRUE(refused) << doc;
  }
}

// Signed packages, altered; the fast check and xmlsec must give the same verdict on each.
TEST(EnvelopeValue, AgreesWithXmlsecOnAlteredPackages) {
  auto credential = *test_pki::BuiltInCredential("agency-g22");
  auto cert = *ossl::ParseCertificate(credential.cert_pem);
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  auto keys = vxp::testing::SlurpDirectory(std::string(VXP_SOURCE_DIR) + "/vectors/packages");
  ASSERT_FALSE(keys.empty());
  int valid = 0, invalid = 0;
  for (C14n method : {C14n::kExclusive, C14n::kInclusive}) {
    for (const auto& [name, bytes] : keys) {
      if (!name.ends_with(".xml")) continue;
      auto signed_package = SignEnvelope(bytes, credential, {.c14n = method});
      if (!signed_package) continue;
      const std::string& s = *signed_package;
      // Inside the document element, after all its content: a comment (harmless), a character,
      // the same character as a reference, whitespace; and an attribute on the element.
      size_t close = s.rfind("</");
      size_t root = s.find('<', s.find("?>") == std::string::npos ? 0 : s.find("?>"));
      size_t name_end = s.find_first_of(" >", root);
      ASSERT_NE(close, std::string::npos);
      std::vector<std::string> variants = {
          s,
          s.substr(0, close) + "<!-- note -->" + s.substr(close),
          s.substr(0, close) + "x" + s.substr(close),
          s.substr(0, close) + "&#120;" + s.substr(close),
          s.substr(0, close) + "\n" + s.substr(close),
          s.substr(0, name_end) + " extra='1'" + s.substr(name_end),
      };
      for (const std::string& v : variants) {
        ValueVerdict fast = VerifyProfileValue(v, key);
        std::optional<bool> reference = XmlsecVerifies(v, key);
        ASSERT_TRUE(reference.has_value()) << name;
        if (fast == ValueVerdict::kNotProfileShape) continue;
        EXPECT_EQ(fast == ValueVerdict::kValid, *reference) << name << ":\n" << v;
        (fast == ValueVerdict::kValid ? valid : invalid)++;
      }
    }
  }
  EXPECT_GT(valid, 20);    // the original packages and the ones with a comment added
  EXPECT_GT(invalid, 20);  // every other alteration
}

TEST(EnvelopeValue, EverySignatureVectorGetsXmlsecsVerdict) {
  // VerifyEnvelope's findings on every envelope vector are pinned by the vector tests; here the
  // fast check must never call a vector valid that xmlsec does not.
  auto files = vxp::testing::SlurpDirectory(std::string(VXP_SOURCE_DIR) + "/vectors/signatures");
  int checked = 0;
  for (const auto& [name, bytes] : files) {
    if (!name.starts_with("env-") || !name.ends_with(".xml")) continue;
    pugi::xml_document doc;
    if (!ParseFaithful(bytes, &doc)) continue;
    // The KeyInfo's first certificate is the signer in every vector.
    size_t at = bytes.find("X509Certificate>");
    if (at == std::string::npos) continue;
    size_t end = bytes.find("<", at);
    std::string b64 = bytes.substr(at + 16, end - at - 16);
    std::erase_if(b64, [](char c) { return c == '\n' || c == '\r' || c == ' '; });
    auto der = edxml::DecodeBase64ToString(b64);
    ASSERT_TRUE(der.has_value()) << name;
    auto cert = ossl::ParseCertificate(*der);
    ASSERT_TRUE(cert.has_value()) << name;
    EVP_PKEY* key = X509_get0_pubkey(cert->get());
    ValueVerdict fast = VerifyProfileValue(bytes, key);
    std::optional<bool> reference = XmlsecVerifies(bytes, key);
    if (fast == ValueVerdict::kValid) {
      EXPECT_EQ(reference, std::optional<bool>(true)) << name;
      ++checked;
    } else if (fast == ValueVerdict::kInvalid) {
      EXPECT_NE(reference, std::optional<bool>(true)) << name;
      ++checked;
    }
  }
  EXPECT_GT(checked, 10);
}

}  // namespace
}  // namespace vxp::signing::c14n
