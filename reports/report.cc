#include "reports/report.h"

#include <boost/json.hpp>
#include <pugixml.hpp>
#include <sstream>

#include "reports/pretty.h"
#include "reports/words.h"

namespace vxp::reports {
namespace {

namespace json = boost::json;
using results::RunRecord;
using results::ScenarioRecord;

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
std::string FindingsText(const Words& w, const RunRecord& run, const ScenarioRecord& s) {
  std::ostringstream out;
  for (const results::FindingRecord& r : s.findings) {
    const Finding& f = r.finding;
    out << w.Verdict(f.verdict) << " " << f.rule_id << " [" << w.Level(f.level) << "]";
    if (!r.clause.empty()) out << " (" << r.clause << ")";
    if (std::string gloss = w.RuleGloss(run, f.rule_id); !gloss.empty()) {
      out << "\n  " << gloss;
    }
    out << "\n  " << f.message << "\n";
    if (!f.location.path.empty()) {
      out << "  " << w("junit.at") << " " << f.location.path
          << (f.location.line > 0 ? ":" + std::to_string(f.location.line) : "") << "\n";
    }
    if (!f.expected.empty()) out << "  " << w("junit.expected") << " " << f.expected << "\n";
    if (!f.actual.empty()) out << "  " << w("junit.actual") << " " << f.actual << "\n";
  }
  if (!s.reason.empty()) out << w("junit.reason") << " " << s.reason << "\n";
  out << w("junit.evidence") << " " << s.evidence.dir << "\n"
      << w("junit.replay") << " " << s.replay << "\n";
  return out.str();
}

void AddCase(pugi::xml_node suite, const Words& w, const RunRecord& run, const ScenarioRecord& s,
             const std::string& classname) {
  pugi::xml_node tc = suite.append_child("testcase");
  tc.append_attribute("classname") = classname.c_str();
  tc.append_attribute("name") = XmlSafe(s.id + ": " + w.Title(s)).c_str();
  tc.append_attribute("time") = Seconds(s.duration_ms).c_str();
  const results::FindingRecord* first = FirstFinding(s);
  std::string headline = s.reason;
  if (first != nullptr) {
    std::string gloss = w.RuleGloss(run, first->finding.rule_id);
    headline = first->finding.rule_id + ": " + (gloss.empty() ? "" : gloss + " — ") +
               first->finding.message;
  }
  auto child = [&](const char* kind, const std::string& type, const std::string& message,
                   const std::string& text) {
    pugi::xml_node n = tc.append_child(kind);
    n.append_attribute("type") = XmlSafe(type).c_str();
    n.append_attribute("message") = XmlSafe(message).c_str();
    if (!text.empty()) n.text().set(XmlSafe(text).c_str());
  };
  if (s.unexpected_pass) {
    child("failure", "UNEXPECTED-PASS",
          w("junit.unexpected_pass", {{"reason", s.expected_failure_reason}}),
          FindingsText(w, run, s));
  } else if (s.verdict == Verdict::kFail && s.expected_failure) {
    child("skipped", "EXPECTED-FAILURE",
          w("junit.expected_failure",
            {{"reason", s.expected_failure_reason}, {"headline", headline}}),
          FindingsText(w, run, s));
  } else if (s.verdict == Verdict::kFail) {
    child("failure", first != nullptr ? first->finding.rule_id : "FAIL", headline,
          FindingsText(w, run, s));
  } else if (s.verdict == Verdict::kSkip) {
    child("skipped", "SKIP", s.reason, "");
  } else if (s.verdict == Verdict::kNotRun) {
    child("skipped", "NOT-RUN", s.reason, "");
  } else if (s.verdict == Verdict::kInconclusive || s.verdict == Verdict::kError) {
    child("error", std::string(ToString(s.verdict)), headline, FindingsText(w, run, s));
  }
  std::string out = w("junit.verdict") + " " + w.Verdict(s.verdict) + "\n";
  if (s.verdict == Verdict::kWarn) out += FindingsText(w, run, s);
  for (const std::string& step : s.steps) out += "- " + step + "\n";
  tc.append_child("system-out").text().set(XmlSafe(out).c_str());
}

}  // namespace

const results::FindingRecord* FirstFinding(const ScenarioRecord& s) {
  for (const results::FindingRecord& f : s.findings) {
    if (f.finding.verdict != Verdict::kPass) return &f;
  }
  return nullptr;
}

std::string VerdictSentence(const RunRecord& r, i18n::Lang lang) {
  const Words w{lang};
  if (!r.error.empty()) return w("sentence.error", {{"error", r.error}});
  if (r.aborted) return w("sentence.aborted", {{"reason", *r.aborted}});
  if (r.interrupted) return w("sentence.interrupted", {{"reason", *r.interrupted}});
  int failing = 0;
  for (const ScenarioRecord& s : r.scenarios) failing += s.Failing() ? 1 : 0;
  if (r.verdict == Verdict::kPass) return w("sentence.pass");
  if (r.verdict == Verdict::kFail) return w.Plural("sentence.fail", failing);
  if (r.verdict == Verdict::kInconclusive) return w("sentence.inconclusive");
  return w("sentence.harness_error", {{"code", std::to_string(r.exit_code)}});
}

std::string ReportJson(const RunRecord& r) {
  auto counts = [](const std::map<Verdict, int>& c) {
    json::object o;
    for (Verdict v : results::kVerdictOrder) o[ToString(v)] = c.at(v);
    return o;
  };
  json::array categories, scenarios, not_tested;
  for (const auto& [name, c] : results::CountsByCategory(r)) {
    categories.push_back(json::object{{"name", name}, {"counts", counts(c)}});
  }
  for (const ScenarioRecord& s : r.scenarios) {
    const results::FindingRecord* f = FirstFinding(s);
    scenarios.push_back(json::object{
        {"id", s.id},
        {"category", s.category},
        {"verdict", ToString(s.verdict)},
        {"fails_run", s.Failing()},
        {"expected_failure", s.expected_failure},
        {"unexpected_pass", s.unexpected_pass},
        {"reason", s.reason},
        {"first_finding", f == nullptr
                              ? json::value(nullptr)
                              : json::value(json::object{{"rule_id", f->finding.rule_id},
                                                         {"clause", f->clause},
                                                         {"message", f->finding.message}})},
        {"duration_ms", s.duration_ms},
        {"evidence", s.evidence.dir},
        {"replay", s.replay}});
  }
  int tested = 0, passed = 0, failed = 0, not_run = 0;
  for (const results::RequirementRecord& q : r.requirements) {
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
      return res.second != Verdict::kPass && res.second != Verdict::kWarn;
    });
    ++(bad ? failed : passed);
  }
  json::object out{{"schema", kReportSchema},
                   {"suite", {{"name", "vxpkit"}, {"version", r.suite_version}}},
                   {"run",
                    {{"started", results::IsoUtc(r.started)},
                     {"duration_ms", r.duration_ms()},
                     {"seed", r.seed},
                     {"profile", r.profile},
                     {"strict", r.strict},
                     {"replay", r.replay}}},
                   {"sut",
                    {{"system_id", r.system_id},
                     {"product", {{"name", r.product}, {"version", r.product_version}}},
                     {"control", r.control}}},
                   {"verdict", ToString(r.verdict)},
                   {"exit_code", r.exit_code},
                   {"summary", VerdictSentence(r)},
                   {"counts", counts(results::Counts(r))},
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

std::string JunitXml(const RunRecord& r) {
  const Words w{r.lang};
  const std::string started = results::IsoUtc(r.started);
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
    suite.append_attribute("timestamp") = started.c_str();
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
  for (const auto& [category, unused] : results::CountsByCategory(r)) {
    std::int64_t ms = 0;
    for (const ScenarioRecord& s : r.scenarios) ms += s.category == category ? s.duration_ms : 0;
    pugi::xml_node suite = open_suite(category, ms);
    pugi::xml_node props = suite.append_child("properties");
    auto prop = [&](const char* name, const std::string& value) {
      pugi::xml_node p = props.append_child("property");
      p.append_attribute("name") = name;
      p.append_attribute("value") = XmlSafe(value).c_str();
    };
    prop("suite_version", r.suite_version);
    prop("system_id", r.system_id);
    prop("product", r.product);
    prop("product_version", r.product_version);
    prop("profile", r.profile);
    prop("seed", std::to_string(r.seed));
    for (const ScenarioRecord& s : r.scenarios) {
      if (s.category == category) AddCase(suite, w, r, s, "vxpkit." + category);
    }
    tally(suite);
  }
  // A run that did not judge the SUT, or a SUT that stopped answering, must show red in CI even
  // when no scenario did.
  // An interrupted run likewise: its NOT RUN scenarios are only skipped.
  std::string run_problem = !r.error.empty() ? r.error : r.aborted.value_or("");
  std::string type = "RUN";
  if (run_problem.empty() && r.interrupted) {
    run_problem = w("junit.incomplete", {{"reason", *r.interrupted}});
    type = "INCOMPLETE";
  }
  bool sanity_failed = r.final_sanity && r.final_sanity->verdict != Verdict::kPass;
  if (!run_problem.empty() || sanity_failed) {
    pugi::xml_node suite = open_suite("run", r.duration_ms());
    pugi::xml_node tc = suite.append_child("testcase");
    tc.append_attribute("classname") = "vxpkit.run";
    tc.append_attribute("name") = !run_problem.empty() ? "run" : "final sanity check";
    tc.append_attribute("time") = "0.000";
    pugi::xml_node e = tc.append_child("error");
    e.append_attribute("type") = !run_problem.empty() ? type.c_str() : "FINAL-SANITY";
    e.append_attribute("message") =
        XmlSafe(!run_problem.empty() ? run_problem : r.final_sanity->reason).c_str();
    tally(suite);
  }
  root.attribute("tests") = tests;
  root.attribute("failures") = failures;
  root.attribute("errors") = errors;
  root.attribute("skipped") = skipped;
  root.attribute("time") = Seconds(r.duration_ms()).c_str();
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace vxp::reports
