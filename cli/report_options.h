// The report options `vxpkit run`, `vxpkit demo` and `vxpkit report` share: which formats to
// write beside result.json, and the key that signs the result.
#ifndef VXP_CLI_REPORT_OPTIONS_H_
#define VXP_CLI_REPORT_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>

#include "core/common/result.h"
#include "i18n/catalog.h"
#include "results/result_model.h"

namespace vxp::cli {

struct ReportOptions {
  std::string formats = "html,junit,json";
  std::string sign_key, sign_cert;
  std::string certifier, certifier_role;  // default: the certificate's CN, and title or O
  std::string lang;  // --lang: "" when not given (`run`, `demo`: en; `report`: the run's own)

  // The language asked for with --lang, if any.
  std::optional<i18n::Lang> Lang() const { return i18n::ParseLang(lang); }

  // Registers --format, --lang, --sign-key, --sign-cert, --certifier and --certifier-role on
  // `cmd`.
  void Add(CLI::App* cmd);
  // The formats, or a usage error (unknown format; one of --sign-key/--sign-cert without the
  // other; --certifier without them). Checked before a run starts so that a typo does not cost a
  // whole run.
  Result<std::set<std::string>> Check() const;
  // Who vouches for the result when it is to be signed (nullopt when not): the certificate
  // described, the certifier's name and role, dated `now`. The run writes it into result.json
  // before rendering, so every report names the signer. Errors "io.read", "signing.key".
  Result<std::optional<results::SigningRecord>> Signing(Millis now) const;
  // Writes the reports into `dir` (which holds result.json) and signs it when asked, saying
  // what it wrote on `out`; when signing, result.json first gets the certifier block (and the
  // language of --lang, so that the signed files render the same again). Returns 0,
  // or 2 after printing the error.
  int Write(const std::string& dir, std::ostream& out) const;
  // The same for a run just written to `dir`, rendered from the run in memory (whose certifier
  // block, when signing, Signing made).
  int Write(const std::string& dir, const results::RunRecord& run,
            const results::EvidenceFiles& evidence, std::ostream& out) const;
};

}  // namespace vxp::cli

#endif  // VXP_CLI_REPORT_OPTIONS_H_
