// The vxpkit subcommands. Each Register* function adds one subcommand to the CLI11 app; the
// callback it installs stores the exit code in `*exit_code` (0 pass, 1 a conformance failure,
// 2 usage or I/O error, as in ARCHITECTURE.md §1).
#ifndef VXP_CLI_COMMANDS_H_
#define VXP_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

namespace vxp::cli {

void RegisterValidate(CLI::App& app, int* exit_code);
void RegisterRules(CLI::App& app, int* exit_code);
void RegisterSample(CLI::App& app, int* exit_code);
void RegisterSamples(CLI::App& app, int* exit_code);  // the bundled sample packages
void RegisterRun(CLI::App& app, int* exit_code);      // run, demo, list
void RegisterReport(CLI::App& app, int* exit_code);   // report, verify-report, verify-certificate
void RegisterSigning(CLI::App& app, int* exit_code);  // sign, verify, vectors
void RegisterHub(CLI::App& app, int* exit_code);
void RegisterAgency(CLI::App& app, int* exit_code);
void RegisterServe(CLI::App& app, int* exit_code);  // the conformance service

}  // namespace vxp::cli

#endif  // VXP_CLI_COMMANDS_H_
