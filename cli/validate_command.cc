// `vxpkit validate` and `vxpkit samples`: judge package files and print the findings.
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/common/datetime.h"
#include "core/edxml/validate.h"
#include "core/signing/test_pki.h"
#include "core/signing/verify.h"

namespace vxp::cli {
namespace {

namespace fs = std::filesystem;
using edxml::Judgement;

struct ValidateArgs {
  std::vector<std::string> files;
  std::string mode = "strict";
  std::string today;
  bool json = false;
  bool recursive = false;
  size_t max_bytes = edxml::ParseLimits{}.max_bytes;
  int max_depth = edxml::ParseLimits{}.max_depth;
  size_t max_elements = edxml::ParseLimits{}.max_elements;
  TrustArgs trust;
};

Date LocalToday() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&now, &tm);
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

// Judges one file. An unreadable file is an I/O error (returns nullopt after printing why); an
// oversized one is refused without being read.
std::optional<Judgement> JudgeFile(const std::string& path, const edxml::ValidateOptions& options,
                                   const signing::SignaturePolicy& policy) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (!ec && size > options.limits.max_bytes) {
    Judgement j;
    j.findings.push_back(edxml::OversizeFinding(size, options.limits.max_bytes));
    j.verdict = Worst(j.findings);
    return j;
  }
  auto bytes = ReadFile(path);
  if (!bytes) {
    std::cerr << "vxpkit: " << bytes.error().message << "\n";
    return std::nullopt;
  }
  return signing::Judge(*bytes, options, policy);
}

boost::json::object ToJson(const std::string& file, const Judgement& j) {
  return boost::json::object{{"file", file},
                             {"kind", edxml::ToString(j.kind)},
                             {"verdict", ToString(j.verdict)},
                             {"findings", FindingsJson(j.findings)}};
}

void PrintHuman(const std::string& file, const Judgement& j, std::ostream& out) {
  int must = 0, should = 0;
  for (const Finding& f : j.findings) {
    if (f.verdict == Verdict::kFail) ++must;
    if (f.verdict == Verdict::kWarn) ++should;
  }
  out << file << ": " << edxml::ToString(j.kind) << " package — " << ToString(j.verdict);
  if (must + should > 0) out << " (" << must << " failed, " << should << " warnings)";
  out << "\n";
  for (const Finding& f : j.findings) PrintFinding(file, f, out);
}

// Judges every file and prints; returns the exit code.
int Run(ValidateArgs& args, std::ostream& out) {
  auto policy = args.trust.Resolve();
  if (!policy) {
    std::cerr << "vxpkit: " << policy.error().message << "\n";
    return 2;
  }
  edxml::ValidateOptions options;
  options.limits.max_bytes = args.max_bytes;
  options.limits.max_depth = args.max_depth;
  options.limits.max_elements = args.max_elements;
  options.rules.strictness = args.mode == "lenient" ? Strictness::kLenient : Strictness::kStrict;
  if (args.today.empty()) {
    options.rules.today = LocalToday();
  } else if (auto d = ParseEdxmlDate(args.today)) {
    options.rules.today = d;
  } else {
    std::cerr << "vxpkit: --today wants a date written yyyy/MM/dd, not '" << args.today << "'\n";
    return 2;
  }
  int code = 0;
  // A directory stands for the .xml files beneath it (--recursive), or is said to be one; either
  // way the other arguments are judged.
  std::vector<std::string> files;
  for (const std::string& arg : args.files) {
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) {
      files.push_back(arg);
      continue;
    }
    if (!args.recursive) {
      std::cerr << "vxpkit: " << arg
                << " is a directory, not a package (add --recursive to judge the .xml files in "
                   "it)\n";
      code = 2;
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(arg, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".xml") {
        found.push_back(it->path().string());
      }
    }
    if (ec) {
      std::cerr << "vxpkit: cannot read the directory " << arg << ": " << ec.message() << "\n";
      code = 2;
    }
    if (found.empty() && !ec) std::cerr << "vxpkit: no .xml file in " << arg << "\n";
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  for (const std::string& file : files) {
    auto j = JudgeFile(file, options, *policy);
    if (!j) {
      code = 2;
      continue;
    }
    if (args.json) {
      out << boost::json::serialize(ToJson(file, *j)) << "\n";
    } else {
      PrintHuman(file, *j, out);
    }
    if (j->verdict == Verdict::kFail && code == 0) code = 1;
  }
  return code;
}

}  // namespace

void RegisterValidate(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* cmd = app.add_subcommand("validate", "Judge edXML package files");
  cmd->footer(
      "Judges each file: well-formedness and safety (no DTDs or entities), the edXML schema,\n"
      "every rule of `vxpkit rules` that one package can show, and the signatures it carries\n"
      "(envelope XML-DSig and signed PDF attachments, as `vxpkit verify` judges them). Each\n"
      "finding names its rule ID, level, line and element path.\n"
      "Exit 0 when no file fails a MUST rule, 1 when any does, 2 on a usage or I/O error (a\n"
      "file that cannot be read, a directory without --recursive: the others are still judged).\n\n"
      "Examples:\n"
      "  vxpkit validate incoming/*.xml\n"
      "  vxpkit validate --recursive incoming/\n"
      "  vxpkit validate --mode lenient --json package.xml | jq .findings\n"
      "  vxpkit validate --today 2026/11/21 package.xml   (reproducible 'not in the future')");
  cmd->add_option("files", args->files,
                  "Package files to judge (a directory with --recursive: its .xml files)")
      ->required();
  cmd->add_flag("--recursive,-r", args->recursive,
                "Judge every .xml file beneath each directory given, in name order");
  cmd->add_option("--mode", args->mode,
                  "strict (certification: the standard as written) or lenient (interop: what a "
                  "receiving system can process only warns, under EDXML-INTEROP-* rule IDs and "
                  "for legacy agency identifiers; docs/validate.md)")
      ->check(CLI::IsMember({"strict", "lenient"}))
      ->capture_default_str();
  cmd->add_flag("--json", args->json,
                "One JSON object per file and line: {file, kind, verdict, findings[]}");
  cmd->add_option("--today", args->today,
                  "Judge 'not in the future' against this date (yyyy/MM/dd) instead of the "
                  "local date, for reproducible runs");
  cmd->add_option("--max-bytes", args->max_bytes, "Largest package accepted, in bytes")
      ->capture_default_str();
  cmd->add_option("--max-depth", args->max_depth, "Deepest element nesting accepted")
      ->capture_default_str();
  cmd->add_option("--max-elements", args->max_elements,
                  "Most elements accepted in one package (counted before parsing)")
      ->capture_default_str();
  args->trust.Add(cmd);
  cmd->add_flag("--require-signed-pdf", args->trust.require_signed_pdf,
                "A PDF attachment without a signature fails (DSIG-PDF-UNSIGNED); off by default "
                "because a package alone does not say whether its document has legal effect");
  cmd->callback([args, exit_code] { *exit_code = Run(*args, std::cout); });
}

void RegisterSamples(CLI::App& app, int* exit_code) {
  auto dir = std::make_shared<std::string>("vectors/packages");
  CLI::App* cmd = app.add_subcommand("samples", "Validate the bundled sample packages");
  cmd->footer(
      "Validates every package in vectors/packages and prints its verdict next to the verdict\n"
      "its .expect.json records. Exit 0 when every sample is judged as expected.");
  cmd->add_option("--vectors", *dir, "Directory of sample packages")->capture_default_str();
  cmd->callback([dir, exit_code] {
    fs::path root = *dir;
    if (!fs::is_directory(root)) root = fs::path(VXP_SOURCE_DIR) / "vectors" / "packages";
    if (!fs::is_directory(root)) {
      std::cerr << "vxpkit: no sample directory at " << *dir << "\n";
      *exit_code = 2;
      return;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(root)) {
      if (e.path().extension() == ".xml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    edxml::ValidateOptions options;
    options.rules.today = Date{2026, 11, 21};  // the date the samples are pinned to
    signing::SignaturePolicy policy;
    policy.verify.at = *signing::ParseTime(signing::test_pki::kPinnedTime);
    int unexpected = 0;
    std::map<std::string, int> counts;
    for (const fs::path& f : files) {
      auto j = JudgeFile(f.string(), options, policy);
      if (!j) {
        *exit_code = 2;
        return;
      }
      std::string expected = "?";
      fs::path expect = f;
      expect.replace_extension(".expect.json");
      if (std::ifstream in(expect); in) {
        std::stringstream ss;
        ss << in.rdbuf();
        boost::system::error_code jec;
        auto v = boost::json::parse(ss.str(), jec);
        if (!jec && v.is_object() && v.as_object().contains("verdict")) {
          expected = boost::json::value_to<std::string>(v.at("verdict"));
        }
      }
      std::string got(ToString(j->verdict));
      bool ok = got == expected;
      unexpected += ok ? 0 : 1;
      ++counts[got];
      std::cout << (ok ? "  ok   " : "  DIFF ") << got << std::string(6 - got.size(), ' ')
                << f.filename().string();
      if (!j->findings.empty()) {
        std::cout << "  — " << j->findings.front().rule_id;
        if (j->findings.size() > 1) std::cout << " (+" << j->findings.size() - 1 << ")";
      }
      if (!ok) std::cout << "  [expected " << expected << "]";
      std::cout << "\n";
    }
    std::cout << "\n"
              << files.size() << " sample packages: " << counts["PASS"] << " PASS, "
              << counts["WARN"] << " WARN, " << counts["FAIL"] << " FAIL; " << unexpected
              << " judged differently from their .expect.json\n"
              << "Judge your own: vxpkit validate FILE.xml (vxpkit validate --help)\n";
    *exit_code = unexpected == 0 ? 0 : 1;
  });
}

}  // namespace vxp::cli
