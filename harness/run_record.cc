#include "harness/run_record.h"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/common/datetime.h"
#include "core/edxml/xml_doc.h"
#include "core/lifecycle/lifecycle.h"
#include "core/signing/verify.h"
#include "results/file_io.h"
#include "results/json.h"

namespace vxp::harness {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// Where a rule or requirement comes from: the registry, else the core's rule catalogues.
std::string ClauseOf(std::string_view id, const std::vector<Requirement>& requirements) {
  for (const Requirement& r : requirements) {
    if (r.id == id) return r.source;
  }
  static const std::vector<RuleInfo> rules = [] {
    std::vector<RuleInfo> all = signing::AllRulesWithSignatures();
    for (const RuleInfo& r : lifecycle::rules::kAll) all.push_back(r);
    return all;
  }();
  for (const RuleInfo& r : rules) {
    if (r.id == id) return std::string(r.clause);
  }
  return "";
}

// A file-name-safe piece of text.
std::string Safe(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
  }
  return s;
}

std::string EvidenceDir(const ScenarioResult& s) { return "evidence/" + s.scenario.id + "/"; }

results::ScenarioRecord ScenarioRecordOf(const ScenarioResult& s,
                                         const std::vector<Requirement>& reqs) {
  results::ScenarioRecord o;
  o.id = s.scenario.id;
  o.title = s.scenario.title;
  o.category = s.scenario.category;
  o.level = s.scenario.level;
  o.description = s.scenario.description;
  o.requirements = s.scenario.requirements;
  o.verdict = s.verdict;
  o.reason = s.reason;
  o.expected_failure = s.expected_failure;
  o.unexpected_pass = s.unexpected_pass;
  o.expected_failure_reason = s.expected_reason;
  o.started = s.started;
  o.duration_ms = s.finished - s.started;
  for (const Finding& f : s.findings) o.findings.push_back({f, ClauseOf(f.rule_id, reqs)});
  o.steps = s.steps;
  o.evidence.dir = EvidenceDir(s);
  o.evidence.exchanges = EvidenceDir(s) + "exchanges.json";
  for (const Artifact& a : s.artifacts)
    o.evidence.sent.push_back(EvidenceDir(s) + "sent/" + a.name);
  for (const Artifact& f : s.files) o.evidence.files.push_back(EvidenceDir(s) + Safe(f.name));
  o.evidence.first_seq = s.first_seq;
  o.evidence.end_seq = s.end_seq;
  o.evidence.late_seqs = s.late_seqs;
  o.replay = s.replay;
  o.charts = s.charts;
  o.load = s.load;
  return o;
}

// A body as evidence: the text itself when it is UTF-8, else its ISO-8859-1 reading with
// `<field>_encoding` "iso-8859-1" beside it, which says how to recover the exact bytes.
void PutBody(json::object& o, std::string_view field, std::string_view bytes) {
  if (results::IsUtf8(bytes)) {
    o[field] = bytes;
    return;
  }
  o[field] = results::Latin1ToUtf8(bytes);
  o[std::string(field) + "_encoding"] = "iso-8859-1";
}

json::object ExchangeObject(const Exchange& x) {
  json::array headers;
  for (const auto& [name, value] : x.request_headers) {
    // [name, value], or [name, value read as ISO-8859-1, "iso-8859-1"] for non-UTF-8 bytes.
    if (results::IsUtf8(name) && results::IsUtf8(value)) {
      headers.push_back(json::array{name, value});
    } else {
      headers.push_back(
          json::array{results::Latin1ToUtf8(name), results::Latin1ToUtf8(value), "iso-8859-1"});
    }
  }
  json::array faults;
  for (const std::string& f : x.faults) faults.emplace_back(f);
  json::object request{{"method", x.method}, {"target", x.target}, {"headers", headers}};
  PutBody(request, "body", x.request_body);
  json::object response{{"status", x.status}};
  PutBody(response, "body", x.response_body);
  json::object o{{"seq", x.seq},
                 {"at", results::IsoUtc(x.at)},
                 {"operation", x.operation},
                 {"system_id", x.system_id.empty() ? x.claimed_system : x.system_id},
                 {"authenticated", !x.system_id.empty()},
                 {"error_code", x.error_code},
                 {"detail", x.detail},
                 {"injected_faults", faults},
                 {"request", request},
                 {"response", response}};
  json::value v = std::move(o);
  results::MakeUtf8(v);
  return std::move(v.as_object());
}

Result<void> Write(const fs::path& path, std::string_view bytes) {
  return results::WriteFile(path.string(), bytes);
}

}  // namespace

results::RunRecord MakeRecord(const RunResult& r, const std::vector<Requirement>& requirements,
                              std::string_view suite_version) {
  results::RunRecord o;
  o.suite_version = std::string(suite_version);
  o.started = r.started;
  o.finished = r.finished;
  o.seed = r.options.seed;
  o.strict = r.options.strict;
  o.profile = r.profile.name;
  o.profile_description = r.profile.description;
  for (const auto& [name, value] : Named(r.profile.deadlines)) {
    o.deadlines_ms.emplace_back(name, value.count());
  }
  o.only = r.options.only;
  o.categories = r.options.categories;
  o.expected_failures = r.options.expected_failures;
  o.replay = r.options.replay_command + " --seed " + std::to_string(r.options.seed);
  o.system_id = r.sut.system_id;
  o.product = r.sut.product;
  o.product_version = r.sut.product_version;
  o.agencies = r.sut.agencies;
  o.driver = r.sut.driver_url;
  o.control = r.control;
  o.outbound = r.sut.outbound;
  o.claims = r.sut.claims;
  o.hub_url = r.hub_url;
  o.peers = r.peers;
  o.verdict = r.verdict;
  o.exit_code = r.exit_code;
  o.error = r.error;
  o.aborted = r.aborted;
  o.interrupted = r.interrupted;
  if (r.final_sanity) o.final_sanity = ScenarioRecordOf(*r.final_sanity, requirements);
  for (const ScenarioResult& s : r.scenarios) {
    o.scenarios.push_back(ScenarioRecordOf(s, requirements));
  }
  // Coverage: each requirement with the verdicts of the scenarios of this run that test it.
  for (const Requirement& q : requirements) {
    results::RequirementRecord row{q.id,        q.source,     q.summary, q.level,
                                   q.tested_by, q.not_tested, {}};
    for (const ScenarioResult& s : r.scenarios) {
      if (std::find(q.tested_by.begin(), q.tested_by.end(), s.scenario.id) != q.tested_by.end()) {
        row.results.emplace_back(s.scenario.id, s.verdict);
      }
    }
    o.requirements.push_back(std::move(row));
  }
  return o;
}

Result<results::EvidenceFiles> WriteRun(const std::string& dir, const RunResult& r,
                                        const results::RunRecord& record) {
  results::EvidenceFiles files;
  auto keep = [&](const std::string& relative, std::string bytes) -> Result<void> {
    auto w = Write(fs::path(dir) / relative, bytes);
    if (w) files[relative] = std::move(bytes);
    return w;
  };
  // An exchange that concerns a scenario whose quiet window overlapped the next one is that
  // scenario's evidence, not the next one's.
  std::set<std::int64_t> late;
  for (const ScenarioResult& s : r.scenarios) late.insert(s.late_seqs.begin(), s.late_seqs.end());
  for (const ScenarioResult& s : r.scenarios) {
    const std::string ev = EvidenceDir(s);
    json::array exchanges;
    for (const Exchange& x : r.exchanges) {
      bool in_range = x.seq >= s.first_seq && x.seq < s.end_seq && !late.contains(x.seq);
      if (!in_range && !std::binary_search(s.late_seqs.begin(), s.late_seqs.end(), x.seq)) {
        continue;
      }
      exchanges.push_back(ExchangeObject(x));
      if (x.operation == "sendEdoc" && !x.request_body.empty()) {
        std::string name = std::to_string(x.seq) + "-" + Safe(x.Param("messagetype")) + ".xml";
        if (auto w = keep(ev + "received/" + name, x.request_body); !w) {
          return tl::unexpected(w.error());
        }
      }
    }
    if (auto w = keep(ev + "exchanges.json", json::serialize(exchanges) + "\n"); !w) {
      return tl::unexpected(w.error());
    }
    for (const Artifact& a : s.artifacts) {
      if (auto w = keep(ev + "sent/" + Safe(a.name), a.bytes); !w) return tl::unexpected(w.error());
    }
    for (const Artifact& f : s.files) {
      if (auto w = keep(ev + Safe(f.name), f.bytes); !w) return tl::unexpected(w.error());
    }
  }
  if (auto w = Write(fs::path(dir) / "result.json", results::ToJson(record)); !w) {
    return tl::unexpected(w.error());
  }
  return files;
}

std::string Summary(const RunResult& r, const std::string& dir, i18n::Lang lang) {
  auto t = [lang](std::string_view key, const i18n::Args& args = {}) {
    return i18n::Text(lang, key, args);
  };
  std::ostringstream out;
  out << "\n";
  if (!r.error.empty()) out << t("summary.error", {{"error", r.error}}) << "\n";
  if (r.aborted) out << t("summary.stopped", {{"reason", *r.aborted}}) << "\n";
  if (r.interrupted) out << t("summary.interrupted", {{"reason", *r.interrupted}}) << "\n";
  std::string agencies;
  for (size_t i = 0; i < r.sut.agencies.size(); ++i) {
    agencies += (i ? ", " : "") + r.sut.agencies[i];
  }
  out << "vxpkit: "
      << i18n::Plural(
             lang, "summary.headline", static_cast<long long>(r.scenarios.size()),
             {{"system", r.sut.system_id + (r.sut.product.empty() ? ""
                                                                  : ", " + r.sut.product + " " +
                                                                        r.sut.product_version)},
              {"agencies", agencies},
              {"profile", r.profile.name},
              {"seed", std::to_string(r.options.seed)},
              {"duration", FormatDuration(std::chrono::milliseconds(r.finished - r.started))}})
      << "\n  ";
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kWarn, Verdict::kSkip,
                    Verdict::kInconclusive, Verdict::kError, Verdict::kNotRun}) {
    auto it = r.counts.find(v);
    int n = it == r.counts.end() ? 0 : it->second;
    if (v == Verdict::kNotRun && n == 0) continue;
    out << i18n::VerdictName(lang, v) << " " << n << "  ";
  }
  out << "\n";
  for (const ScenarioResult& s : r.scenarios) {
    bool notable = s.verdict == Verdict::kFail || s.verdict == Verdict::kWarn ||
                   s.verdict == Verdict::kInconclusive || s.verdict == Verdict::kError ||
                   s.unexpected_pass;
    if (!notable) continue;
    out << "\n  " << i18n::VerdictName(lang, s.verdict)
        << (s.expected_failure ? " " + t("summary.expected") : "")
        << (s.unexpected_pass ? " " + t("summary.unexpected_pass") : "") << "  " << s.scenario.id
        << ": " << i18n::Translate(lang, i18n::ScenarioTitleKey(s.scenario.id), s.scenario.title)
        << "\n";
    if (!s.reason.empty()) out << "      " << s.reason << "\n";
    out << "      " << t("summary.replay", {{"command", s.replay}}) << "\n";
  }
  if (r.final_sanity && r.final_sanity->verdict != Verdict::kPass) {
    out << "\n  " << t("summary.final_sanity", {{"reason", r.final_sanity->reason}}) << "\n";
  }
  out << "\n"
      << t("summary.verdict", {{"verdict", i18n::VerdictName(lang, r.verdict)},
                               {"code", std::to_string(r.exit_code)}});
  // The counts above are scenario verdicts; a run that stopped gets its verdict from the stop,
  // so say that, or the line contradicts the counts (ERROR with "ERROR 0").
  if (!r.error.empty()) {
    out << ": " << t("summary.verdict.error");
  } else if (r.aborted) {
    out << ": " << t("summary.verdict.aborted");
  } else if (r.interrupted) {
    out << ": " << t("summary.verdict.interrupted");
  } else if (r.verdict == Verdict::kInconclusive && r.final_sanity &&
             r.final_sanity->verdict != Verdict::kPass) {
    out << ": " << t("summary.verdict.final_sanity");
  }
  if (!dir.empty()) out << "; " << t("summary.result", {{"path", dir + "/result.json"}});
  out << "\n";
  return out.str();
}

}  // namespace vxp::harness
