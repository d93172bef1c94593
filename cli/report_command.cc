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

}  // namespace

void RegisterReport(CLI::App& app, int* exit_code) {
  RegisterReportCommand(app, exit_code);
  RegisterVerifyReport(app, exit_code);
}

}  // namespace vxp::cli
