#include "reports/report.h"

#include <boost/json.hpp>
#include <pugixml.hpp>
#include <sstream>

#include "reports/pretty.h"

namespace vxp::reports {
namespace {

namespace json = boost::json;

// Reads fields of result.json, remembering the first problem with its path.
class Reader {
 public:
  const json::value* At(const json::object& o, std::string_view key, const std::string& path) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr) Problem(path + std::string(key), "is missing");
    return v;
  }
  std::string Str(const json::object& o, std::string_view key, const std::string& path) {
    const json::value* v = At(o, key, path);
    if (v == nullptr) return "";
    if (!v->is_string()) {
      Problem(path + std::string(key), "is not a string");
      return "";
    }
    return std::string(v->get_string());
  }
  std::int64_t Int(const json::object& o, std::string_view key, const std::string& path) {
    const json::value* v = At(o, key, path);
    if (v == nullptr) return 0;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    Problem(path + std::string(key), "is not an integer");
    return 0;
  }
  bool Bool(const json::object& o, std::string_view key, const std::string& path) {
    const json::value* v = At(o, key, path);
    if (v == nullptr) return false;
    if (!v->is_bool()) {
      Problem(path + std::string(key), "is not true or false");
      return false;
    }
    return v->get_bool();
  }
  const json::object& Obj(const json::object& o, std::string_view key, const std::string& path) {
    static const json::object kEmpty;
    const json::value* v = At(o, key, path);
    if (v == nullptr) return kEmpty;
    if (!v->is_object()) {
      Problem(path + std::string(key), "is not an object");
      return kEmpty;
    }
    return v->get_object();
  }
  const json::array& Arr(const json::object& o, std::string_view key, const std::string& path) {
    static const json::array kEmpty;
    const json::value* v = At(o, key, path);
    if (v == nullptr) return kEmpty;
    if (!v->is_array()) {
      Problem(path + std::string(key), "is not an array");
      return kEmpty;
    }
    return v->get_array();
  }
  const json::object& Elem(const json::value& v, const std::string& path) {
    static const json::object kEmpty;
    if (!v.is_object()) {
      Problem(path, "is not an object");
      return kEmpty;
    }
    return v.get_object();
  }
  std::vector<std::string> Strings(const json::object& o, std::string_view key,
                                   const std::string& path) {
    std::vector<std::string> out;
    const json::array& a = Arr(o, key, path);
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_string()) {
        Problem(path + std::string(key) + "[" + std::to_string(i) + "]", "is not a string");
        continue;
      }
      out.emplace_back(a[i].get_string());
    }
    return out;
  }
  void Problem(const std::string& path, const std::string& what) {
    if (problem_.empty()) problem_ = "result.json: " + path + " " + what;
  }
  const std::string& problem() const { return problem_; }

 private:
  std::string problem_;
};

ScenarioRow ReadScenario(Reader& r, const json::object& o, const std::string& p) {
  ScenarioRow s;
  s.id = r.Str(o, "id", p);
  s.title = r.Str(o, "title", p);
  s.category = r.Str(o, "category", p);
  s.level = r.Str(o, "level", p);
  s.description = r.Str(o, "description", p);
  s.verdict = r.Str(o, "verdict", p);
  bool known = false;
  for (std::string_view v : kVerdicts) known = known || v == s.verdict;
  if (!known) r.Problem(p + "verdict", "is '" + s.verdict + "', not a verdict");
  s.reason = r.Str(o, "reason", p);
  s.requirements = r.Strings(o, "requirements", p);
  s.expected_failure = r.Bool(o, "expected_failure", p);
  s.unexpected_pass = r.Bool(o, "unexpected_pass", p);
  s.expected_failure_reason = r.Str(o, "expected_failure_reason", p);
  s.started = r.Str(o, "started", p);
  s.duration_ms = r.Int(o, "duration_ms", p);
  const json::array& findings = r.Arr(o, "findings", p);
  for (size_t i = 0; i < findings.size(); ++i) {
    std::string fp = p + "findings[" + std::to_string(i) + "].";
    const json::object& f = r.Elem(findings[i], fp);
    s.findings.push_back(
        FindingRow{r.Str(f, "rule_id", fp), r.Str(f, "level", fp), r.Str(f, "verdict", fp),
                   r.Str(f, "clause", fp), r.Str(f, "location", fp), r.Int(f, "line", fp),
                   r.Str(f, "expected", fp), r.Str(f, "actual", fp), r.Str(f, "message", fp)});
  }
  s.steps = r.Strings(o, "steps", p);
  const json::object& ev = r.Obj(o, "evidence", p);
  s.evidence_dir = r.Str(ev, "dir", p + "evidence.");
  s.exchanges = r.Str(ev, "exchanges", p + "evidence.");
  s.sent = r.Strings(ev, "sent", p + "evidence.");
  s.replay = r.Str(o, "replay", p);
  if (o.contains("charts")) {
    const json::array& charts = r.Arr(o, "charts", p);
    for (size_t i = 0; i < charts.size(); ++i) {
      std::string cp = p + "charts[" + std::to_string(i) + "].";
      const json::object& c = r.Elem(charts[i], cp);
      Chart chart{r.Str(c, "title", cp), r.Str(c, "x_label", cp), r.Str(c, "y_label", cp), {}};
      const json::array& series = r.Arr(c, "series", cp);
      for (size_t j = 0; j < series.size(); ++j) {
        std::string sp = cp + "series[" + std::to_string(j) + "].";
        const json::object& so = r.Elem(series[j], sp);
        ChartSeries line{r.Str(so, "name", sp), {}};
        for (const json::value& pt : r.Arr(so, "points", sp)) {
          const json::array* xy = pt.if_array();
          if (xy == nullptr || xy->size() != 2 || !(*xy)[0].is_number() || !(*xy)[1].is_number()) {
            r.Problem(sp + "points", "has an entry that is not [x, y]");
            break;
          }
          line.points.emplace_back((*xy)[0].to_number<double>(), (*xy)[1].to_number<double>());
        }
        chart.series.push_back(std::move(line));
      }
      s.charts.push_back(std::move(chart));
    }
  }
  return s;
}

// XML 1.0 cannot carry most control characters; findings may quote the SUT's bytes.
std::string XmlSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Seconds(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
  return buf;
}

// Every finding of a scenario as plain text, then its replay command.
std::string FindingsText(const ScenarioRow& s) {
  std::ostringstream out;
  for (const FindingRow& f : s.findings) {
    out << f.verdict << " " << f.rule_id << " [" << f.level << "]";
    if (!f.clause.empty()) out << " (" << f.clause << ")";
    out << "\n  " << f.message << "\n";
    if (!f.location.empty()) {
      out << "  at " << f.location << (f.line > 0 ? ":" + std::to_string(f.line) : "") << "\n";
    }
    if (!f.expected.empty()) out << "  expected: " << f.expected << "\n";
    if (!f.actual.empty()) out << "  actual:   " << f.actual << "\n";
  }
  if (!s.reason.empty()) out << "reason: " << s.reason << "\n";
  out << "evidence: " << s.evidence_dir << "\nreplay: " << s.replay << "\n";
  return out.str();
}

// The finding a one-line summary names: the first that is not a PASS.
const FindingRow* FirstFinding(const ScenarioRow& s) {
  for (const FindingRow& f : s.findings) {
    if (f.verdict != "PASS") return &f;
  }
  return nullptr;
}

void AddCase(pugi::xml_node suite, const ScenarioRow& s, const std::string& classname) {
  pugi::xml_node tc = suite.append_child("testcase");
  tc.append_attribute("classname") = classname.c_str();
  tc.append_attribute("name") = XmlSafe(s.id + ": " + s.title).c_str();
  tc.append_attribute("time") = Seconds(s.duration_ms).c_str();
  const FindingRow* first = FirstFinding(s);
  std::string headline = first != nullptr ? first->rule_id + ": " + first->message : s.reason;
  auto child = [&](const char* kind, const std::string& type, const std::string& message,
                   const std::string& text) {
    pugi::xml_node n = tc.append_child(kind);
    n.append_attribute("type") = XmlSafe(type).c_str();
    n.append_attribute("message") = XmlSafe(message).c_str();
    if (!text.empty()) n.text().set(XmlSafe(text).c_str());
  };
  if (s.unexpected_pass) {
    child("failure", "UNEXPECTED-PASS",
          "listed as an expected failure (" + s.expected_failure_reason + ") but it passed",
          FindingsText(s));
  } else if (s.verdict == "FAIL" && s.expected_failure) {
    child("skipped", "EXPECTED-FAILURE",
          "expected failure (" + s.expected_failure_reason + "): " + headline, FindingsText(s));
  } else if (s.verdict == "FAIL") {
    child("failure", first != nullptr ? first->rule_id : "FAIL", headline, FindingsText(s));
  } else if (s.verdict == "SKIP") {
    child("skipped", "SKIP", s.reason, "");
  } else if (s.verdict == "INCONCLUSIVE" || s.verdict == "ERROR") {
    child("error", s.verdict, headline, FindingsText(s));
  }
  std::string out = "verdict: " + s.verdict + "\n";
  if (s.verdict == "WARN") out += FindingsText(s);
  for (const std::string& step : s.steps) out += "- " + step + "\n";
  tc.append_child("system-out").text().set(XmlSafe(out).c_str());
}

}  // namespace

bool ScenarioRow::Failing() const {
  return unexpected_pass || (verdict == "FAIL" && !expected_failure) || verdict == "ERROR" ||
         verdict == "INCONCLUSIVE";
}

Result<Report> ReadReport(std::string_view result_json) {
  boost::system::error_code ec;
  json::value doc = json::parse(result_json, ec);
  if (ec) return MakeError("report.input", "result.json is not JSON: " + ec.message());
  if (!doc.is_object()) return MakeError("report.input", "result.json is not a JSON object");
  const json::object& root = doc.get_object();
  Reader r;
  std::string schema = r.Str(root, "schema", "");
  if (schema != "vxpkit-result/1") {
    return MakeError("report.input",
                     "result.json has schema '" + schema + "'; this vxpkit reads vxpkit-result/1");
  }
  Report out;
  out.suite_version = r.Str(r.Obj(root, "suite", ""), "version", "suite.");
  const json::object& run = r.Obj(root, "run", "");
  out.started = r.Str(run, "started", "run.");
  out.finished = r.Str(run, "finished", "run.");
  out.duration_ms = r.Int(run, "duration_ms", "run.");
  out.seed = static_cast<std::uint64_t>(r.Int(run, "seed", "run."));
  out.strict = r.Bool(run, "strict", "run.");
  out.replay = r.Str(run, "replay", "run.");
  const json::object& profile = r.Obj(run, "profile", "run.");
  out.profile = r.Str(profile, "name", "run.profile.");
  out.profile_description = r.Str(profile, "description", "run.profile.");
  for (const auto& [name, value] : r.Obj(profile, "deadlines_ms", "run.profile.")) {
    if (value.is_int64()) out.deadlines_ms[std::string(name)] = value.get_int64();
  }
  const json::object& sut = r.Obj(root, "sut", "");
  out.system_id = r.Str(sut, "system_id", "sut.");
  out.agencies = r.Strings(sut, "agencies", "sut.");
  out.driver = r.Str(sut, "driver", "sut.");
  out.control = r.Str(sut, "control", "sut.");
  out.outbound = r.Bool(sut, "outbound", "sut.");
  out.hub_url = r.Str(sut, "hub_url", "sut.");
  out.peers = r.Strings(sut, "peers", "sut.");
  const json::object& outcome = r.Obj(root, "outcome", "");
  out.verdict = r.Str(outcome, "verdict", "outcome.");
  out.exit_code = static_cast<int>(r.Int(outcome, "exit_code", "outcome."));
  out.error = r.Str(outcome, "error", "outcome.");
  if (const json::value* a = outcome.if_contains("aborted"); a != nullptr && a->is_string()) {
    out.aborted = std::string(a->get_string());
  }
  if (const json::value* f = outcome.if_contains("final_sanity"); f != nullptr && f->is_object()) {
    out.final_sanity = ReadScenario(r, f->get_object(), "outcome.final_sanity.");
  }
  const json::array& scenarios = r.Arr(root, "scenarios", "");
  for (size_t i = 0; i < scenarios.size(); ++i) {
    std::string p = "scenarios[" + std::to_string(i) + "].";
    out.scenarios.push_back(ReadScenario(r, r.Elem(scenarios[i], p), p));
  }
  const json::array& requirements = r.Arr(root, "requirements", "");
  for (size_t i = 0; i < requirements.size(); ++i) {
    std::string p = "requirements[" + std::to_string(i) + "].";
    const json::object& q = r.Elem(requirements[i], p);
    RequirementRow row{r.Str(q, "id", p),
                       r.Str(q, "source", p),
                       r.Str(q, "summary", p),
                       r.Str(q, "level", p),
                       r.Str(q, "not_tested", p),
                       r.Strings(q, "tested_by", p),
                       {}};
    for (const json::value& v : r.Arr(q, "results", p)) {
      const json::object& res = r.Elem(v, p + "results.");
      row.results.emplace_back(r.Str(res, "scenario", p + "results."),
                               r.Str(res, "verdict", p + "results."));
    }
    out.requirements.push_back(std::move(row));
  }
  if (!r.problem().empty()) return MakeError("report.input", r.problem());
  for (std::string_view v : kVerdicts) out.counts[std::string(v)] = 0;
  for (const ScenarioRow& s : out.scenarios) {
    ++out.counts[s.verdict];
    auto it = std::find_if(out.categories.begin(), out.categories.end(),
                           [&](const auto& c) { return c.first == s.category; });
    if (it == out.categories.end()) {
      std::map<std::string, int> zero;
      for (std::string_view v : kVerdicts) zero[std::string(v)] = 0;
      out.categories.emplace_back(s.category, zero);
      it = out.categories.end() - 1;
    }
    ++it->second[s.verdict];
  }
  return out;
}

std::string VerdictSentence(const Report& r) {
  if (!r.error.empty()) return "The run could not start: " + r.error;
  if (!r.aborted.empty()) return "The sanity check stopped the run: " + r.aborted;
  int failing = 0;
  for (const ScenarioRow& s : r.scenarios) failing += s.Failing() ? 1 : 0;
  if (r.verdict == "PASS") {
    return "Every required scenario passed (exit 0).";
  }
  if (r.verdict == "FAIL") {
    return std::to_string(failing) + (failing == 1 ? " scenario fails" : " scenarios fail") +
           " the run (exit 1): see each one's findings and evidence below.";
  }
  if (r.verdict == "INCONCLUSIVE") {
    return "The harness could not decide (exit 3): the run must be repeated before it can be "
           "judged.";
  }
  return "A harness or configuration error (exit " + std::to_string(r.exit_code) +
         "): the verdicts below are not about the system under test.";
}

std::string ReportJson(const Report& r) {
  auto counts = [](const std::map<std::string, int>& c) {
    json::object o;
    for (std::string_view v : kVerdicts) o[v] = c.at(std::string(v));
    return o;
  };
  json::array categories, scenarios, not_tested;
  for (const auto& [name, c] : r.categories) {
    categories.push_back(json::object{{"name", name}, {"counts", counts(c)}});
  }
  for (const ScenarioRow& s : r.scenarios) {
    const FindingRow* f = FirstFinding(s);
    scenarios.push_back(json::object{
        {"id", s.id},
        {"category", s.category},
        {"verdict", s.verdict},
        {"fails_run", s.Failing()},
        {"expected_failure", s.expected_failure},
        {"unexpected_pass", s.unexpected_pass},
        {"reason", s.reason},
        {"first_finding", f == nullptr ? json::value(nullptr)
                                       : json::value(json::object{{"rule_id", f->rule_id},
                                                                  {"clause", f->clause},
                                                                  {"message", f->message}})},
        {"duration_ms", s.duration_ms},
        {"evidence", s.evidence_dir},
        {"replay", s.replay}});
  }
  int tested = 0, passed = 0, failed = 0, not_run = 0;
  for (const RequirementRow& q : r.requirements) {
    if (q.tested_by.empty()) {
      not_tested.push_back(json::object{{"id", q.id}, {"reason", q.not_tested}});
      continue;
    }
    ++tested;
    if (q.results.empty()) {
      ++not_run;
      continue;
    }
    bool bad = std::any_of(q.results.begin(), q.results.end(), [](const auto& res) {
      return res.second != "PASS" && res.second != "WARN";
    });
    ++(bad ? failed : passed);
  }
  json::object out{{"schema", kReportSchema},
                   {"suite", {{"name", "vxpkit"}, {"version", r.suite_version}}},
                   {"run",
                    {{"started", r.started},
                     {"duration_ms", r.duration_ms},
                     {"seed", r.seed},
                     {"profile", r.profile},
                     {"strict", r.strict},
                     {"replay", r.replay}}},
                   {"sut", {{"system_id", r.system_id}, {"control", r.control}}},
                   {"verdict", r.verdict},
                   {"exit_code", r.exit_code},
                   {"summary", VerdictSentence(r)},
                   {"counts", counts(r.counts)},
                   {"categories", categories},
                   {"scenarios", scenarios},
                   {"coverage",
                    {{"requirements", r.requirements.size()},
                     {"tested", tested},
                     {"passed", passed},
                     {"failed", failed},
                     {"not_run", not_run},
                     {"not_tested", not_tested}}}};
  json::array agencies;
  for (const std::string& a : r.agencies) agencies.emplace_back(a);
  out["sut"].as_object()["agencies"] = agencies;
  // Indented: people read it and diff it too.
  return PrettyJson(json::serialize(out), SIZE_MAX) + "\n";
}

std::string JunitXml(const Report& r) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("testsuites");
  root.append_attribute("name") = XmlSafe("vxpkit " + r.suite_version + ": " + r.system_id).c_str();
  for (const char* a : {"tests", "failures", "errors", "skipped", "time"}) root.append_attribute(a);
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  auto open_suite = [&](const std::string& name, std::int64_t ms) {
    pugi::xml_node suite = root.append_child("testsuite");
    suite.append_attribute("name") = name.c_str();
    for (const char* a : {"tests", "failures", "errors", "skipped"}) suite.append_attribute(a);
    suite.append_attribute("time") = Seconds(ms).c_str();
    suite.append_attribute("timestamp") = r.started.c_str();
    return suite;
  };
  // Counts once the suite's testcases are in.
  auto tally = [&](pugi::xml_node suite) {
    int t = 0, f = 0, e = 0, s = 0;
    for (pugi::xml_node tc : suite.children("testcase")) {
      ++t;
      f += tc.child("failure") ? 1 : 0;
      e += tc.child("error") ? 1 : 0;
      s += tc.child("skipped") ? 1 : 0;
    }
    suite.attribute("tests") = t;
    suite.attribute("failures") = f;
    suite.attribute("errors") = e;
    suite.attribute("skipped") = s;
    tests += t;
    failures += f;
    errors += e;
    skipped += s;
  };
  for (const auto& [category, unused] : r.categories) {
    std::int64_t ms = 0;
    for (const ScenarioRow& s : r.scenarios) ms += s.category == category ? s.duration_ms : 0;
    pugi::xml_node suite = open_suite(category, ms);
    pugi::xml_node props = suite.append_child("properties");
    auto prop = [&](const char* name, const std::string& value) {
      pugi::xml_node p = props.append_child("property");
      p.append_attribute("name") = name;
      p.append_attribute("value") = XmlSafe(value).c_str();
    };
    prop("suite_version", r.suite_version);
    prop("system_id", r.system_id);
    prop("profile", r.profile);
    prop("seed", std::to_string(r.seed));
    for (const ScenarioRow& s : r.scenarios) {
      if (s.category == category) AddCase(suite, s, "vxpkit." + category);
    }
    tally(suite);
  }
  // A run that did not judge the SUT, or a SUT that stopped answering, must show red in CI even
  // when no scenario did.
  std::string run_problem = !r.error.empty() ? r.error : r.aborted;
  bool sanity_failed = r.final_sanity && r.final_sanity->verdict != "PASS";
  if (!run_problem.empty() || sanity_failed) {
    pugi::xml_node suite = open_suite("run", r.duration_ms);
    pugi::xml_node tc = suite.append_child("testcase");
    tc.append_attribute("classname") = "vxpkit.run";
    tc.append_attribute("name") = !run_problem.empty() ? "run" : "final sanity check";
    tc.append_attribute("time") = "0.000";
    pugi::xml_node e = tc.append_child("error");
    e.append_attribute("type") = !run_problem.empty() ? "RUN" : "FINAL-SANITY";
    e.append_attribute("message") =
        XmlSafe(!run_problem.empty() ? run_problem : r.final_sanity->reason).c_str();
    tally(suite);
  }
  root.attribute("tests") = tests;
  root.attribute("failures") = failures;
  root.attribute("errors") = errors;
  root.attribute("skipped") = skipped;
  root.attribute("time") = Seconds(r.duration_ms).c_str();
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace vxp::reports
