// The conformance service's web application, as a pure function of a request (no sockets: the
// HTTP adapter, simulator/http/server.h, serves it; tests call it directly). This part is
// accounts and access; runs, systems and certification come on top of it.
//
// Pages (server-rendered HTML, in English or Vietnamese: ?lang=vi, kept in a cookie; one script of
// the service's own, /static/run.js, makes a run's page live):
//   GET  /                  who you are; or to /login
//   GET  /login, POST /login
//   POST /logout
//   GET  /tokens, POST /tokens (create: the token is shown once), POST /tokens/ID/revoke
//   GET  /admin, POST /admin/organisations, POST /admin/users (administrators only; a new user's
//        first password is made and shown once), POST /admin/users/ID/disable and …/enable
//   GET  /systems, POST /systems (register: the hub credentials are shown once),
//        POST /systems/ID/rotate (a new hub secret, shown once), POST /systems/ID/runs (start),
//        GET /systems/ID/edit, POST /systems/ID (what it is and claims; its credentials stay)
//   GET  /runs, GET /runs/ID (live while under way: verdicts, hub traffic, prompts; then the
//        verdict and reports), GET /runs/ID/events (its feed, Server-Sent Events),
//        POST /runs/ID/prompts/N (an operator's answer: done or cannot),
//        GET /runs/ID/files/PATH (index.html, junit.xml, report.json, evidence), POST
//        /runs/ID/cancel
// Hubs: /hub/<hub id>/XrdAdapter/adapter/<operation>, each registered system's own hub
// API (JSON; a CI job needs curl and a token, docs/openapi.json):
//   GET  /api/v1/me         the token's owner            Authorization: Bearer vxpt_…
//   GET  /api/v1/systems    the systems the token's owner may see (no secrets)
//   GET  /api/v1/plans      the plans (self-test, certification) and the scenarios to select
//   POST /api/v1/systems/ID/runs   start a run ({"plan", "profile", "only"}): 202 and the run
//   GET  /api/v1/runs/ID/events   the run as it happens (Server-Sent Events, service/feed.h)
//   GET  /api/v1/runs/ID, /api/v1/runs/ID/junit.xml, /api/v1/runs/ID/report.json,
//        /api/v1/runs/ID/zip, /api/v1/runs/compare?a=ID&b=ID
//   POST /api/v1/runs/ID/cancel    202 (it ends INCOMPLETE with what it finished), 409 if over
//   GET  /api/openapi.json  the API's OpenAPI 3 document
//
// Security, on every response: the session cookie is HttpOnly, SameSite=Strict, Path=/, Secure
// under TLS; every state-changing request carries the session's CSRF token (a form field), and a
// login form a token of its own (double-submit cookie), or it is refused 403; a request whose
// Origin is another site is refused 403; pages run only the service's own scripts (never inline)
// and forbid framing and foreign form targets (Content-Security-Policy), are not cached and send
// no referrer to other sites. An API request without a valid token gets 401 with
// WWW-Authenticate: Bearer. Failed logins: one answer for a wrong e-mail and a wrong password,
// 429 when throttled (service/accounts.h).
#ifndef VXP_SERVICE_WEB_H_
#define VXP_SERVICE_WEB_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "core/signing/test_pki.h"
#include "core/wire/http.h"
#include "i18n/catalog.h"
#include "service/accounts.h"
#include "service/certificate.h"
#include "service/runs.h"
#include "service/store.h"
#include "service/systems.h"

namespace vxp::service {

struct WebOptions {
  bool tls = false;           // cookies get Secure
  std::string suite_version;  // shown in the footer and the OpenAPI document
  // Certification (docs/certification.md): the office's signing key and certificate (without
  // them a run can be reviewed and refused, not certified), the office's name on certificates
  // ("": the certificate's title or O, else its CN), how long a certificate is valid, and the
  // service's public address for verification URLs ("": the request's scheme and Host).
  std::optional<signing::Credential> office;
  std::string office_name;
  int certificate_days = 365;
  std::string public_url;
};

class WebApp {
 public:
  // `hubs` (may be null: no /hub/ addresses) serves each registered system's hub.
  WebApp(ServiceStore& store, Accounts& accounts, WebOptions options, Hubs* hubs = nullptr,
         Runs* runs = nullptr);

  // Thread-safe (the adapter calls it from several threads).
  wire::HttpResponse Handle(const wire::HttpRequest& request);
  // What can be refused from the request line and headers alone (the adapter's admitter): a
  // system's hub judges its own requests (authentication, before the body is read); anything
  // else with a body over kMaxFormBytes is 413.
  std::optional<wire::HttpResponse> Admit(const wire::HttpRequest& head);

  static constexpr std::uint64_t kMaxFormBytes = 1 << 20;
  static constexpr std::uintmax_t kMaxZipBytes = std::uintmax_t{512} << 20;
  // Live views (event streams) open at once, all users together; more get 503.
  static constexpr int kMaxStreams = 256;

 private:
  struct Context;
  wire::HttpResponse Home(Context& c);
  wire::HttpResponse LoginPage(Context& c, int status, const std::string& error);
  wire::HttpResponse Login(Context& c);
  wire::HttpResponse Logout(Context& c);
  wire::HttpResponse Tokens(Context& c, const std::string& new_token);
  wire::HttpResponse CreateToken(Context& c);
  wire::HttpResponse RevokeToken(Context& c, const std::string& id);
  wire::HttpResponse Me(Context& c);
  wire::HttpResponse SignedInPage(Context& c, const std::string& title, const std::string& body,
                                  const std::string& head = "");
  wire::HttpResponse SystemsPage(Context& c, int status, const std::string& notice,
                                 const std::optional<SystemRecord>& shown);
  wire::HttpResponse CreateSystem(Context& c);
  // A system's form, filled from the request's form fields (c.form).
  std::string SystemForm(Context& c, const std::string& action, const std::string& id,
                         const std::string& button_id, const std::string& submit);
  // GET /systems/ID/edit (the form as the system is), POST /systems/ID (`save`: checked, saved,
  // its hub told; or the form again naming the wrong field). Another organisation's: 404.
  wire::HttpResponse EditSystemPage(Context& c, const std::string& id, bool save);
  wire::HttpResponse RotateSystem(Context& c, const std::string& id);
  wire::HttpResponse SystemsApi(Context& c);
  // The plans a run may follow and the scenarios a self-test may select.
  wire::HttpResponse PlansApi(Context& c);
  wire::HttpResponse StartRun(Context& c, const std::string& system_id, const RunRequest& request,
                              const User& user, bool api);
  wire::HttpResponse RunsPage(Context& c);
  wire::HttpResponse RunPage(Context& c, const RunRow& run);
  wire::HttpResponse RunFile(Context& c, const RunRow& run, const std::string& name);
  wire::HttpResponse RunJson(Context& c, const RunRow& run);
  // The run's live feed as Server-Sent Events (service/feed.h), from Last-Event-ID or ?after=.
  wire::HttpResponse RunEvents(Context& c, const RunRow& run);
  // An operator's answer (form field "answer": done or cannot) to prompt `number`.
  wire::HttpResponse AnswerPrompt(Context& c, const RunRow& run, int number);
  // Every file of a finished run as one ZIP (result, reports, evidence) under run-<id>/.
  wire::HttpResponse RunZip(const RunRow& run, bool api);
  // Two finished runs of one system (?a=ID&b=ID), scenario by scenario: newly failing first.
  wire::HttpResponse Compare(Context& c, const User& user, bool api);
  wire::HttpResponse AdminPage(Context& c, int status, const std::string& error,
                               const std::string& notice);
  wire::HttpResponse AdminAddOrganisation(Context& c);
  wire::HttpResponse AdminAddUser(Context& c);
  // Disables (its sessions end, its API tokens stop working, it cannot sign in) or enables a
  // user; never the administrator doing it.
  wire::HttpResponse AdminSetDisabled(Context& c, const std::string& id, bool disabled);
  // The run of a /runs/<id>… or /api/v1/runs/<id>… path if `user` may see it; else the answer.
  std::variant<RunRow, wire::HttpResponse> VisibleRun(const User& user, const std::string& id,
                                                      bool api);
  // The user of the request's bearer token, or a 401 answer.
  std::variant<User, wire::HttpResponse> ApiUser(Context& c);
  // The hub address a system's SDK is pointed at.
  std::string HubUrl(Context& c, const SystemRecord& system) const;

  // Certification (service/certification_web.cc): the answer to a certification page or file,
  // nullopt when the path is none of them.
  std::optional<wire::HttpResponse> RouteCertification(Context& c);
  // A certification run a certifier may review, or the refusal (403 to anyone else, 404, 409
  // for a self-test or a run under way).
  std::variant<RunRow, wire::HttpResponse> ReviewableRun(Context& c, const std::string& id);
  // Failures first with their evidence, waivers, the decision form, the run's audit log.
  wire::HttpResponse ReviewPage(Context& c, const RunRow& run, int status,
                                const std::string& error);
  wire::HttpResponse AddWaiver(Context& c, const RunRow& run);
  // certified (every verdict that cannot stand is waived; the certificate is issued with the
  // decision) or not certified (with comments).
  wire::HttpResponse DecideRun(Context& c, const RunRow& run);
  std::string AuditTable(Context& c, std::int64_t run_id);  // of a run, or every line for 0
  wire::HttpResponse AuditPage(Context& c);
  // The public register (no sign-in): every certificate with its status; one page and the
  // files of each; register.json and its signature for offline checks.
  Result<RegisterFacts> Register(Millis now);
  wire::HttpResponse RegisterPage(Context& c);
  wire::HttpResponse CertificatePage(Context& c, const std::string& id);
  wire::HttpResponse CertificateFile(Context& c, const std::string& id, const std::string& file);
  wire::HttpResponse RegisterFile(Context& c, bool signature);
  wire::HttpResponse RevokeCertificate(Context& c, const std::string& id);
  // A finished certification run's decision, certificate and waivers, for its page and its JSON.
  std::string CertificationSection(Context& c, const RunRow& run);
  boost::json::object CertificationJson(const RunRow& run);
  std::string PublicPage(Context& c, const std::string& title, const std::string& body);
  std::string BaseUrl(Context& c) const;

  // The hub of a /hub/<hub id>/… target and the rest of it; nullptr when there is none.
  Result<std::shared_ptr<hub::Hub>> HubOf(const std::string& path);
  // On a shared store, when a run of the system with `hub_id` is under way on another instance:
  // `request` forwarded to that instance's listener and its answer (`head_only`: a refusal when
  // its headers do not carry the system's own HMAC, else nullopt: the body is read, and the
  // request forwarded whole). nullopt when no run of it is under way elsewhere.
  std::optional<std::optional<wire::HttpResponse>> Forward(const std::string& hub_id,
                                                           const wire::HttpRequest& request,
                                                           bool head_only);

  ServiceStore& store_;
  Accounts& accounts_;
  WebOptions options_;
  Hubs* hubs_;
  Runs* runs_;
  std::shared_ptr<std::atomic<int>> streams_ = std::make_shared<std::atomic<int>>(0);
  std::mutex register_mu_;  // the signed register's copy (RegisterFile)
  std::string register_key_;
  Millis register_made_ = 0;
  std::pair<std::string, std::string> register_copy_;  // JSON, signature
};

// The OpenAPI 3 document of the API (served at /api/openapi.json; docs/openapi.json is a copy a
// test keeps equal).
std::string OpenApiJson(const std::string& suite_version);

}  // namespace vxp::service

#endif  // VXP_SERVICE_WEB_H_
