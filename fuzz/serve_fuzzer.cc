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
// what only a signed-in user or a CI job reaches.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/common/utf8.h"
#include "service/accounts.h"
#include "service/runs.h"
#include "service/store.h"
#include "service/systems.h"
#include "service/web.h"

namespace {

constexpr vxp::Millis kNow = 1795168800000;  // 2026-11-20T10:00:00Z

struct Secrets {
  std::string session, csrf, token;
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
    auto run = s->CreateRun(row);
    if (!run || !s->FinishRun(run->id, "PASS", 0, "fine", kNow)) std::abort();
    auto* hubs = new vxp::service::Hubs(*s, "", [] { return kNow; });  // in memory
    auto* runs = new vxp::service::Runs(*s, "/nonexistent/vxp-serve-fuzz", "fuzz");
    return new vxp::service::WebApp(*s, *accounts, {false, "fuzz"}, hubs, runs);
  }();
  return *app;
}

void Fill(std::string& text) {
  const Secrets& secrets = TheSecrets();
  for (const auto& [mark, value] :
       {std::pair<std::string_view, const std::string*>{"@SESSION@", &secrets.session},
        {"@CSRF@", &secrets.csrf},
        {"@TOKEN@", &secrets.token}}) {
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
