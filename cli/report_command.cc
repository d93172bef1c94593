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

namespace vxp::cli {

void ReportOptions::Add(CLI::App* cmd) {
  cmd->add_option("--format", formats,
                  "Reports to write beside result.json, comma-separated: html (index.html), "
                  "junit (junit.xml), json (report.json)")
      ->capture_default_str();
  cmd->add_option("--sign-key", sign_key,
                  "Sign the result with this PEM private key (with --sign-cert): writes "
                  "manifest.json and manifest.json.p7s")
      ->check(CLI::ExistingFile);
  cmd->add_option("--sign-cert", sign_cert,
                  "The signer's PEM certificate, optionally followed by its chain")
      ->check(CLI::ExistingFile);
}

Result<std::set<std::string>> ReportOptions::Check() const {
  if (sign_key.empty() != sign_cert.empty()) {
    return MakeError("usage", "--sign-key and --sign-cert go together");
  }
  return reports::ParseFormats(formats);
}

namespace {

// Writes what `render` writes, then signs `dir` when asked.
int WriteAndSign(
    const ReportOptions& o, const std::string& dir, std::ostream& out,
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
  if (o.sign_key.empty()) return 0;
  auto key = ReadFile(o.sign_key, 1 << 20);
  auto cert = ReadFile(o.sign_cert, 1 << 20);
  if (!key || !cert) {
    std::cerr << "vxpkit: " << (!key ? key.error().message : cert.error().message) << "\n";
    return 2;
  }
  std::int64_t now = SystemMillis() / 1000;
  auto signed_ok =
      reports::SignResultDir(dir, *key, *cert, now, VXP_VERSION, conformance::SuiteVectors());
  if (!signed_ok) {
    std::cerr << "vxpkit: cannot sign " << dir << ": " << signed_ok.error().message << "\n";
    return 2;
  }
  out << "signed " << dir << "/" << reports::kManifestFile << " (" << dir << "/"
      << reports::kSignatureFile << "); check it with: vxpkit verify-report " << dir << "\n";
  return 0;
}

}  // namespace

int ReportOptions::Write(const std::string& dir, std::ostream& out) const {
  return WriteAndSign(*this, dir, out, [&](const std::set<std::string>& formats) {
    return reports::WriteReports(dir, formats);
  });
}

int ReportOptions::Write(const std::string& dir, const results::RunRecord& run,
                         const results::EvidenceFiles& evidence, std::ostream& out) const {
  return WriteAndSign(*this, dir, out, [&](const std::set<std::string>& formats) {
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
      "Exit codes: 0 intact and the signature holds; 1 altered, unsigned, or the signature\n"
      "fails or is not trusted; 2 usage error.\n\n"
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
    std::cout << (s.chain_checked
                      ? "  the signer chains to the trusted CA given with --trust\n"
                      : "  the signer's certificate was NOT checked against a trust anchor "
                        "(give --trust CA.pem)\n");
    const auto& c = v->check;
    std::cout << "run: vxpkit " << c.suite_version << ", SUT " << c.system_id << ", started "
              << c.started << ", verdict " << c.verdict << "\n";
    if (c.alterations.empty()) {
      std::cout << "files: all " << c.files << " as signed\nVERIFIED\n";
      *exit_code = 0;
      return;
    }
    for (const auto& a : c.alterations) {
      std::cout << "  " << a.kind << ": " << a.path << " — " << a.detail << "\n";
    }
    std::cout << "NOT VERIFIED: " << c.alterations.size() << " of the files differ from the "
              << "signed manifest (" << c.files << " files listed)\n";
    *exit_code = 1;
  });
}

}  // namespace

void RegisterReport(CLI::App& app, int* exit_code) {
  RegisterReportCommand(app, exit_code);
  RegisterVerifyReport(app, exit_code);
}

}  // namespace vxp::cli
