// Certificates: issued, read back by real consumers (pdftotext, pdftoppm and zbarimg for the PDF
// and its QR code), verified, and each kind of tampering named.
#include "service/certificate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/signing/pdf.h"

namespace vxp::service {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr Millis kIssued = 1'795'168'800'000;  // 2026-11-20T10:00:00Z, the test PKI's pinned time
constexpr Millis kDay = 86'400'000;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Key(const std::string& name) {
  return Slurp(fs::path(VXP_SOURCE_DIR) / "vectors" / "keys" / name);
}

// What `command` writes to its standard output, and its exit status.
std::pair<std::string, int> Output(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return {"", -1};
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  return {out, ::pclose(p)};
}

CertificateFacts Facts() {
  CertificateFacts f;
  f.id = 7;
  f.number = CertificateNumber(7);
  f.office = "Cục Bưu điện Trung ương (test office)";
  f.vendor = "Công ty Cổ phần Phần mềm Acme";
  f.system = "Acme eOffice — Sở Nội vụ";
  f.product = "Acme eOffice";
  f.product_version = "5.2.1";
  f.claims = {"receive", "send", "revoke"};
  f.control = "driver";
  f.plan = "certification";
  f.profile = "certification";
  f.suite_version = "0.9.0";
  f.vectors = {{"conformance/catalogue", std::string(64, 'a')},
               {"conformance/requirements.csv", std::string(64, 'b')}};
  f.run_id = 12;
  f.run_started = kIssued - 3'600'000;
  f.run_finished = kIssued - 3'000'000;
  f.run_verdict = "FAIL";
  f.counts = {{"PASS", 44}, {"FAIL", 1}, {"SKIP", 3}};
  f.waivers = {{"HUB-SLOW", "FAIL", "the production hub never stalls 60 s", "c@office.vn"}};
  f.certifier = "Nguyễn Văn Chứng <c@office.vn>";
  f.comments = "Đạt yêu cầu.";
  f.issued = kIssued;
  f.valid_until = kIssued + 365 * kDay;
  f.verify_url = "https://conformance.example.vn/register/7";
  return f;
}

signing::Credential Office() {
  return {Key("agency-g22.key"), Key("agency-g22.crt"), Key("intermediate-ca.crt")};
}

TEST(Certificate, JsonReadsBackWhole) {
  CertificateFacts f = Facts();
  f.pdf_sha256 = std::string(64, 'c');
  auto back = ReadCertificateJson(CertificateJson(f));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(CertificateJson(*back), CertificateJson(f));
  EXPECT_EQ(back->waivers.at(0).reason, "the production hub never stalls 60 s");
  EXPECT_EQ(f.number, "VXP-C-000007");
}

TEST(Certificate, AJsonThatIsNotOneIsRefusedNamingWhy) {
  struct Case {
    std::string text, says;
  };
  for (const Case& c : {Case{"{", "not JSON"}, Case{"[]", "not a JSON object"},
                        Case{R"({"schema":"vxpkit-result/1"})", "not of schema"},
                        Case{R"({"schema":"vxpkit-certificate/1","id":"7"})",
                             "'id' is missing or not an integer"}}) {
    auto r = ReadCertificateJson(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, "certificate.format");
    EXPECT_THAT(r.error().message, HasSubstr(c.says)) << c.text;
  }
}

// The PDF as a reader sees it: pdftotext finds the vendor, the verdict, the waiver and both
// languages; the page rendered by pdftoppm carries a QR code zbarimg decodes to the URL.
TEST(Certificate, ThePdfReadsBackWithRealConsumers) {
  auto issued = IssueCertificate(Facts(), Office());
  ASSERT_TRUE(issued) << issued.error().message;
  ASSERT_TRUE(issued->pdf.starts_with("%PDF-"));
  // Signed by the office as hub documents' PDFs are: vxpkit's own PDF check passes it (the test
  // PKI's agency-g22 stands in for the office here).
  signing::VerifyOptions at_issue;
  at_issue.at = kIssued / 1000;
  signing::PdfVerification pdf_check = signing::VerifyPdf(issued->pdf, at_issue);
  EXPECT_TRUE(pdf_check.present);
  EXPECT_TRUE(pdf_check.findings.empty()) << pdf_check.findings.at(0).message;
  EXPECT_THAT(pdf_check.signer, HasSubstr("G22"));
  fs::path dir = fs::temp_directory_path() / ("vxp-cert-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "c.pdf", std::ios::binary) << issued->pdf;

  auto [info, info_rc] = Output("pdfinfo " + (dir / "c.pdf").string());
  ASSERT_EQ(info_rc, 0) << "pdfinfo (poppler-utils, scripts/install-deps.sh) must run";
  EXPECT_THAT(info, ::testing::ContainsRegex("Pages: +1\n"));
  EXPECT_THAT(info, HasSubstr("595.276 x 841.89 pts (A4)"));

  auto [text, text_rc] = Output("pdftotext -enc UTF-8 " + (dir / "c.pdf").string() + " -");
  ASSERT_EQ(text_rc, 0);
  for (const char* want :
       {"GIẤY CHỨNG NHẬN KIỂM THỬ PHÙ HỢP", "CERTIFICATE OF CONFORMANCE", "VXP-C-000007",
        "Công ty Cổ phần Phần mềm Acme", "Acme eOffice 5.2.1", "FAIL: PASS 44, FAIL 1, SKIP 3",
        "HUB-SLOW (FAIL): the production hub never stalls 60 s", "thu hồi / revoke",
        "Nguyễn Văn Chứng", "2026-11-20 – 2027-11-20", "vxpkit 0.9.0"}) {
    EXPECT_THAT(text, HasSubstr(want)) << text;
  }

  ASSERT_EQ(Output("pdftoppm -r 150 -png -singlefile " + (dir / "c.pdf").string() + " " +
                   (dir / "page").string())
                .second,
            0);
  auto [qr, qr_rc] = Output("zbarimg -q --raw " + (dir / "page.png").string() + " 2>/dev/null");
  ASSERT_EQ(qr_rc, 0) << "zbarimg (zbar-tools) found no QR code";
  EXPECT_EQ(qr, "https://conformance.example.vn/register/7\n");
  fs::remove_all(dir);
}

TEST(Certificate, AnIntactOneVerifiesAndEachTamperingIsNamed) {
  auto issued = IssueCertificate(Facts(), Office());
  ASSERT_TRUE(issued) << issued.error().message;
  const std::string trust = Key("root-ca.crt");
  const Millis now = kIssued + kDay;
  auto kinds = [](const CertificateCheck& c) {
    std::vector<std::string> out;
    for (const CertificateProblem& p : c.problems) out.push_back(p.kind);
    return out;
  };

  RegisterFacts reg{.office = "office", .generated = now};
  reg.certificates.push_back({.id = 7,
                              .number = "VXP-C-000007",
                              .issued = kIssued,
                              .valid_until = kIssued + 365 * kDay,
                              .status = "valid"});
  auto sign = [&](const RegisterFacts& r) {
    RegisterCopy copy{RegisterJson(r), ""};
    copy.signature = *signing::SignDetached(copy.json, Office(), now / 1000);
    return copy;
  };

  auto good =
      VerifyCertificate(issued->json, issued->signature, trust, now, sign(reg), issued->pdf);
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_TRUE(good->problems.empty()) << good->problems.at(0).detail;
  ASSERT_TRUE(good->facts.has_value());
  EXPECT_EQ(good->facts->vendor, "Công ty Cổ phần Phần mềm Acme");

  std::string altered = issued->json;
  altered.replace(altered.find("5.2.1"), 5, "5.3.0");
  auto a = VerifyCertificate(altered, issued->signature, trust, now, std::nullopt, std::nullopt);
  ASSERT_TRUE(a);
  EXPECT_EQ(kinds(*a), std::vector<std::string>{"altered"});

  auto u = VerifyCertificate(issued->json, issued->signature, Key("untrusted-root-ca.crt"), now,
                             std::nullopt, std::nullopt);
  ASSERT_TRUE(u);
  EXPECT_EQ(kinds(*u), std::vector<std::string>{"untrusted"});

  auto e = VerifyCertificate(issued->json, issued->signature, trust, kIssued + 400 * kDay,
                             std::nullopt, std::nullopt);
  ASSERT_TRUE(e);
  EXPECT_EQ(kinds(*e), std::vector<std::string>{"expired"});

  RegisterFacts revoked = reg;
  revoked.certificates[0].revoked = now;
  revoked.certificates[0].status = "revoked";
  revoked.certificates[0].revoked_reason = "the product was changed after certification";
  auto r =
      VerifyCertificate(issued->json, issued->signature, trust, now, sign(revoked), std::nullopt);
  ASSERT_TRUE(r);
  EXPECT_EQ(kinds(*r), std::vector<std::string>{"revoked"});
  EXPECT_THAT(r->problems[0].detail, HasSubstr("the product was changed"));

  RegisterFacts other = reg;
  other.certificates[0].id = 8;
  auto n =
      VerifyCertificate(issued->json, issued->signature, trust, now, sign(other), std::nullopt);
  ASSERT_TRUE(n);
  EXPECT_EQ(kinds(*n), std::vector<std::string>{"unregistered"});

  RegisterCopy forged = sign(reg);
  forged.json = RegisterJson(revoked);  // a register edited after it was signed
  auto f = VerifyCertificate(issued->json, issued->signature, trust, now, forged, std::nullopt);
  ASSERT_TRUE(f);
  EXPECT_EQ(kinds(*f), std::vector<std::string>{"register"});

  std::string pdf = issued->pdf;
  pdf.back() ^= 1;
  auto p = VerifyCertificate(issued->json, issued->signature, trust, now, std::nullopt, pdf);
  ASSERT_TRUE(p);
  EXPECT_EQ(kinds(*p), std::vector<std::string>{"pdf altered"});

  auto bad_trust = VerifyCertificate(issued->json, issued->signature, "not a certificate", now,
                                     std::nullopt, std::nullopt);
  ASSERT_FALSE(bad_trust);
  EXPECT_EQ(bad_trust.error().code, "signing.key");
}

}  // namespace
}  // namespace vxp::service
