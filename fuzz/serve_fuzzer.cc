// Fuzz target for the conformance service's web application (service::WebApp), which reads
// requests from anyone who can reach `vxpkit serve`: query strings, cookies, form bodies, bearer
// tokens, paths (including /hub/… routing). Over an in-memory store with one user and one system.
// Any crash, hang or sanitizer report is a bug; so is a status outside 200-599, or a page that is
// not valid UTF-8 when what it was asked was.
//
// Input: a request in a small text form.
//   line 1:  METHOD TARGET
//   lines:   "Name: value"   a header as it is (Cookie, Origin, Authorization, Content-Type, …)
//   a blank line, then the body.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/common/utf8.h"
#include "service/accounts.h"
#include "service/store.h"
#include "service/systems.h"
#include "service/web.h"

namespace {

constexpr vxp::Millis kNow = 1795168800000;  // 2026-11-20T10:00:00Z

vxp::service::WebApp& TheApp() {
  static vxp::service::WebApp* app = [] {
    auto store = vxp::service::OpenSqliteServiceStore(":memory:");
    if (!store) std::abort();
    auto* s = store->release();
    auto* accounts = new vxp::service::Accounts(*s, [] { return kNow; });
    auto org = s->CreateOrganisation("Org", kNow);
    if (!org) std::abort();
    (void)accounts->Register(org->id, "a@b.vn", "A", vxp::service::Role::kVendor, "0123456789");
    (void)vxp::service::RegisterSystem(*s, org->id,
                                       {"S", "p", "1", "000.00.00.H53", {"receive"}, ""}, kNow);
    auto* hubs = new vxp::service::Hubs(*s, "", [] { return kNow; });  // in memory
    return new vxp::service::WebApp(*s, *accounts, {false, "fuzz"}, hubs);
  }();
  return *app;
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
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  vxp::wire::HttpRequest request = Read(in);
  (void)TheApp().Admit(request);
  vxp::wire::HttpResponse response = TheApp().Handle(request);
  if (response.status < 200 || response.status > 599) std::abort();
  if (vxp::FindInvalidUtf8(in) == std::string_view::npos &&
      vxp::FindInvalidUtf8(response.body) != std::string_view::npos &&
      response.content_type.starts_with("text/html")) {
    std::abort();
  }
  return 0;
}
