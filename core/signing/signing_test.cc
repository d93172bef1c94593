// Unit tests of core/signing: time parsing, trust stores, both signature profiles and their
// failure modes beyond the vector corpus (tests/signature_vectors_test.cc covers the vectors).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/edxml/base64.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "core/edxml/zip.h"
#include "core/signing/detached.h"
#include "core/signing/envelope.h"
#include "core/signing/pdf.h"
#include "core/signing/signature_rules.h"
#include "core/signing/test_pki.h"
#include "core/signing/trust.h"
#include "core/signing/vectors.h"
#include "core/signing/verify.h"
#include "tests/support/data_files.h"

namespace vxp::signing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const std::map<std::string, std::string>& Keys() {
  static const auto keys = testing::SlurpDirectory(std::string(VXP_SOURCE_DIR) + "/vectors/keys");
  return keys;
}

Credential Cred(std::string_view name) { return *test_pki::CredentialFor(Keys(), name); }

std::int64_t Pinned() { return *ParseTime(test_pki::kPinnedTime); }

VerifyOptions At(std::int64_t at, const TrustStore* trust = nullptr) {
  return VerifyOptions{trust, at};
}

std::vector<std::string> Ids(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.rule_id);
  return out;
}

std::string Package() {
  return *edxml::Serialize(edxml::samples::Document("plain text body, not a PDF"));
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(ParseTime, AcceptsUtcOffsetAndDateForms) {
  EXPECT_EQ(*ParseTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseTime("2026-11-20T17:00:00+07:00"), *ParseTime("2026-11-20T10:00:00Z"));
  EXPECT_EQ(*ParseTime("2026-11-20"), *ParseTime("2026-11-20T00:00:00Z"));
}

TEST(ParseTime, RefusesOtherFormsWithExample) {
  for (std::string_view bad : {"", "2026/11/20", "2026-13-01", "2026-11-20T10:00:00",
                               "2026-11-20 10:00:00Z", "tomorrow"}) {
    auto t = ParseTime(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code, "signing.time");
    EXPECT_THAT(t.error().message, HasSubstr("2026-11-20T10:00:00Z"));
  }
}

TEST(TrustStore, RefusesNoAnchorAndGarbage) {
  auto none = TrustStore::Create({});
  ASSERT_FALSE(none);
  EXPECT_THAT(none.error().message, HasSubstr("no trust anchor"));
  std::string garbage[] = {"not a certificate"};
  auto bad = TrustStore::Create(garbage);
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("trust anchor 1"));
  std::string anchors[] = {Keys().at("root-ca.crt")};
  std::string crls[] = {"junk"};
  auto bad_crl = TrustStore::Create(anchors, crls);
  ASSERT_FALSE(bad_crl);
  EXPECT_THAT(bad_crl.error().message, HasSubstr("CRL 1"));
}

TEST(TrustStore, BuiltInTestPkiIsTheCommittedOne) {
  EXPECT_THAT(TrustStore::TestPki().Describe(), HasSubstr("vxpkit Mock Government Root CA"));
  // A signature by the committed agency key verifies against the built-in store: the embedded
  // anchors were rebuilt from vectors/keys/.
  auto signed_package = SignEnvelope(Package(), Cred("agency-g22"));
  ASSERT_TRUE(signed_package) << signed_package.error().message;
  EXPECT_THAT(Ids(VerifyEnvelope(*signed_package, At(Pinned())).findings), IsEmpty());
}

TEST(Rules, IdsAreUniqueAndProfilesMapShared) {
  std::set<std::string_view> ids;
  for (const RuleInfo& r : SignatureRules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_TRUE(r.id.starts_with("DSIG-")) << r.id;
    EXPECT_FALSE(r.summary.empty());
  }
  EXPECT_EQ(Id(Profile::kEnvelope, rules::kCertRevoked), "DSIG-ENV-CERT-REVOKED");
  EXPECT_EQ(Id(Profile::kPdf, rules::kCertRevoked), "DSIG-PDF-CERT-REVOKED");
  EXPECT_EQ(Id(Profile::kPdf, rules::kPdfTruncated), "DSIG-PDF-TRUNCATED");
}

// ---- Envelope.

TEST(Envelope, RoundTripNamesTheSigner) {
  auto signed_package = SignEnvelope(Package(), Cred("agency-g22"));
  ASSERT_TRUE(signed_package);
  EXPECT_THAT(*signed_package,
              HasSubstr("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">"));
  EXPECT_THAT(*signed_package, HasSubstr("xml-exc-c14n#"));
  EXPECT_THAT(*signed_package, HasSubstr("rsa-sha256"));
  EnvelopeVerification v = VerifyEnvelope(*signed_package, At(Pinned()));
  EXPECT_TRUE(v.present);
  EXPECT_THAT(Ids(v.findings), IsEmpty());
  EXPECT_THAT(v.signer, HasSubstr("UID=000.00.00.G22"));
  // The package is still a valid package (the Signature is where the schema allows it).
  edxml::Judgement j = Judge(*signed_package, {.rules = {.today = Date{2026, 11, 21}}},
                             SignaturePolicy{At(Pinned())});
  EXPECT_EQ(j.verdict, Verdict::kPass) << (j.findings.empty() ? "" : j.findings[0].message);
}

TEST(Envelope, VerificationTimeIsPinnedNotTheClock) {
  auto signed_package = *SignEnvelope(Package(), Cred("agency-g22"));
  // agency-g22 is valid 2025-01-01 .. 2045-01-01.
  // In 2046 the CRLs (nextUpdate 2045-01-01) are stale too: revocation is unchecked, not passed.
  EXPECT_THAT(Ids(VerifyEnvelope(signed_package, At(*ParseTime("2046-01-01"))).findings),
              ElementsAre("DSIG-ENV-CERT-EXPIRED", "DSIG-ENV-REVOCATION-UNCHECKED",
                          "DSIG-ENV-REVOCATION-UNCHECKED"));
  EXPECT_THAT(Ids(VerifyEnvelope(signed_package, At(*ParseTime("2024-06-01"))).findings),
              ElementsAre("DSIG-ENV-CERT-NOT-YET-VALID"));
}

// A chain verdict cached clean at one time must not leak to another: walked across the
// certificate's and the CRLs' boundaries with one store (its cache warm), every verdict equals
// the one a fresh store (cold cache) gives at that time.
TEST(Envelope, CachedChainVerdictsHoldOnlyWhereNothingChanges) {
  auto signed_package = *SignEnvelope(Package(), Cred("agency-g22"));  // 2025-01-01 .. 2045-01-01
  auto warm = TrustStore::FromFiles(Keys());
  ASSERT_TRUE(warm) << warm.error().message;
  int findings = 0;
  for (const char* when : {"2026-11-20T10:00:00Z", "2044-12-31T23:59:59Z", "2045-01-01T00:00:00Z",
                           "2045-01-01T00:00:01Z", "2026-11-20T10:00:00Z", "2025-01-01T00:00:00Z",
                           "2024-12-31T23:59:59Z", "2025-01-01T00:00:01Z"}) {
    auto cold = TrustStore::FromFiles(Keys());
    auto cached = Ids(VerifyEnvelope(signed_package, At(*ParseTime(when), &*warm)).findings);
    auto fresh = Ids(VerifyEnvelope(signed_package, At(*ParseTime(when), &*cold)).findings);
    EXPECT_EQ(cached, fresh) << when;
    findings += static_cast<int>(fresh.size());
  }
  EXPECT_GT(findings, 0);  // the walk does cross a boundary
}

TEST(Envelope, RevokedOnlyFromTheRevocationDate) {
  auto signed_package = *SignEnvelope(Package(), Cred("agency-revoked"));  // revoked 2026-01-01
  EXPECT_THAT(Ids(VerifyEnvelope(signed_package, At(*ParseTime("2025-12-31"))).findings),
              IsEmpty());
  EXPECT_THAT(Ids(VerifyEnvelope(signed_package, At(Pinned())).findings),
              ElementsAre("DSIG-ENV-CERT-REVOKED"));
}

TEST(Envelope, WithoutCrlRevocationIsUncheckedNotPassed) {
  std::string anchors[] = {Keys().at("root-ca.crt")};
  auto store = *TrustStore::Create(anchors);
  auto signed_package = *SignEnvelope(Package(), Cred("agency-g22"));
  std::vector<Finding> f = VerifyEnvelope(signed_package, At(Pinned(), &store)).findings;
  ASSERT_THAT(Ids(f), ElementsAre("DSIG-ENV-REVOCATION-UNCHECKED",
                                  "DSIG-ENV-REVOCATION-UNCHECKED"));  // intermediate and signer
  EXPECT_EQ(f[0].verdict, Verdict::kWarn);
}

TEST(Envelope, OtherTrustAnchorMeansNoChain) {
  std::string anchors[] = {Keys().at("untrusted-root-ca.crt")};
  auto store = *TrustStore::Create(anchors);
  auto signed_package = *SignEnvelope(Package(), Cred("agency-g22"));
  std::vector<Finding> f = VerifyEnvelope(signed_package, At(Pinned(), &store)).findings;
  ASSERT_THAT(Ids(f), ElementsAre("DSIG-ENV-CERT-CHAIN"));
  EXPECT_THAT(f[0].message, HasSubstr("vxpkit Untrusted Root CA"));  // names what is trusted
}

TEST(Envelope, InclusiveC14nVerifies) {
  auto signed_package = *SignEnvelope(Package(), Cred("agency-g22"), {.c14n = C14n::kInclusive});
  EXPECT_THAT(signed_package, HasSubstr("REC-xml-c14n-20010315"));
  EXPECT_THAT(Ids(VerifyEnvelope(signed_package, At(Pinned())).findings), IsEmpty());
}

TEST(Envelope, SignRefusesBadInputWithItsCode) {
  auto signed_package = *SignEnvelope(Package(), Cred("agency-g22"));
  auto twice = SignEnvelope(signed_package, Cred("agency-g22"));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "signing.input");
  EXPECT_THAT(twice.error().message, HasSubstr("already signed"));

  Credential mismatched = Cred("agency-g22");
  mismatched.cert_pem = Keys().at("agency-h53.crt");
  auto wrong = SignEnvelope(Package(), mismatched);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, "signing.key");

  auto not_xml = SignEnvelope("%PDF-1.4 not xml", Cred("agency-g22"));
  ASSERT_FALSE(not_xml);
  EXPECT_EQ(not_xml.error().code, "signing.input");
  auto no_header = SignEnvelope("<a/>", Cred("agency-g22"));
  ASSERT_FALSE(no_header);
  EXPECT_THAT(no_header.error().message, HasSubstr("edXMLHeader"));
}

TEST(Envelope, AbsentSignatureIsNotAFinding) {
  EnvelopeVerification v = VerifyEnvelope(Package(), At(Pinned()));
  EXPECT_FALSE(v.present);
  EXPECT_THAT(v.findings, IsEmpty());
}

TEST(Envelope, HostileXmlIsRefusedBeforeXmlsec) {
  EnvelopeVerification v = VerifyEnvelope(
      "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><edXML><Signature>&e;</Signature>"
      "</edXML>",
      At(Pinned()));
  EXPECT_FALSE(v.present);
  EXPECT_THAT(Ids(v.findings), ElementsAre("EDXML-XML-DTD"));
}

class EnvelopeMutation : public ::testing::Test {
 protected:
  void SetUp() override { signed_ = *SignEnvelope(Package(), Cred("agency-g22")); }
  std::vector<std::string> Verify(const std::string& bytes) {
    return Ids(VerifyEnvelope(bytes, At(Pinned())).findings);
  }
  std::string signed_;
};

TEST_F(EnvelopeMutation, SignatureMovedIntoBodyIsMisplaced) {
  size_t begin = signed_.find("<Signature ");
  size_t end = signed_.find("</Signature>") + 12;
  std::string sig = signed_.substr(begin, end - begin);
  std::string moved = signed_;
  moved.erase(begin, end - begin);
  moved = Replace(moved, "</edXML:edXMLBody>", sig + "</edXML:edXMLBody>");
  EXPECT_THAT(Verify(moved), ::testing::Contains("DSIG-ENV-PLACEMENT"));
}

TEST_F(EnvelopeMutation, SecondSignatureIsMisplaced) {
  size_t begin = signed_.find("<Signature ");
  size_t end = signed_.find("</Signature>") + 12;
  std::string twice = signed_;
  twice.insert(end, signed_.substr(begin, end - begin));
  // The enveloped transform removes only the signature being verified; the copy is signed-over
  // content that was added afterwards.
  EXPECT_THAT(Verify(twice), UnorderedElementsAre("DSIG-ENV-PLACEMENT", "DSIG-ENV-DIGEST"));
}

TEST_F(EnvelopeMutation, XsltTransformIsRefusedNotRun) {
  std::string xslt = Replace(
      signed_, "<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
      "<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
      "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>");
  EXPECT_THAT(Verify(xslt), ElementsAre("DSIG-ENV-ALGORITHM"));
}

TEST_F(EnvelopeMutation, ExternalReferenceIsNeverFetched) {
  std::string external = Replace(signed_, "URI=\"\"", "URI=\"http://127.0.0.1:9/evil.xml\"");
  EXPECT_THAT(Verify(external), ElementsAre("DSIG-ENV-SCOPE"));
}

TEST_F(EnvelopeMutation, HmacMethodIsRefused) {
  std::string hmac = Replace(signed_, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                             "http://www.w3.org/2000/09/xmldsig#hmac-sha1");
  EXPECT_THAT(Verify(hmac), ElementsAre("DSIG-ENV-ALGORITHM"));
}

TEST_F(EnvelopeMutation, MissingPartsHaveTheirOwnRules) {
  size_t v1 = signed_.find("<SignatureValue>");
  size_t v2 = signed_.find("</SignatureValue>") + 17;
  std::string no_value = signed_;
  no_value.erase(v1, v2 - v1);
  EXPECT_THAT(Verify(no_value), ElementsAre("DSIG-ENV-STRUCTURE"));

  size_t k1 = signed_.find("<KeyInfo>");
  size_t k2 = signed_.find("</KeyInfo>") + 10;
  std::string no_key = signed_;
  no_key.erase(k1, k2 - k1);
  EXPECT_THAT(Verify(no_key), ElementsAre("DSIG-ENV-KEYINFO"));

  std::string bad_cert = Replace(signed_, "<X509Certificate>", "<X509Certificate>@@@@");
  EXPECT_THAT(Verify(bad_cert), ::testing::Contains("DSIG-ENV-KEYINFO"));
}

TEST_F(EnvelopeMutation, ChangedTraceHeaderBreaksTheDigest) {
  // Re-serialising relays append a TraceHeader: the envelope no longer verifies (edxml.md §7).
  std::string relayed = Replace(signed_, "</edXML:TraceHeaderList>",
                                "<edXML:TraceHeader><edXML:OrganId>000.00.00.H53</edXML:OrganId>"
                                "<edXML:Timestamp>2026/11/20 09:00:00</edXML:Timestamp>"
                                "</edXML:TraceHeader></edXML:TraceHeaderList>");
  EXPECT_THAT(Verify(relayed), ElementsAre("DSIG-ENV-DIGEST"));
}

// ---- PDF.

TEST(Pdf, TestPdfIsUnsignedAndSigningAddsOneField) {
  std::string pdf = MakeTestPdf({"hello"});
  EXPECT_TRUE(pdf.starts_with("%PDF-1.7"));
  EXPECT_THAT(FindPdfSignatures(pdf), IsEmpty());
  PdfVerification unsigned_pdf = VerifyPdf(pdf, At(Pinned()));
  EXPECT_FALSE(unsigned_pdf.present);

  auto signed_pdf = SignPdf(pdf, Cred("agency-g22"), {.signing_time = Pinned()});
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().message;
  std::vector<PdfSignatureField> fields = FindPdfSignatures(*signed_pdf);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_TRUE(fields[0].range_readable);
  EXPECT_EQ(fields[0].sub_filter, "adbe.pkcs7.detached");
  EXPECT_EQ(fields[0].range[2] + fields[0].range[3], signed_pdf->size());
  PdfVerification v = VerifyPdf(*signed_pdf, At(Pinned()));
  EXPECT_TRUE(v.present);
  EXPECT_THAT(Ids(v.findings), IsEmpty());
  EXPECT_EQ(v.signing_time, Pinned());
  EXPECT_THAT(v.signer, HasSubstr("000.00.00.G22"));
}

TEST(Pdf, JudgedAtSigningTimeWhenEarlier) {
  std::string pdf = MakeTestPdf({"signed in 2044"});
  auto signed_pdf = *SignPdf(pdf, Cred("agency-g22"), {.signing_time = *ParseTime("2044-06-01")});
  // Verified in 2046, after agency-g22 expired: signed while valid, so no finding.
  EXPECT_THAT(Ids(VerifyPdf(signed_pdf, At(*ParseTime("2046-01-01"))).findings), IsEmpty());
  // A signing time later than the verification time is not believed: judged at `at`.
  EXPECT_THAT(Ids(VerifyPdf(signed_pdf, At(*ParseTime("2024-01-01"))).findings),
              ElementsAre("DSIG-PDF-CERT-NOT-YET-VALID"));
}

TEST(Pdf, CadesSubFilterAcceptedOthersNot) {
  std::string pdf = MakeTestPdf({"x"});
  auto cades = *SignPdf(pdf, Cred("agency-g22"),
                        {.signing_time = Pinned(), .sub_filter = "ETSI.CAdES.detached"});
  EXPECT_THAT(Ids(VerifyPdf(cades, At(Pinned())).findings), IsEmpty());
  auto other = *SignPdf(pdf, Cred("agency-g22"),
                        {.signing_time = Pinned(), .sub_filter = "adbe.x509.rsa_sha1"});
  EXPECT_THAT(Ids(VerifyPdf(other, At(Pinned())).findings), ElementsAre("DSIG-PDF-SUBFILTER"));
}

TEST(Pdf, SignRefusesWhatItCannotDo) {
  auto not_pdf = SignPdf("not a pdf at all", Cred("agency-g22"), {.signing_time = Pinned()});
  ASSERT_FALSE(not_pdf);
  EXPECT_EQ(not_pdf.error().code, "signing.input");
  auto too_small = SignPdf(MakeTestPdf({"x"}), Cred("agency-g22"),
                           {.signing_time = Pinned(), .contents_bytes = 100});
  ASSERT_FALSE(too_small);
  EXPECT_EQ(too_small.error().code, "signing.cms");
  EXPECT_THAT(too_small.error().message, HasSubstr("does not fit"));
}

TEST(Pdf, DamagedSignatureDictionariesAreNamed) {
  auto ids = [](std::string_view pdf) { return Ids(VerifyPdf(pdf, At(Pinned())).findings); };
  EXPECT_THAT(ids("%PDF-1.7\n1 0 obj << /ByteRange [0 12 >> endobj"),
              ElementsAre("DSIG-PDF-MALFORMED"));
  EXPECT_THAT(ids("%PDF-1.7\n1 0 obj << /ByteRange [0 10 20 99999] >> endobj"),
              ElementsAre("DSIG-PDF-TRUNCATED"));
  std::string not_hex =
      "%PDF-1.7\n1 0 obj << /SubFilter /adbe.pkcs7.detached /ByteRange [0 70 "
      "80 20] /Contents <zzzzzzzz> >> endobj                                   ";
  size_t lt = not_hex.find('<', not_hex.find("/Contents"));
  std::string fixed = "[0 " + std::to_string(lt) + " " + std::to_string(lt + 10) + " " +
                      std::to_string(not_hex.size() - lt - 10) + "]";
  not_hex.replace(not_hex.find("[0 70"), 13, fixed.substr(0, 13));
  EXPECT_THAT(ids(not_hex), ::testing::Contains(::testing::StartsWith("DSIG-PDF-")));
  EXPECT_THAT(ids("%PDF-1.7\n/ByteRange [5 10 20 5] junk junk junk junk"),
              ElementsAre("DSIG-PDF-BYTERANGE"));
}

// ---- Files and packages.

TEST(VerifyFile, NamesWhatItCannotRead) {
  FileVerification v = VerifyFile("just some bytes", SignaturePolicy{At(Pinned())});
  EXPECT_EQ(v.kind, "unknown");
  ASSERT_FALSE(v.check.findings.empty());
  EXPECT_TRUE(v.check.findings[0].rule_id.starts_with("EDXML-"));
  EXPECT_EQ(v.verdict, Verdict::kFail);
}

TEST(Judge, UnsignedPdfAttachmentOnlyWhenRequired) {
  // The sample attachment is a (tiny, unsigned) PDF.
  std::string package = *edxml::Serialize(edxml::samples::Document());
  edxml::ValidateOptions options{.rules = {.today = Date{2026, 11, 21}}};
  SignaturePolicy lenient{At(Pinned())};
  EXPECT_EQ(Judge(package, options, lenient).verdict, Verdict::kPass);
  SignaturePolicy strict{At(Pinned()), true};
  edxml::Judgement j = Judge(package, options, strict);
  EXPECT_THAT(Ids(j.findings), ElementsAre("DSIG-PDF-UNSIGNED"));
  EXPECT_EQ(j.findings[0].location.path, "/edXML/AttachmentEncoded/Attachment");
}

TEST(Judge, UnsignedPdfIsFoundHoweverItsBase64IsLaidOut) {
  // A receiver opens these as PDFs, so each must be judged as one: base64 indented after a line
  // break, wrapped at 76 characters, and a PDF with bytes before its header.
  edxml::ValidateOptions options{.rules = {.today = Date{2026, 11, 21}}};
  SignaturePolicy strict{At(Pinned()), true};
  edxml::Package sample = edxml::samples::Document();
  const std::string pdf = *edxml::DecodeBase64ToString(sample.attachments.front().content_base64);
  std::string wrapped;
  const std::string b64 = edxml::EncodeBase64(pdf);
  for (size_t i = 0; i < b64.size(); i += 76) wrapped += b64.substr(i, 76) + "\r\n";
  for (const std::string& content :
       {"\n        " + b64, wrapped, edxml::EncodeBase64("\xEF\xBB\xBF\n" + pdf)}) {
    edxml::Package p = sample;
    p.attachments.front().content_base64 = content;
    edxml::Judgement j = Judge(*edxml::Serialize(p), options, strict);
    EXPECT_TRUE(HasRule(j.findings, "DSIG-PDF-UNSIGNED")) << content.substr(0, 24);
    EXPECT_EQ(j.verdict, Verdict::kFail);
  }
}

TEST(Judge, PdfsInsideZipAttachmentsAreJudgedToo) {
  edxml::ValidateOptions options{.rules = {.today = Date{2026, 11, 21}}};
  SignaturePolicy strict{At(Pinned()), true};
  auto with_attachment = [](std::string bytes, std::string name) {
    edxml::Package p = edxml::samples::Document();
    p.attachments.front().content_base64 = edxml::EncodeBase64(bytes);
    p.attachments.front().attachment_name = name;
    return *edxml::Serialize(p);
  };
  std::string signed_pdf =
      *SignPdf(MakeTestPdf({"zipped"}), Cred("agency-g22"), {.signing_time = Pinned()});
  // The hub zipped a signed PDF: verified inside, nothing to say.
  std::string zipped = with_attachment(*edxml::ZipOne("a.pdf", signed_pdf), "a.pdf.zip");
  EXPECT_THAT(Ids(Judge(zipped, options, strict).findings), IsEmpty());
  // An unsigned PDF does not hide in a ZIP.
  edxml::Judgement unsigned_zip = Judge(
      with_attachment(*edxml::ZipOne("b.pdf", MakeTestPdf({"x"})), "b.pdf.zip"), options, strict);
  EXPECT_THAT(Ids(unsigned_zip.findings), ElementsAre("DSIG-PDF-UNSIGNED"));
  EXPECT_THAT(unsigned_zip.findings[0].message, HasSubstr("inside the ZIP attachment"));
  // A receiver that does not open ZIPs finds no signed PDF at all.
  SignaturePolicy closed = strict;
  closed.look_inside_zip = false;
  edxml::Judgement not_opened = Judge(zipped, options, closed);
  EXPECT_THAT(Ids(not_opened.findings), ElementsAre("DSIG-PDF-UNSIGNED"));
  EXPECT_THAT(not_opened.findings[0].message, HasSubstr("no attachment is a PDF"));
  // A ZIP that does not open says so.
  EXPECT_THAT(Ids(Judge(with_attachment(std::string("PK\3\4broken", 10), "c.zip"), options, strict)
                      .findings),
              ElementsAre("DSIG-PDF-MALFORMED"));
}

// ---- A freshly generated PKI works end to end (what --regenerate-keys produces).

TEST(TestPki, FreshPkiYieldsTheSameVerdictsAsTheCommittedOne) {
  auto fresh = test_pki::Generate();
  ASSERT_TRUE(fresh) << fresh.error().message;
  for (const test_pki::Entry& e : test_pki::Entries()) {
    EXPECT_TRUE(fresh->contains(std::string(e.name) + ".key")) << e.name;
    EXPECT_THAT(fresh->at("README.md"), HasSubstr(std::string(e.name) + ".crt"));
  }
  std::string anchors[] = {fresh->at("root-ca.crt")};
  std::string crls[] = {fresh->at("root-ca.crl"), fresh->at("intermediate-ca.crl")};
  std::string intermediates[] = {fresh->at("intermediate-ca.crt")};
  auto store = *TrustStore::Create(anchors, crls, intermediates);
  auto vectors = GenerateSignatureVectors(*fresh);
  ASSERT_TRUE(vectors) << vectors.error().message;
  SignaturePolicy policy{At(Pinned(), &store), true};
  for (const SignatureVector& v : *vectors) {
    FileVerification got = VerifyFile(v.bytes, policy);
    std::vector<std::string> ids = Ids(got.check.findings);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    EXPECT_EQ(ids, v.rule_ids) << v.name;
    EXPECT_EQ(got.verdict, v.verdict) << v.name;
  }
}

}  // namespace
}  // namespace vxp::signing

namespace vxp::signing {
namespace {

// Found by the signature fuzzer: a KeyInfo certificate whose public key does not decode crashed
// the verifier; it is now a finding.
TEST(Envelope, UnreadableCertificateKeyIsAFinding) {
  std::string bytes = testing::Slurp(std::string(VXP_SOURCE_DIR) +
                                     "/fuzz/corpus/signature/crash-null-public-key.xml");
  ASSERT_FALSE(bytes.empty());
  EXPECT_THAT(Ids(VerifyEnvelope(bytes, At(Pinned())).findings),
              ::testing::Contains("DSIG-ENV-KEYINFO"));
}

}  // namespace
}  // namespace vxp::signing

namespace vxp::signing {
namespace {

TEST(Detached, SignsAndVerifiesWithTheChainAtTheSigningTime) {
  auto sig = SignDetached("manifest bytes", Cred("agency-h53"), Pinned());
  ASSERT_TRUE(sig) << sig.error().message;
  EXPECT_THAT(*sig, ::testing::StartsWith("-----BEGIN CMS-----"));
  auto who = VerifyDetached("manifest bytes", *sig, Keys().at("root-ca.crt"));
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_THAT(who->subject, HasSubstr("000.00.00.H53"));
  EXPECT_EQ(who->signing_time, Pinned());
  EXPECT_TRUE(who->trusted);
  EXPECT_EQ(who->untrusted_reason, "");
  EXPECT_EQ(who->fingerprint.size(), 64u);
  EXPECT_EQ(who->common_name, DescribeSigner(Cred("agency-h53").cert_pem)->common_name);
  EXPECT_EQ(who->fingerprint, DescribeSigner(Cred("agency-h53").cert_pem)->fingerprint);
  // Without an anchor the signature still holds, but nothing vouches for the signer.
  auto unchecked = VerifyDetached("manifest bytes", *sig, "");
  ASSERT_TRUE(unchecked);
  EXPECT_FALSE(unchecked->trusted);
  EXPECT_THAT(unchecked->untrusted_reason, HasSubstr("no trust anchor"));
}

TEST(Detached, NamesWhatIsWrong) {
  auto sig = SignDetached("manifest bytes", Cred("agency-h53"), Pinned());
  ASSERT_TRUE(sig);
  auto changed = VerifyDetached("manifest bytes!", *sig, Keys().at("root-ca.crt"));
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, "signing.detached.mismatch");
  auto other_root = VerifyDetached("manifest bytes", *sig, Keys().at("untrusted-root-ca.crt"));
  ASSERT_TRUE(other_root);
  EXPECT_FALSE(other_root->trusted);
  EXPECT_THAT(other_root->untrusted_reason, HasSubstr("issuer certificate"));
  EXPECT_FALSE(DescribeSigner("not a certificate"));
  auto garbage = VerifyDetached("manifest bytes", "not a signature", "");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, "signing.detached.format");
  auto mismatched =
      SignDetached("x", {Cred("agency-h53").key_pem, Cred("agency-g22").cert_pem, ""}, Pinned());
  ASSERT_FALSE(mismatched);
  EXPECT_EQ(mismatched.error().code, "signing.key");
}

TEST(Detached, Sha256HexIsTheKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace vxp::signing
