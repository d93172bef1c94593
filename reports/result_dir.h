// The reports' adapter to the file system: reads a result directory, writes the reports into it,
// signs it and verifies a signed one. Everything else in reports/ is pure.
#ifndef VXP_REPORTS_RESULT_DIR_H_
#define VXP_REPORTS_RESULT_DIR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/signing/detached.h"
#include "reports/html.h"
#include "reports/manifest.h"
#include "reports/report.h"
#include "results/result_model.h"

namespace vxp::reports {

// The formats `vxpkit report --format` knows, with the file each writes: "html" (index.html),
// "junit" (junit.xml), "json" (report.json). Adding a format is one entry of the table in
// result_dir.cc and its writer in report.h/report.cc.
std::vector<std::string> FormatNames();

// "html,junit" -> {"html", "junit"}. Error "report.format" naming an unknown format.
Result<std::set<std::string>> ParseFormats(const std::string& list);

// Reads DIR/result.json and the evidence files. Errors "io.read" (no result.json: says that DIR
// is not a result directory), "report.input" (result.json unreadable, as ReadRunRecord says).
struct LoadedResult {
  results::RunRecord run;
  EvidenceFiles evidence;
};
Result<LoadedResult> LoadResultDir(const std::string& dir);

// Renders `formats` into DIR from DIR's result.json. Returns the paths written. Errors as
// LoadResultDir, "io.write".
Result<std::vector<std::string>> WriteReports(const std::string& dir,
                                              const std::set<std::string>& formats);
// The same from a run in memory (and its evidence files, keyed "evidence/…"), as a run renders
// its reports without reading back what it wrote. Error "io.write".
Result<std::vector<std::string>> WriteReports(const std::string& dir, const results::RunRecord& run,
                                              const EvidenceFiles& evidence,
                                              const std::set<std::string>& formats);

// Writes DIR/manifest.json over every file now in DIR and DIR/manifest.json.p7s signed with the
// PEM key and certificate (the certificate file may continue with its chain), dated
// `signing_time`; the manifest names the suite's `vectors` (conformance::SuiteVectors). Errors
// "io.*", "report.input", "signing.key" (the key does not parse or is not the certificate's),
// "signing.cms".
Result<void> SignResultDir(const std::string& dir, const std::string& key_pem,
                           const std::string& cert_pem, std::int64_t signing_time,
                           std::string_view suite_version,
                           const std::map<std::string, std::string>& vectors);

struct ReportVerification {
  signing::DetachedSigner signer;  // signer.trusted: the chain reaches `trust_pem`
  ManifestCheck check;
  // Who result.json says signed it (the certifier block the reports show), when it says so.
  std::optional<SigningClaim> claim;
  // Every file is as signed, and result.json names no other signer than the signature's.
  bool intact() const { return check.alterations.empty(); }
};
// Checks DIR's signature, the signer's chain against `trust_pem` (none given: not trusted), every
// file against the manifest, and result.json's claim of who signed against the signature: a
// claim naming another certificate is an alteration of kind "misattributed". A directory whose
// files changed, or whose signer is not trusted, is a success: the caller says what is wrong.
// Errors: "report.unsigned" (no manifest or no signature), "signing.detached.*" (the manifest was
// changed or the signature is bad), "signing.key" (`trust_pem` does not parse),
// "report.manifest", "io.read".
Result<ReportVerification> VerifyResultDir(const std::string& dir, const std::string& trust_pem);

}  // namespace vxp::reports

#endif  // VXP_REPORTS_RESULT_DIR_H_
