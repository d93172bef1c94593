#include "results/json.h"

#include <boost/json.hpp>
#include <cstdio>

#include "core/common/datetime.h"
#include "core/common/text.h"
#include "core/edxml/xml_doc.h"

namespace vxp::results {
namespace {

namespace json = boost::json;

// ---- Writing.

json::array Strings(const std::vector<std::string>& list) {
  json::array out;
  for (const std::string& s : list) out.emplace_back(s);
  return out;
}

json::object FindingRecordJson(const FindingRecord& r) {
  const Finding& f = r.finding;
  return {{"rule_id", f.rule_id},   {"level", ToString(f.level)},  {"verdict", ToString(f.verdict)},
          {"clause", r.clause},     {"location", f.location.path}, {"line", f.location.line},
          {"expected", f.expected}, {"actual", f.actual},          {"message", f.message}};
}

json::object ScenarioJson(const ScenarioRecord& s) {
  json::array findings;
  for (const FindingRecord& f : s.findings) findings.push_back(FindingRecordJson(f));
  json::object evidence{{"dir", s.evidence.dir},
                        {"exchanges", s.evidence.exchanges},
                        {"sent", Strings(s.evidence.sent)},
                        {"exchange_seq", json::array{s.evidence.first_seq, s.evidence.end_seq}}};
  if (!s.evidence.files.empty()) evidence["files"] = Strings(s.evidence.files);
  if (!s.evidence.late_seqs.empty()) {
    json::array late;
    for (std::int64_t seq : s.evidence.late_seqs) late.push_back(seq);
    evidence["late_exchange_seq"] = std::move(late);
  }
  json::object o{{"id", s.id},
                 {"title", s.title},
                 {"category", s.category},
                 {"level", ToString(s.level)},
                 {"requirements", Strings(s.requirements)},
                 {"description", s.description},
                 {"verdict", ToString(s.verdict)},
                 {"reason", s.reason},
                 {"expected_failure", s.expected_failure},
                 {"unexpected_pass", s.unexpected_pass},
                 {"expected_failure_reason", s.expected_failure_reason},
                 {"started", IsoUtc(s.started)},
                 {"duration_ms", s.duration_ms},
                 {"findings", std::move(findings)},
                 {"steps", Strings(s.steps)},
                 {"evidence", std::move(evidence)},
                 {"replay", s.replay}};
  if (!s.charts.empty()) {
    json::array charts;
    for (const Chart& c : s.charts) {
      json::array series;
      for (const ChartSeries& cs : c.series) {
        json::array points;
        for (const auto& [x, y] : cs.points) points.push_back(json::array{x, y});
        series.push_back(json::object{{"name", cs.name}, {"points", std::move(points)}});
      }
      charts.push_back(json::object{{"title", c.title},
                                    {"x_label", c.x_label},
                                    {"y_label", c.y_label},
                                    {"series", std::move(series)}});
    }
    o["charts"] = std::move(charts);
  }
  if (s.load) o["load"] = *s.load;
  return o;
}

// ---- Reading: fields of result.json, remembering the first problem with its path.

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
    return v == nullptr ? 0 : IntOf(*v, path + std::string(key));
  }
  std::int64_t IntOf(const json::value& v, const std::string& path) {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
    Problem(path, "is not an integer");
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
    const json::value* v = At(o, key, path);
    return v == nullptr ? Empty() : Elem(*v, path + std::string(key));
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
    if (!v.is_object()) {
      Problem(path, "is not an object");
      return Empty();
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
  Verdict VerdictAt(const json::object& o, std::string_view key, const std::string& path) {
    std::string text = Str(o, key, path);
    for (Verdict v : kVerdictOrder) {
      if (ToString(v) == text) return v;
    }
    if (text == ToString(Verdict::kIncomplete)) return Verdict::kIncomplete;
    if (problem_.empty() && o.contains(key)) {
      Problem(path + std::string(key), "is '" + text + "', not a verdict");
    }
    return Verdict::kError;
  }
  Level LevelAt(const json::object& o, std::string_view key, const std::string& path) {
    std::string text = Str(o, key, path);
    for (Level l : {Level::kMust, Level::kShould, Level::kMay}) {
      if (ToString(l) == text) return l;
    }
    if (problem_.empty() && o.contains(key)) {
      Problem(path + std::string(key), "is '" + text + "', not MUST, SHOULD or MAY");
    }
    return Level::kMust;
  }
  Millis TimeAt(const json::object& o, std::string_view key, const std::string& path) {
    std::string text = Str(o, key, path);
    auto ms = ParseIsoUtc(text);
    if (!ms && problem_.empty() && o.contains(key)) {
      Problem(path + std::string(key), "is '" + text + "', not yyyy-MM-ddTHH:mm:ss.SSSZ");
    }
    return ms.value_or(0);
  }
  void Problem(const std::string& path, const std::string& what) {
    if (problem_.empty()) problem_ = "result.json: " + path + " " + what;
  }
  const std::string& problem() const { return problem_; }

 private:
  static const json::object& Empty() {
    static const json::object kEmpty;
    return kEmpty;
  }
  static std::optional<Millis> ParseIsoUtc(std::string_view t) {
    // yyyy-MM-ddTHH:mm:ss.SSSZ
    if (t.size() != 24 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
        t[16] != ':' || t[19] != '.' || t[23] != 'Z') {
      return std::nullopt;
    }
    auto y = FixedDigits(t, 0, 4), mo = FixedDigits(t, 5, 2), d = FixedDigits(t, 8, 2),
         h = FixedDigits(t, 11, 2), mi = FixedDigits(t, 14, 2), s = FixedDigits(t, 17, 2),
         ms = FixedDigits(t, 20, 3);
    if (!y || !mo || !d || !h || !mi || !s || !ms) return std::nullopt;
    DateTime dt{{*y, *mo, *d}, *h, *mi, *s};
    std::int64_t seconds = UnixSeconds(dt, 0);
    if (CivilTime(seconds, 0) != dt) return std::nullopt;
    return seconds * 1000 + *ms;
  }

  std::string problem_;
};

ScenarioRecord ReadScenario(Reader& r, const json::object& o, const std::string& p) {
  ScenarioRecord s;
  s.id = r.Str(o, "id", p);
  s.title = r.Str(o, "title", p);
  s.category = r.Str(o, "category", p);
  s.level = r.LevelAt(o, "level", p);
  s.description = r.Str(o, "description", p);
  s.verdict = r.VerdictAt(o, "verdict", p);
  s.reason = r.Str(o, "reason", p);
  s.requirements = r.Strings(o, "requirements", p);
  s.expected_failure = r.Bool(o, "expected_failure", p);
  s.unexpected_pass = r.Bool(o, "unexpected_pass", p);
  s.expected_failure_reason = r.Str(o, "expected_failure_reason", p);
  s.started = r.TimeAt(o, "started", p);
  s.duration_ms = r.Int(o, "duration_ms", p);
  const json::array& findings = r.Arr(o, "findings", p);
  for (size_t i = 0; i < findings.size(); ++i) {
    std::string fp = p + "findings[" + std::to_string(i) + "].";
    const json::object& f = r.Elem(findings[i], fp);
    FindingRecord row;
    row.finding.rule_id = r.Str(f, "rule_id", fp);
    row.finding.level = r.LevelAt(f, "level", fp);
    row.finding.verdict = r.VerdictAt(f, "verdict", fp);
    row.clause = r.Str(f, "clause", fp);
    row.finding.location.path = r.Str(f, "location", fp);
    row.finding.location.line = static_cast<int>(r.Int(f, "line", fp));
    row.finding.expected = r.Str(f, "expected", fp);
    row.finding.actual = r.Str(f, "actual", fp);
    row.finding.message = r.Str(f, "message", fp);
    s.findings.push_back(std::move(row));
  }
  s.steps = r.Strings(o, "steps", p);
  const std::string ep = p + "evidence.";
  const json::object& ev = r.Obj(o, "evidence", p);
  s.evidence.dir = r.Str(ev, "dir", ep);
  s.evidence.exchanges = r.Str(ev, "exchanges", ep);
  s.evidence.sent = r.Strings(ev, "sent", ep);
  if (ev.contains("files")) s.evidence.files = r.Strings(ev, "files", ep);
  if (ev.contains("exchange_seq")) {
    const json::array& seq = r.Arr(ev, "exchange_seq", ep);
    if (seq.size() != 2) {
      r.Problem(ep + "exchange_seq", "is not [first, end]");
    } else {
      s.evidence.first_seq = r.IntOf(seq[0], ep + "exchange_seq[0]");
      s.evidence.end_seq = r.IntOf(seq[1], ep + "exchange_seq[1]");
    }
  }
  if (ev.contains("late_exchange_seq")) {
    const json::array& late = r.Arr(ev, "late_exchange_seq", ep);
    for (size_t i = 0; i < late.size(); ++i) {
      s.evidence.late_seqs.push_back(
          r.IntOf(late[i], ep + "late_exchange_seq[" + std::to_string(i) + "]"));
    }
  }
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
  if (o.contains("load")) s.load = r.Obj(o, "load", p);
  return s;
}

}  // namespace

bool ScenarioRecord::Failing() const {
  return unexpected_pass || (verdict == Verdict::kFail && !expected_failure) ||
         verdict == Verdict::kError || verdict == Verdict::kInconclusive;
}

std::map<Verdict, int> Counts(const RunRecord& run) {
  std::map<Verdict, int> out;
  for (Verdict v : kVerdictOrder) out[v] = 0;
  for (const ScenarioRecord& s : run.scenarios) ++out[s.verdict];
  return out;
}

std::vector<std::pair<std::string, std::map<Verdict, int>>> CountsByCategory(const RunRecord& run) {
  std::vector<std::pair<std::string, std::map<Verdict, int>>> out;
  for (const ScenarioRecord& s : run.scenarios) {
    auto it =
        std::find_if(out.begin(), out.end(), [&](const auto& c) { return c.first == s.category; });
    if (it == out.end()) {
      std::map<Verdict, int> zero;
      for (Verdict v : kVerdictOrder) zero[v] = 0;
      out.emplace_back(s.category, zero);
      it = out.end() - 1;
    }
    ++it->second[s.verdict];
  }
  return out;
}

std::string IsoUtc(Millis ms) {
  DateTime t = CivilTime(ms / 1000, 0);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.date.year, t.date.month,
                t.date.day, t.hour, t.minute, t.second, static_cast<int>(ms % 1000));
  return buf;
}

json::object FindingJson(const Finding& f) {
  return json::object{
      {"rule_id", f.rule_id},   {"level", ToString(f.level)},  {"verdict", ToString(f.verdict)},
      {"message", f.message},   {"location", f.location.path}, {"line", f.location.line},
      {"expected", f.expected}, {"actual", f.actual},
  };
}

bool IsUtf8(std::string_view bytes) { return edxml::FindInvalidUtf8(bytes) == std::string::npos; }

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

void MakeUtf8(json::value& v) {
  if (v.is_string()) {
    if (!IsUtf8(v.as_string())) v = Latin1ToUtf8(v.as_string());
  } else if (v.is_array()) {
    for (json::value& e : v.as_array()) MakeUtf8(e);
  } else if (v.is_object()) {
    for (auto& kv : v.as_object()) MakeUtf8(kv.value());
  }
}

std::string ToJson(const RunRecord& r) {
  json::object deadlines;
  for (const auto& [name, value] : r.deadlines_ms) deadlines[name] = value;
  json::array scenarios;
  for (const ScenarioRecord& s : r.scenarios) scenarios.push_back(ScenarioJson(s));
  json::object expected;
  for (const auto& [id, reason] : r.expected_failures) expected[id] = reason;
  const std::map<Verdict, int> by_verdict = Counts(r);
  json::object counts;  // in kVerdictOrder, as reports list them
  for (Verdict v : kVerdictOrder) counts[ToString(v)] = by_verdict.at(v);
  json::array coverage;
  for (const RequirementRecord& q : r.requirements) {
    json::array verdicts;
    for (const auto& [scenario, verdict] : q.results) {
      verdicts.push_back(json::object{{"scenario", scenario}, {"verdict", ToString(verdict)}});
    }
    coverage.push_back(json::object{{"id", q.id},
                                    {"source", q.source},
                                    {"summary", q.summary},
                                    {"level", ToString(q.level)},
                                    {"tested_by", Strings(q.tested_by)},
                                    {"not_tested", q.not_tested},
                                    {"results", std::move(verdicts)}});
  }
  json::object out{
      {"schema", kResultSchema},
      {"suite", {{"name", "vxpkit"}, {"version", r.suite_version}}},
      {"run",
       {{"started", IsoUtc(r.started)},
        {"finished", IsoUtc(r.finished)},
        {"duration_ms", r.duration_ms()},
        {"seed", r.seed},
        {"strict", r.strict},
        {"profile",
         {{"name", r.profile},
          {"description", r.profile_description},
          {"deadlines_ms", std::move(deadlines)}}},
        {"selection", {{"only", Strings(r.only)}, {"categories", Strings(r.categories)}}},
        {"expected_failures", std::move(expected)},
        {"replay", r.replay},
        {"lang", i18n::Code(r.lang)}}},
      {"sut",
       {{"system_id", r.system_id},
        {"product", {{"name", r.product}, {"version", r.product_version}}},
        {"agencies", Strings(r.agencies)},
        {"driver", r.driver},
        {"control", r.control},
        {"outbound", r.outbound},
        {"hub_url", r.hub_url},
        {"peers", Strings(r.peers)}}},
      {"outcome",
       {{"verdict", ToString(r.verdict)},
        {"exit_code", r.exit_code},
        {"error", r.error},
        {"aborted", r.aborted ? json::value(*r.aborted) : json::value(nullptr)},
        {"interrupted", r.interrupted ? json::value(*r.interrupted) : json::value(nullptr)},
        {"final_sanity",
         r.final_sanity ? json::value(ScenarioJson(*r.final_sanity)) : json::value(nullptr)},
        {"counts", std::move(counts)}}},
      {"scenarios", std::move(scenarios)},
      {"requirements", std::move(coverage)}};
  if (r.claims) out["sut"].as_object()["claims"] = Strings(*r.claims);
  if (r.signing) {
    const SigningRecord& g = *r.signing;
    out["signing"] = json::object{
        {"subject", g.subject},     {"issuer", g.issuer}, {"fingerprint", g.fingerprint},
        {"certifier", g.certifier}, {"role", g.role},     {"signed_at", IsoUtc(g.signed_at)}};
  }
  json::value v = std::move(out);
  MakeUtf8(v);  // findings and steps quote what the SUT sent
  return json::serialize(v) + "\n";
}

Result<RunRecord> ReadRunRecord(std::string_view result_json) {
  boost::system::error_code ec;
  json::value doc = json::parse(result_json, ec);
  if (ec) return MakeError("report.input", "result.json is not JSON: " + ec.message());
  if (!doc.is_object()) return MakeError("report.input", "result.json is not a JSON object");
  const json::object& root = doc.get_object();
  Reader r;
  std::string schema = r.Str(root, "schema", "");
  if (schema != kResultSchema) {
    return MakeError("report.input", "result.json has schema '" + schema + "'; this vxpkit reads " +
                                         std::string(kResultSchema));
  }
  RunRecord out;
  out.suite_version = r.Str(r.Obj(root, "suite", ""), "version", "suite.");
  const json::object& run = r.Obj(root, "run", "");
  out.started = r.TimeAt(run, "started", "run.");
  out.finished = r.TimeAt(run, "finished", "run.");
  out.seed = static_cast<std::uint64_t>(r.Int(run, "seed", "run."));
  out.strict = r.Bool(run, "strict", "run.");
  out.replay = r.Str(run, "replay", "run.");
  if (run.contains("lang")) {  // written since vxpkit 0.1.x; older results are English
    std::string code = r.Str(run, "lang", "run.");
    if (std::optional<i18n::Lang> lang = i18n::ParseLang(code)) {
      out.lang = *lang;
    } else {
      r.Problem("run.lang", "is \"" + code + "\", not one of " + i18n::LangChoices());
    }
  }
  const json::object& profile = r.Obj(run, "profile", "run.");
  out.profile = r.Str(profile, "name", "run.profile.");
  out.profile_description = r.Str(profile, "description", "run.profile.");
  for (const auto& [name, value] : r.Obj(profile, "deadlines_ms", "run.profile.")) {
    out.deadlines_ms.emplace_back(std::string(name),
                                  r.IntOf(value, "run.profile.deadlines_ms." + std::string(name)));
  }
  if (run.contains("selection")) {
    const json::object& selection = r.Obj(run, "selection", "run.");
    out.only = r.Strings(selection, "only", "run.selection.");
    out.categories = r.Strings(selection, "categories", "run.selection.");
  }
  if (run.contains("expected_failures")) {
    for (const auto& [id, reason] : r.Obj(run, "expected_failures", "run.")) {
      if (reason.is_string()) {
        out.expected_failures[std::string(id)] = std::string(reason.get_string());
      } else {
        r.Problem("run.expected_failures." + std::string(id), "is not a string");
      }
    }
  }
  const json::object& sut = r.Obj(root, "sut", "");
  out.system_id = r.Str(sut, "system_id", "sut.");
  if (sut.contains("product")) {  // written since vxpkit 0.1.x; older results have none
    const json::object& product = r.Obj(sut, "product", "sut.");
    out.product = r.Str(product, "name", "sut.product.");
    out.product_version = r.Str(product, "version", "sut.product.");
  }
  out.agencies = r.Strings(sut, "agencies", "sut.");
  out.driver = r.Str(sut, "driver", "sut.");
  out.control = r.Str(sut, "control", "sut.");
  out.outbound = r.Bool(sut, "outbound", "sut.");
  out.hub_url = r.Str(sut, "hub_url", "sut.");
  out.peers = r.Strings(sut, "peers", "sut.");
  if (sut.contains("claims")) out.claims = r.Strings(sut, "claims", "sut.");
  const json::object& outcome = r.Obj(root, "outcome", "");
  out.verdict = r.VerdictAt(outcome, "verdict", "outcome.");
  out.exit_code = static_cast<int>(r.Int(outcome, "exit_code", "outcome."));
  out.error = r.Str(outcome, "error", "outcome.");
  if (const json::value* a = outcome.if_contains("aborted"); a != nullptr && a->is_string()) {
    out.aborted = std::string(a->get_string());
  }
  if (const json::value* i = outcome.if_contains("interrupted"); i != nullptr && i->is_string()) {
    out.interrupted = std::string(i->get_string());
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
    RequirementRecord row;
    row.id = r.Str(q, "id", p);
    row.source = r.Str(q, "source", p);
    row.summary = r.Str(q, "summary", p);
    row.level = r.LevelAt(q, "level", p);
    row.not_tested = r.Str(q, "not_tested", p);
    row.tested_by = r.Strings(q, "tested_by", p);
    for (const json::value& v : r.Arr(q, "results", p)) {
      const json::object& res = r.Elem(v, p + "results.");
      row.results.emplace_back(r.Str(res, "scenario", p + "results."),
                               r.VerdictAt(res, "verdict", p + "results."));
    }
    out.requirements.push_back(std::move(row));
  }
  if (root.contains("signing")) {
    const json::object& g = r.Obj(root, "signing", "");
    SigningRecord signing;
    signing.subject = r.Str(g, "subject", "signing.");
    signing.issuer = r.Str(g, "issuer", "signing.");
    signing.fingerprint = r.Str(g, "fingerprint", "signing.");
    signing.certifier = r.Str(g, "certifier", "signing.");
    signing.role = r.Str(g, "role", "signing.");
    signing.signed_at = r.TimeAt(g, "signed_at", "signing.");
    out.signing = std::move(signing);
  }
  if (!r.problem().empty()) return MakeError("report.input", r.problem());
  return out;
}

}  // namespace vxp::results
