#include "reports/html.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <sstream>

#include "core/common/datetime.h"
#include "reports/pretty.h"
#include "reports/words.h"
#include "results/result_model.h"

namespace vxp::embedded {
extern const std::string_view report_css;
extern const std::string_view report_js;
}  // namespace vxp::embedded

namespace vxp::reports {
namespace {

namespace json = boost::json;
using results::RunRecord;
using results::ScenarioRecord;

// Shown per scenario before the rest is left to the evidence file.
constexpr size_t kMaxExchangeGroups = 80;

std::string Duration(std::int64_t ms) { return FormatDuration(std::chrono::milliseconds(ms)); }

// The verdict's machine name, as data-* attributes and the page's script use it ("NOT RUN").
std::string Name(Verdict v) { return std::string(ToString(v)); }

// The verdict's CSS class: "v-PASS", "v-NOT-RUN".
std::string Class(Verdict v) {
  std::string name = Name(v);
  std::replace(name.begin(), name.end(), ' ', '-');
  return "v-" + name;
}

std::string Badge(const Words& w, Verdict v) {
  return "<span class=\"badge " + Class(v) + "\">" + Escape(w.Verdict(v)) + "</span>";
}

// Text the harness wrote during the run (findings, reasons), which stays in English: marked so
// in a page of another language.
std::string Detail(const Words& w, std::string_view text) {
  if (w.lang == i18n::Lang::kEn) return Escape(text);
  return "<span lang=\"en\">" + Escape(text) + "</span>";
}

std::string Anchor(const std::string& id) { return "s-" + Escape(id); }

std::string Num(double v) {
  char buf[32];
  if (std::fabs(v) >= 100 || v == std::floor(v)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", v);
  }
  return buf;
}

void Facts(std::ostringstream& out, const std::vector<std::pair<std::string, std::string>>& rows) {
  out << "<dl class=\"facts\">";
  for (const auto& [k, v] : rows) out << "<dt>" << Escape(k) << "</dt><dd>" << v << "</dd>";
  out << "</dl>\n";
}

std::string Join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

void Header(std::ostringstream& out, const Words& w, const RunRecord& r) {
  out << "<header>\n<h1>" << Escape(w("html.title", {{"system", r.system_id}})) << "</h1>\n";
  out << "<p class=\"muted\">" << Escape(w("html.subtitle")) << "</p>\n";
  std::string control = r.control == "driver"     ? w("html.control.driver", {{"url", r.driver}})
                        : r.control == "operator" ? w("html.control.operator")
                                                  : w("html.control.none");
  Facts(out,
        {{w("html.fact.system"), "<code>" + Escape(r.system_id) + "</code>"},
         {w("html.fact.product"),
          r.product.empty()
              ? "<span class=\"muted\">" + Escape(w("html.product.undeclared")) + "</span>"
              : "<span id=\"product\">" + Escape(r.product + " " + r.product_version) + "</span>"},
         {w("html.fact.agencies"), "<code>" + Escape(Join(r.agencies)) + "</code>"},
         {w("html.fact.control"), Escape(control)},
         {w("html.fact.sends"), Escape(w(r.outbound ? "html.sends.yes" : "html.sends.no"))},
         {w("html.fact.hub"), "<code>" + Escape(r.hub_url) + "</code>"},
         {w("html.fact.peers"), "<code>" + Escape(Join(r.peers)) + "</code>"},
         {w("html.fact.profile"),
          Escape(r.profile) + (r.strict ? " " + Escape(w("html.profile.strict")) : "") +
              " — <span class=\"muted\">" + Escape(w.ProfileDescription(r)) + "</span>"},
         {w("html.fact.suite"), "vxpkit " + Escape(r.suite_version)},
         {w("html.fact.seed"), std::to_string(r.seed)},
         {w("html.fact.started"), Escape(results::IsoUtc(r.started))},
         {w("html.fact.duration"), Escape(Duration(r.duration_ms()))},
         {w("html.fact.replay"), "<code>" + Escape(r.replay) + "</code>"}});
  out << "</header>\n";
}

// MUST requirements this run did not test: those whose scenarios were not selected, and those the
// catalogue cannot test. A PASS says nothing about them, so the banner says so.
std::string UntestedMust(const Words& w, const RunRecord& r) {
  std::vector<std::string> not_run, untestable;
  for (const results::RequirementRecord& q : r.requirements) {
    if (q.level != Level::kMust) continue;
    // A SKIP or NOT RUN tested nothing: a requirement with no other verdict went untested.
    bool judged = std::any_of(q.results.begin(), q.results.end(), [](const auto& res) {
      return res.second != Verdict::kSkip && res.second != Verdict::kNotRun;
    });
    if (q.tested_by.empty()) {
      untestable.push_back(q.id);
    } else if (!judged) {
      not_run.push_back(q.id);
    }
  }
  if (not_run.empty() && untestable.empty()) return "";
  // Ten IDs at most: the coverage table lists every one.
  auto some = [&](std::vector<std::string> ids) {
    if (ids.size() > 10) {
      size_t rest = ids.size() - 10;
      ids.resize(10);
      ids.push_back(w("html.untested.more", {{"n", std::to_string(rest)}}));
    }
    return Join(ids);
  };
  std::vector<std::string> parts;
  if (!not_run.empty()) {
    parts.push_back(w("html.untested.not_run",
                      {{"n", std::to_string(not_run.size())}, {"ids", some(not_run)}}));
  }
  if (!untestable.empty()) {
    parts.push_back(w("html.untested.untestable",
                      {{"n", std::to_string(untestable.size())}, {"ids", some(untestable)}}));
  }
  return w.Plural("html.untested", static_cast<long long>(not_run.size() + untestable.size()),
                  {{"parts", Join(parts, "; ")}});
}

void Banner(std::ostringstream& out, const Words& w, const RunRecord& r) {
  // The diagnosis of a stopped run is in "What failed and why", once; the banner says what the
  // stop means.
  std::string sentence = r.aborted ? w("html.banner.aborted") : VerdictSentence(r, w.lang);
  out << "<div class=\"banner " << Class(r.verdict) << "\" id=\"banner\"><span class=\"verdict\""
      << " data-verdict=\"" << Name(r.verdict) << "\" id=\"run-verdict\">"
      << Escape(w.Verdict(r.verdict)) << "</span> " << Escape(sentence);
  if (std::string untested = UntestedMust(w, r); !untested.empty()) {
    out << "<br><span id=\"untested-must\">" << Escape(untested) << "</span>";
  }
  out << "</div>\n";
  if (r.final_sanity && r.final_sanity->verdict != Verdict::kPass) {
    out << "<p><strong>" << Escape(w("html.final_sanity.failed")) << "</strong> ("
        << Escape(r.final_sanity->reason) << "): " << Escape(w("html.final_sanity.unreliable"))
        << "</p>\n";
  }
}

// Whether the run is signed and by whom. The page cannot prove its own signature (anyone can
// write this block), so it says how to check it.
void Signature(std::ostringstream& out, const Words& w, const RunRecord& r) {
  if (!r.signing) {
    out << "<p class=\"signature unsigned\" id=\"signature\" data-signed=\"no\"><strong>"
        << Escape(w("html.signature.none")) << "</strong> "
        << w("html.signature.none_detail",
             {{"key", "<code>--sign-key</code>"}, {"cert", "<code>--sign-cert</code>"}})
        << "</p>\n";
    return;
  }
  const results::SigningRecord& g = *r.signing;
  out << "<section class=\"signature\" id=\"signature\" data-signed=\"yes\">"
         "<h2>"
      << Escape(w("html.signature.heading")) << "</h2>\n";
  Facts(
      out,
      {{w("html.signature.certifier"), "<span id=\"certifier\">" + Escape(g.certifier) + "</span>"},
       {w("html.signature.role"), "<span id=\"certifier-role\">" + Escape(g.role) + "</span>"},
       {w("html.signature.date"),
        "<span id=\"signed-at\">" + Escape(results::IsoUtc(g.signed_at)) + "</span>"},
       {w("html.signature.certificate"),
        Escape(g.subject) + "<br><span class=\"muted\">" +
            w("html.signature.issued",
              {{"issuer", Escape(g.issuer)},
               {"fingerprint", "<code>" + Escape(g.fingerprint) + "</code>"}}) +
            "</span>"}});
  out << "<p class=\"muted\">"
      << w("html.signature.check",
           {{"command", "<code>vxpkit verify-report DIR --trust CA.pem</code>"}})
      << "</p></section>\n";
}

// What failed and why, before anything else: each scenario that fails the run with its first
// diagnosis, a link to its section (findings, evidence) and the command that repeats it.
void Failures(std::ostringstream& out, const Words& w, const RunRecord& r) {
  std::vector<const ScenarioRecord*> failing;
  for (const ScenarioRecord& s : r.scenarios) {
    if (s.Failing()) failing.push_back(&s);
  }
  if (r.final_sanity && r.final_sanity->verdict != Verdict::kPass) {
    failing.push_back(&*r.final_sanity);
  }
  out << "<section id=\"failures\"><h2>" << Escape(w("html.failures.heading")) << "</h2>\n";
  if (failing.empty()) {
    out << "<p>" << Escape(w("html.failures.none")) << "</p></section>\n";
    return;
  }
  out << "<ol>\n";
  for (const ScenarioRecord* s : failing) {
    bool final_check = s == (r.final_sanity ? &*r.final_sanity : nullptr);
    out << "<li data-failing=\"" << Escape(s->id) << "\">" << Badge(w, s->verdict) << " <a href=\"#"
        << (final_check ? "final-check" : Anchor(s->id)) << "\"><code>" << Escape(s->id)
        << "</code></a> " << Escape(w.Title(*s))
        << (final_check ? " " + Escape(w("html.failures.final_check")) : "") << "<br>";
    const results::FindingRecord* first = FirstFinding(*s);
    if (s->unexpected_pass) {
      out << Escape(w("html.failures.unexpected_pass", {{"reason", s->expected_failure_reason}}));
    } else if (first != nullptr) {
      out << "<code>" << Escape(first->finding.rule_id) << "</code> ";
      if (std::string gloss = w.RuleGloss(r, first->finding.rule_id); !gloss.empty()) {
        out << "<span class=\"gloss\">" << Escape(gloss) << "</span> — ";
      }
      out << Detail(w, first->finding.message);
      if (!first->clause.empty()) {
        out << " <span class=\"muted\">(" << Escape(first->clause) << ")</span>";
      }
      size_t more = 0;
      for (const results::FindingRecord& f : s->findings) {
        more += (&f != first && f.finding.verdict != Verdict::kPass) ? 1 : 0;
      }
      if (more > 0) {
        out << " <span class=\"muted\">"
            << Escape(w("html.failures.more", {{"n", std::to_string(more)}})) << "</span>";
      }
    } else {
      out << Detail(w, s->reason);
    }
    out << "<br><span class=\"muted\">" << Escape(w("html.failures.repeat")) << "</span> <code>"
        << Escape(s->replay) << "</code></li>\n";
  }
  out << "</ol></section>\n";
}

void Summary(std::ostringstream& out, const Words& w, const RunRecord& r) {
  out << "<h2 id=\"summary\">" << Escape(w("html.summary.heading"))
      << "</h2>\n<div class=\"counts\">";
  out << "<div class=\"count\"><span class=\"n\" data-count=\"total\">" << r.scenarios.size()
      << "</span>" << Escape(w("html.summary.scenarios")) << "</div>";
  const std::map<Verdict, int> counts = results::Counts(r);
  for (Verdict v : results::kVerdictOrder) {
    out << "<div class=\"count\"><span class=\"n\" data-count=\"" << Name(v) << "\">"
        << counts.at(v) << "</span>" << Badge(w, v) << "</div>";
  }
  out << "</div>\n<table class=\"by-category\"><thead><tr><th>" << Escape(w("html.column.category"))
      << "</th>";
  for (Verdict v : results::kVerdictOrder) out << "<th>" << Escape(w.Verdict(v)) << "</th>";
  out << "</tr></thead><tbody>\n";
  for (const auto& [name, by_verdict] : results::CountsByCategory(r)) {
    out << "<tr data-category-row=\"" << Escape(name) << "\"><td>" << Escape(w.Category(name))
        << "</td>";
    for (Verdict v : results::kVerdictOrder) {
      int n = by_verdict.at(v);
      out << "<td data-verdict-count=\"" << Name(v) << "\">" << (n ? std::to_string(n) : "·")
          << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";
}

void ScenarioTable(std::ostringstream& out, const Words& w, const RunRecord& r) {
  out << "<h2 id=\"scenarios\">" << Escape(w("html.scenarios.heading"))
      << "</h2>\n<div class=\"filters\"><strong>" << Escape(w("html.filter.show")) << "</strong>";
  for (Verdict v : results::kVerdictOrder) {
    out << "<label><input type=\"checkbox\" checked data-verdict-filter=\"" << Name(v) << "\"> "
        << Escape(w.Verdict(v)) << "</label>";
  }
  out << "<label>" << Escape(w("html.filter.category"))
      << " <select id=\"category-filter\"><option value=\"\">" << Escape(w("html.filter.all"))
      << "</option>";
  for (const auto& [name, unused] : results::CountsByCategory(r)) {
    out << "<option value=\"" << Escape(name) << "\">" << Escape(w.Category(name)) << "</option>";
  }
  out << "</select></label><span id=\"shown\" class=\"muted\" data-template=\""
      << Escape(w("html.filter.shown")) << "\"></span></div>\n";
  out << "<table id=\"scenario-table\"><thead><tr><th>" << Escape(w("html.column.scenario"))
      << "</th><th>" << Escape(w("html.column.category")) << "</th><th>"
      << Escape(w("html.column.level")) << "</th><th>" << Escape(w("html.column.verdict"))
      << "</th><th>" << Escape(w("html.column.why")) << "</th><th>" << Escape(w("html.column.time"))
      << "</th></tr></thead><tbody>\n";
  for (const ScenarioRecord& s : r.scenarios) {
    // The diagnosis is stated once, in "What failed and why"; here only which rules.
    std::string why = s.reason;
    if ((s.verdict == Verdict::kFail || s.verdict == Verdict::kWarn) && !s.findings.empty()) {
      std::vector<std::string> rules;
      for (const results::FindingRecord& f : s.findings) {
        const std::string& id = f.finding.rule_id;
        if (f.finding.verdict != Verdict::kPass &&
            std::find(rules.begin(), rules.end(), id) == rules.end()) {
          rules.push_back(id);
        }
      }
      why = Join(rules);
    }
    if (s.expected_failure) {
      why = w("html.why.expected_failure", {{"reason", s.expected_failure_reason}}) + " " + why;
    }
    if (s.unexpected_pass) why = w("html.why.unexpected_pass");
    out << "<tr data-scenario=\"" << Escape(s.id) << "\" data-verdict=\"" << Name(s.verdict)
        << "\" data-category=\"" << Escape(s.category) << "\"><td><a href=\"#" << Anchor(s.id)
        << "\"><code>" << Escape(s.id) << "</code></a><br>" << Escape(w.Title(s)) << "</td><td>"
        << Escape(w.Category(s.category)) << "</td><td>" << Escape(w.Level(s.level)) << "</td><td>"
        << Badge(w, s.verdict) << "</td><td>" << Escape(s.verdict == Verdict::kPass ? "" : why)
        << "</td><td>" << Escape(Duration(s.duration_ms)) << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
}

std::string ClauseOf(const Words& w, const RunRecord& r, const std::string& id) {
  for (const results::RequirementRecord& q : r.requirements) {
    if (q.id == id) return q.source + " — " + w.Summary(q);
  }
  return "";
}

void Findings(std::ostringstream& out, const Words& w, const RunRecord& r,
              const ScenarioRecord& s) {
  if (s.findings.empty()) return;
  out << "<details class=\"print-open\"" << (s.verdict == Verdict::kPass ? "" : " open")
      << "><summary>"
      << Escape(w("html.findings.heading", {{"n", std::to_string(s.findings.size())}}))
      << "</summary>\n";
  for (const results::FindingRecord& record : s.findings) {
    const Finding& f = record.finding;
    out << "<div class=\"finding\">" << Badge(w, f.verdict) << " <code>" << Escape(f.rule_id)
        << "</code> [" << Escape(w.Level(f.level)) << "] ";
    if (std::string gloss = w.RuleGloss(r, f.rule_id); !gloss.empty()) {
      out << "<span class=\"gloss\">" << Escape(gloss) << "</span><br>";
    }
    out << Detail(w, f.message);
    std::vector<std::pair<std::string, std::string>> rows;
    if (!record.clause.empty()) rows.emplace_back(w("html.finding.clause"), Escape(record.clause));
    if (!f.location.path.empty()) {
      rows.emplace_back(
          w("html.finding.where"),
          "<code>" + Escape(f.location.path) + "</code>" +
              (f.location.line > 0
                   ? " " + Escape(w("html.finding.line", {{"n", std::to_string(f.location.line)}}))
                   : ""));
    }
    // A message that already quotes what was expected or found is not repeated below it.
    if (!f.expected.empty() && f.message.find(f.expected) == std::string::npos) {
      rows.emplace_back(w("html.finding.expected"), Escape(f.expected));
    }
    if (!f.actual.empty() && f.message.find(f.actual) == std::string::npos) {
      rows.emplace_back(w("html.finding.actual"), Escape(f.actual));
    }
    Facts(out, rows);
    out << "</div>\n";
  }
  out << "</details>\n";
}

// Consecutive exchanges that are the same (idle polls) are one group.
struct Group {
  const json::object* first;
  std::int64_t first_seq = 0, last_seq = 0;
  int count = 0;
};

std::string Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

const json::object& Sub(const json::object& o, std::string_view key) {
  static const json::object kEmpty;
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? v->get_object() : kEmpty;
}

std::string GroupKey(const json::object& x) {
  return Field(x, "operation") + "\n" + Field(Sub(x, "response"), "status") + "\n" +
         Field(x, "error_code") + "\n" + Field(Sub(x, "request"), "body") + "\n" +
         Field(Sub(x, "response"), "body");
}

void Exchanges(std::ostringstream& out, const Words& w, const ScenarioRecord& s,
               const EvidenceFiles& evidence) {
  auto it = evidence.find(s.evidence.exchanges);
  if (it == evidence.end()) {
    out << "<p class=\"muted\">"
        << Escape(w("html.evidence.missing", {{"file", s.evidence.exchanges}})) << "</p>\n";
    return;
  }
  boost::system::error_code ec;
  json::value doc = json::parse(it->second, ec);
  if (ec || !doc.is_array()) {
    out << "<p>" << Escape(w("html.evidence.malformed", {{"file", s.evidence.exchanges}}))
        << "</p>\n";
    return;
  }
  std::vector<Group> groups;
  std::string last_key;
  for (const json::value& v : doc.get_array()) {
    if (!v.is_object()) continue;
    const json::object& x = v.get_object();
    std::int64_t seq = x.contains("seq") && x.at("seq").is_int64() ? x.at("seq").get_int64() : 0;
    std::string key = GroupKey(x);
    if (!groups.empty() && key == last_key) {
      groups.back().last_seq = seq;
      ++groups.back().count;
    } else {
      groups.push_back(Group{&x, seq, seq, 1});
      last_key = key;
    }
  }
  out << "<details class=\"evidence\"><summary>"
      << w("html.evidence.exchanges", {{"n", std::to_string(doc.get_array().size())},
                                       {"file", "<a href=\"" + Escape(s.evidence.exchanges) +
                                                    "\">" + Escape(s.evidence.exchanges) + "</a>"}})
      << "</summary>\n";
  if (groups.empty()) {
    out << "<p class=\"muted\">" << Escape(w("html.evidence.no_exchanges")) << "</p>\n";
  }
  for (size_t i = 0; i < groups.size() && i < kMaxExchangeGroups; ++i) {
    const Group& g = groups[i];
    const json::object& x = *g.first;
    const json::object& req = Sub(x, "request");
    const json::object& resp = Sub(x, "response");
    std::string code = Field(x, "error_code");
    out << "<details class=\"exchange\"><summary>#" << g.first_seq;
    if (g.count > 1) {
      out << "–#" << g.last_seq << " "
          << Escape(w("html.evidence.identical", {{"n", std::to_string(g.count)}}));
    }
    out << " " << Escape(Field(x, "at")) << " " << Escape(Field(x, "operation")) << " → "
        << Escape(Field(resp, "status"))
        << (code.empty() || code == "0" ? "" : " [" + Escape(code) + "]") << " "
        << Escape(Field(x, "detail"));
    const json::value* faults = x.if_contains("injected_faults");
    if (faults != nullptr && faults->is_array() && !faults->get_array().empty()) {
      out << " <strong>"
          << Escape(w("html.evidence.injected", {{"faults", json::serialize(*faults)}}))
          << "</strong>";
    }
    out << "</summary>\n<pre>" << Escape(Field(req, "method")) << " "
        << Escape(Field(req, "target")) << "\n";
    const json::value* headers = req.if_contains("headers");
    if (headers != nullptr && headers->is_array()) {
      for (const json::value& h : headers->get_array()) {
        const json::array* pair = h.if_array();
        if (pair != nullptr && pair->size() == 2 && (*pair)[0].is_string() &&
            (*pair)[1].is_string()) {
          out << Escape(std::string((*pair)[0].get_string())) << ": "
              << Escape(std::string((*pair)[1].get_string())) << "\n";
        }
      }
    }
    std::string body = Field(req, "body");
    if (!body.empty()) out << "\n" << Escape(PrettyBody(body));
    out << "</pre>\n<pre>HTTP " << Escape(Field(resp, "status")) << "\n\n"
        << Escape(PrettyBody(Field(resp, "body"))) << "</pre></details>\n";
  }
  if (groups.size() > kMaxExchangeGroups) {
    out << "<p class=\"muted\">"
        << Escape(w("html.evidence.more_groups",
                    {{"n", std::to_string(groups.size() - kMaxExchangeGroups)}}))
        << "</p>\n";
  }
  out << "</details>\n";
}

void Packages(std::ostringstream& out, const Words& w, const ScenarioRecord& s,
              const EvidenceFiles& evidence) {
  for (const char* kind : {"sent", "received"}) {
    std::string prefix = s.evidence.dir + kind + "/";
    auto first = evidence.lower_bound(prefix);
    std::vector<std::pair<std::string, const std::string*>> files;
    for (auto it = first; it != evidence.end() && it->first.rfind(prefix, 0) == 0; ++it) {
      files.emplace_back(it->first, &it->second);
    }
    if (files.empty()) continue;
    out << "<details class=\"evidence\"><summary>"
        << Escape(
               w(std::string_view(kind) == "sent" ? "html.evidence.sent" : "html.evidence.received",
                 {{"n", std::to_string(files.size())}}))
        << "</summary>\n";
    for (const auto& [path, bytes] : files) {
      out << "<details><summary><a href=\"" << Escape(path) << "\">" << Escape(path) << "</a> "
          << Escape(w("html.evidence.bytes", {{"n", std::to_string(bytes->size())}}))
          << "</summary><pre>" << Escape(PrettyBody(*bytes, 65536)) << "</pre></details>\n";
    }
    out << "</details>\n";
  }
}

// `final_check`: the sanity check re-run at the end, which has no evidence directory of its own
// and is not one of the table's scenarios.
void ScenarioSection(std::ostringstream& out, const Words& w, const RunRecord& r,
                     const ScenarioRecord& s, const EvidenceFiles& evidence,
                     bool final_check = false) {
  out << "<section class=\"" << (final_check ? "final-check" : "scenario")
      << (s.Failing() ? " failing" : "") << "\" id=\""
      << (final_check ? "final-check" : Anchor(s.id)) << "\" data-verdict=\"" << Name(s.verdict)
      << "\" data-category=\"" << Escape(s.category) << "\">\n<header>" << Badge(w, s.verdict)
      << "<h3><code>" << Escape(s.id) << "</code> " << Escape(w.Title(s))
      << "</h3><span class=\"muted\">" << Escape(w.Category(s.category)) << " · "
      << Escape(w.Level(s.level)) << " · " << Escape(Duration(s.duration_ms))
      << "</span></header>\n";
  out << "<p>" << Escape(w.Description(s)) << "</p>\n";
  if (s.expected_failure) {
    out << "<p><strong>" << Escape(w("html.scenario.expected_failure")) << "</strong> "
        << Escape(w("html.scenario.expected_failure_detail")) << " "
        << Escape(s.expected_failure_reason) << "</p>\n";
  }
  if (s.unexpected_pass) {
    out << "<p><strong>" << Escape(w("html.scenario.unexpected_pass")) << "</strong> — "
        << Escape(w("html.scenario.unexpected_pass_detail")) << "</p>\n";
  }
  bool findings_say_it =
      (s.verdict == Verdict::kFail || s.verdict == Verdict::kWarn) && !s.findings.empty();
  if (!s.reason.empty() && s.verdict != Verdict::kPass && !findings_say_it) {
    out << "<p><strong>" << Escape(w.Verdict(s.verdict)) << ":</strong> " << Detail(w, s.reason)
        << "</p>\n";
  }
  out << "<ul class=\"clauses\">";
  for (const std::string& q : s.requirements) {
    out << "<li><code>" << Escape(q) << "</code> " << Escape(ClauseOf(w, r, q)) << "</li>";
  }
  out << "</ul>\n";
  Findings(out, w, r, s);
  for (const results::Chart& c : s.charts) out << SvgChart(c) << "\n";
  if (!s.steps.empty()) {
    out << "<details class=\"print-open\"><summary>"
        << Escape(w("html.scenario.steps", {{"n", std::to_string(s.steps.size())}}))
        << "</summary><ol" << (w.lang == i18n::Lang::kEn ? "" : " lang=\"en\"") << ">";
    for (const std::string& step : s.steps) out << "<li>" << Escape(step) << "</li>";
    out << "</ol></details>\n";
  }
  if (!final_check) {
    Exchanges(out, w, s, evidence);
    Packages(out, w, s, evidence);
    out << "<p class=\"print-only muted\">"
        << Escape(w("html.scenario.evidence", {{"dir", s.evidence.dir}})) << "</p>\n";
  }
  out << "<p>" << Escape(w("html.scenario.replay")) << " <code>" << Escape(s.replay)
      << "</code></p>\n</section>\n";
}

void Coverage(std::ostringstream& out, const Words& w, const RunRecord& r) {
  int tested = 0;
  for (const results::RequirementRecord& q : r.requirements) tested += q.tested_by.empty() ? 0 : 1;
  out << "<h2 id=\"coverage\">" << Escape(w("html.coverage.heading")) << "</h2>\n<p>"
      << w("html.coverage.counts",
           {{"requirements", "<span data-count=\"requirements\">" +
                                 std::to_string(r.requirements.size()) + "</span>"},
            {"tested", "<span data-count=\"tested\">" + std::to_string(tested) + "</span>"},
            {"untested", std::to_string(r.requirements.size() - tested)}})
      << "</p>\n";
  out << "<table id=\"coverage-table\"><thead><tr><th>" << Escape(w("html.column.requirement"))
      << "</th><th>" << Escape(w("html.column.level")) << "</th><th>"
      << Escape(w("html.column.clause")) << "</th><th>" << Escape(w("html.column.this_run"))
      << "</th></tr></thead><tbody>\n";
  for (const results::RequirementRecord& q : r.requirements) {
    out << "<tr><td><code>" << Escape(q.id) << "</code><br>" << Escape(w.Summary(q)) << "</td><td>"
        << Escape(w.Level(q.level)) << "</td><td>" << Escape(q.source) << "</td><td>";
    if (q.tested_by.empty()) {
      out << "<strong>" << Escape(w("html.coverage.not_tested"))
          << "</strong>: " << Detail(w, q.not_tested);
    } else if (q.results.empty()) {
      out << Escape(w("html.coverage.not_run", {{"ids", Join(q.tested_by)}}));
    } else {
      for (const auto& [scenario, verdict] : q.results) {
        out << "<a href=\"#" << Anchor(scenario) << "\"><code>" << Escape(scenario)
            << "</code></a> " << Badge(w, verdict) << "<br>";
      }
    }
    out << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SvgChart(const results::Chart& c) {
  constexpr double kW = 640, kH = 260, kLeft = 60, kRight = 150, kTop = 28, kBottom = 40;
  static constexpr const char* kColors[] = {"#0969da", "#cf222e", "#1a7f37",
                                            "#8250df", "#9a6700", "#57606a"};
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  bool any = false;
  for (const results::ChartSeries& s : c.series) {
    for (const auto& [x, y] : s.points) {
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      if (!any) {
        x0 = x1 = x;
        y1 = y;
        any = true;
      }
      x0 = std::min(x0, x);
      x1 = std::max(x1, x);
      y1 = std::max(y1, y);
    }
  }
  y0 = 0;  // rates and latencies: the axis starts at zero
  if (x1 <= x0) x1 = x0 + 1;
  if (y1 <= y0) y1 = y0 + 1;
  auto px = [&](double x) { return kLeft + (x - x0) / (x1 - x0) * (kW - kLeft - kRight); };
  auto py = [&](double y) { return kH - kBottom - (y - y0) / (y1 - y0) * (kH - kTop - kBottom); };
  std::ostringstream out;
  out << "<svg class=\"chart\" width=\"" << kW << "\" height=\"" << kH << "\" viewBox=\"0 0 " << kW
      << " " << kH << "\" role=\"img\" aria-label=\"" << Escape(c.title) << "\">";
  out << "<text x=\"" << kLeft << "\" y=\"16\" font-weight=\"600\">" << Escape(c.title)
      << "</text>";
  out << "<line x1=\"" << kLeft << "\" y1=\"" << py(y0) << "\" x2=\"" << kW - kRight << "\" y2=\""
      << py(y0) << "\" stroke=\"#57606a\"/><line x1=\"" << kLeft << "\" y1=\"" << kTop << "\" x2=\""
      << kLeft << "\" y2=\"" << py(y0) << "\" stroke=\"#57606a\"/>";
  out << "<text x=\"" << kLeft - 4 << "\" y=\"" << py(y1) + 4 << "\" text-anchor=\"end\">"
      << Num(y1) << "</text><text x=\"" << kLeft - 4 << "\" y=\"" << py(y0)
      << "\" text-anchor=\"end\">" << Num(y0) << "</text>";
  out << "<text x=\"" << kLeft << "\" y=\"" << py(y0) + 14 << "\">" << Num(x0)
      << "</text><text x=\"" << kW - kRight << "\" y=\"" << py(y0) + 14 << "\" text-anchor=\"end\">"
      << Num(x1) << "</text>";
  out << "<text x=\"" << (kLeft + kW - kRight) / 2 << "\" y=\"" << kH - 8
      << "\" text-anchor=\"middle\">" << Escape(c.x_label) << "</text>";
  out << "<text x=\"12\" y=\"" << (kTop + kH - kBottom) / 2 << "\" transform=\"rotate(-90 12 "
      << (kTop + kH - kBottom) / 2 << ")\" text-anchor=\"middle\">" << Escape(c.y_label)
      << "</text>";
  for (size_t i = 0; i < c.series.size(); ++i) {
    const char* color = kColors[i % std::size(kColors)];
    out << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"1.5\" points=\"";
    for (const auto& [x, y] : c.series[i].points) {
      if (std::isfinite(x) && std::isfinite(y)) out << Num(px(x)) << "," << Num(py(y)) << " ";
    }
    out << "\"/><rect x=\"" << kW - kRight + 10 << "\" y=\"" << kTop + i * 16 << "\" width=\"10\" "
        << "height=\"10\" fill=\"" << color << "\"/><text x=\"" << kW - kRight + 24 << "\" y=\""
        << kTop + i * 16 + 9 << "\">" << Escape(c.series[i].name) << "</text>";
  }
  out << "</svg>";
  return out.str();
}

std::string Html(const RunRecord& r, const EvidenceFiles& evidence) {
  const Words w{r.lang};
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"" << i18n::Code(w.lang)
      << "\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"generator\" content=\"vxpkit " << Escape(r.suite_version) << "\">\n"
      << "<title>vxpkit " << Escape(w.Verdict(r.verdict)) << " — " << Escape(r.system_id) << " — "
      << Escape(results::IsoUtc(r.started)) << "</title>\n<style>\n"
      << embedded::report_css << "</style>\n</head>\n<body>\n";
  Header(out, w, r);
  Banner(out, w, r);
  Signature(out, w, r);
  Failures(out, w, r);
  Summary(out, w, r);
  ScenarioTable(out, w, r);
  for (const ScenarioRecord& s : r.scenarios) ScenarioSection(out, w, r, s, evidence);
  if (r.final_sanity) {
    out << "<h2 id=\"final-sanity\">" << Escape(w("html.final_sanity.heading")) << "</h2>\n";
    ScenarioSection(out, w, r, *r.final_sanity, evidence, true);
  }
  Coverage(out, w, r);
  out << "<footer class=\"muted\"><p>"
      << w("html.footer", {{"version", Escape(r.suite_version)},
                           {"evidence", "<code>evidence/</code>"},
                           {"command", "<code>vxpkit verify-report</code>"}})
      << "</p></footer>\n"
      << "<script>\n"
      << embedded::report_js << "</script>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace vxp::reports
