// Helpers shared by the vxpkit subcommands: file I/O, finding output, trust options.
#ifndef VXP_CLI_CLI_UTIL_H_
#define VXP_CLI_CLI_UTIL_H_

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/common/finding.h"
#include "core/common/result.h"
#include "core/signing/trust.h"
#include "core/signing/verify.h"
#include "results/file_io.h"

namespace vxp::cli {

using results::ReadDirectory;
using results::ReadFile;
using results::WriteFile;

// Each finding's results::FindingJson.
boost::json::array FindingsJson(const std::vector<Finding>& findings);
// "  FILE:LINE: VERDICT RULE [LEVEL] message\n      at PATH\n".
void PrintFinding(const std::string& file, const Finding& f, std::ostream& out);

// --trust, --crl, --at: what signatures are judged against. Add() registers the options on a
// subcommand; Resolve() builds the policy (the test PKI when no --trust is given; "now" when no
// --at). Resolve errors are usage errors (exit 2).
struct TrustArgs {
  std::string trust_dir;
  std::vector<std::string> crls;
  std::string at;
  bool require_signed_pdf = false;
  std::optional<signing::TrustStore> store;  // filled by Resolve

  void Add(CLI::App* cmd);
  Result<signing::SignaturePolicy> Resolve();
};

}  // namespace vxp::cli

#endif  // VXP_CLI_CLI_UTIL_H_
