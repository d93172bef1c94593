// The certification part of the web application (docs/certification.md): a certifier's review
// of a certification run (failures first, with their evidence), waivers, the decision and the
// certificate it issues, revocation, the audit log; and the public register.
#include <boost/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "conformance/run.h"
#include "harness/scenario.h"
#include "reports/html.h"
#include "results/json.h"
#include "service/certificate.h"
#include "service/web_internal.h"

namespace vxp::service {
namespace {

namespace json = boost::json;
using reports::Escape;
using web_internal::Header;
using web_internal::JsonError;
using web_internal::Page;
using web_internal::ParseId;
using web_internal::Redirect;
using wire::HttpResponse;

constexpr size_t kMaxReasonBytes = 4000;  // a waiver's reason, a decision's comments

HttpResponse PlainText(int status, const std::string& text) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = text + "\n";
  return r;
}

// Whether `s`'s verdict can stand in a certified system without a waiver: PASS; WARN (a SHOULD);
// SKIP of a capability the system does not claim.
bool StandsWithoutWaiver(const results::ScenarioRecord& s) {
  return s.verdict == Verdict::kPass || s.verdict == Verdict::kWarn ||
         (s.verdict == Verdict::kSkip && s.reason.starts_with(harness::kNotClaimed));
}

// Failures first (those needing a waiver), then warnings and skips, then passes; in run order
// within each.
int Rank(const results::ScenarioRecord& s) {
  if (!StandsWithoutWaiver(s)) return 0;
  if (s.verdict != Verdict::kPass) return 1;
  return 2;
}

std::string Trimmed(const std::string& text) {
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return text.substr(b, text.find_last_not_of(" \t\r\n") - b + 1);
}

std::string Csrf(const std::string& token) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + Escape(token) + "\">";
}

}  // namespace

std::string WebApp::BaseUrl(Context& c) const {
  if (!options_.public_url.empty()) return options_.public_url;
  return std::string(options_.tls ? "https://" : "http://") + Header(c.request, "Host");
}

std::string WebApp::PublicPage(Context& c, const std::string& title, const std::string& body) {
  std::ostringstream nav;
  nav << "<nav><strong>vxpkit</strong><a href=\"/register\">" << Escape(c.T("serve.cert.register"))
      << "</a>"
      << (c.session ? "<a href=\"/\">" + Escape(c.T("serve.nav.home")) + "</a>"
                    : "<a href=\"/login\">" + Escape(c.T("serve.cert.sign_in")) + "</a>")
      << "<a href=\"?lang=" << (c.lang == i18n::Lang::kVi ? "en\">English" : "vi\">Tiếng Việt")
      << "</a></nav>\n";
  return Page(std::string(i18n::Code(c.lang)), title, nav.str(), body,
              Escape(c.T("serve.footer", {{"version", options_.suite_version}})));
}

std::variant<RunRow, HttpResponse> WebApp::ReviewableRun(Context& c, const std::string& id) {
  if (c.session->user.role != Role::kCertifier) {
    return PlainText(403, c.T("serve.cert.certifiers_only"));
  }
  auto run = VisibleRun(c.session->user, id, false);
  if (auto* refusal = std::get_if<HttpResponse>(&run)) return *refusal;
  const RunRow& row = std::get<RunRow>(run);
  if (row.plan != "certification" || row.status != "finished") {
    return PlainText(409, c.T("serve.cert.not_reviewable"));
  }
  return row;
}

std::string WebApp::CertificationSection(Context& c, const RunRow& run) {
  if (run.plan != "certification") return "";
  std::ostringstream out;
  auto decision = store_.GetDecision(run.id);
  auto waivers = store_.Waivers(run.id);
  auto certificate = store_.CertificateOfRun(run.id);
  const bool certifier = c.session->user.role == Role::kCertifier;
  out << "<section id=\"certification\"><h2>" << Escape(c.T("serve.cert.heading")) << "</h2>\n";
  if (decision && *decision) {
    const Decision& d = **decision;
    out << "<p id=\"decision\" data-decision=\"" << Escape(d.decision) << "\">"
        << Escape(c.T("serve.cert.decided",
                      {{"decision",
                        c.T("serve.cert." +
                            std::string(d.decision == kCertified ? "certified" : "not_certified"))},
                       {"by", d.by},
                       {"at", results::IsoUtc(d.decided)}}))
        << "</p>\n";
    if (!d.comments.empty()) out << "<blockquote>" << Escape(d.comments) << "</blockquote>\n";
  } else {
    out << "<p id=\"decision\" data-decision=\"\">" << Escape(c.T("serve.cert.undecided"))
        << "</p>\n";
  }
  if (certificate && *certificate) {
    const std::string id = std::to_string((*certificate)->id);
    out << "<p><a id=\"certificate\" href=\"/register/" << id << "\">"
        << Escape(
               c.T("serve.cert.certificate", {{"number", CertificateNumber((*certificate)->id)}}))
        << "</a></p>\n";
  }
  if (waivers && !waivers->empty()) {
    out << "<h3>" << Escape(c.T("serve.cert.waivers")) << "</h3>\n<ul id=\"waivers\">\n";
    for (const Waiver& w : *waivers) {
      out << "<li data-scenario=\"" << Escape(w.scenario_id) << "\"><code>" << Escape(w.scenario_id)
          << "</code> " << Escape(c.T("serve.cert.waived_by", {{"by", w.by}})) << ": "
          << Escape(w.reason) << "</li>\n";
    }
    out << "</ul>\n";
  }
  if (certifier) {
    out << "<p><a id=\"review\" href=\"/runs/" << run.id << "/review\">"
        << Escape(c.T("serve.cert.review")) << "</a></p>\n";
  }
  out << "</section>\n";
  return out.str();
}

json::object WebApp::CertificationJson(const RunRow& run) {
  json::object o;
  json::array waivers;
  if (auto list = store_.Waivers(run.id)) {
    for (const Waiver& w : *list) {
      waivers.push_back(json::object{{"scenario", w.scenario_id},
                                     {"reason", w.reason},
                                     {"by", w.by},
                                     {"at", results::IsoUtc(w.created)}});
    }
  }
  o["waivers"] = std::move(waivers);
  auto decision = store_.GetDecision(run.id);
  if (decision && *decision) {
    o["decision"] = json::object{{"decision", (*decision)->decision},
                                 {"comments", (*decision)->comments},
                                 {"by", (*decision)->by},
                                 {"at", results::IsoUtc((*decision)->decided)}};
  } else {
    o["decision"] = nullptr;
  }
  auto certificate = store_.CertificateOfRun(run.id);
  if (certificate && *certificate) {
    o["certificate"] =
        json::object{{"id", (*certificate)->id},
                     {"number", CertificateNumber((*certificate)->id)},
                     {"register", "/register/" + std::to_string((*certificate)->id)}};
  } else {
    o["certificate"] = nullptr;
  }
  return o;
}

HttpResponse WebApp::ReviewPage(Context& c, const RunRow& run, int status,
                                const std::string& error) {
  const std::string id = std::to_string(run.id);
  auto record = ReadRunResult(runs_->DirOf(run.id));
  auto system = store_.GetSystem(run.system_id);
  auto org = store_.GetOrganisation(run.organisation_id);
  auto decision = store_.GetDecision(run.id);
  auto waivers = store_.Waivers(run.id);
  std::map<std::string, Waiver> waived;
  if (waivers) {
    for (const Waiver& w : *waivers) waived[w.scenario_id] = w;
  }
  const bool decided = decision && *decision;
  std::ostringstream body;
  if (!error.empty()) body << "<p class=\"error\" id=\"error\">" << Escape(error) << "</p>\n";
  body << "<p id=\"subject\">"
       << Escape(c.T(
              "serve.cert.subject",
              {{"system", system && *system ? (*system)->name : "?"},
               {"vendor", org && *org ? (*org)->name : "?"},
               {"product",
                system && *system ? (*system)->product + " " + (*system)->product_version : "?"}}))
       << "</p>\n<p>"
       << Escape(c.T("serve.runs.finished",
                     {{"verdict", run.verdict}, {"code", std::to_string(run.exit_code)}}))
       << " <a href=\"/runs/" << id << "\">" << Escape(c.T("serve.runs.run", {{"id", id}}))
       << "</a> · <a href=\"/runs/" << id << "/files/index.html\">index.html</a></p>\n";
  if (!record) {
    body << "<p class=\"error\">" << Escape(record.error().message) << "</p>\n";
    HttpResponse r = SignedInPage(c, c.T("serve.cert.review_title", {{"id", id}}), body.str());
    r.status = 500;
    return r;
  }
  std::string claims;
  for (const std::string& cl : record->claims.value_or(std::vector<std::string>{})) {
    claims += (claims.empty() ? "" : ", ") + cl;
  }
  body << "<p id=\"claims\">" << Escape(c.T("serve.cert.claims", {{"claims", claims}})) << "</p>\n";

  // The scenarios, those that need a waiver first.
  std::vector<const results::ScenarioRecord*> order;
  for (const auto& s : record->scenarios) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(),
                   [](auto* a, auto* b) { return Rank(*a) < Rank(*b); });
  int open = 0;
  for (const auto* s : order) open += !StandsWithoutWaiver(*s) && !waived.contains(s->id);
  body << "<p id=\"open\" data-open=\"" << open << "\">"
       << Escape(c.T("serve.cert.open", {{"n", std::to_string(open)}})) << "</p>\n";
  body << "<table id=\"review\"><thead><tr><th>" << Escape(c.T("serve.cert.scenario"))
       << "</th><th>" << Escape(c.T("serve.runs.verdict")) << "</th><th>"
       << Escape(c.T("serve.cert.evidence")) << "</th></tr></thead><tbody>\n";
  for (const auto* s : order) {
    const std::string verdict(ToString(s->verdict));
    body << "<tr data-scenario=\"" << Escape(s->id) << "\" data-verdict=\"" << verdict
         << "\" data-needs-waiver=\"" << (StandsWithoutWaiver(*s) ? "no" : "yes") << "\"><td><code>"
         << Escape(s->id) << "</code><br>" << Escape(s->title) << "</td><td class=\"v-" << verdict
         << "\">" << verdict << "</td><td>";
    if (!s->reason.empty()) body << Escape(s->reason) << "<br>";
    for (const auto& f : s->findings) {
      body << "<code>" << Escape(f.finding.rule_id) << "</code> " << Escape(f.finding.message)
           << "<br>";
    }
    body << "<a href=\"/runs/" << id << "/files/index.html#s-" << Escape(s->id) << "\">"
         << Escape(c.T("serve.cert.evidence_link")) << "</a>";
    if (auto w = waived.find(s->id); w != waived.end()) {
      body << "<p class=\"waiver\">" << Escape(c.T("serve.cert.waived_by", {{"by", w->second.by}}))
           << ": " << Escape(w->second.reason) << "</p>";
    } else if (!StandsWithoutWaiver(*s) && !decided) {
      body << "<form method=\"post\" action=\"/runs/" << id << "/waivers\" class=\"waive\">"
           << Csrf(c.session->csrf) << "<input type=\"hidden\" name=\"scenario\" value=\""
           << Escape(s->id) << "\"><label>" << Escape(c.T("serve.cert.waiver_reason"))
           << "<input type=\"text\" name=\"reason\" required maxlength=\"" << kMaxReasonBytes
           << "\"></label><button>" << Escape(c.T("serve.cert.waive")) << "</button></form>";
    }
    body << "</td></tr>\n";
  }
  body << "</tbody></table>\n";

  if (decided) {
    body << CertificationSection(c, run);
  } else {
    body << "<h2>" << Escape(c.T("serve.cert.decide")) << "</h2>\n";
    if (!options_.office) {
      body << "<p class=\"muted\" id=\"no-office-key\">" << Escape(c.T("serve.cert.no_office_key"))
           << "</p>\n";
    }
    body << "<form method=\"post\" action=\"/runs/" << id << "/decision\" id=\"decision-form\">"
         << Csrf(c.session->csrf) << "<label><input type=\"radio\" name=\"decision\" value=\""
         << kCertified << "\"> " << Escape(c.T("serve.cert.certified"))
         << "</label><label><input type=\"radio\" name=\"decision\" value=\"" << kNotCertified
         << "\"> " << Escape(c.T("serve.cert.not_certified")) << "</label><label>"
         << Escape(c.T("serve.cert.comments"))
         << "<textarea name=\"comments\" rows=\"3\" cols=\"60\" maxlength=\"" << kMaxReasonBytes
         << "\"></textarea></label><button id=\"decide\">" << Escape(c.T("serve.cert.record"))
         << "</button></form>\n";
  }
  body << "<h2>" << Escape(c.T("serve.cert.audit")) << "</h2>\n" << AuditTable(c, run.id);
  HttpResponse r = SignedInPage(c, c.T("serve.cert.review_title", {{"id", id}}), body.str());
  r.status = status;
  return r;
}

std::string WebApp::AuditTable(Context& c, std::int64_t run_id) {
  std::ostringstream out;
  auto log = store_.AuditLog(run_id, 1000);
  out << "<table id=\"audit\"><thead><tr><th>" << Escape(c.T("serve.cert.when")) << "</th><th>"
      << Escape(c.T("serve.cert.who")) << "</th><th>" << Escape(c.T("serve.cert.what"))
      << "</th></tr></thead><tbody>\n";
  if (log) {
    for (const AuditEntry& e : *log) {
      out << "<tr data-action=\"" << Escape(e.action) << "\"><td>" << results::IsoUtc(e.at)
          << "</td><td>" << Escape(e.by) << "</td><td>" << Escape(e.action);
      if (e.run_id != 0) out << " · <a href=\"/runs/" << e.run_id << "\">#" << e.run_id << "</a>";
      if (e.certificate_id != 0) {
        out << " · <a href=\"/register/" << e.certificate_id << "\">"
            << CertificateNumber(e.certificate_id) << "</a>";
      }
      out << "<br>" << Escape(e.detail) << "</td></tr>\n";
    }
  }
  out << "</tbody></table>\n";
  return out.str();
}

HttpResponse WebApp::AuditPage(Context& c) {
  if (c.session->user.role != Role::kCertifier && c.session->user.role != Role::kAdmin) {
    return PlainText(403, c.T("serve.cert.certifiers_only"));
  }
  return SignedInPage(c, c.T("serve.cert.audit"), AuditTable(c, 0));
}

HttpResponse WebApp::AddWaiver(Context& c, const RunRow& run) {
  auto record = ReadRunResult(runs_->DirOf(run.id));
  if (!record) return ReviewPage(c, run, 500, record.error().message);
  const std::string scenario = c.Field("scenario");
  const std::string reason = Trimmed(c.Field("reason"));
  const results::ScenarioRecord* found = nullptr;
  for (const auto& s : record->scenarios) {
    if (s.id == scenario) found = &s;
  }
  if (found == nullptr || StandsWithoutWaiver(*found)) {
    return ReviewPage(c, run, 400, c.T("serve.cert.waiver_what", {{"scenario", scenario}}));
  }
  if (reason.empty() || reason.size() > kMaxReasonBytes) {
    return ReviewPage(c, run, 400, c.T("serve.cert.waiver_reason_needed"));
  }
  if (auto decided = store_.GetDecision(run.id); decided && *decided) {
    return ReviewPage(c, run, 409, c.T("serve.cert.already_decided"));
  }
  auto added = store_.AddWaiver({run.id, scenario, reason, c.session->user.id, "", c.now});
  if (!added) {
    return ReviewPage(c, run, added.error().code == "service.exists" ? 409 : 500,
                      added.error().message);
  }
  return Redirect("/runs/" + std::to_string(run.id) + "/review");
}

HttpResponse WebApp::DecideRun(Context& c, const RunRow& run) {
  const std::string decision = c.Field("decision");
  const std::string comments = Trimmed(c.Field("comments"));
  if (decision != kCertified && decision != kNotCertified) {
    return ReviewPage(c, run, 400, c.T("serve.cert.choose"));
  }
  if (comments.size() > kMaxReasonBytes) return ReviewPage(c, run, 400, c.T("serve.cert.long"));
  if (decision == kNotCertified && comments.empty()) {
    return ReviewPage(c, run, 400, c.T("serve.cert.why_not"));
  }
  auto record = ReadRunResult(runs_->DirOf(run.id));
  if (!record) return ReviewPage(c, run, 500, record.error().message);
  std::function<Result<CertificateRecord>(std::int64_t)> issue;
  if (decision == kCertified) {
    // Certified only what was judged whole, and every verdict that cannot stand waived.
    if (record->interrupted || record->aborted || run.verdict == "INCOMPLETE") {
      return ReviewPage(c, run, 409, c.T("serve.cert.incomplete"));
    }
    auto waivers = store_.Waivers(run.id);
    std::set<std::string> waived;
    for (const Waiver& w : waivers.value_or(std::vector<Waiver>{})) waived.insert(w.scenario_id);
    std::string open;
    for (const auto& s : record->scenarios) {
      if (!StandsWithoutWaiver(s) && !waived.contains(s.id))
        open += (open.empty() ? "" : ", ") + s.id;
    }
    if (!open.empty()) {
      return ReviewPage(c, run, 409, c.T("serve.cert.unwaived", {{"scenarios", open}}));
    }
    if (!options_.office) return ReviewPage(c, run, 409, c.T("serve.cert.no_office_key"));
    auto system = store_.GetSystem(run.system_id);
    auto org = store_.GetOrganisation(run.organisation_id);
    if (!system || !*system || !org || !*org) {
      return ReviewPage(c, run, 500, "the run's system or organisation is missing");
    }
    CertificateFacts f;
    f.office = options_.office_name;
    if (f.office.empty()) {
      auto signer = signing::DescribeSigner(options_.office->cert_pem);
      f.office = signer ? (!signer->title.empty() ? signer->title : signer->common_name) : "";
    }
    f.vendor = (*org)->name;
    f.system = (*system)->name;
    // What was run, as the run recorded it (the system may have been edited since).
    f.product = record->product.empty() ? (*system)->product : record->product;
    f.product_version =
        record->product_version.empty() ? (*system)->product_version : record->product_version;
    f.claims = record->claims.value_or((*system)->capabilities);
    f.control = record->control;
    f.plan = run.plan;
    f.profile = run.profile;
    f.suite_version = record->suite_version;
    f.vectors = conformance::SuiteVectors();
    f.run_id = run.id;
    f.run_started = record->started;
    f.run_finished = record->finished;
    f.run_verdict = run.verdict;
    for (const auto& [v, n] : results::Counts(*record)) f.counts[std::string(ToString(v))] = n;
    for (const Waiver& w : waivers.value_or(std::vector<Waiver>{})) {
      std::string verdict;
      for (const auto& s : record->scenarios) {
        if (s.id == w.scenario_id) verdict = ToString(s.verdict);
      }
      f.waivers.push_back({w.scenario_id, verdict, w.reason, w.by});
    }
    f.certifier = c.session->user.name + " <" + c.session->user.email + ">";
    f.comments = comments;
    f.issued = c.now;
    f.valid_until = c.now + Millis{options_.certificate_days} * 86'400'000;
    const std::string base = BaseUrl(c);
    issue = [f, base, office = *options_.office,
             &run](std::int64_t certificate_id) mutable -> Result<CertificateRecord> {
      f.id = certificate_id;
      f.number = CertificateNumber(certificate_id);
      f.verify_url = base + "/register/" + std::to_string(certificate_id);
      auto made = IssueCertificate(f, office);
      if (!made) return tl::unexpected(made.error());
      CertificateRecord rec;
      rec.system_id = run.system_id;
      rec.organisation_id = run.organisation_id;
      rec.issued = f.issued;
      rec.valid_until = f.valid_until;
      rec.json = std::move(made->json);
      rec.signature = std::move(made->signature);
      rec.pdf = std::move(made->pdf);
      return rec;
    };
  }
  auto decided = store_.Decide({run.id, decision, comments, c.session->user.id, "", c.now}, issue);
  if (!decided) {
    return ReviewPage(c, run, decided.error().code == "service.exists" ? 409 : 500,
                      decided.error().message);
  }
  return Redirect("/runs/" + std::to_string(run.id) + "/review");
}

Result<RegisterFacts> WebApp::Register(Millis now) {
  auto list = store_.Certificates();
  if (!list) return tl::unexpected(list.error());
  RegisterFacts out;
  out.office = options_.office_name;
  out.generated = now;
  for (const CertificateRecord& rec : *list) {
    auto facts = ReadCertificateJson(rec.json);
    if (!facts) continue;  // written by this service: cannot happen short of editing the file
    if (out.office.empty()) out.office = facts->office;
    out.certificates.push_back({rec.id, facts->number, facts->vendor, facts->system, facts->product,
                                facts->product_version, rec.issued, rec.valid_until,
                                CertificateStatus(rec.valid_until, rec.revoked, now), rec.revoked,
                                rec.revoked_reason});
  }
  return out;
}

HttpResponse WebApp::RegisterPage(Context& c) {
  auto reg = Register(c.now);
  if (!reg) return PlainText(500, reg.error().message);
  std::ostringstream body;
  body << "<p>" << Escape(c.T("serve.cert.register_intro")) << "</p>\n";
  if (reg->certificates.empty()) {
    body << "<p id=\"empty\">" << Escape(c.T("serve.cert.register_empty")) << "</p>\n";
  } else {
    body << "<table id=\"register\"><thead><tr><th>" << Escape(c.T("serve.cert.number"))
         << "</th><th>" << Escape(c.T("serve.cert.vendor")) << "</th><th>"
         << Escape(c.T("serve.runs.system")) << "</th><th>" << Escape(c.T("serve.cert.valid"))
         << "</th><th>" << Escape(c.T("serve.cert.status")) << "</th></tr></thead><tbody>\n";
    for (const RegisterEntry& e : reg->certificates) {
      body << "<tr data-certificate=\"" << e.id << "\" data-status=\"" << e.status
           << "\"><td><a href=\"/register/" << e.id << "\">" << Escape(e.number) << "</a></td><td>"
           << Escape(e.vendor) << "</td><td>" << Escape(e.system) << "<br>"
           << Escape(e.product + " " + e.product_version) << "</td><td>" << CertificateDay(e.issued)
           << " – " << CertificateDay(e.valid_until) << "</td><td>"
           << Escape(c.T("serve.cert.status." + e.status)) << "</td></tr>\n";
    }
    body << "</tbody></table>\n";
  }
  body << "<p class=\"muted\"><a href=\"/register.json\">register.json</a> · <a "
          "href=\"/register.json.p7s\">register.json.p7s</a> — "
       << Escape(c.T("serve.cert.register_offline")) << "</p>\n";
  HttpResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.body = PublicPage(c, c.T("serve.cert.register"), body.str());
  return r;
}

HttpResponse WebApp::CertificatePage(Context& c, const std::string& id) {
  auto n = ParseId(id);
  auto rec = n ? store_.GetCertificate(*n) : Result<std::optional<CertificateRecord>>();
  if (!n || !rec || !*rec) return PlainText(404, c.T("serve.cert.no_such", {{"id", id}}));
  auto facts = ReadCertificateJson((*rec)->json);
  if (!facts) return PlainText(500, facts.error().message);
  const std::string status = CertificateStatus((*rec)->valid_until, (*rec)->revoked, c.now);
  std::ostringstream body;
  body << "<p id=\"status\" data-status=\"" << status << "\" class=\""
       << (status == "valid" ? "token" : "error") << "\">"
       << Escape(c.T("serve.cert.is." + status,
                     {{"until", CertificateDay((*rec)->valid_until)},
                      {"at", (*rec)->revoked ? results::IsoUtc((*rec)->revoked) : ""},
                      {"reason", (*rec)->revoked_reason}}))
       << "</p>\n<table id=\"facts\">";
  std::string claims, counts;
  for (const std::string& cl : facts->claims) claims += (claims.empty() ? "" : ", ") + cl;
  for (const auto& [v, k] : facts->counts) {
    if (k > 0) counts += (counts.empty() ? "" : ", ") + v + " " + std::to_string(k);
  }
  const std::vector<std::pair<std::string, std::string>> rows = {
      {c.T("serve.cert.number"), facts->number},
      {c.T("serve.cert.office"), facts->office},
      {c.T("serve.cert.vendor"), facts->vendor},
      {c.T("serve.runs.system"), facts->system},
      {c.T("serve.cert.product"), facts->product + " " + facts->product_version},
      {c.T("serve.cert.claimed"), claims},
      {c.T("serve.cert.suite"), "vxpkit " + facts->suite_version},
      {c.T("serve.runs.verdict"), facts->run_verdict + ": " + counts},
      {c.T("serve.cert.certifier"), facts->certifier},
      {c.T("serve.cert.valid"),
       CertificateDay(facts->issued) + " – " + CertificateDay(facts->valid_until)}};
  for (const auto& [label, value] : rows) {
    body << "<tr><th>" << Escape(label) << "</th><td>" << Escape(value) << "</td></tr>";
  }
  body << "</table>\n";
  if (!facts->waivers.empty()) {
    body << "<h2>" << Escape(c.T("serve.cert.waivers")) << "</h2>\n<ul id=\"waivers\">";
    for (const WaiverFact& w : facts->waivers) {
      body << "<li><code>" << Escape(w.scenario) << "</code> (" << Escape(w.verdict)
           << "): " << Escape(w.reason) << " — " << Escape(w.by) << "</li>";
    }
    body << "</ul>\n";
  }
  body << "<p>";
  for (const char* file : {"certificate.pdf", "certificate.json", "certificate.json.p7s"}) {
    body << "<a href=\"/register/" << (*rec)->id << "/" << file << "\">" << file << "</a> ";
  }
  body << "</p>\n<p class=\"muted\">" << Escape(c.T("serve.cert.verify_offline")) << "</p>\n";
  if (c.session && c.session->user.role == Role::kCertifier && (*rec)->revoked == 0) {
    body << "<h2>" << Escape(c.T("serve.cert.revoke")) << "</h2>\n<form method=\"post\" "
         << "action=\"/register/" << (*rec)->id << "/revoke\" id=\"revoke-form\">"
         << Csrf(c.session->csrf) << "<label>" << Escape(c.T("serve.cert.revoke_reason"))
         << "<input type=\"text\" name=\"reason\" required maxlength=\"" << kMaxReasonBytes
         << "\"></label><button id=\"revoke\">" << Escape(c.T("serve.cert.revoke"))
         << "</button></form>\n";
  }
  HttpResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.body = PublicPage(c, facts->number, body.str());
  return r;
}

HttpResponse WebApp::CertificateFile(Context& c, const std::string& id, const std::string& file) {
  auto n = ParseId(id);
  auto rec = n ? store_.GetCertificate(*n) : Result<std::optional<CertificateRecord>>();
  if (!n || !rec || !*rec) return PlainText(404, c.T("serve.cert.no_such", {{"id", id}}));
  HttpResponse r;
  const std::string name = CertificateNumber(*n);
  if (file == "certificate.pdf") {
    r.content_type = "application/pdf";
    r.body = (*rec)->pdf;
  } else if (file == "certificate.json") {
    r.content_type = "application/json";
    r.body = (*rec)->json;
  } else {
    r.content_type = "application/pkcs7-signature";
    r.body = (*rec)->signature;
  }
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + name + "-" + file + "\"");
  return r;
}

HttpResponse WebApp::RegisterFile(Context& c, bool signature) {
  if (!options_.office) return PlainText(404, c.T("serve.cert.no_office_key"));
  auto reg = Register(c.now);
  if (!reg) return PlainText(500, reg.error().message);
  // The JSON and its signature are fetched one after the other: both come from one signed copy,
  // made again when a certificate is issued or revoked, or after a day (statuses expire).
  RegisterFacts undated = *reg;
  undated.generated = 0;
  for (RegisterEntry& e : undated.certificates) e.status.clear();
  const std::string key = RegisterJson(undated);
  std::lock_guard lock(register_mu_);
  if (key != register_key_ || c.now - register_made_ > 86'400'000) {
    std::string text = RegisterJson(*reg);
    auto signed_copy = signing::SignDetached(text, *options_.office, c.now / 1000);
    if (!signed_copy) return PlainText(500, signed_copy.error().message);
    register_key_ = key;
    register_made_ = c.now;
    register_copy_ = {std::move(text), std::move(*signed_copy)};
  }
  HttpResponse r;
  r.content_type = signature ? "application/pkcs7-signature" : "application/json";
  r.body = signature ? register_copy_.second : register_copy_.first;
  return r;
}

HttpResponse WebApp::RevokeCertificate(Context& c, const std::string& id) {
  if (c.session->user.role != Role::kCertifier) {
    return PlainText(403, c.T("serve.cert.certifiers_only"));
  }
  auto n = ParseId(id);
  const std::string reason = Trimmed(c.Field("reason"));
  if (!n) return PlainText(404, c.T("serve.cert.no_such", {{"id", id}}));
  if (reason.empty() || reason.size() > kMaxReasonBytes) {
    return PlainText(400, c.T("serve.cert.revoke_reason_needed"));
  }
  auto revoked = store_.RevokeCertificate(*n, reason, c.session->user.id, c.now);
  if (!revoked) {
    return PlainText(revoked.error().code == "service.exists" ? 409 : 500, revoked.error().message);
  }
  if (!*revoked) return PlainText(404, c.T("serve.cert.no_such", {{"id", id}}));
  return Redirect("/register/" + id);
}

std::optional<HttpResponse> WebApp::RouteCertification(Context& c) {
  const std::string& method = c.request.method;
  const bool post = method == "POST";
  std::smatch m;
  if (c.path == "/register" && method == "GET") return RegisterPage(c);
  if (c.path == "/register.json" && method == "GET") return RegisterFile(c, false);
  if (c.path == "/register.json.p7s" && method == "GET") return RegisterFile(c, true);
  static const std::regex cert_re(
      "^/register/([0-9]{1,15})(/certificate\\.pdf|/certificate\\.json|/certificate\\.json\\.p7s|"
      "/revoke)?$");
  if (std::regex_match(c.path, m, cert_re)) {
    if (!m[2].matched && method == "GET") return CertificatePage(c, m[1]);
    if (m[2] == "/revoke" && post) {
      if (!c.session) return Redirect("/login");
      return RevokeCertificate(c, m[1]);
    }
    if (m[2].matched && m[2] != "/revoke" && method == "GET") {
      return CertificateFile(c, m[1], m[2].str().substr(1));
    }
    return std::nullopt;
  }
  if (c.path == "/audit" && method == "GET") {
    if (!c.session) return Redirect("/login");
    return AuditPage(c);
  }
  static const std::regex review_re("^/runs/([0-9]{1,15})/(review|waivers|decision)$");
  if (runs_ != nullptr && std::regex_match(c.path, m, review_re)) {
    if (!c.session) return Redirect("/login");
    auto run = ReviewableRun(c, m[1]);
    if (auto* refusal = std::get_if<HttpResponse>(&run)) return *refusal;
    const RunRow& row = std::get<RunRow>(run);
    if (m[2] == "review" && method == "GET") return ReviewPage(c, row, 200, "");
    if (m[2] == "waivers" && post) return AddWaiver(c, row);
    if (m[2] == "decision" && post) return DecideRun(c, row);
  }
  return std::nullopt;
}

}  // namespace vxp::service
