#include "cli/cli_util.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/common/clock.h"
#include "results/json.h"

namespace vxp::cli {

namespace fs = std::filesystem;

boost::json::array FindingsJson(const std::vector<Finding>& findings) {
  boost::json::array out;
  for (const Finding& f : findings) out.push_back(results::FindingJson(f));
  return out;
}

void PrintFinding(const std::string& file, const Finding& f, std::ostream& out) {
  out << "  " << file << ":" << f.location.line << ": " << ToString(f.verdict) << " " << f.rule_id
      << " [" << ToString(f.level) << "] " << f.message << "\n";
  if (!f.location.path.empty() && f.location.path != "/") {
    out << "      at " << f.location.path << "\n";
  }
  if (!f.expected.empty()) out << "      expected: " << f.expected << "\n";
  if (!f.actual.empty()) out << "      found:    " << f.actual << "\n";
}

void TrustArgs::Add(CLI::App* cmd) {
  cmd->add_option("--trust", trust_dir,
                  "Directory of CA certificates (*.crt, *.pem; self-signed ones are the trust "
                  "anchors, the others intermediates) and CRLs (*.crl). Default: vxpkit's test "
                  "PKI (vectors/keys)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--crl", crls, "A CRL file (PEM or DER); repeatable")->check(CLI::ExistingFile);
  cmd->add_option("--at", at,
                  "Verification time, e.g. 2026-11-20T10:00:00Z (default: now). PDF signatures "
                  "are judged at their signing time when it is earlier");
}

Result<signing::SignaturePolicy> TrustArgs::Resolve() {
  signing::SignaturePolicy policy;
  policy.require_signed_pdf = require_signed_pdf;
  if (at.empty()) {
    policy.verify.at = SystemMillis() / 1000;
  } else {
    auto t = signing::ParseTime(at);
    if (!t) return MakeError("usage", "--at: " + t.error().message);
    policy.verify.at = *t;
  }
  std::vector<std::string> crl_texts;
  for (const std::string& f : crls) {
    auto bytes = ReadFile(f);
    if (!bytes) return tl::unexpected(bytes.error());
    crl_texts.push_back(std::move(*bytes));
  }
  if (trust_dir.empty()) {
    if (!crl_texts.empty()) {
      return MakeError("usage", "--crl needs --trust (the test PKI brings its own CRLs)");
    }
    policy.verify.trust = &signing::TrustStore::TestPki();
    return policy;
  }
  auto files = ReadDirectory(trust_dir);
  if (!files) return tl::unexpected(files.error());
  auto store = signing::TrustStore::FromFiles(*files, crl_texts);
  if (!store) return MakeError("usage", "--trust " + trust_dir + ": " + store.error().message);
  this->store = std::move(*store);
  policy.verify.trust = &*this->store;
  return policy;
}

}  // namespace vxp::cli
