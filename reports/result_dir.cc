#include "reports/result_dir.h"

#include <sstream>

#include "results/file_io.h"
#include "results/json.h"

namespace vxp::reports {
namespace {

// The files a manifest covers: everything in the directory but the manifest and its signature.
Result<FileSet> SignedFiles(const std::string& dir) {
  auto tree = results::ReadTree(dir);
  if (!tree) return tl::unexpected(tree.error());
  tree->erase(std::string(kManifestFile));
  tree->erase(std::string(kSignatureFile));
  return tree;
}

// Each report format: its name, the file it writes, its writer (report.h, html.h).
struct Format {
  std::string_view name;
  std::string_view file;
  std::string (*render)(const results::RunRecord& run, const EvidenceFiles& evidence);
};
constexpr Format kFormats[] = {
    {"html", "index.html",
     [](const results::RunRecord& r, const EvidenceFiles& e) { return Html(r, e); }},
    {"junit", "junit.xml",
     [](const results::RunRecord& r, const EvidenceFiles&) { return JunitXml(r); }},
    {"json", "report.json",
     [](const results::RunRecord& r, const EvidenceFiles&) { return ReportJson(r); }},
};

const Format* FindFormat(std::string_view name) {
  for (const Format& f : kFormats) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> FormatNames() {
  std::vector<std::string> out;
  for (const Format& f : kFormats) out.emplace_back(f.name);
  return out;
}

Result<std::set<std::string>> ParseFormats(const std::string& list) {
  std::string known;
  for (const Format& f : kFormats) known += (known.empty() ? "" : ", ") + std::string(f.name);
  std::set<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    if (FindFormat(item) == nullptr) {
      return MakeError("report.format", "unknown report format '" + item + "' (" + known + ")");
    }
    out.insert(item);
  }
  if (out.empty()) return MakeError("report.format", "no report format given (" + known + ")");
  return out;
}

Result<LoadedResult> LoadResultDir(const std::string& dir) {
  auto text = results::ReadFile(dir + "/result.json");
  if (!text) {
    return MakeError("io.read", dir + " is not a result directory: " + text.error().message +
                                    " (vxpkit run --out DIR writes one)");
  }
  auto run = results::ReadRunRecord(*text);
  if (!run) return MakeError(run.error().code, dir + "/" + run.error().message);
  LoadedResult out{std::move(*run), {}};
  auto evidence = results::ReadTree(dir + "/evidence");
  if (evidence) {
    for (auto& [path, bytes] : *evidence) out.evidence["evidence/" + path] = std::move(bytes);
  }
  return out;
}

Result<std::vector<std::string>> WriteReports(const std::string& dir,
                                              const std::set<std::string>& formats) {
  auto loaded = LoadResultDir(dir);
  if (!loaded) return tl::unexpected(loaded.error());
  return WriteReports(dir, loaded->run, loaded->evidence, formats);
}

Result<std::vector<std::string>> WriteReports(const std::string& dir, const results::RunRecord& run,
                                              const EvidenceFiles& evidence,
                                              const std::set<std::string>& formats) {
  std::vector<std::string> written;
  for (const std::string& name : formats) {
    const Format* f = FindFormat(name);
    if (f == nullptr) return MakeError("report.format", "unknown report format '" + name + "'");
    std::string file(f->file);
    std::string bytes = f->render(run, evidence);
    auto w = results::WriteFile(dir + "/" + file, bytes);
    if (!w) return tl::unexpected(w.error());
    written.push_back(dir + "/" + file);
  }
  return written;
}

Result<void> SignResultDir(const std::string& dir, const std::string& key_pem,
                           const std::string& cert_pem, std::int64_t signing_time,
                           std::string_view suite_version,
                           const std::map<std::string, std::string>& vectors) {
  // The certificate file may carry the chain after the signer's certificate.
  signing::Credential credential{key_pem, cert_pem, ""};
  if (size_t end = cert_pem.find("-----END CERTIFICATE-----"); end != std::string::npos) {
    size_t next = cert_pem.find("-----BEGIN CERTIFICATE-----", end);
    if (next != std::string::npos) {
      credential.cert_pem = cert_pem.substr(0, next);
      credential.chain_pem = cert_pem.substr(next);
    }
  }
  auto files = SignedFiles(dir);
  if (!files) return tl::unexpected(files.error());
  auto manifest = BuildManifest(*files, suite_version, vectors);
  if (!manifest) return tl::unexpected(manifest.error());
  auto signature = signing::SignDetached(*manifest, credential, signing_time);
  if (!signature) return tl::unexpected(signature.error());
  auto w = results::WriteFile(dir + "/" + std::string(kManifestFile), *manifest);
  if (!w) return tl::unexpected(w.error());
  return results::WriteFile(dir + "/" + std::string(kSignatureFile), *signature);
}

Result<ReportVerification> VerifyResultDir(const std::string& dir, const std::string& trust_pem) {
  auto manifest = results::ReadFile(dir + "/" + std::string(kManifestFile));
  auto signature = results::ReadFile(dir + "/" + std::string(kSignatureFile));
  if (!manifest || !signature) {
    return MakeError(
        "report.unsigned",
        dir + " is not signed: " + std::string(!manifest ? kManifestFile : kSignatureFile) +
            " is missing (vxpkit run --sign-key KEY --sign-cert CERT signs a run)");
  }
  auto signer = signing::VerifyDetached(*manifest, *signature, trust_pem);
  if (!signer) return tl::unexpected(signer.error());
  auto files = SignedFiles(dir);
  if (!files) return tl::unexpected(files.error());
  auto check = CheckManifest(*manifest, *files);
  if (!check) return tl::unexpected(check.error());
  std::optional<SigningClaim> claim = ClaimedSigner(*files);
  if (claim && claim->fingerprint != signer->fingerprint) {
    check->alterations.push_back(
        {"misattributed", "result.json",
         "names the certifier " + claim->certifier + " with the certificate SHA-256 " +
             claim->fingerprint.substr(0, 12) + "…, but the signature is by " + signer->subject +
             " (SHA-256 " + signer->fingerprint.substr(0, 12) + "…)"});
  }
  return ReportVerification{std::move(*signer), std::move(*check), std::move(claim)};
}

}  // namespace vxp::reports
