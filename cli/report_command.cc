// `vxpkit report` (re-render a saved result) and `vxpkit verify-report` (check a signed one);
// the report and signing options `vxpkit run` and `vxpkit demo` share.
#include <chrono>
#include <iostream>
#include <memory>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/report_options.h"
#include "conformance/run.h"
#include "reports/result_dir.h"
#include "results/file_io.h"
#include "results/json.h"
#include "service/certificate.h"

namespace vxp::cli {

void ReportOptions::Add(CLI::App* cmd) {
  cmd->add_option("--format", formats,
                  "Reports to write beside result.json, comma-separated: html (index.html), "
                  "junit (junit.xml), json (report.json)")
      ->capture_default_str();
  cmd->add_option("--lang", lang,
                  "Language of index.html, the JUnit messages and the summary: en (English, the "
                  "default) or vi (tiếng Việt). `vxpkit report` keeps the run's own unless given")
      ->check(CLI::IsMember({"en", "vi"}, CLI::ignore_case));
  cmd->add_option("--sign-key", sign_key,
                  "Sign the result with this PEM private key (with --sign-cert): writes "
                  "manifest.json and manifest.json.p7s")
      ->check(CLI::ExistingFile);
  cmd->add_option("--sign-cert", sign_cert,
                  "The signer's PEM certificate, optionally followed by its chain")
      ->check(CLI::ExistingFile);
  cmd->add_option("--certifier", certifier,
                  "With --sign-key: the name of the person who signs, shown in every report "
                  "(default: the certificate's CN)");
  cmd->add_option("--certifier-role", certifier_role,
                  "With --sign-key: their role or office (default: the certificate's title or O)");
}

Result<std::set<std::string>> ReportOptions::Check() const {
  if (sign_key.empty() != sign_cert.empty()) {
    return MakeError("usage", "--sign-key and --sign-cert go together");
  }
  if (sign_key.empty() && (!certifier.empty() || !certifier_role.empty())) {
    return MakeError("usage",
                     "--certifier and --certifier-role name who signs: give them with "
                     "--sign-key and --sign-cert");
  }
  return reports::ParseFormats(formats);
}

Result<std::optional<results::SigningRecord>> ReportOptions::Signing(Millis now) const {
  if (sign_cert.empty()) return std::optional<results::SigningRecord>();
  auto cert = ReadFile(sign_cert, 1 << 20);
  if (!cert) return tl::unexpected(cert.error());
  auto who = signing::DescribeSigner(*cert);
  if (!who) return MakeError(who.error().code, sign_cert + ": " + who.error().message);
  results::SigningRecord g;
  g.subject = who->subject;
  g.issuer = who->issuer;
  g.fingerprint = who->fingerprint;
  g.certifier = certifier.empty() ? who->common_name : certifier;
  g.role = certifier_role.empty() ? who->title : certifier_role;
  g.signed_at = now / 1000 * 1000;  // the CMS signing time has whole seconds
  return g;
}

namespace {

// Writes what `render` writes, then signs `dir` when asked, dated `signing` (its time).
int WriteAndSign(
    const ReportOptions& o, const std::string& dir, std::ostream& out,
    const std::optional<results::SigningRecord>& signing,
    const std::function<Result<std::vector<std::string>>(const std::set<std::string>& formats)>&
        render) {
  auto formats_ok = o.Check();
  if (!formats_ok) {
    std::cerr << "vxpkit: " << formats_ok.error().message << "\n";
    return 2;
  }
  auto written = render(*formats_ok);
  if (!written) {
    std::cerr << "vxpkit: " << written.error().message << "\n";
    return 2;
  }
  for (const std::string& path : *written) out << "wrote " << path << "\n";
  if (!signing) return 0;
  auto key = ReadFile(o.sign_key, 1 << 20);
  auto cert = ReadFile(o.sign_cert, 1 << 20);
  if (!key || !cert) {
    std::cerr << "vxpkit: " << (!key ? key.error().message : cert.error().message) << "\n";
    return 2;
  }
  auto signed_ok = reports::SignResultDir(dir, *key, *cert, signing->signed_at / 1000, VXP_VERSION,
                                          conformance::SuiteVectors());
  if (!signed_ok) {
    std::cerr << "vxpkit: cannot sign " << dir << ": " << signed_ok.error().message << "\n";
    return 2;
  }
  out << "signed " << dir << "/" << reports::kManifestFile << " (" << dir << "/"
      << reports::kSignatureFile << ") as " << signing->certifier
      << "; check it with: vxpkit verify-report " << dir << " --trust CA.pem\n";
  return 0;
}

}  // namespace

int ReportOptions::Write(const std::string& dir, std::ostream& out) const {
  auto signing = Signing(SystemMillis());
  if (!signing) {
    std::cerr << "vxpkit: " << signing.error().message << "\n";
    return 2;
  }
  return WriteAndSign(
      *this, dir, out, *signing,
      [&](const std::set<std::string>& formats) -> Result<std::vector<std::string>> {
        if (!*signing && !Lang()) return reports::WriteReports(dir, formats);
        auto loaded = reports::LoadResultDir(dir);
        if (!loaded) return tl::unexpected(loaded.error());
        if (Lang()) loaded->run.lang = *Lang();
        if (*signing) {
          // The certifier block goes into result.json before the reports are rendered from it.
          loaded->run.signing = **signing;
          auto w = results::WriteFile(dir + "/result.json", results::ToJson(loaded->run));
          if (!w) return tl::unexpected(w.error());
        }
        return reports::WriteReports(dir, loaded->run, loaded->evidence, formats);
      });
}

int ReportOptions::Write(const std::string& dir, const results::RunRecord& run,
                         const results::EvidenceFiles& evidence, std::ostream& out) const {
  return WriteAndSign(*this, dir, out, run.signing, [&](const std::set<std::string>& formats) {
    return reports::WriteReports(dir, run, evidence, formats);
  });
}

namespace {

void RegisterReportCommand(CLI::App& app, int* exit_code) {
  auto dir = std::make_shared<std::string>();
  auto options = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Render the reports of a saved result again (index.html, junit.xml, report.json)");
  cmd->footer(
      "Reads DIR/result.json and DIR/evidence/ as `vxpkit run` wrote them and writes the\n"
      "reports into DIR. Rendering is deterministic: the same result gives the same bytes, so\n"
      "re-rendering a signed result keeps it verifiable.\n\n"
      "Example:\n"
      "  vxpkit report vxpkit-result\n"
      "  vxpkit report vxpkit-result --format junit\n"
      "  vxpkit report vxpkit-result --lang vi      # the same reports in Vietnamese\n"
      "See docs/reports.md.");
  cmd->add_option("DIR", *dir, "A result directory")->required()->check(CLI::ExistingDirectory);
  options->Add(cmd);
  cmd->callback([dir, options, exit_code] { *exit_code = options->Write(*dir, std::cout); });
}

void RegisterVerifyReport(CLI::App& app, int* exit_code) {
  auto dir = std::make_shared<std::string>();
  auto trust = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "verify-report", "Check a signed result: the signature, and every file against it");
  cmd->footer(
      "Offline. Checks DIR/manifest.json.p7s over DIR/manifest.json, then every file of DIR\n"
      "against the manifest, and names each file that was altered, removed or added since the\n"
      "run was signed. With --trust the signer's certificate must also chain to one of the\n"
      "given CA certificates (judged at the signing time).\n\n"
      "Exit codes: 0 every file as signed and the signer chains to --trust; 1 a file altered,\n"
      "removed or added, result.json naming another signer, unsigned, or a bad signature;\n"
      "2 usage error; 3 every file as signed but the signer NOT TRUSTED (no --trust given, or\n"
      "the signer does not chain to it): a signature proves who wrote a result only when you\n"
      "trust the key.\n\n"
      "Example:\n"
      "  vxpkit verify-report vxpkit-result --trust certifier-ca.pem\n"
      "The same check without vxpkit:\n"
      "  openssl cms -verify -binary -inform PEM -in DIR/manifest.json.p7s \\\n"
      "      -content DIR/manifest.json -CAfile certifier-ca.pem -purpose any\n"
      "  then compare `sha256sum` of each file with its line in manifest.json.");
  cmd->add_option("DIR", *dir, "A signed result directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--trust", *trust, "PEM CA certificate(s) the signer must chain to")
      ->check(CLI::ExistingFile);
  cmd->callback([dir, trust, exit_code] {
    std::string trust_pem;
    if (!trust->empty()) {
      auto text = ReadFile(*trust, 1 << 20);
      if (!text) {
        std::cerr << "vxpkit: " << text.error().message << "\n";
        *exit_code = 2;
        return;
      }
      trust_pem = *text;
    }
    auto v = reports::VerifyResultDir(*dir, trust_pem);
    if (!v) {
      bool usage = v.error().code == "signing.key" || v.error().code == "io.read";
      std::cout << "NOT VERIFIED: " << v.error().message << "\n";
      *exit_code = usage ? 2 : 1;
      return;
    }
    const auto& s = v->signer;
    std::cout << "signature: valid, by " << s.subject << "\n  issuer " << s.issuer << ", serial "
              << s.serial << "\n  certificate SHA-256 " << s.fingerprint << ", valid "
              << s.not_before << " to " << s.not_after << "\n";
    if (!s.signed_at.empty()) std::cout << "  signed at " << s.signed_at << "\n";
    std::cout << (s.trusted ? "signer: TRUSTED, chains to the CA given with --trust\n"
                            : "signer: NOT TRUSTED, " + s.untrusted_reason + "\n");
    if (v->claim) {
      std::cout << "certifier (as result.json says): " << v->claim->certifier
                << (v->claim->role.empty() ? "" : ", " + v->claim->role) << "\n";
    }
    const auto& c = v->check;
    std::cout << "run: vxpkit " << c.suite_version << ", SUT " << c.system_id << ", started "
              << c.started << ", verdict " << c.verdict << "\n";
    if (!v->intact()) {
      for (const auto& a : c.alterations) {
        std::cout << "  " << a.kind << ": " << a.path << " — " << a.detail << "\n";
      }
      std::cout << "NOT VERIFIED: " << c.alterations.size()
                << " of the files differ from what was signed (" << c.files
                << " files listed in the manifest)\n";
      *exit_code = 1;
      return;
    }
    if (!s.trusted) {
      std::cout << "files: all " << c.files << " as signed\n"
                << "files intact, signer NOT TRUSTED: anyone can sign with a key of their own, so "
                   "this proves nothing about who wrote the result. Give the certifying office's "
                   "CA certificate with --trust CA.pem.\n";
      *exit_code = 3;
      return;
    }
    std::cout << "files: all " << c.files << " as signed\nVERIFIED\n";
    *exit_code = 0;
  });
}

struct VerifyCertificateArgs {
  std::string file, signature, trust, register_file, pdf;
};

int VerifyCertificateFile(const VerifyCertificateArgs& a) {
  auto read = [](const std::string& path, std::string& into) -> bool {
    auto text = ReadFile(path, 64 << 20);
    if (!text) {
      std::cerr << "vxpkit verify-certificate: " << text.error().message << "\n";
      return false;
    }
    into = std::move(*text);
    return true;
  };
  std::string json, signature, trust;
  if (!read(a.file, json) ||
      !read(a.signature.empty() ? a.file + ".p7s" : a.signature, signature) ||
      !read(a.trust, trust)) {
    return 2;
  }
  std::optional<service::RegisterCopy> reg;
  if (!a.register_file.empty()) {
    reg.emplace();
    if (!read(a.register_file, reg->json) || !read(a.register_file + ".p7s", reg->signature)) {
      return 2;
    }
  }
  std::optional<std::string> pdf;
  if (!a.pdf.empty()) {
    pdf.emplace();
    if (!read(a.pdf, *pdf)) return 2;
  }
  auto check = service::VerifyCertificate(json, signature, trust, SystemMillis(), reg, pdf);
  if (!check) {
    std::cerr << "vxpkit verify-certificate: --trust: " << check.error().message << "\n";
    return 2;
  }
  if (check->facts) {
    const service::CertificateFacts& f = *check->facts;
    std::cout << "certificate " << f.number << " of " << f.office << "\n  " << f.vendor << ": "
              << f.system << " (" << f.product << " " << f.product_version << ")\n  run "
              << f.run_id << ", vxpkit " << f.suite_version << ", " << f.run_verdict << ", "
              << f.waivers.size() << " waiver(s)\n  valid " << results::IsoUtc(f.issued) << " to "
              << results::IsoUtc(f.valid_until) << "\n  " << f.verify_url << "\n";
  }
  if (check->signer) {
    std::cout << "signed by " << check->signer->subject << " at " << check->signer->signed_at
              << "\n";
  }
  if (check->register_generated) {
    std::cout << "register of " << results::IsoUtc(*check->register_generated) << " checked\n";
  } else if (!reg) {
    std::cout << "revocation not checked: give the register (--register register.json, from "
                 "the service's /register.json with its .p7s beside it)\n";
  }
  bool only_untrusted = !check->problems.empty();
  for (const service::CertificateProblem& p : check->problems) {
    std::cout << "  " << p.kind << ": " << p.detail << "\n";
    only_untrusted = only_untrusted && p.kind == "untrusted";
  }
  if (check->problems.empty()) {
    std::cout << "VALID\n";
    return 0;
  }
  std::cout << "NOT VALID: ";
  for (size_t i = 0; i < check->problems.size(); ++i) {
    std::cout << (i ? ", " : "") << check->problems[i].kind;
  }
  std::cout << "\n";
  return only_untrusted ? 3 : 1;
}

void RegisterVerifyCertificate(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<VerifyCertificateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify-certificate",
      "Check a conformance certificate offline: signature, validity, revocation, its PDF");
  cmd->footer(
      "FILE is certificate.json from the service's register (docs/certification.md); its\n"
      "signature FILE.p7s is read beside it. Names each problem: altered (not what the office\n"
      "signed), untrusted (the signer does not chain to --trust), expired, not yet valid,\n"
      "revoked and unregistered (by the register given with --register, whose own signature\n"
      "must hold: 'register' otherwise), pdf altered (--pdf is not the certificate's PDF).\n\n"
      "Exit codes: 0 valid; 1 a problem other than trust; 2 usage error; 3 intact but signed\n"
      "by a key --trust does not vouch for.\n\n"
      "Example:\n"
      "  vxpkit verify-certificate VXP-C-000001-certificate.json \\\n"
      "      --signature VXP-C-000001-certificate.json.p7s --trust office-ca.pem \\\n"
      "      --register register.json --pdf VXP-C-000001-certificate.pdf\n"
      "The signature alone without vxpkit:\n"
      "  openssl cms -verify -binary -inform PEM -in certificate.json.p7s \\\n"
      "      -content certificate.json -CAfile office-ca.pem -purpose any");
  cmd->add_option("FILE", a->file, "certificate.json")->required()->check(CLI::ExistingFile);
  cmd->add_option("--signature", a->signature, "its signature (default: FILE.p7s)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--trust", a->trust, "PEM CA certificate(s) the office's key must chain to")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--register", a->register_file,
                  "the register (register.json, its signature register.json.p7s beside it) to "
                  "check revocation against")
      ->check(CLI::ExistingFile);
  cmd->add_option("--pdf", a->pdf, "the certificate's PDF, to check it is the one certified")
      ->check(CLI::ExistingFile);
  cmd->callback([a, exit_code] { *exit_code = VerifyCertificateFile(*a); });
}

}  // namespace

void RegisterReport(CLI::App& app, int* exit_code) {
  RegisterReportCommand(app, exit_code);
  RegisterVerifyReport(app, exit_code);
  RegisterVerifyCertificate(app, exit_code);
}

}  // namespace vxp::cli
