#include "harness/result.h"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/datetime.h"
#include "core/edxml/xml_doc.h"
#include "core/lifecycle/lifecycle.h"
#include "core/signing/verify.h"
#include "harness/files.h"

namespace vxp::harness {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

std::string Iso(wire::Millis ms) {
  DateTime t = CivilTime(ms / 1000, 0);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.date.year, t.date.month,
                t.date.day, t.hour, t.minute, t.second, static_cast<int>(ms % 1000));
  return buf;
}

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

json::object FindingObject(const Finding& f, const std::vector<Requirement>& requirements) {
  return {{"rule_id", f.rule_id},
          {"level", ToString(f.level)},
          {"verdict", ToString(f.verdict)},
          {"clause", ClauseOf(f.rule_id, requirements)},
          {"location", f.location.path},
          {"line", f.location.line},
          {"expected", f.expected},
          {"actual", f.actual},
          {"message", f.message}};
}

// A file-name-safe piece of text.
std::string Safe(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
  }
  return s;
}

std::string EvidenceDir(const ScenarioResult& s) { return "evidence/" + s.scenario.id + "/"; }

json::object ScenarioObject(const ScenarioResult& s, const std::vector<Requirement>& reqs) {
  json::array findings, steps, requirements, sent;
  for (const Finding& f : s.findings) findings.push_back(FindingObject(f, reqs));
  for (const std::string& step : s.steps) steps.emplace_back(step);
  for (const std::string& r : s.scenario.requirements) requirements.emplace_back(r);
  for (const Artifact& a : s.artifacts) sent.emplace_back(EvidenceDir(s) + "sent/" + a.name);
  json::object evidence{{"dir", EvidenceDir(s)},
                        {"exchanges", EvidenceDir(s) + "exchanges.json"},
                        {"sent", sent},
                        {"exchange_seq", json::array{s.first_seq, s.end_seq}}};
  if (!s.files.empty()) {
    json::array files;
    for (const Artifact& f : s.files) files.emplace_back(EvidenceDir(s) + Safe(f.name));
    evidence["files"] = files;
  }
  json::object o{{"id", s.scenario.id},
                 {"title", s.scenario.title},
                 {"category", s.scenario.category},
                 {"level", ToString(s.scenario.level)},
                 {"requirements", requirements},
                 {"description", s.scenario.description},
                 {"verdict", ToString(s.verdict)},
                 {"reason", s.reason},
                 {"expected_failure", s.expected_failure},
                 {"unexpected_pass", s.unexpected_pass},
                 {"expected_failure_reason", s.expected_reason},
                 {"started", Iso(s.started)},
                 {"duration_ms", s.finished - s.started},
                 {"findings", findings},
                 {"steps", steps},
                 {"evidence", evidence},
                 {"replay", s.replay}};
  if (!s.charts.empty()) {
    json::array charts;
    for (const Chart& c : s.charts) {
      json::array series;
      for (const ChartSeries& cs : c.series) {
        json::array points;
        for (const auto& [x, y] : cs.points) points.push_back(json::array{x, y});
        series.push_back(json::object{{"name", cs.name}, {"points", points}});
      }
      charts.push_back(json::object{
          {"title", c.title}, {"x_label", c.x_label}, {"y_label", c.y_label}, {"series", series}});
    }
    o["charts"] = charts;
  }
  if (!s.load_json.empty()) {
    boost::system::error_code ec;
    json::value load = json::parse(s.load_json, ec);
    if (!ec) o["load"] = load;
  }
  return o;
}

// ISO-8859-1 bytes as UTF-8 text: every byte becomes the code point of its value, so the text is
// always valid and the bytes come back by writing each code point as one byte. The Java SDK sends
// header values this way (the low byte of each character).
std::string Latin1ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

bool IsUtf8(std::string_view bytes) { return edxml::FindInvalidUtf8(bytes) == std::string::npos; }

// Every string in `v` that is not valid UTF-8 (text the SUT sent, quoted in a finding or a
// detail) is replaced by its ISO-8859-1 reading, so the file always parses as JSON.
void MakeUtf8(json::value& v) {
  if (v.is_string()) {
    if (!IsUtf8(v.as_string())) v = Latin1ToUtf8(v.as_string());
  } else if (v.is_array()) {
    for (json::value& e : v.as_array()) MakeUtf8(e);
  } else if (v.is_object()) {
    for (auto& kv : v.as_object()) MakeUtf8(kv.value());
  }
}

// A body as evidence: the text itself when it is UTF-8, else its ISO-8859-1 reading with
// `<field>_encoding` "iso-8859-1" beside it, which says how to recover the exact bytes.
void PutBody(json::object& o, std::string_view field, std::string_view bytes) {
  if (IsUtf8(bytes)) {
    o[field] = bytes;
    return;
  }
  o[field] = Latin1ToUtf8(bytes);
  o[std::string(field) + "_encoding"] = "iso-8859-1";
}

json::object ExchangeObject(const Exchange& x) {
  json::array headers;
  for (const auto& [name, value] : x.request_headers) {
    // [name, value], or [name, value read as ISO-8859-1, "iso-8859-1"] for non-UTF-8 bytes.
    if (IsUtf8(name) && IsUtf8(value)) {
      headers.push_back(json::array{name, value});
    } else {
      headers.push_back(json::array{Latin1ToUtf8(name), Latin1ToUtf8(value), "iso-8859-1"});
    }
  }
  json::array faults;
  for (const std::string& f : x.faults) faults.emplace_back(f);
  json::object request{{"method", x.method}, {"target", x.target}, {"headers", headers}};
  PutBody(request, "body", x.request_body);
  json::object response{{"status", x.status}};
  PutBody(response, "body", x.response_body);
  json::object o{{"seq", x.seq},
                 {"at", Iso(x.at)},
                 {"operation", x.operation},
                 {"system_id", x.system_id.empty() ? x.claimed_system : x.system_id},
                 {"authenticated", !x.system_id.empty()},
                 {"error_code", x.error_code},
                 {"detail", x.detail},
                 {"injected_faults", faults},
                 {"request", request},
                 {"response", response}};
  json::value v = std::move(o);
  MakeUtf8(v);
  return std::move(v.as_object());
}

Result<bool> Write(const fs::path& path, std::string_view bytes) {
  return WriteFile(path.string(), bytes);
}

}  // namespace

std::string ResultJson(const RunResult& r, const std::vector<Requirement>& requirements,
                       std::string_view suite_version) {
  json::object deadlines;
  for (const auto& [name, value] : Named(r.profile.deadlines)) deadlines[name] = value.count();
  json::array agencies, peers, only, categories, scenarios;
  for (const std::string& a : r.sut.agencies) agencies.emplace_back(a);
  for (const std::string& p : r.peers) peers.emplace_back(p);
  for (const std::string& o : r.options.only) only.emplace_back(o);
  for (const std::string& c : r.options.categories) categories.emplace_back(c);
  for (const ScenarioResult& s : r.scenarios) scenarios.push_back(ScenarioObject(s, requirements));
  json::object expected;
  for (const auto& [id, reason] : r.options.expected_failures) expected[id] = reason;
  json::object counts;
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kWarn, Verdict::kSkip,
                    Verdict::kInconclusive, Verdict::kError}) {
    auto it = r.counts.find(v);
    counts[ToString(v)] = it == r.counts.end() ? 0 : it->second;
  }
  // Coverage: each requirement with the verdicts of the scenarios of this run that test it.
  json::array coverage;
  for (const Requirement& q : requirements) {
    json::array tested_by, verdicts;
    for (const std::string& t : q.tested_by) tested_by.emplace_back(t);
    for (const ScenarioResult& s : r.scenarios) {
      if (std::find(q.tested_by.begin(), q.tested_by.end(), s.scenario.id) != q.tested_by.end()) {
        verdicts.push_back(
            json::object{{"scenario", s.scenario.id}, {"verdict", ToString(s.verdict)}});
      }
    }
    coverage.push_back(json::object{{"id", q.id},
                                    {"source", q.source},
                                    {"summary", q.summary},
                                    {"level", ToString(q.level)},
                                    {"tested_by", tested_by},
                                    {"not_tested", q.not_tested},
                                    {"results", verdicts}});
  }
  json::object out{
      {"schema", kResultSchema},
      {"suite", {{"name", "vxpkit"}, {"version", suite_version}}},
      {"run",
       {{"started", Iso(r.started)},
        {"finished", Iso(r.finished)},
        {"duration_ms", r.finished - r.started},
        {"seed", r.options.seed},
        {"strict", r.options.strict},
        {"profile",
         {{"name", r.profile.name},
          {"description", r.profile.description},
          {"deadlines_ms", deadlines}}},
        {"selection", {{"only", only}, {"categories", categories}}},
        {"expected_failures", expected},
        {"replay", r.options.replay_command + " --seed " + std::to_string(r.options.seed)}}},
      {"sut",
       {{"system_id", r.sut.system_id},
        {"agencies", agencies},
        {"driver", r.sut.driver_url},
        {"control", r.control},
        {"outbound", r.sut.outbound},
        {"hub_url", r.hub_url},
        {"peers", peers}}},
      {"outcome",
       {{"verdict", ToString(r.verdict)},
        {"exit_code", r.exit_code},
        {"error", r.error},
        {"aborted", r.aborted ? json::value(*r.aborted) : json::value(nullptr)},
        {"final_sanity", r.final_sanity ? json::value(ScenarioObject(*r.final_sanity, requirements))
                                        : json::value(nullptr)},
        {"counts", counts}}},
      {"scenarios", scenarios},
      {"requirements", coverage}};
  json::value v = std::move(out);
  MakeUtf8(v);  // findings and steps quote what the SUT sent
  return json::serialize(v) + "\n";
}

Result<bool> WriteRun(const std::string& dir, const RunResult& r,
                      const std::vector<Requirement>& requirements,
                      std::string_view suite_version) {
  fs::path root(dir);
  std::vector<const ScenarioResult*> all;
  for (const ScenarioResult& s : r.scenarios) all.push_back(&s);
  for (const ScenarioResult* s : all) {
    fs::path ev = root / EvidenceDir(*s);
    json::array exchanges;
    for (const Exchange& x : r.exchanges) {
      if (x.seq < s->first_seq || x.seq >= s->end_seq) continue;
      exchanges.push_back(ExchangeObject(x));
      if (x.operation == "sendEdoc" && !x.request_body.empty()) {
        std::string name = std::to_string(x.seq) + "-" + Safe(x.Param("messagetype")) + ".xml";
        if (auto w = Write(ev / "received" / name, x.request_body); !w) return w;
      }
    }
    if (auto w = Write(ev / "exchanges.json", json::serialize(exchanges) + "\n"); !w) return w;
    for (const Artifact& a : s->artifacts) {
      if (auto w = Write(ev / "sent" / Safe(a.name), a.bytes); !w) return w;
    }
    for (const Artifact& f : s->files) {
      if (auto w = Write(ev / Safe(f.name), f.bytes); !w) return w;
    }
  }
  return Write(root / "result.json", ResultJson(r, requirements, suite_version));
}

std::string Summary(const RunResult& r, const std::string& dir) {
  std::ostringstream out;
  out << "\n";
  if (!r.error.empty()) {
    out << "ERROR: " << r.error << "\n";
  }
  if (r.aborted) out << "STOPPED: " << *r.aborted << "\n";
  out << "vxpkit: " << r.scenarios.size() << (r.scenarios.size() == 1 ? " scenario" : " scenarios")
      << " against " << r.sut.system_id << " (";
  for (size_t i = 0; i < r.sut.agencies.size(); ++i) out << (i ? ", " : "") << r.sut.agencies[i];
  out << "), profile " << r.profile.name << ", seed " << r.options.seed << ", "
      << FormatDuration(std::chrono::milliseconds(r.finished - r.started)) << "\n  ";
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kWarn, Verdict::kSkip,
                    Verdict::kInconclusive, Verdict::kError}) {
    auto it = r.counts.find(v);
    out << ToString(v) << " " << (it == r.counts.end() ? 0 : it->second) << "  ";
  }
  out << "\n";
  for (const ScenarioResult& s : r.scenarios) {
    bool notable = s.verdict == Verdict::kFail || s.verdict == Verdict::kWarn ||
                   s.verdict == Verdict::kInconclusive || s.verdict == Verdict::kError ||
                   s.unexpected_pass;
    if (!notable) continue;
    out << "\n  " << ToString(s.verdict) << (s.expected_failure ? " (expected)" : "")
        << (s.unexpected_pass ? " but listed as an expected failure" : "") << "  " << s.scenario.id
        << ": " << s.scenario.title << "\n";
    if (!s.reason.empty()) out << "      " << s.reason << "\n";
    out << "      replay: " << s.replay << "\n";
  }
  if (r.final_sanity && r.final_sanity->verdict != Verdict::kPass) {
    out << "\n  The SUT failed the final sanity check (" << r.final_sanity->reason
        << "): verdicts of the last scenarios may be unreliable.\n";
  }
  out << "\nverdict " << ToString(r.verdict) << " (exit " << r.exit_code << ")";
  // The counts above are scenario verdicts; a run that stopped gets its verdict from the stop,
  // so say that, or the line contradicts the counts (ERROR with "ERROR 0").
  if (!r.error.empty()) {
    out << ": a harness or configuration error, not a verdict on the SUT";
  } else if (r.aborted) {
    out << ": the run stopped at the sanity check, so the SUT was not judged; fix what it says "
           "and run again";
  } else if (r.verdict == Verdict::kInconclusive && r.final_sanity &&
             r.final_sanity->verdict != Verdict::kPass) {
    out << ": the final sanity check failed";
  }
  if (!dir.empty()) out << "; result: " << dir << "/result.json";
  out << "\n";
  return out.str();
}

}  // namespace vxp::harness
