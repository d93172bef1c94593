// vxpkit: the conformance suite and simulator for Vietnam's national document interconnection
// hub. Thin: parses options and calls the libraries.
#include <algorithm>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "core/common/text.h"

int main(int argc, char** argv) {
  CLI::App app{
      "vxpkit — conformance test suite and simulator for the national electronic-document\n"
      "interconnection hub (Trục liên thông văn bản quốc gia, edXML / QCVN 102:2016).\n\n"
      "Start here:\n"
      "  vxpkit validate package.xml     judge one edXML package (schema, rules, signatures)\n"
      "  vxpkit verify signed.pdf        verify the signatures of packages and PDFs\n"
      "  vxpkit rules                    every rule vxpkit checks, with its clause\n"
      "  vxpkit sample document > a.xml  a valid package to start from\n"
      "  vxpkit demo                     run the whole conformance suite against the built-in\n"
      "                                  reference agency and write a result\n"
      "  vxpkit run --sut sut.json       run the suite against your own system\n"
      "  vxpkit report DIR               render a saved result again (HTML, JUnit, JSON)\n"
      "  vxpkit verify-report DIR        check a signed result: what, if anything, was altered\n"
      "  vxpkit verify-certificate F     check a conformance certificate offline\n"
      "  vxpkit list                     the scenario catalogue and requirement coverage\n"
      "  vxpkit samples                  validate the bundled sample packages\n"
      "  vxpkit hub                      run the hub simulator (the hub's real HTTP API)\n"
      "  vxpkit agency --hub URL …       run a mock agency (reference or a fault profile)\n",
      "vxpkit"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "vxpkit 0.1.0");
  int exit_code = 0;
  vxp::cli::RegisterValidate(app, &exit_code);
  vxp::cli::RegisterRules(app, &exit_code);
  vxp::cli::RegisterSample(app, &exit_code);
  vxp::cli::RegisterSamples(app, &exit_code);
  vxp::cli::RegisterRun(app, &exit_code);
  vxp::cli::RegisterReport(app, &exit_code);
  vxp::cli::RegisterSigning(app, &exit_code);
  vxp::cli::RegisterHub(app, &exit_code);
  vxp::cli::RegisterAgency(app, &exit_code);
  vxp::cli::RegisterServe(app, &exit_code);
  // A first word that is no command is a mistake even beside --help (CLI11 would print the main
  // help for `vxpkit servr --help` and exit 0, as if servr existed).
  if (argc > 1 && argv[1][0] != '-') {
    std::string_view word = argv[1];
    std::vector<std::string_view> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      std::string_view near = vxp::ClosestName(word, names);
      std::string all;
      for (std::string_view n : names) all += (all.empty() ? "" : ", ") + std::string(n);
      std::cerr << "vxpkit: there is no command '" << word << "'"
                << (near.empty() ? "" : " (did you mean " + std::string(near) + "?)")
                << "; the commands: " << all << " (vxpkit --help explains them)\n";
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors are exit 2
  }
  return exit_code;
}
