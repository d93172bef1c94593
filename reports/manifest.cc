#include "reports/manifest.h"

#include <boost/json.hpp>

#include "core/signing/detached.h"

namespace vxp::reports {
namespace {

namespace json = boost::json;

std::string Short(const std::string& hex) { return hex.substr(0, 12) + "…"; }

}  // namespace

Result<std::string> BuildManifest(const FileSet& files, std::string_view suite_version,
                                  const std::map<std::string, std::string>& vectors) {
  auto result = files.find("result.json");
  if (result == files.end()) return MakeError("report.input", "the directory has no result.json");
  boost::system::error_code ec;
  json::value doc = json::parse(result->second, ec);
  if (ec || !doc.is_object()) return MakeError("report.input", "result.json is not a JSON object");
  const json::object& root = doc.get_object();
  json::object run, sut;
  if (const json::value* r = root.if_contains("run"); r != nullptr && r->is_object()) {
    for (const char* key : {"started", "finished", "seed", "strict", "replay"}) {
      if (const json::value* v = r->get_object().if_contains(key)) run[key] = *v;
    }
    if (const json::value* p = r->get_object().if_contains("profile"); p && p->is_object()) {
      if (const json::value* n = p->get_object().if_contains("name")) run["profile"] = *n;
    }
  }
  if (const json::value* o = root.if_contains("outcome"); o != nullptr && o->is_object()) {
    if (const json::value* v = o->get_object().if_contains("verdict")) run["verdict"] = *v;
    if (const json::value* v = o->get_object().if_contains("exit_code")) run["exit_code"] = *v;
  }
  if (const json::value* s = root.if_contains("sut"); s != nullptr && s->is_object()) {
    sut = s->get_object();
  }
  sut.erase("secret");  // never there; and never here either
  sut["secret"] = "(redacted)";
  json::object vec;
  for (const auto& [name, digest] : vectors) vec[name] = digest;
  json::array listed;
  for (const auto& [path, bytes] : files) {
    if (path == kManifestFile || path == kSignatureFile) continue;
    listed.push_back(json::object{
        {"path", path}, {"bytes", bytes.size()}, {"sha256", signing::Sha256Hex(bytes)}});
  }
  json::object out{{"schema", kManifestSchema},
                   {"suite", {{"name", "vxpkit"}, {"version", suite_version}}},
                   {"run", run},
                   {"sut", sut},
                   {"vectors", vec},
                   {"files", listed}};
  return json::serialize(out) + "\n";
}

Result<ManifestCheck> CheckManifest(std::string_view manifest_json, const FileSet& files) {
  boost::system::error_code ec;
  json::value doc = json::parse(manifest_json, ec);
  if (ec || !doc.is_object()) return MakeError("report.manifest", "manifest.json is not JSON");
  const json::object& root = doc.get_object();
  const json::value* schema = root.if_contains("schema");
  if (schema == nullptr || !schema->is_string() || schema->get_string() != kManifestSchema) {
    return MakeError("report.manifest", "manifest.json is not a vxpkit-manifest/1");
  }
  const json::value* list = root.if_contains("files");
  if (list == nullptr || !list->is_array()) {
    return MakeError("report.manifest", "manifest.json has no list of files");
  }
  ManifestCheck out;
  auto text = [](const json::value* v, std::string_view key) -> std::string {
    if (v == nullptr || !v->is_object()) return "";
    const json::value* f = v->get_object().if_contains(key);
    return f != nullptr && f->is_string() ? std::string(f->get_string()) : "";
  };
  out.suite_version = text(root.if_contains("suite"), "version");
  out.system_id = text(root.if_contains("sut"), "system_id");
  out.started = text(root.if_contains("run"), "started");
  out.verdict = text(root.if_contains("run"), "verdict");
  std::map<std::string, bool> listed;
  for (const json::value& v : list->get_array()) {
    const json::object* f = v.if_object();
    const json::value* path = f != nullptr ? f->if_contains("path") : nullptr;
    const json::value* sha = f != nullptr ? f->if_contains("sha256") : nullptr;
    const json::value* size = f != nullptr ? f->if_contains("bytes") : nullptr;
    if (path == nullptr || !path->is_string() || sha == nullptr || !sha->is_string() ||
        size == nullptr || !size->is_number()) {
      return MakeError("report.manifest",
                       "manifest.json lists a file without path, bytes and sha256");
    }
    std::string p(path->get_string());
    listed[p] = true;
    ++out.files;
    auto it = files.find(p);
    if (it == files.end()) {
      out.alterations.push_back({"missing", p, "listed in the manifest, not in the directory"});
      continue;
    }
    std::string now = signing::Sha256Hex(it->second);
    std::string was(sha->get_string());
    if (now != was) {
      out.alterations.push_back({"altered", p,
                                 "SHA-256 was " + Short(was) + ", is now " + Short(now) + "; " +
                                     json::serialize(*size) + " bytes, now " +
                                     std::to_string(it->second.size())});
    }
  }
  for (const auto& [path, bytes] : files) {
    if (!listed.count(path)) {
      out.alterations.push_back(
          {"added", path, "not in the manifest (" + std::to_string(bytes.size()) + " bytes)"});
    }
  }
  return out;
}

std::optional<SigningClaim> ClaimedSigner(const FileSet& files) {
  auto result = files.find("result.json");
  if (result == files.end()) return std::nullopt;
  boost::system::error_code ec;
  json::value doc = json::parse(result->second, ec);
  const json::object* root = ec ? nullptr : doc.if_object();
  const json::value* block = root != nullptr ? root->if_contains("signing") : nullptr;
  if (block == nullptr || !block->is_object()) return std::nullopt;
  auto text = [&](std::string_view key) -> std::string {
    const json::value* v = block->get_object().if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
  };
  return SigningClaim{text("certifier"), text("role"), text("signed_at"), text("fingerprint")};
}

}  // namespace vxp::reports
