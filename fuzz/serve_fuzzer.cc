// Fuzz target for the conformance service's web application (service::WebApp), which reads
// requests from anyone who can reach `vxpkit serve`: query strings, cookies, form bodies, bearer
// tokens, paths (including /hub/… routing), run pages and their live feeds, prompt answers. Over
// an in-memory store with one user, one system and one finished run. Any crash, hang or sanitizer
// report is a bug; so is a status outside 200-599, a page that is not valid UTF-8 when what it was
// asked was, or an event stream that does not end once its run has.
//
// Input: a request in a small text form.
//   line 1:  METHOD TARGET
//   lines:   "Name: value"   a header as it is (Cookie, Origin, Authorization, Content-Type, …)
//   a blank line, then the body.
// "@SESSION@", "@CSRF@" and "@TOKEN@" anywhere in the head or body stand for the user's session
// cookie value, its CSRF token and an API token of the user (made at start), so that inputs reach
// what only a signed-in user or a CI job reaches; "@CSESSION@" and "@CCSRF@" for a certifier's.
// Certification: run 2 is a finished certification run with its result.json (undecided: it can
// be waived and decided), run 3 one that was certified (certificate 1 is in the register); the
// office's key is the test PKI's agency-g22.
#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "core/common/utf8.h"
#include "core/signing/test_pki.h"
#include "results/json.h"
#include "service/accounts.h"
#include "service/certificate.h"
#include "service/runs.h"
#include "service/store.h"
#include "service/systems.h"
#include "service/web.h"

namespace {

constexpr vxp::Millis kNow = 1795168800000;  // 2026-11-20T10:00:00Z

struct Secrets {
  std::string session, csrf, token, certifier_session, certifier_csrf;
};
Secrets& TheSecrets() {
  static Secrets secrets;
  return secrets;
}

vxp::service::WebApp& TheApp() {
  static vxp::service::WebApp* app = [] {
    auto store = vxp::service::OpenSqliteServiceStore(":memory:");
    if (!store) std::abort();
    auto* s = store->release();
    auto* accounts = new vxp::service::Accounts(*s, [] { return kNow; });
    auto org = s->CreateOrganisation("Org", kNow);
    if (!org) std::abort();
    (void)accounts->Register(org->id, "a@b.vn", "A", vxp::service::Role::kVendor, "0123456789");
    auto system = vxp::service::RegisterSystem(
        *s, org->id, {"S", "p", "1", "000.00.00.H53", {"receive"}, ""}, kNow);
    if (!system) std::abort();
    auto logged_in = accounts->LogIn("a@b.vn", "0123456789");
    if (!logged_in) std::abort();
    auto token = accounts->IssueApiToken(logged_in->user, "fuzz");
    if (!token) std::abort();
    TheSecrets() = {logged_in->session_token, logged_in->csrf, *token};
    vxp::service::RunRow row;  // a finished run (no files: its file routes answer 404)
    row.system_id = system->id;
    row.organisation_id = org->id;
    row.started_by = logged_in->user.id;
    row.plan = "self-test";
    row.profile = "demo";
    row.started = kNow;
    auto run = s->CreateRun(row, std::nullopt);
    if (!run || !s->FinishRun(run->id, "PASS", 0, "fine", kNow)) std::abort();
    // Certification: a certifier, two finished certification runs with a result each (removed
    // when the process ends), one of them certified.
    (void)accounts->Register(org->id, "c@b.vn", "C", vxp::service::Role::kCertifier, "0123456789");
    auto certifier = accounts->LogIn("c@b.vn", "0123456789");
    if (!certifier) std::abort();
    TheSecrets().certifier_session = certifier->session_token;
    TheSecrets().certifier_csrf = certifier->csrf;
    static char dir[] = "/tmp/vxp-serve-fuzz-XXXXXX";  // no destructor to run before atexit's
    if (::mkdtemp(dir) == nullptr) std::abort();
    std::atexit([] { std::filesystem::remove_all(dir); });
    // Takes no runs: a run the input starts stays queued (the harness is not what is fuzzed).
    auto* runs = new vxp::service::Runs(*s, dir, "fuzz", vxp::service::RunsOptions{.slots = 0});
    vxp::results::RunRecord result;
    result.suite_version = "fuzz";
    result.claims = std::vector<std::string>{"receive"};
    for (auto [id, verdict] : {std::pair{"TRANSPORT-AUTH", vxp::Verdict::kPass},
                               std::pair{"HUB-SLOW", vxp::Verdict::kFail},
                               std::pair{"FLOW-RECALL", vxp::Verdict::kSkip}}) {
      vxp::results::ScenarioRecord scenario;
      scenario.id = id;
      scenario.verdict = verdict;
      result.scenarios.push_back(scenario);
    }
    row.plan = "certification";
    const auto office = vxp::signing::test_pki::BuiltInCredential("agency-g22");
    if (!office) std::abort();
    for (int i = 0; i < 2; ++i) {
      auto cert_run = s->CreateRun(row, std::nullopt);
      if (!cert_run || !s->FinishRun(cert_run->id, "FAIL", 1, "", kNow)) std::abort();
      std::filesystem::create_directories(runs->DirOf(cert_run->id));
      std::ofstream(runs->DirOf(cert_run->id) + "/result.json") << vxp::results::ToJson(result);
      if (i == 0) continue;
      auto decided =
          s->Decide({cert_run->id, "certified", "", certifier->user.id, "", kNow},
                    [&](std::int64_t id) -> vxp::Result<vxp::service::CertificateRecord> {
                      vxp::service::CertificateFacts facts;
                      facts.id = id;
                      facts.number = vxp::service::CertificateNumber(id);
                      facts.issued = kNow;
                      facts.valid_until = kNow + 86'400'000;
                      facts.verify_url = "http://s/register/" + std::to_string(id);
                      auto made = vxp::service::IssueCertificate(facts, *office);
                      if (!made) std::abort();
                      return vxp::service::CertificateRecord{.system_id = system->id,
                                                             .organisation_id = org->id,
                                                             .issued = kNow,
                                                             .valid_until = kNow + 86'400'000,
                                                             .json = made->json,
                                                             .signature = made->signature,
                                                             .pdf = made->pdf};
                    });
      if (!decided) std::abort();
    }
    auto* hubs = new vxp::service::Hubs(*s, "", [] { return kNow; });  // in memory
    vxp::service::WebOptions options{false, "fuzz"};
    options.office = *office;
    return new vxp::service::WebApp(*s, *accounts, options, hubs, runs);
  }();
  return *app;
}

void Fill(std::string& text) {
  const Secrets& secrets = TheSecrets();
  for (const auto& [mark, value] :
       {std::pair<std::string_view, const std::string*>{"@SESSION@", &secrets.session},
        {"@CSRF@", &secrets.csrf},
        {"@TOKEN@", &secrets.token},
        {"@CSESSION@", &secrets.certifier_session},
        {"@CCSRF@", &secrets.certifier_csrf}}) {
    for (size_t at = text.find(mark); at != std::string::npos;
         at = text.find(mark, at + value->size())) {
      text.replace(at, mark.size(), *value);
    }
  }
}

vxp::wire::HttpRequest Read(std::string_view in) {
  vxp::wire::HttpRequest r;
  size_t blank = in.find("\n\n");
  std::string_view head = in.substr(0, blank);
  r.body = blank == std::string_view::npos ? "" : std::string(in.substr(blank + 2));
  bool first = true;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (first) {
      first = false;
      size_t sp = line.find(' ');
      r.method = std::string(line.substr(0, sp));
      r.target = sp == std::string_view::npos ? "/" : std::string(line.substr(sp + 1));
      continue;
    }
    size_t colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }
  Fill(r.target);
  Fill(r.body);
  for (auto& [name, value] : r.headers) Fill(value);
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  vxp::service::WebApp& app = TheApp();  // first: it makes the secrets Read fills in
  vxp::wire::HttpRequest request = Read(in);
  (void)app.Admit(request);
  vxp::wire::HttpResponse response = app.Handle(request);
  if (response.status < 200 || response.status > 599) std::abort();
  if (response.stream) {  // only the finished run's feed: it ends at once (with its end event,
                          // unless the client says it has seen it)
    vxp::wire::BodyStream::Piece piece = response.stream->Poll();
    if (!piece.end) std::abort();
    if (!piece.bytes.empty() && piece.bytes.find("event: end") == std::string::npos) std::abort();
  }
  if (vxp::FindInvalidUtf8(in) == std::string_view::npos &&
      vxp::FindInvalidUtf8(response.body) != std::string_view::npos &&
      response.content_type.starts_with("text/html")) {
    std::abort();
  }
  return 0;
}
