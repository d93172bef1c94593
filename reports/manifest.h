// Signed results. A signed result directory holds, beside result.json, the evidence and the
// reports:
//   manifest.json      schema "vxpkit-manifest/1": the suite version; the run (started, seed,
//                      profile, verdict); the SUT's identity and configuration as result.json
//                      records them, with "secret": "(redacted)" — the secret itself is never
//                      written; the vectors the suite judged with (SHA-256 of the test PKI's
//                      certificates and CRLs, of the requirements registry and of the catalogue);
//                      and every other file of the directory with its size and SHA-256
//   manifest.json.p7s  a detached CMS signature of manifest.json (core/signing/detached.h)
// These functions are pure: the files are passed in as bytes (reports/files.h reads them).
#ifndef VXP_REPORTS_MANIFEST_H_
#define VXP_REPORTS_MANIFEST_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace vxp::reports {

inline constexpr std::string_view kManifestSchema = "vxpkit-manifest/1";
inline constexpr std::string_view kManifestFile = "manifest.json";
inline constexpr std::string_view kSignatureFile = "manifest.json.p7s";

// Relative path ('/'-separated) -> bytes.
using FileSet = std::map<std::string, std::string>;

// manifest.json's text for `files` (which must contain result.json and must not contain the
// manifest or its signature). `vectors`: name -> hex SHA-256. Errors "report.input" when
// result.json is missing or unreadable.
Result<std::string> BuildManifest(const FileSet& files, std::string_view suite_version,
                                  const std::map<std::string, std::string>& vectors);

// One difference between a manifest and the directory.
struct Alteration {
  std::string kind;  // "altered", "missing" or "added"
  std::string path;
  std::string detail;  // e.g. "SHA-256 was 3f2a…, is now 9b1c…; 1520 bytes, now 1534"
};

struct ManifestCheck {
  std::string suite_version, system_id, started, verdict;
  size_t files = 0;                     // files the manifest lists
  std::vector<Alteration> alterations;  // empty: every file is as signed
};

// Compares `manifest_json` with `files` (the directory without the manifest and its
// signature). Errors "report.manifest" when the manifest is not one (names what is wrong).
Result<ManifestCheck> CheckManifest(std::string_view manifest_json, const FileSet& files);

// What result.json says about who signed (its "signing" block; results/result_model.h).
struct SigningClaim {
  std::string certifier, role, signed_at, fingerprint;
};
// The claim of `files`' result.json, or nullopt when it makes none (or is not readable: the
// manifest check names an altered result.json).
std::optional<SigningClaim> ClaimedSigner(const FileSet& files);

}  // namespace vxp::reports

#endif  // VXP_REPORTS_MANIFEST_H_
