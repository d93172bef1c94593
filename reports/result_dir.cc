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

}  // namespace

Result<std::set<std::string>> ParseFormats(const std::string& list) {
  std::set<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    bool known = false;
    for (const char* f : kFormats) known = known || item == f;
    if (!known) {
      return MakeError("report.format", "unknown report format '" + item + "' (html, junit, json)");
    }
    out.insert(item);
  }
  if (out.empty()) return MakeError("report.format", "no report format given (html, junit, json)");
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
  for (const std::string& f : formats) {
    std::string name = f == "html" ? "index.html" : f == "junit" ? "junit.xml" : "report.json";
    std::string bytes = f == "html"    ? Html(run, evidence)
                        : f == "junit" ? JunitXml(run)
                                       : ReportJson(run);
    auto w = results::WriteFile(dir + "/" + name, bytes);
    if (!w) return tl::unexpected(w.error());
    written.push_back(dir + "/" + name);
  }
  return written;
}

Result<bool> SignResultDir(const std::string& dir, const std::string& key_pem,
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
  if (!w) return w;
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
  return ReportVerification{std::move(*signer), std::move(*check)};
}

}  // namespace vxp::reports
