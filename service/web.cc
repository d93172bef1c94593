#include "service/web.h"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "clients/http_client.h"
#include "conformance/common.h"
#include "core/common/text.h"
#include "core/common/utf8.h"
#include "core/edxml/zip.h"
#include "core/wire/errors.h"
#include "core/wire/wire.h"
#include "reports/html.h"
#include "service/credentials.h"
#include "service/feed.h"
#include "service/web_internal.h"

namespace vxp::embedded {
extern const std::string_view run_js;
}  // namespace vxp::embedded

namespace vxp::service {
namespace {

namespace json = boost::json;
using reports::Escape;
using web_internal::Header;
using web_internal::JsonError;
using web_internal::Page;
using web_internal::ParseId;
using web_internal::Redirect;
using wire::HttpRequest;
using wire::HttpResponse;

constexpr const char* kSessionCookie = "vxp_session";
constexpr const char* kLoginCookie = "vxp_login";
constexpr const char* kLangCookie = "vxp_lang";

constexpr const char* kStyle =
    "body{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:24px auto;padding:0 16px;"
    "color:#1f2328}h1{font-size:22px}label{display:block;margin:10px 0 4px}input[type=text],"
    "input[type=email],input[type=password]{width:100%;max-width:360px;padding:6px;font:inherit}"
    "button{padding:6px 14px;font:inherit;margin-top:10px}.error{background:#ffebe9;border:1px "
    "solid #cf222e;padding:8px 12px;border-radius:6px}.token{background:#dafbe1;border:1px solid "
    "#1a7f37;padding:8px 12px;border-radius:6px;word-break:break-all}table{border-collapse:"
    "collapse}td,th{border-bottom:1px solid #d0d7de;padding:4px 10px;text-align:left}"
    "nav{display:flex;gap:16px;align-items:center;border-bottom:1px solid #d0d7de;"
    "padding-bottom:8px}nav form{margin:0}nav button{margin:0}.muted{color:#57606a}"
    ".prompt{border:2px solid #bf8700;background:#fff8c5;border-radius:6px;padding:4px 12px;"
    "margin:8px 0}.prompt form{display:inline;margin-right:8px}.deadline{font-weight:600}"
    "#traffic{font:12px/1.4 ui-monospace,monospace;max-height:260px;overflow:auto;padding-left:"
    "24px}#traffic .error{padding:0;border:0;background:none;color:#cf222e}"
    ".v-PASS{color:#1a7f37}.v-FAIL,.v-ERROR{color:#cf222e}.v-WARN,.v-INCONCLUSIVE{color:#9a6700}";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded (and query strings): '+' is a space, %XX a byte.
std::string UrlDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexDigit(s[i + 1]) >= 0 &&
               HexDigit(s[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParsePairs(std::string_view s, char sep, bool decode) {
  std::map<std::string, std::string> out;
  while (!s.empty()) {
    size_t end = s.find(sep);
    std::string_view pair = s.substr(0, end);
    s = end == std::string_view::npos ? std::string_view() : s.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string key(pair.substr(0, eq));
    std::string value(pair.substr(eq + 1));
    if (decode) {
      // Percent-encoding can smuggle bytes that are not UTF-8: they would reach the store and
      // the pages (declared UTF-8) as they are, so they are written out as \xNN instead.
      key = EscapeInvalidUtf8(UrlDecode(key));
      value = EscapeInvalidUtf8(UrlDecode(value));
    }
    out.emplace(std::move(key), std::move(value));  // the first of a repeated name counts
  }
  return out;
}

}  // namespace

namespace {

std::string Cookie(const std::string& name, const std::string& value, bool tls, bool http_only,
                   std::int64_t max_age = -1) {
  std::string c = name + "=" + value + "; Path=/; SameSite=Strict";
  if (http_only) c += "; HttpOnly";
  if (tls) c += "; Secure";
  if (max_age >= 0) c += "; Max-Age=" + std::to_string(max_age);
  return c;
}

HttpResponse WithSecurity(HttpResponse r) {
  if (!wire::Find(r.headers, "Content-Security-Policy")) {  // a report keeps its own
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; "
                           "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                           "base-uri 'none'");
  }
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "same-origin");  // none to other sites; Origin kept
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

namespace web_internal {

HttpResponse Redirect(const std::string& to) {
  HttpResponse r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Location", to);
  r.body = "See " + to + "\n";
  return r;
}

HttpResponse JsonError(int status, const std::string& code, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = json::serialize(json::object{{"error", {{"code", code}, {"message", message}}}}) + "\n";
  return r;
}

std::string Page(const std::string& lang_code, const std::string& title, const std::string& nav,
                 const std::string& body, const std::string& footer, const std::string& head) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"" << lang_code << "\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
      << Escape(title) << " — vxpkit</title>\n<style>" << kStyle << "</style>\n"
      << head << "</head>\n<body>\n"
      << nav << "<main>\n<h1>" << Escape(title) << "</h1>\n"
      << body << "</main>\n<footer class=\"muted\"><p>" << footer
      << "</p></footer>\n</body>\n</html>\n";
  return out.str();
}

std::string Header(const HttpRequest& r, std::string_view name) {
  return std::string(wire::Find(r.headers, name).value_or(""));
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  std::int64_t id = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    id = id * 10 + (ch - '0');
  }
  return id;
}

}  // namespace web_internal

WebApp::WebApp(ServiceStore& store, Accounts& accounts, WebOptions options, Hubs* hubs, Runs* runs)
    : store_(store), accounts_(accounts), options_(std::move(options)), hubs_(hubs), runs_(runs) {}

Result<std::shared_ptr<hub::Hub>> WebApp::HubOf(const std::string& path) {
  if (hubs_ == nullptr || path.rfind("/hub/", 0) != 0) return std::shared_ptr<hub::Hub>();
  size_t end = path.find('/', 5);
  return hubs_->Of(path.substr(5, end == std::string::npos ? std::string::npos : end - 5));
}

// Marks a request one instance forwarded to another (never forwarded again).
constexpr const char* kForwardedBy = "X-Vxpkit-Forwarded-By";

std::optional<std::optional<wire::HttpResponse>> WebApp::Forward(const std::string& hub_id,
                                                                 const wire::HttpRequest& request,
                                                                 bool head_only) {
  if (runs_ == nullptr || !store_.Shared() || wire::Find(request.headers, kForwardedBy)) {
    return std::nullopt;
  }
  auto run = store_.RunningRunOf(hub_id);
  if (!run || !*run || (*run)->worker == runs_->worker() || (*run)->worker_url.empty()) {
    return std::nullopt;
  }
  HttpResponse r;
  if (head_only) {
    // Before the body is read: the headers must carry the system's own HMAC (the run's hub
    // judges the rest: freshness, parameters, replays), so that no one but the system sends
    // a package to be read whole and forwarded.
    auto system = store_.FindSystemByHubId(hub_id);
    if (system && *system) {
      wire::AuthPolicy policy;
      policy.secret_of = [&](std::string_view id) -> std::optional<std::string> {
        if (id != (*system)->hub_id) return std::nullopt;
        return (*system)->hub_secret;
      };
      policy.max_skew = 0;
      if (auto auth = wire::Authenticate(request.headers, policy); !auth) {
        r.body = wire::FailResponse(auth.error().error, auth.error().detail);
        return std::optional<std::optional<wire::HttpResponse>>(std::in_place, std::move(r));
      }
    }
    return std::optional<std::optional<wire::HttpResponse>>(std::in_place);
  }
  // The harness's slowest hub answers within a minute (HUB-SLOW); a package is up to 100 MiB.
  http::ClientOptions o;
  o.timeout = std::chrono::seconds(180);
  auto client = http::Client::Create((*run)->worker_url, o);
  wire::Headers headers;
  for (const auto& [name, value] : request.headers) {
    std::string lower = AsciiLower(name);
    if (lower != "host" && lower != "connection" && lower != "content-length" &&
        lower != "transfer-encoding" && lower != "keep-alive") {
      headers.emplace_back(name, value);
    }
  }
  headers.emplace_back(kForwardedBy, runs_->worker());
  auto answer = client ? (*client)->Send(request.method, request.target, headers, request.body)
                       : Result<http::ClientResponse>(tl::unexpected(client.error()));
  if (!answer) {
    r.status = 502;
    r.body =
        wire::FailResponse(wire::errors::kUnknownSystem,
                           "the conformance service instance running this system's run (" +
                               (*run)->worker + ") cannot be reached: " + answer.error().message);
    return std::optional<std::optional<wire::HttpResponse>>(std::in_place, std::move(r));
  }
  r.status = answer->status;
  r.content_type = answer->content_type;
  r.body = std::move(answer->body);
  return std::optional<std::optional<wire::HttpResponse>>(std::in_place, std::move(r));
}

std::optional<wire::HttpResponse> WebApp::Admit(const wire::HttpRequest& head) {
  std::string path = head.target.substr(0, head.target.find('?'));
  if (path.rfind("/hub/", 0) == 0) {
    if (runs_ != nullptr) {
      size_t end = path.find('/', 5);
      std::string hub_id = path.substr(5, end == std::string::npos ? end : end - 5);
      auto routed = runs_->Route(hub_id, head, /*head_only=*/true);
      if (routed) return *routed;
      if (auto forwarded = Forward(hub_id, head, /*head_only=*/true)) return *forwarded;
    }
    auto hub = HubOf(path);
    if (hub && *hub != nullptr) return (*hub)->Admit(head);
    return std::nullopt;  // Handle answers: no such hub, or the store's error
  }
  std::string length = std::string(wire::Find(head.headers, "Content-Length").value_or("0"));
  std::uint64_t n = 0;
  for (char ch : length) n = ch >= '0' && ch <= '9' && n < (1ull << 40) ? n * 10 + (ch - '0') : n;
  if (n > kMaxFormBytes || wire::Find(head.headers, "Transfer-Encoding").has_value()) {
    HttpResponse r;
    r.status = 413;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "a form or API request is at most " + std::to_string(kMaxFormBytes) + " bytes\n";
    return WithSecurity(r);
  }
  return std::nullopt;
}

namespace {}  // namespace

wire::HttpResponse WebApp::Handle(const wire::HttpRequest& request) {
  Context c{request, {}, {}, {}, {}, i18n::kDefaultLang, std::nullopt, {}, SystemMillis()};
  std::string_view target = request.target;
  size_t q = target.find('?');
  c.path = std::string(target.substr(0, q));
  if (c.path.rfind("/hub/", 0) == 0) {
    // A system's own hub: the protocol's answers, untouched (the SDK reads them). While a run
    // of the system is under way, the run's hub.
    if (runs_ != nullptr) {
      size_t end = c.path.find('/', 5);
      std::string hub_id = c.path.substr(5, end == std::string::npos ? end : end - 5);
      auto routed = runs_->Route(hub_id, request, /*head_only=*/false);
      if (routed && *routed) return **routed;
      // Under way on another instance: there (the run's hub lives in its worker's process).
      if (auto forwarded = Forward(hub_id, request, /*head_only=*/false); forwarded && *forwarded) {
        return **forwarded;
      }
    }
    auto hub = HubOf(c.path);
    if (hub && *hub != nullptr) return (*hub)->Handle(request);
    HttpResponse r;
    r.status = hub ? 404 : 500;
    r.body =
        wire::FailResponse(wire::errors::kUnknownSystem,
                           hub ? "no registered system has this hub address" : hub.error().message);
    return r;
  }
  if (q != std::string_view::npos) c.query = ParsePairs(target.substr(q + 1), '&', true);
  c.cookies = ParsePairs(Header(request, "Cookie"), ';', false);
  // The language: ?lang= (remembered in a cookie), else the cookie, else the default.
  if (auto it = c.query.find("lang"); it != c.query.end()) {
    if (auto lang = i18n::ParseLang(it->second)) {
      c.lang = *lang;
      c.headers.emplace_back("Set-Cookie", Cookie(kLangCookie, std::string(i18n::Code(*lang)),
                                                  options_.tls, true, 365 * 24 * 3600));
    }
  } else if (auto it = c.cookies.find(kLangCookie); it != c.cookies.end()) {
    c.lang = i18n::ParseLang(it->second).value_or(i18n::kDefaultLang);
  }

  auto finish = [&](HttpResponse r) {
    for (auto& h : c.headers) r.headers.push_back(std::move(h));
    return WithSecurity(std::move(r));
  };

  // The API: bearer tokens, JSON, no cookies.
  if (c.path == "/static/run.js" && request.method == "GET") {
    HttpResponse r;
    r.content_type = "text/javascript; charset=utf-8";
    r.body = std::string(embedded::run_js);
    return finish(r);
  }
  if (c.path == "/api/openapi.json" && request.method == "GET") {
    HttpResponse r;
    r.body = OpenApiJson(options_.suite_version);
    return finish(r);
  }
  if (c.path.rfind("/api/", 0) == 0) {
    if (c.path == "/api/v1/me" && request.method == "GET") return finish(Me(c));
    if (c.path == "/api/v1/systems" && request.method == "GET") return finish(SystemsApi(c));
    if (c.path == "/api/v1/plans" && request.method == "GET") return finish(PlansApi(c));
    if (c.path.rfind("/api/v1/", 0) == 0 && runs_ != nullptr) {
      auto who = ApiUser(c);
      if (auto* refusal = std::get_if<HttpResponse>(&who)) return finish(*refusal);
      const User& u = std::get<User>(who);
      std::smatch m;
      static const std::regex start_re("^/api/v1/systems/([0-9]+)/runs$");
      static const std::regex run_re(
          "^/api/v1/runs/([0-9]+)(/junit\\.xml|/report\\.json|/zip|/events)?$");
      if (request.method == "POST" && std::regex_match(c.path, m, start_re)) {
        RunRequest rr;
        boost::system::error_code ec;
        json::value body = json::parse(request.body.empty() ? "{}" : request.body, ec);
        if (ec || !body.is_object()) {
          return finish(JsonError(400, "bad_request", "the body is not a JSON object"));
        }
        const json::object& o = body.get_object();
        if (auto* v = o.if_contains("plan"); v && v->is_string()) rr.plan = v->get_string();
        if (auto* v = o.if_contains("profile"); v && v->is_string()) rr.profile = v->get_string();
        if (auto* v = o.if_contains("prompts"); v && v->is_bool()) rr.prompts = v->get_bool();
        if (auto* v = o.if_contains("only"); v && v->is_array()) {
          for (const json::value& g : v->get_array()) {
            if (g.is_string()) rr.only.emplace_back(g.get_string());
          }
        }
        return finish(StartRun(c, m[1].str(), rr, u, true));
      }
      if (c.path == "/api/v1/runs/compare" && request.method == "GET") {
        return finish(Compare(c, u, true));
      }
      static const std::regex cancel_re("^/api/v1/runs/([0-9]+)/cancel$");
      if (request.method == "POST" && std::regex_match(c.path, m, cancel_re)) {
        auto run = VisibleRun(u, m[1].str(), true);
        if (auto* refusal = std::get_if<HttpResponse>(&run)) return finish(*refusal);
        const RunRow& row = std::get<RunRow>(run);
        if (row.organisation_id != u.organisation_id) {
          return finish(JsonError(403, "forbidden", "only the system's organisation cancels"));
        }
        bool under_way = runs_->Cancel(row.id);
        HttpResponse r = RunJson(c, row);
        r.status = under_way ? 202 : 409;
        return finish(r);
      }
      if (request.method == "GET" && std::regex_match(c.path, m, run_re)) {
        auto run = VisibleRun(u, m[1].str(), true);
        if (auto* refusal = std::get_if<HttpResponse>(&run)) return finish(*refusal);
        const RunRow& row = std::get<RunRow>(run);
        if (m[2].length() == 0) return finish(RunJson(c, row));
        if (m[2].str() == "/zip") return finish(RunZip(row, true));
        if (m[2].str() == "/events") return finish(RunEvents(c, row));
        return finish(RunFile(c, row, m[2].str().substr(1)));
      }
    }
    return finish(JsonError(404, "not_found", "no such API endpoint: " + c.path));
  }

  // A state-changing request from another site is refused, whatever it carries.
  const bool post = request.method == "POST";
  if (post) {
    std::string origin = Header(request, "Origin");
    std::string own = std::string(options_.tls ? "https://" : "http://") + Header(request, "Host");
    if (!origin.empty() && AsciiLower(origin) != AsciiLower(own)) {
      HttpResponse r;
      r.status = 403;
      r.content_type = "text/plain; charset=utf-8";
      r.body = c.T("serve.error.origin") + "\n";
      return finish(r);
    }
    if (AsciiLower(Header(request, "Content-Type")).rfind("application/x-www-form-urlencoded", 0) ==
        0) {
      c.form = ParsePairs(request.body, '&', true);
    }
  }
  if (auto it = c.cookies.find(kSessionCookie); it != c.cookies.end()) {
    auto session = accounts_.SessionOf(it->second);
    if (session && *session) c.session = **session;
  }
  // Every state-changing request of a session carries its CSRF token.
  if (post && c.path != "/login") {
    if (!c.session) return finish(Redirect("/login"));
    std::string given = c.Field("csrf");
    if (given.empty() || given != c.session->csrf) {
      HttpResponse r;
      r.status = 403;
      r.content_type = "text/plain; charset=utf-8";
      r.body = c.T("serve.error.csrf") + "\n";
      return finish(r);
    }
  }
  if (auto answered = RouteCertification(c)) return finish(*answered);
  if (c.path == "/" && request.method == "GET") return finish(Home(c));
  if (c.path == "/login" && request.method == "GET") return finish(LoginPage(c, 200, ""));
  if (c.path == "/login" && post) return finish(Login(c));
  if (c.path == "/logout" && post) return finish(Logout(c));
  if (c.path == "/tokens" && request.method == "GET") {
    return finish(c.session ? Tokens(c, "") : Redirect("/login"));
  }
  if (c.path == "/tokens" && post) return finish(CreateToken(c));
  if (c.path == "/admin" || c.path.rfind("/admin/", 0) == 0) {
    if (!c.session) return finish(Redirect("/login"));
    if (c.session->user.role != Role::kAdmin) {
      HttpResponse r;
      r.status = 403;
      r.content_type = "text/plain; charset=utf-8";
      r.body = c.T("serve.admin.only") + "\n";
      return finish(r);
    }
    if (c.path == "/admin" && request.method == "GET") return finish(AdminPage(c, 200, "", ""));
    if (c.path == "/admin/organisations" && post) return finish(AdminAddOrganisation(c));
    if (c.path == "/admin/users" && post) return finish(AdminAddUser(c));
    static const std::regex able_re("^/admin/users/([0-9]+)/(disable|enable)$");
    std::smatch m;
    if (post && std::regex_match(c.path, m, able_re)) {
      return finish(AdminSetDisabled(c, m[1], m[2] == "disable"));
    }
  }
  if (c.path == "/systems" && request.method == "GET") {
    return finish(c.session ? SystemsPage(c, 200, "", std::nullopt) : Redirect("/login"));
  }
  if (c.path == "/systems" && post) return finish(CreateSystem(c));
  if (runs_ != nullptr) {
    std::smatch m;
    static const std::regex start_re("^/systems/([0-9]+)/runs$");
    static const std::regex run_re(
        "^/runs/([0-9]+)(/cancel|/zip|/events|/prompts/([0-9]{1,6})|/files/(.+))?$");
    if (post && std::regex_match(c.path, m, start_re)) {
      RunRequest rr{c.Field("plan"), c.Field("profile"), {}, !c.Field("prompts").empty()};
      std::string only = c.Field("only");
      for (size_t i = 0; i < only.size();) {
        size_t end = only.find_first_of(", ", i);
        if (end == std::string::npos) end = only.size();
        if (end > i) rr.only.push_back(only.substr(i, end - i));
        i = end + 1;
      }
      return finish(StartRun(c, m[1].str(), rr, c.session->user, false));
    }
    if (c.path == "/runs/compare" && request.method == "GET") {
      if (!c.session) return finish(Redirect("/login"));
      return finish(Compare(c, c.session->user, false));
    }
    if (c.path == "/runs" && request.method == "GET") {
      return finish(c.session ? RunsPage(c) : Redirect("/login"));
    }
    if (std::regex_match(c.path, m, run_re)) {
      if (!c.session) return finish(Redirect("/login"));
      auto run = VisibleRun(c.session->user, m[1].str(), false);
      if (auto* refusal = std::get_if<HttpResponse>(&run)) return finish(*refusal);
      const RunRow& row = std::get<RunRow>(run);
      if (post && m[2].str() == "/cancel") {
        if (row.organisation_id == c.session->user.organisation_id) runs_->Cancel(row.id);
        return finish(Redirect("/runs/" + std::to_string(row.id)));
      }
      if (post && m[3].matched) return finish(AnswerPrompt(c, row, std::stoi(m[3].str())));
      if (request.method == "GET" && m[2].length() == 0) return finish(RunPage(c, row));
      if (request.method == "GET" && m[2].str() == "/zip") return finish(RunZip(row, false));
      if (request.method == "GET" && m[2].str() == "/events") return finish(RunEvents(c, row));
      if (request.method == "GET" && m[4].matched) return finish(RunFile(c, row, m[4].str()));
    }
  }
  if (c.path.rfind("/systems/", 0) == 0) {
    static const std::regex edit_re("^/systems/([0-9]+)(/edit)?$");
    std::smatch m;
    if (std::regex_match(c.path, m, edit_re)) {
      if (!c.session) return finish(Redirect("/login"));
      if (request.method == "GET" && m[2].matched) return finish(EditSystemPage(c, m[1], false));
      if (post && !m[2].matched) return finish(EditSystemPage(c, m[1], true));
    }
  }
  if (post && c.path.rfind("/systems/", 0) == 0 && c.path.ends_with("/rotate")) {
    return finish(RotateSystem(c, c.path.substr(9, c.path.size() - 9 - 7)));
  }
  if (post && c.path.rfind("/tokens/", 0) == 0 && c.path.ends_with("/revoke")) {
    return finish(RevokeToken(c, c.path.substr(8, c.path.size() - 8 - 7)));
  }
  HttpResponse r;
  r.status = 404;
  r.content_type = "text/html; charset=utf-8";
  r.body = Page(std::string(i18n::Code(c.lang)), c.T("serve.notfound.title"), "",
                "<p>" + Escape(c.T("serve.notfound.body", {{"path", c.path}})) + "</p>", "");
  return finish(r);
}

wire::HttpResponse WebApp::SignedInPage(Context& c, const std::string& title,
                                        const std::string& body, const std::string& head) {
  std::ostringstream nav;
  nav << "<nav><strong>vxpkit</strong><a href=\"/\">" << Escape(c.T("serve.nav.home"))
      << "</a><a href=\"/systems\">" << Escape(c.T("serve.nav.systems")) << "</a><a href=\"/runs\">"
      << Escape(c.T("serve.nav.runs")) << "</a>"
      << (c.session->user.role == Role::kAdmin
              ? "<a href=\"/admin\">" + Escape(c.T("serve.nav.admin")) + "</a>"
              : std::string())
      << (c.session->user.role == Role::kCertifier || c.session->user.role == Role::kAdmin
              ? "<a href=\"/audit\">" + Escape(c.T("serve.cert.audit")) + "</a>"
              : std::string())
      << "<a href=\"/register\">" << Escape(c.T("serve.cert.register")) << "</a>"
      << "<a href=\"/tokens\">" << Escape(c.T("serve.nav.tokens"))
      << "</a><a href=\"?lang=" << (c.lang == i18n::Lang::kVi ? "en\">English" : "vi\">Tiếng Việt")
      << "</a><form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" "
         "value=\""
      << Escape(c.session->csrf) << "\"><button id=\"logout\">" << Escape(c.T("serve.nav.logout"))
      << "</button></form></nav>\n";
  HttpResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.body = Page(std::string(i18n::Code(c.lang)), title, nav.str(), body,
                Escape(c.T("serve.footer", {{"version", options_.suite_version}})), head);
  return r;
}

wire::HttpResponse WebApp::Home(Context& c) {
  if (!c.session) return Redirect("/login");
  const User& u = c.session->user;
  auto org = store_.GetOrganisation(u.organisation_id);
  std::string org_name = org && *org ? (*org)->name : "?";
  std::string role = c.T("serve.role." + std::string(ToString(u.role)));
  std::ostringstream body;
  body << "<p id=\"whoami\">"
       << Escape(c.T("serve.home.signed_in", {{"name", u.name}, {"email", u.email}}))
       << "</p>\n<p id=\"role\">"
       << Escape(c.T("serve.home.role", {{"role", role}, {"organisation", org_name}})) << "</p>\n"
       << "<p class=\"muted\">" << Escape(c.T("serve.home.coming")) << "</p>\n";
  return SignedInPage(c, c.T("serve.home.title"), body.str());
}

wire::HttpResponse WebApp::LoginPage(Context& c, int status, const std::string& error) {
  // The login form's own CSRF token, in a cookie and in the form: a login posted from another
  // site has the form's but not the cookie's (double submit).
  std::string token = NewToken("").value_or("");
  c.headers.emplace_back("Set-Cookie", Cookie(kLoginCookie, token, options_.tls, true));
  std::ostringstream body;
  if (!error.empty()) body << "<p class=\"error\" id=\"error\">" << Escape(error) << "</p>\n";
  body << "<form method=\"post\" action=\"/login\">\n<input type=\"hidden\" name=\"login_csrf\" "
          "value=\""
       << Escape(token) << "\">\n<label for=\"email\">" << Escape(c.T("serve.login.email"))
       << "</label><input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"username\" "
          "required value=\""
       << Escape(c.Field("email")) << "\">\n<label for=\"password\">"
       << Escape(c.T("serve.login.password"))
       << "</label><input type=\"password\" id=\"password\" name=\"password\" "
          "autocomplete=\"current-password\" required>\n<button type=\"submit\" id=\"sign-in\">"
       << Escape(c.T("serve.login.submit"))
       << "</button>\n</form>\n<p class=\"muted\"><a href=\"?lang="
       << (c.lang == i18n::Lang::kVi ? "en\">English" : "vi\">Tiếng Việt") << "</a></p>\n";
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = Page(std::string(i18n::Code(c.lang)), c.T("serve.login.title"), "", body.str(),
                Escape(c.T("serve.footer", {{"version", options_.suite_version}})));
  return r;
}

wire::HttpResponse WebApp::Login(Context& c) {
  auto cookie = c.cookies.find(kLoginCookie);
  std::string given = c.Field("login_csrf");
  if (cookie == c.cookies.end() || given.empty() || cookie->second != given) {
    return LoginPage(c, 403, c.T("serve.error.login_csrf"));
  }
  auto in = accounts_.LogIn(c.Field("email"), c.Field("password"));
  if (!in) {
    if (in.error().code == "service.throttled") {
      return LoginPage(c, 429, c.T("serve.login.throttled"));
    }
    if (in.error().code == "service.login") return LoginPage(c, 401, c.T("serve.login.wrong"));
    return LoginPage(c, 500, in.error().message);
  }
  c.headers.emplace_back("Set-Cookie",
                         Cookie(kSessionCookie, in->session_token, options_.tls, true));
  c.headers.emplace_back("Set-Cookie", Cookie(kLoginCookie, "", options_.tls, true, 0));
  return Redirect("/");
}

wire::HttpResponse WebApp::Logout(Context& c) {
  if (auto it = c.cookies.find(kSessionCookie); it != c.cookies.end()) {
    (void)accounts_.LogOut(it->second);
  }
  c.headers.emplace_back("Set-Cookie", Cookie(kSessionCookie, "", options_.tls, true, 0));
  return Redirect("/login");
}

wire::HttpResponse WebApp::Tokens(Context& c, const std::string& new_token) {
  const User& u = c.session->user;
  std::ostringstream body;
  if (!new_token.empty()) {
    body << "<p class=\"token\">" << Escape(c.T("serve.tokens.created"))
         << "<br><code id=\"new-token\">" << Escape(new_token) << "</code></p>\n";
  }
  body << "<p>" << Escape(c.T("serve.tokens.explain"))
       << "</p>\n<pre>curl -H 'Authorization: "
          "Bearer TOKEN' URL/api/v1/me</pre>\n";
  auto tokens = store_.ApiTokens(u.id);
  if (tokens && !tokens->empty()) {
    body << "<table id=\"tokens\"><thead><tr><th>" << Escape(c.T("serve.tokens.name"))
         << "</th><th>" << Escape(c.T("serve.tokens.last_used"))
         << "</th><th></th></tr></thead><tbody>\n";
    for (const ApiToken& t : *tokens) {
      body << "<tr data-token=\"" << t.id << "\"><td>" << Escape(t.name) << "</td><td>"
           << (t.last_used == 0 ? Escape(c.T("serve.tokens.never"))
                                : Escape(c.T("serve.tokens.used")))
           << "</td><td><form method=\"post\" action=\"/tokens/" << t.id
           << "/revoke\"><input type=\"hidden\" name=\"csrf\" value=\"" << Escape(c.session->csrf)
           << "\"><button>" << Escape(c.T("serve.tokens.revoke")) << "</button></form></td></tr>\n";
    }
    body << "</tbody></table>\n";
  }
  body << "<form method=\"post\" action=\"/tokens\"><input type=\"hidden\" name=\"csrf\" value=\""
       << Escape(c.session->csrf) << "\"><label for=\"token-name\">"
       << Escape(c.T("serve.tokens.new_name"))
       << "</label><input type=\"text\" id=\"token-name\" name=\"name\" required>"
          "<button type=\"submit\" id=\"create-token\">"
       << Escape(c.T("serve.tokens.create")) << "</button></form>\n";
  return SignedInPage(c, c.T("serve.tokens.title"), body.str());
}

wire::HttpResponse WebApp::CreateToken(Context& c) {
  auto token = accounts_.IssueApiToken(c.session->user, c.Field("name"));
  if (!token) {
    HttpResponse r = Tokens(c, "");
    r.status = token.error().code == "service.input" ? 400 : 500;
    return r;
  }
  return Tokens(c, *token);
}

namespace {

// A row id from a path segment; nullopt for anything else.

// Who may see a system: its organisation, a certifier and an administrator.
bool MaySee(const User& u, const SystemRecord& s) {
  return u.role != Role::kVendor || u.organisation_id == s.organisation_id;
}

std::string Words(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

}  // namespace

wire::HttpResponse WebApp::RevokeToken(Context& c, const std::string& id) {
  if (auto token_id = ParseId(id)) {
    (void)store_.RevokeApiToken(c.session->user.id, *token_id);  // only the owner's own
  }
  return Redirect("/tokens");
}

std::string WebApp::HubUrl(Context& c, const SystemRecord& system) const {
  return std::string(options_.tls ? "https://" : "http://") + Header(c.request, "Host") + "/hub/" +
         system.hub_id + "/XrdAdapter/adapter";
}

wire::HttpResponse WebApp::SystemsPage(Context& c, int status, const std::string& notice,
                                       const std::optional<SystemRecord>& shown) {
  const User& u = c.session->user;
  std::ostringstream body;
  if (!notice.empty()) body << "<p class=\"error\" id=\"error\">" << Escape(notice) << "</p>\n";
  if (shown) {
    body << "<div class=\"token\" id=\"credentials\"><p>"
         << Escape(c.T("serve.systems.credentials", {{"name", shown->name}})) << "</p><table>"
         << "<tr><th>" << Escape(c.T("serve.systems.hub_url")) << "</th><td><code id=\"hub-url\">"
         << Escape(HubUrl(c, *shown)) << "</code></td></tr><tr><th>"
         << Escape(c.T("serve.systems.hub_id")) << "</th><td><code id=\"hub-id\">"
         << Escape(shown->hub_id) << "</code></td></tr><tr><th>"
         << Escape(c.T("serve.systems.secret")) << "</th><td><code id=\"hub-secret\">"
         << Escape(shown->hub_secret) << "</code></td></tr></table></div>\n";
  }
  auto systems = store_.Systems(u.role == Role::kVendor ? u.organisation_id : 0);
  if (systems && !systems->empty()) {
    body << "<table id=\"systems\"><thead><tr><th>" << Escape(c.T("serve.systems.name"))
         << "</th><th>" << Escape(c.T("serve.systems.product")) << "</th><th>"
         << Escape(c.T("serve.systems.agencies")) << "</th><th>"
         << Escape(c.T("serve.systems.claims")) << "</th><th>"
         << Escape(c.T("serve.systems.control")) << "</th><th></th></tr></thead><tbody>\n";
    for (const SystemRecord& sys : *systems) {
      body << "<tr data-system=\"" << sys.id << "\"><td>" << Escape(sys.name) << "<br><code>"
           << Escape(sys.hub_id) << "</code></td><td>"
           << Escape(sys.product + " " + sys.product_version) << "</td><td>"
           << Escape(Words(sys.agencies)) << "</td><td>" << Escape(Words(sys.capabilities))
           << "</td><td>"
           << Escape(sys.control == "operator" ? c.T("serve.systems.operator") : sys.control)
           << (sys.webhook.empty()
                   ? std::string()
                   : "<br><span class=\"muted\">webhook " + Escape(sys.webhook) + "</span>")
           << "</td><td>";
      if (sys.organisation_id == u.organisation_id && runs_ != nullptr) {
        body << "<form method=\"post\" action=\"/systems/" << sys.id
             << "/runs\" class=\"start-run\"><input type=\"hidden\" name=\"csrf\" value=\""
             << Escape(c.session->csrf) << "\"><select name=\"plan\"><option value=\"self-test\">"
             << Escape(c.T("serve.runs.self_test")) << "</option><option value=\"certification\">"
             << Escape(c.T("serve.runs.certification")) << "</option></select> <select "
             << "name=\"profile\"><option value=\"demo\">demo</option><option "
             << "value=\"certification\">certification</option></select> <input type=\"text\" "
             << "name=\"only\" placeholder=\"INBOUND-*\" size=\"12\"> "
             << (sys.control == "operator"
                     ? "<label class=\"inline\"><input type=\"checkbox\" name=\"prompts\" "
                       "value=\"1\" checked> " +
                           Escape(c.T("serve.runs.prompts")) + "</label> "
                     : std::string())
             << "<button>" << Escape(c.T("serve.runs.start")) << "</button></form>";
      }
      if (sys.organisation_id == u.organisation_id) {  // only its own organisation edits it
        body << "<a class=\"edit-system\" href=\"/systems/" << sys.id << "/edit\">"
             << Escape(c.T("serve.systems.edit")) << "</a> ";
      }
      if (sys.organisation_id == u.organisation_id) {  // only its own organisation rotates it
        body << "<form method=\"post\" action=\"/systems/" << sys.id
             << "/rotate\"><input type=\"hidden\" name=\"csrf\" value=\"" << Escape(c.session->csrf)
             << "\"><button>" << Escape(c.T("serve.systems.rotate")) << "</button></form>";
      }
      body << "</td></tr>\n";
    }
    body << "</tbody></table>\n";
  }
  body << "<h2>" << Escape(c.T("serve.systems.register")) << "</h2>\n"
       << SystemForm(c, "/systems", "register", "register-system", c.T("serve.systems.submit"));
  HttpResponse r = SignedInPage(c, c.T("serve.systems.title"), body.str());
  r.status = status;
  return r;
}

std::string WebApp::SystemForm(Context& c, const std::string& action, const std::string& id,
                               const std::string& button_id, const std::string& submit) {
  std::ostringstream body;
  body << "<form method=\"post\" action=\"" << Escape(action) << "\" id=\"" << id
       << "\"><input type=\"hidden\" name=\"csrf\" value=\"" << Escape(c.session->csrf) << "\">\n";
  auto field = [&](const char* name, const std::string& label, const char* hint) {
    body << "<label for=\"" << name << "\">" << Escape(label)
         << "</label><input type=\"text\" id=\"" << name << "\" name=\"" << name << "\" value=\""
         << Escape(c.Field(name)) << "\""
         << (hint[0] != '\0' ? std::string(" placeholder=\"") + hint + "\"" : "") << ">\n";
  };
  field("name", c.T("serve.systems.name"), "");
  field("product", c.T("serve.systems.product"), "");
  field("version", c.T("serve.systems.version"), "");
  field("agencies", c.T("serve.systems.agencies"), "000.00.00.H53");
  body << "<fieldset><legend>" << Escape(c.T("serve.systems.claims")) << "</legend>";
  for (const std::string& cap : kCapabilities) {
    body << "<label><input type=\"checkbox\" name=\"cap_" << cap << "\" id=\"cap_" << cap
         << "\" value=\"1\"" << (c.Field("cap_" + cap).empty() ? "" : " checked") << "> "
         << Escape(c.T("serve.capability." + cap)) << "</label>";
  }
  body << "</fieldset>\n";
  field("driver", c.T("serve.systems.driver"), "http://127.0.0.1:9090");
  field("webhook", c.T("serve.systems.webhook"), "https://ci.example.vn/vxpkit");
  body << "<button type=\"submit\" id=\"" << button_id << "\">" << Escape(submit)
       << "</button></form>\n";
  return body.str();
}

namespace {

// A system's fields as a form posts them.
NewSystem FormSystem(const std::map<std::string, std::string>& form) {
  auto field = [&](const std::string& name) {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  NewSystem input{field("name"),   field("product"), field("version"), field("agencies"), {},
                  field("driver"), field("webhook")};
  for (const std::string& cap : kCapabilities) {
    if (!field("cap_" + cap).empty()) input.capabilities.push_back(cap);
  }
  return input;
}

}  // namespace

wire::HttpResponse WebApp::EditSystemPage(Context& c, const std::string& id, bool save) {
  std::optional<std::int64_t> system_id = ParseId(id);
  auto system = system_id ? store_.GetSystem(*system_id) : Result<std::optional<SystemRecord>>();
  if (!system_id || !system || !*system ||
      (*system)->organisation_id != c.session->user.organisation_id) {
    return SystemsPage(c, 404, c.T("serve.systems.not_yours"), std::nullopt);
  }
  const SystemRecord& sys = **system;
  std::string error;
  int status = 200;
  if (save) {
    auto edited = EditSystem(store_, sys, FormSystem(c.form));
    if (edited) {
      if (hubs_ != nullptr) {
        if (auto told = hubs_->Update(*edited); !told) {
          return SystemsPage(c, 500, told.error().message, std::nullopt);
        }
      }
      return Redirect("/systems");
    }
    error = edited.error().message;
    status = edited.error().code == "service.input"    ? 400
             : edited.error().code == "service.exists" ? 409
                                                       : 500;
  } else {  // the form as the system is now
    c.form = {{"name", sys.name},
              {"product", sys.product},
              {"version", sys.product_version},
              {"agencies", Words(sys.agencies)},
              {"driver", sys.control == "operator" ? "" : sys.control},
              {"webhook", sys.webhook}};
    for (const std::string& cap : sys.capabilities) c.form["cap_" + cap] = "1";
  }
  std::string body =
      (error.empty() ? "" : "<p class=\"error\" id=\"error\">" + Escape(error) + "</p>\n") +
      "<p class=\"muted\"><code>" + Escape(sys.hub_id) + "</code> " +
      Escape(c.T("serve.systems.edit_keeps")) + "</p>\n" +
      SystemForm(c, "/systems/" + std::to_string(sys.id), "edit", "save-system",
                 c.T("serve.systems.save"));
  HttpResponse r = SignedInPage(c, c.T("serve.systems.edit_title", {{"name", sys.name}}), body);
  r.status = status;
  return r;
}

wire::HttpResponse WebApp::CreateSystem(Context& c) {
  NewSystem input{
      c.Field("name"),   c.Field("product"), c.Field("version"), c.Field("agencies"), {},
      c.Field("driver"), c.Field("webhook")};
  for (const std::string& cap : kCapabilities) {
    if (!c.Field("cap_" + cap).empty()) input.capabilities.push_back(cap);
  }
  auto made = RegisterSystem(store_, c.session->user.organisation_id, input, c.now);
  if (!made) {
    int status = made.error().code == "service.input"    ? 400
                 : made.error().code == "service.exists" ? 409
                                                         : 500;
    return SystemsPage(c, status, made.error().message, std::nullopt);
  }
  c.form.clear();  // a fresh form below the credentials
  return SystemsPage(c, 200, "", *made);
}

wire::HttpResponse WebApp::RotateSystem(Context& c, const std::string& id) {
  std::optional<std::int64_t> system_id = ParseId(id);
  auto system = system_id ? store_.GetSystem(*system_id) : Result<std::optional<SystemRecord>>();
  if (!system_id || !system || !*system ||
      (*system)->organisation_id != c.session->user.organisation_id) {
    return SystemsPage(c, 404, c.T("serve.systems.not_yours"), std::nullopt);
  }
  auto rotated = RotateHubSecret(store_, **system);
  if (!rotated) return SystemsPage(c, 500, rotated.error().message, std::nullopt);
  if (hubs_ != nullptr) {
    if (auto told = hubs_->Update(*rotated); !told) {
      return SystemsPage(c, 500, told.error().message, std::nullopt);
    }
  }
  return SystemsPage(c, 200, "", *rotated);
}

wire::HttpResponse WebApp::SystemsApi(Context& c) {
  auto who = ApiUser(c);
  if (auto* refusal = std::get_if<HttpResponse>(&who)) return *refusal;
  const User& u = std::get<User>(who);
  auto systems = store_.Systems(u.role == Role::kVendor ? u.organisation_id : 0);
  if (!systems) return JsonError(500, systems.error().code, systems.error().message);
  json::array out;
  for (const SystemRecord& sys : *systems) {
    if (!MaySee(u, sys)) continue;
    json::array agencies, capabilities;
    for (const auto& a : sys.agencies) agencies.emplace_back(a);
    for (const auto& cap : sys.capabilities) capabilities.emplace_back(cap);
    out.push_back(
        json::object{{"id", sys.id},
                     {"organisation_id", sys.organisation_id},
                     {"name", sys.name},
                     {"product", {{"name", sys.product}, {"version", sys.product_version}}},
                     {"agencies", agencies},
                     {"capabilities", capabilities},
                     {"control", sys.control},
                     {"hub_id", sys.hub_id},
                     {"hub_url", HubUrl(c, sys)},
                     {"webhook", sys.webhook}});
  }
  HttpResponse r;
  r.body = json::serialize(json::object{{"systems", out}}) + "\n";
  return r;
}

wire::HttpResponse WebApp::PlansApi(Context& c) {
  auto who = ApiUser(c);
  if (auto* refusal = std::get_if<HttpResponse>(&who)) return *refusal;
  json::array scenarios;
  for (const harness::Scenario& s : conformance::Catalogue()) {
    scenarios.push_back(json::object{{"id", s.id},
                                     {"title", s.title},
                                     {"category", s.category},
                                     {"level", ToString(s.level)},
                                     {"needs_control", s.needs_control},
                                     {"needs_outbound", s.needs_outbound}});
  }
  json::array plans{
      json::object{{"name", "self-test"},
                   {"profiles", json::array{"demo", "certification"}},
                   {"selection", true},
                   {"description",
                    "any selection of the catalogue (\"only\": scenario ID globs; none: all), "
                    "with the demo or the certification profile"}},
      json::object{{"name", "certification"},
                   {"profiles", json::array{"certification"}},
                   {"selection", false},
                   {"description", "the whole catalogue with the certification profile"}}};
  HttpResponse r;
  r.body = json::serialize(json::object{{"plans", plans}, {"scenarios", scenarios}}) + "\n";
  return r;
}

std::variant<User, wire::HttpResponse> WebApp::ApiUser(Context& c) {
  std::string auth = Header(c.request, "Authorization");
  if (AsciiLower(auth).rfind("bearer ", 0) == 0) {
    auto found = accounts_.UserOfApiToken(auth.substr(7));
    if (!found) return JsonError(500, found.error().code, found.error().message);
    if (*found) return **found;
  }
  HttpResponse r = JsonError(401, "unauthenticated",
                             "an API request carries 'Authorization: Bearer TOKEN' with a token "
                             "made on the service's API tokens page");
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"vxpkit\"");
  return r;
}

wire::HttpResponse WebApp::Me(Context& c) {
  auto who = ApiUser(c);
  if (auto* refusal = std::get_if<HttpResponse>(&who)) return *refusal;
  const User* user = &std::get<User>(who);
  auto org = store_.GetOrganisation(user->organisation_id);
  HttpResponse r;
  r.body = json::serialize(json::object{{"id", user->id},
                                        {"email", user->email},
                                        {"name", user->name},
                                        {"role", ToString(user->role)},
                                        {"organisation",
                                         {{"id", user->organisation_id},
                                          {"name", org && *org ? (*org)->name : std::string()}}}}) +
           "\n";
  return r;
}

std::variant<RunRow, wire::HttpResponse> WebApp::VisibleRun(const User& user, const std::string& id,
                                                            bool api) {
  std::optional<std::int64_t> run_id = ParseId(id);
  auto run = run_id ? store_.GetRun(*run_id) : Result<std::optional<RunRow>>();
  // Another organisation's run is answered as one that does not exist.
  if (!run_id || !run || !*run ||
      (user.role == Role::kVendor && (*run)->organisation_id != user.organisation_id)) {
    if (api) return JsonError(404, "not_found", "no run " + id + " you may see");
    HttpResponse r;
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "no run " + id + " you may see\n";
    return r;
  }
  return **run;
}

wire::HttpResponse WebApp::StartRun(Context& c, const std::string& system_id,
                                    const RunRequest& request, const User& user, bool api) {
  std::optional<std::int64_t> id = ParseId(system_id);
  auto system = id ? store_.GetSystem(*id) : Result<std::optional<SystemRecord>>();
  if (!id || !system || !*system || (*system)->organisation_id != user.organisation_id) {
    if (api) return JsonError(404, "not_found", "no system " + system_id + " of yours");
    return SystemsPage(c, 404, c.T("serve.systems.not_yours"), std::nullopt);
  }
  RunRequest with_base = request;
  with_base.base_url =
      std::string(options_.tls ? "https://" : "http://") + Header(c.request, "Host");
  // A certification run is the office's record of what it certifies from: its line in the
  // audit log is written with the run, in one transaction, so none is queued unrecorded.
  const bool certification = request.plan == "certification";
  std::optional<AuditEntry> audit;
  if (certification) {
    audit = AuditEntry{.at = c.now,
                       .user_id = user.id,
                       .action = "certification run started",
                       .detail = (*system)->name + " (" + (*system)->product + " " +
                                 (*system)->product_version + ")"};
  }
  auto started = runs_->Start(**system, with_base, user.id, audit);
  if (!started) {
    const std::string& code = started.error().code;
    int status = code == "service.busy" ? 409 : code == "service.input" ? 400 : 500;
    if (certification && code == "service.store") {
      std::string why = started.error().message;
      if (api) {
        return JsonError(500, code,
                         "the certification run was not started: the run and its line in the "
                         "audit log are written together, and the database took neither (" +
                             why + ")");
      }
      return SystemsPage(c, 500, c.T("serve.runs.not_audited", {{"why", why}}), std::nullopt);
    }
    if (api) return JsonError(status, code, started.error().message);
    return SystemsPage(c, status, started.error().message, std::nullopt);
  }
  if (!api) return Redirect("/runs/" + std::to_string(started->id));
  HttpResponse r = RunJson(c, *started);
  r.status = 202;
  r.headers.emplace_back("Location", "/api/v1/runs/" + std::to_string(started->id));
  return r;
}

wire::HttpResponse WebApp::RunJson(Context& /*c*/, const RunRow& run) {
  json::array progress;
  for (const std::string& line : runs_->Progress(run.id)) progress.emplace_back(line);
  HttpResponse r;
  json::object o = RunFields(run);
  o["progress"] = std::move(progress);
  if (run.plan == "certification" && run.status == "finished") {
    for (auto& kv : CertificationJson(run)) o[kv.key()] = kv.value();
  }
  r.body = json::serialize(o) + "\n";
  return r;
}

wire::HttpResponse WebApp::RunsPage(Context& c) {
  const User& u = c.session->user;
  auto runs = store_.Runs(u.role == Role::kVendor ? u.organisation_id : 0, 200);
  std::ostringstream body;
  if (!runs || runs->empty()) {
    body << "<p>" << Escape(c.T("serve.runs.none")) << "</p>\n";
  } else {
    body << "<table id=\"runs\"><thead><tr><th>#</th><th>" << Escape(c.T("serve.runs.system"))
         << "</th><th>" << Escape(c.T("serve.runs.plan")) << "</th><th>"
         << Escape(c.T("serve.runs.verdict")) << "</th></tr></thead><tbody>\n";
    for (const RunRow& run : *runs) {
      auto system = store_.GetSystem(run.system_id);
      body << "<tr data-run=\"" << run.id << "\"><td><a href=\"/runs/" << run.id << "\">" << run.id
           << "</a></td><td>" << Escape(system && *system ? (*system)->name : "?") << "</td><td>"
           << Escape(run.plan + " (" + run.profile + ")") << "</td><td>"
           << Escape(!UnderWay(run)           ? run.verdict
                     : run.status == "queued" ? c.T("serve.runs.queued")
                                              : c.T("serve.runs.running"))
           << "</td></tr>\n";
    }
    body << "</tbody></table>\n";
  }
  return SignedInPage(c, c.T("serve.runs.title"), body.str());
}

wire::HttpResponse WebApp::RunPage(Context& c, const RunRow& run) {
  std::ostringstream body;
  bool running = UnderWay(run);
  body << "<p id=\"run-status\" data-status=\"" << Escape(run.status) << "\" data-verdict=\""
       << Escape(run.verdict) << "\">"
       << Escape(run.status == "queued" ? c.T("serve.runs.queued")
                 : running              ? c.T("serve.runs.running")
                                        : c.T("serve.runs.finished", {{"verdict", run.verdict},
                                                                      {"code", std::to_string(run.exit_code)}}))
       << "</p>\n";
  if (running && run.organisation_id == c.session->user.organisation_id) {
    body << "<form method=\"post\" action=\"/runs/" << run.id
         << "/cancel\"><input type=\"hidden\" name=\"csrf\" value=\"" << Escape(c.session->csrf)
         << "\"><button id=\"cancel\">" << Escape(c.T("serve.runs.cancel")) << "</button></form>\n";
  }
  if (!running) {
    body << "<p>";
    for (const char* file : {"index.html", "junit.xml", "report.json", "result.json"}) {
      body << "<a href=\"/runs/" << run.id << "/files/" << file << "\">" << file << "</a> ";
    }
    body << "<a href=\"/runs/" << run.id << "/zip\" id=\"zip\">" << Escape(c.T("serve.runs.zip"))
         << "</a>";
    body << "</p>\n";
    if (!run.summary.empty()) body << "<pre id=\"summary\">" << Escape(run.summary) << "</pre>\n";
    body << CertificationSection(c, run);
    // The run before this one of the same system, to see what changed.
    auto earlier = store_.Runs(run.organisation_id, 200);
    if (earlier) {
      for (const RunRow& e : *earlier) {
        if (e.id < run.id && e.system_id == run.system_id && e.status == "finished") {
          body << "<p><a id=\"compare\" href=\"/runs/compare?a=" << e.id << "&amp;b=" << run.id
               << "\">" << Escape(c.T("serve.compare.previous", {{"id", std::to_string(e.id)}}))
               << "</a></p>\n";
          break;
        }
      }
    }
  }
  if (!running) {
    body << "<pre id=\"progress\">";
    for (const std::string& line : runs_->Progress(run.id)) body << Escape(line) << "\n";
    body << "</pre>\n";
    return SignedInPage(c, c.T("serve.runs.run", {{"id", std::to_string(run.id)}}), body.str());
  }
  // Under way: run.js follows the run's feed from its first event and fills what follows; its
  // text comes from here, in the page's language. Only the system's organisation answers
  // prompts (a certifier watches).
  const bool own = run.organisation_id == c.session->user.organisation_id;
  const std::string id = std::to_string(run.id);
  body << "<section id=\"live\" data-events=\"/runs/" << id << "/events\" data-prompts=\"/runs/"
       << id << "/prompts/\" data-csrf=\"" << (own ? Escape(c.session->csrf) : "")
       << "\" data-done=\"" << Escape(c.T("serve.live.done")) << "\" data-cannot=\""
       << Escape(c.T("serve.live.cannot")) << "\" data-left=\""
       << Escape(c.T("serve.live.left", {{"seconds", "{seconds}"}})) << "\" data-expired=\""
       << Escape(c.T("serve.live.expired")) << "\" data-answered=\""
       << Escape(c.T("serve.live.answered", {{"answer", "{answer}"}})) << "\">\n"
       << "<noscript><p class=\"muted\">" << Escape(c.T("serve.live.noscript"))
       << "</p></noscript>\n"
       << "<div id=\"prompts\" hidden><h2>" << Escape(c.T("serve.live.prompts")) << "</h2><p "
       << "class=\"muted\">" << Escape(c.T("serve.live.prompts_hint")) << "</p></div>\n"
       << "<h2>" << Escape(c.T("serve.live.scenarios")) << "</h2>\n<p id=\"waiting\" "
       << "class=\"muted\">" << Escape(c.T("serve.live.waiting")) << "</p>\n"
       << "<table id=\"scenarios\"><tbody></tbody></table>\n<h2>"
       << Escape(c.T("serve.live.traffic")) << "</h2>\n<ol id=\"traffic\"></ol>\n<h2>"
       << Escape(c.T("serve.live.progress")) << "</h2>\n<pre id=\"progress\"></pre>\n</section>\n";
  // Without a script the page reloads itself every few seconds, and shows the progress so far.
  std::string noscript = "<noscript><meta http-equiv=\"refresh\" content=\"3\"></noscript>\n";
  body << "<noscript><pre>";
  for (const std::string& line : runs_->Progress(run.id)) body << Escape(line) << "\n";
  body << "</pre></noscript>\n<script src=\"/static/run.js\"></script>\n";
  return SignedInPage(c, c.T("serve.runs.run", {{"id", id}}), body.str(), noscript);
}

wire::HttpResponse WebApp::RunEvents(Context& c, const RunRow& run) {
  std::shared_ptr<const FeedSource> feed = runs_->Feed(run.id);
  if (feed == nullptr) {  // over, and no longer in memory: its end is all there is to tell
    auto ended = std::make_shared<RunFeed>();
    ended->End({{"verdict", run.verdict}, {"exit_code", run.exit_code}, {"summary", run.summary}});
    feed = ended;
  }
  if (++*streams_ > kMaxStreams) {
    --*streams_;
    HttpResponse r = JsonError(503, "busy", "too many live views are open; try again in a moment");
    r.headers.emplace_back("Retry-After", "5");
    return r;
  }
  // Where to take up: a reconnecting EventSource's Last-Event-ID, or ?after=N.
  std::string after = Header(c.request, "Last-Event-ID");
  if (after.empty()) after = c.query["after"];
  std::uint64_t from = 0;  // anything but a plain number (12 digits at most): from the start
  if (!after.empty() && after.size() <= 12 &&
      after.find_first_not_of("0123456789") == std::string::npos) {
    from = std::stoull(after);
  }
  FeedStreamOptions o;
  o.hold = std::shared_ptr<void>(nullptr, [n = streams_](void*) { --*n; });
  HttpResponse r;
  r.content_type = "text/event-stream; charset=utf-8";
  r.headers.emplace_back("X-Accel-Buffering", "no");  // a proxy in front must not hold it back
  r.body = "retry: 2000\n\n";
  r.stream = std::make_shared<FeedStream>(feed, from, std::move(o));
  return r;
}

wire::HttpResponse WebApp::AnswerPrompt(Context& c, const RunRow& run, int number) {
  auto refuse = [&](int status, const std::string& reason) {
    HttpResponse r = SignedInPage(
        c, c.T("serve.runs.run", {{"id", std::to_string(run.id)}}),
        "<p class=\"error\" id=\"error\">" +
            Escape(c.T("serve.live.answer_error", {{"reason", reason}})) +
            "</p><p><a href=\"/runs/" + std::to_string(run.id) + "\">" +
            Escape(c.T("serve.runs.run", {{"id", std::to_string(run.id)}})) + "</a></p>");
    r.status = status;
    return r;
  };
  if (run.organisation_id != c.session->user.organisation_id) {
    return refuse(403, "only the system's organisation answers its prompts");
  }
  auto answered = runs_->Answer(run.id, number, c.Field("answer"), c.session->user.email);
  if (!answered) {
    return refuse(answered.error().code == "service.exists" ? 409 : 400, answered.error().message);
  }
  return Redirect("/runs/" + std::to_string(run.id));
}

wire::HttpResponse WebApp::Compare(Context& c, const User& user, bool api) {
  auto runs =
      std::make_pair(VisibleRun(user, c.query["a"], api), VisibleRun(user, c.query["b"], api));
  if (auto* refusal = std::get_if<HttpResponse>(&runs.first)) return *refusal;
  if (auto* refusal = std::get_if<HttpResponse>(&runs.second)) return *refusal;
  const RunRow& a = std::get<RunRow>(runs.first);
  const RunRow& b = std::get<RunRow>(runs.second);
  auto refuse = [&](int status, const std::string& code, const std::string& message) {
    if (api) return JsonError(status, code, message);
    HttpResponse r = SignedInPage(c, c.T("serve.compare.title"),
                                  "<p class=\"error\" id=\"error\">" + Escape(message) + "</p>");
    r.status = status;
    return r;
  };
  if (a.system_id != b.system_id) {
    return refuse(400, "bad_request",
                  "runs " + std::to_string(a.id) + " and " + std::to_string(b.id) +
                      " are of different systems");
  }
  if (a.status != "finished" || b.status != "finished") {
    return refuse(409, "under_way", "a run under way has nothing to compare yet");
  }
  auto changes = CompareRuns(runs_->DirOf(a.id), runs_->DirOf(b.id));
  if (!changes) return refuse(500, changes.error().code, changes.error().message);
  // A waived verdict is never shown bare (docs/certification.md): scenario -> the waiver's reason.
  auto waived = [&](const RunRow& run) {
    std::map<std::string, std::string> out;
    for (const Waiver& w : store_.Waivers(run.id).value_or(std::vector<Waiver>{})) {
      out[w.scenario_id] = w.reason + " (" + w.by + ")";
    }
    return out;
  };
  auto before_waived = waived(a), after_waived = waived(b);
  if (api) {
    json::array rows;
    for (const ScenarioChange& ch : *changes) {
      json::object row{
          {"id", ch.id}, {"before", ch.before}, {"after", ch.after}, {"change", ch.change}};
      if (before_waived.contains(ch.id)) row["before_waiver"] = before_waived[ch.id];
      if (after_waived.contains(ch.id)) row["after_waiver"] = after_waived[ch.id];
      rows.push_back(std::move(row));
    }
    HttpResponse r;
    r.body = json::serialize(json::object{{"before", a.id}, {"after", b.id}, {"scenarios", rows}}) +
             "\n";
    return r;
  }
  std::ostringstream body;
  body << "<p>"
       << Escape(
              c.T("serve.compare.runs", {{"a", std::to_string(a.id)}, {"b", std::to_string(b.id)}}))
       << "</p>\n<table id=\"changes\"><thead><tr><th>" << Escape(c.T("serve.compare.scenario"))
       << "</th><th>" << a.id << "</th><th>" << b.id << "</th><th>"
       << Escape(c.T("serve.compare.change")) << "</th></tr></thead><tbody>\n";
  for (const ScenarioChange& ch : *changes) {
    std::string key = ch.change;
    std::replace(key.begin(), key.end(), ' ', '_');
    body << "<tr data-scenario=\"" << Escape(ch.id) << "\" data-change=\"" << Escape(ch.change)
         << "\"><td><code>" << Escape(ch.id) << "</code></td><td>" << Escape(ch.before);
    auto mark = [&](std::map<std::string, std::string>& w) {
      if (!w.contains(ch.id)) return std::string();
      return " <span class=\"waived\" title=\"" + Escape(w[ch.id]) + "\">(" +
             Escape(c.T("serve.cert.waived")) + ")</span>";
    };
    body << mark(before_waived) << "</td><td>" << Escape(ch.after) << mark(after_waived)
         << "</td><td>" << Escape(c.T("serve.compare." + key)) << "</td></tr>\n";
  }
  body << "</tbody></table>\n";
  return SignedInPage(c, c.T("serve.compare.title"), body.str());
}

wire::HttpResponse WebApp::AdminPage(Context& c, int status, const std::string& error,
                                     const std::string& notice) {
  std::ostringstream body;
  if (!error.empty()) body << "<p class=\"error\" id=\"error\">" << Escape(error) << "</p>\n";
  if (!notice.empty()) body << "<p class=\"token\" id=\"notice\">" << Escape(notice) << "</p>\n";
  auto organisations = store_.Organisations();
  auto users = store_.Users();
  std::map<std::int64_t, std::string> names;
  if (organisations) {
    for (const Organisation& o : *organisations) names[o.id] = o.name;
  }
  body << "<h2>" << Escape(c.T("serve.admin.users")) << "</h2>\n<table id=\"users\"><tbody>\n";
  if (users) {
    for (const User& u : *users) {
      body << "<tr data-user=\"" << Escape(u.email) << "\""
           << (u.disabled ? " class=\"muted\"" : "") << "><td>" << Escape(u.email) << "</td><td>"
           << Escape(u.name) << "</td><td>"
           << Escape(c.T("serve.role." + std::string(ToString(u.role)))) << "</td><td>"
           << Escape(names[u.organisation_id]) << "</td><td>";
      if (u.id != c.session->user.id) {  // an administrator does not lock themself out
        body << "<form method=\"post\" action=\"/admin/users/" << u.id
             << (u.disabled ? "/enable" : "/disable")
             << "\"><input type=\"hidden\" name=\"csrf\" value=\"" << Escape(c.session->csrf)
             << "\"><button class=\"" << (u.disabled ? "enable" : "disable") << "\">"
             << Escape(c.T(u.disabled ? "serve.admin.enable" : "serve.admin.disable"))
             << "</button></form>";
      }
      body << "</td></tr>\n";
    }
  }
  body << "</tbody></table>\n<h2>" << Escape(c.T("serve.admin.add_user")) << "</h2>\n"
       << "<form method=\"post\" action=\"/admin/users\"><input type=\"hidden\" name=\"csrf\" "
          "value=\""
       << Escape(c.session->csrf) << "\"><label for=\"organisation\">"
       << Escape(c.T("serve.admin.organisation")) << "</label><select id=\"organisation\" "
       << "name=\"organisation\">";
  for (const auto& [id, name] : names) {
    body << "<option value=\"" << id << "\">" << Escape(name) << "</option>";
  }
  body << "</select><label for=\"email\">" << Escape(c.T("serve.login.email"))
       << "</label><input type=\"email\" id=\"email\" name=\"email\" required><label "
          "for=\"name\">"
       << Escape(c.T("serve.systems.name")) << "</label><input type=\"text\" id=\"name\" "
       << "name=\"name\" required><label for=\"role\">" << Escape(c.T("serve.admin.role"))
       << "</label><select id=\"role\" name=\"role\">";
  for (const char* role : {"vendor", "certifier", "admin"}) {
    body << "<option value=\"" << role << "\">" << Escape(c.T(std::string("serve.role.") + role))
         << "</option>";
  }
  body << "</select><p class=\"muted\">" << Escape(c.T("serve.admin.password_made"))
       << "</p><button id=\"add-user\">" << Escape(c.T("serve.admin.add_user"))
       << "</button></form>\n<h2>" << Escape(c.T("serve.admin.add_organisation")) << "</h2>\n"
       << "<form method=\"post\" action=\"/admin/organisations\"><input type=\"hidden\" "
          "name=\"csrf\" value=\""
       << Escape(c.session->csrf) << "\"><label for=\"organisation-name\">"
       << Escape(c.T("serve.systems.name")) << "</label><input type=\"text\" "
       << "id=\"organisation-name\" name=\"name\" required><button id=\"add-organisation\">"
       << Escape(c.T("serve.admin.add_organisation")) << "</button></form>\n";
  HttpResponse r = SignedInPage(c, c.T("serve.admin.title"), body.str());
  r.status = status;
  return r;
}

wire::HttpResponse WebApp::AdminAddOrganisation(Context& c) {
  std::string name = AsciiTrim(c.Field("name"));
  if (name.empty() || name.size() > 200) {
    return AdminPage(c, 400, c.T("serve.admin.bad_organisation"), "");
  }
  auto made = store_.CreateOrganisation(name, c.now);
  if (!made) {
    return AdminPage(c, made.error().code == "service.exists" ? 409 : 500, made.error().message,
                     "");
  }
  return AdminPage(c, 200, "", c.T("serve.admin.organisation_added", {{"name", name}}));
}

wire::HttpResponse WebApp::AdminSetDisabled(Context& c, const std::string& id, bool disabled) {
  std::optional<std::int64_t> user_id = ParseId(id);
  if (!user_id || *user_id == c.session->user.id) {
    return AdminPage(c, 400, c.T("serve.admin.not_yourself"), "");
  }
  auto set = store_.SetUserDisabled(*user_id, disabled);
  if (!set) return AdminPage(c, 500, set.error().message, "");
  if (!*set) return AdminPage(c, 404, c.T("serve.admin.bad_user"), "");
  return Redirect("/admin");
}

wire::HttpResponse WebApp::AdminAddUser(Context& c) {
  std::optional<std::int64_t> organisation = ParseId(c.Field("organisation"));
  std::optional<Role> role = ParseRole(c.Field("role"));
  auto org =
      organisation ? store_.GetOrganisation(*organisation) : Result<std::optional<Organisation>>();
  if (!organisation || !role || !org || !*org) {
    return AdminPage(c, 400, c.T("serve.admin.bad_user"), "");
  }
  // A first password made here and shown once, for the new user to sign in with.
  auto password = NewToken("");
  if (!password) return AdminPage(c, 500, password.error().message, "");
  std::string first = password->substr(0, 16);
  auto user = accounts_.Register(*organisation, c.Field("email"), c.Field("name"), *role, first);
  if (!user) {
    int status = user.error().code == "service.input"    ? 400
                 : user.error().code == "service.exists" ? 409
                                                         : 500;
    return AdminPage(c, status, user.error().message, "");
  }
  return AdminPage(c, 200, "",
                   c.T("serve.admin.user_added", {{"email", user->email}, {"password", first}}));
}

wire::HttpResponse WebApp::RunZip(const RunRow& run, bool api) {
  namespace fs = std::filesystem;
  // A refusal as the caller reads it: JSON for the API, text for a person.
  auto refuse = [api](int status, const std::string& code, const std::string& message) {
    if (api) return JsonError(status, code, message);
    HttpResponse r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = message + "\n";
    return r;
  };
  HttpResponse r;
  if (UnderWay(run)) {
    return refuse(409, "under_way", "the run is under way: its files come when it ends");
  }
  // Every file of the run's directory, in name order, under run-<id>/ (bounded: a run's
  // evidence is megabytes, not gigabytes).
  const fs::path dir = runs_->DirOf(run.id);
  std::vector<edxml::ZipEntry> entries;
  std::uintmax_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    total += it->file_size(ec);
    if (total > kMaxZipBytes) {
      return refuse(507, "too_large",
                    "the run's files are over " + std::to_string(kMaxZipBytes >> 20) +
                        " MiB: take them from --data/runs/" + std::to_string(run.id) + "/");
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    entries.push_back({"run-" + std::to_string(run.id) + "/" +
                           it->path().lexically_relative(dir).generic_string(),
                       bytes.str()});
  }
  if (ec || entries.empty()) return refuse(404, "not_found", "the run left no files");
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  auto zip = edxml::Zip(entries);
  if (!zip) return refuse(500, zip.error().code, zip.error().message);
  r.content_type = "application/zip";
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"vxpkit-run-" + std::to_string(run.id) + ".zip\"");
  r.body = std::move(*zip);
  return r;
}

wire::HttpResponse WebApp::RunFile(Context& /*c*/, const RunRow& run, const std::string& name) {
  // Only files of the run's own directory: no "..", no absolute path, nothing odd.
  namespace fs = std::filesystem;
  static const std::regex safe("^[A-Za-z0-9_.][A-Za-z0-9_./-]*$");
  HttpResponse r;
  if (!std::regex_match(name, safe) || name.find("..") != std::string::npos) {
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "no such file\n";
    return r;
  }
  fs::path path = fs::path(runs_->DirOf(run.id)) / name;
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || !fs::is_regular_file(path, ec)) {
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body =
        UnderWay(run) ? "the run is under way: its files come when it ends\n" : "no such file\n";
    return r;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  r.body = bytes.str();
  std::string ext = path.extension().string();
  r.content_type = ext == ".html"   ? "text/html; charset=utf-8"
                   : ext == ".xml"  ? "application/xml"
                   : ext == ".json" ? "application/json"
                                    : "text/plain; charset=utf-8";
  if (ext == ".html") {
    // The report's own policy: its inline style and filter script, nothing from anywhere.
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; script-src "
                           "'unsafe-inline'; img-src data:");
  }
  return r;
}

std::string OpenApiJson(const std::string& suite_version) {
  json::object error_schema{
      {"type", "object"},
      {"required", json::array{"error"}},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"required", json::array{"code", "message"}},
          {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}};
  json::object system_schema{
      {"type", "object"},
      {"required", json::array{"id", "organisation_id", "name", "product", "agencies",
                               "capabilities", "control", "hub_id", "hub_url"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"organisation_id", {{"type", "integer"}}},
        {"name", {{"type", "string"}}},
        {"product",
         {{"type", "object"},
          {"properties", {{"name", {{"type", "string"}}}, {"version", {{"type", "string"}}}}}}},
        {"agencies", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"capabilities",
         {{"type", "array"},
          {"items",
           {{"type", "string"},
            {"enum", json::array{"receive", "send", "revoke", "update", "replace", "recall"}}}}}},
        {"control",
         {{"type", "string"}, {"description", "the test-driver API's URL, or \"operator\""}}},
        {"hub_id", {{"type", "string"}, {"description", "the system id it signs hub calls with"}}},
        {"hub_url", {{"type", "string"}, {"description", "its hub's base URL, for the SDK"}}},
        {"webhook",
         {{"type", "string"},
          {"description", "told when each run is over (docs/service.md); \"\" for none"}}}}}};
  json::object id_parameter{
      {"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}};
  auto error_response = [](const char* description) {
    return json::object{
        {"description", description},
        {"content",
         {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
  };
  auto run_response = [](const char* description) {
    return json::object{
        {"description", description},
        {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Run"}}}}}}}};
  };
  json::object run_schema{
      {"type", "object"},
      {"required", json::array{"id", "system_id", "plan", "profile", "status", "verdict",
                               "exit_code", "summary", "started_ms", "finished_ms", "progress"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"system_id", {{"type", "integer"}}},
        {"plan", {{"type", "string"}, {"enum", json::array{"self-test", "certification"}}}},
        {"profile", {{"type", "string"}, {"enum", json::array{"demo", "certification"}}}},
        {"status", {{"type", "string"}, {"enum", json::array{"queued", "running", "finished"}}}},
        {"verdict",
         {{"type", "string"},
          {"description", "PASS, FAIL, INCONCLUSIVE, ERROR or INCOMPLETE; empty while running"}}},
        {"exit_code", {{"type", "integer"}, {"description", "as the CLI's; -1 while running"}}},
        {"summary", {{"type", "string"}}},
        {"started_ms", {{"type", "integer"}}},
        {"finished_ms", {{"type", "integer"}}},
        {"worker",
         {{"type", "string"},
          {"description",
           "the service instance that took the run (host:pid:tag); empty while queued"}}},
        {"progress", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"waivers",
         {{"type", "array"},
          {"description",
           "a finished certification run only: the certifier's waivers (docs/certification.md)"},
          {"items",
           {{"type", "object"},
            {"required", json::array{"scenario", "reason", "by", "at"}},
            {"properties",
             {{"scenario", {{"type", "string"}}},
              {"reason", {{"type", "string"}}},
              {"by", {{"type", "string"}}},
              {"at", {{"type", "string"}}}}}}}}},
        {"decision",
         {{"type", "object"},
          {"nullable", true},
          {"description", "a finished certification run only: null until decided"},
          {"properties",
           {{"decision", {{"type", "string"}, {"enum", json::array{"certified", "not certified"}}}},
            {"comments", {{"type", "string"}}},
            {"by", {{"type", "string"}}},
            {"at", {{"type", "string"}}}}}}},
        {"certificate",
         {{"type", "object"},
          {"nullable", true},
          {"description", "the certificate a certified decision issued; its public page"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"number", {{"type", "string"}}},
            {"register", {{"type", "string"}}}}}}}}}};
  json::object run_request_schema{
      {"type", "object"},
      {"properties",
       {{"plan",
         {{"type", "string"},
          {"enum", json::array{"self-test", "certification"}},
          {"default", "self-test"}}},
        {"profile",
         {{"type", "string"},
          {"enum", json::array{"demo", "certification"}},
          {"default", "demo"},
          {"description",
           "self-test only; the certification plan uses the service's certification profile "
           "(vxpkit serve --certification-profile)"}}},
        {"only",
         {{"type", "array"},
          {"items", {{"type", "string"}}},
          {"description", "self-test only: scenario ID globs (empty: the whole catalogue)"}}},
        {"prompts",
         {{"type", "boolean"},
          {"default", false},
          {"description",
           "a system without a driver: a person answers the operator prompts on the run's page "
           "(GET /runs/{id}); false: the scenarios that need the system to act are SKIP"}}}}}};
  json::object doc{
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "vxpkit conformance service"},
        {"version", suite_version},
        {"description",
         "The API a CI job uses: every request carries 'Authorization: Bearer TOKEN' with an API "
         "token made on the service's API tokens page (/tokens)."}}},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Error", error_schema},
          {"System", system_schema},
          {"Run", run_schema},
          {"RunRequest", run_request_schema},
          {"Me",
           {{"type", "object"},
            {"required", json::array{"id", "email", "name", "role", "organisation"}},
            {"properties",
             {{"id", {{"type", "integer"}}},
              {"email", {{"type", "string"}}},
              {"name", {{"type", "string"}}},
              {"role", {{"type", "string"}, {"enum", json::array{"admin", "certifier", "vendor"}}}},
              {"organisation",
               {{"type", "object"},
                {"properties",
                 {{"id", {{"type", "integer"}}}, {"name", {{"type", "string"}}}}}}}}}}}}}}},
      {"security", json::array{json::object{{"bearer", json::array{}}}}},
      {"paths",
       {{"/api/v1/systems/{id}/runs",
         {{"post",
           {{"summary", "Start a run of a plan against one of your organisation's systems"},
            {"operationId", "startRun"},
            {"parameters", json::array{id_parameter}},
            {"requestBody",
             {{"content",
               {{"application/json",
                 {{"schema", {{"$ref", "#/components/schemas/RunRequest"}}}}}}}}},
            {"responses",
             {{"202", run_response("the run, under way (Location: its address)")},
              {"400", error_response("an unknown plan or profile, a selection of nothing")},
              {"401", error_response("no token, or one that is unknown or revoked")},
              {"404", error_response("no such system of your organisation")},
              {"409", error_response("the system has a run under way (service.busy)")}}}}}}},
        {"/api/v1/runs/{id}",
         {{"get",
           {{"summary", "A run: its status, verdict, exit code, summary and progress lines"},
            {"operationId", "run"},
            {"parameters", json::array{id_parameter}},
            {"responses",
             {{"200", run_response("the run")},
              {"401", error_response("no token, or one that is unknown or revoked")},
              {"404", error_response("no run you may see")}}}}}}},
        {"/api/v1/runs/compare",
         {{"get",
           {{"summary", "Two finished runs of one system compared scenario by scenario"},
            {"operationId", "compareRuns"},
            {"parameters", json::array{json::object{{"name", "a"},
                                                    {"in", "query"},
                                                    {"required", true},
                                                    {"description", "the earlier run"},
                                                    {"schema", {{"type", "integer"}}}},
                                       json::object{{"name", "b"},
                                                    {"in", "query"},
                                                    {"required", true},
                                                    {"description", "the later run"},
                                                    {"schema", {{"type", "integer"}}}}}},
            {"responses",
             {{"200",
               {{"description",
                 "each scenario's verdicts and change: newly failing, newly passing, unchanged, "
                 "only before, only after (newly failing first)"},
                {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}},
              {"400", error_response("runs of different systems")},
              {"401", error_response("no token, or one that is unknown or revoked")},
              {"404", error_response("no run you may see")},
              {"409", error_response("a run under way")}}}}}}},
        {"/api/v1/runs/{id}/cancel",
         {{"post",
           {{"summary", "Cancel a run: it ends INCOMPLETE (exit 4) with what it finished"},
            {"operationId", "cancelRun"},
            {"parameters", json::array{id_parameter}},
            {"responses",
             {{"202", run_response("the run, stopping")},
              {"409", run_response("the run was already over")},
              {"401", error_response("no token, or one that is unknown or revoked")},
              {"403", error_response("another organisation's run")},
              {"404", error_response("no run you may see")}}}}}}},
        {"/api/v1/runs/{id}/events",
         {{"get",
           {{"summary",
             "The run as it happens, as Server-Sent Events (text/event-stream): progress, "
             "scenario (each verdict as it lands), traffic (the system's requests to its hub), "
             "prompt, answer, and end (the verdict), each with an id; a stream ends after a few "
             "minutes and is taken up again with Last-Event-ID (or ?after=ID). curl -N follows "
             "it. docs/service.md lists each event's fields"},
            {"operationId", "runEvents"},
            {"parameters",
             json::array{id_parameter, json::object{{"name", "after"},
                                                    {"in", "query"},
                                                    {"required", false},
                                                    {"description", "the last event id seen"},
                                                    {"schema", {{"type", "integer"}}}}}},
            {"responses",
             {{"200",
               {{"description", "the events"},
                {"content", {{"text/event-stream", {{"schema", {{"type", "string"}}}}}}}}},
              {"401", error_response("no token, or one that is unknown or revoked")},
              {"404", error_response("no run you may see")},
              {"503", error_response("too many event streams are open; retry")}}}}}}},
        {"/api/v1/runs/{id}/junit.xml",
         {{"get",
           {{"summary", "The finished run's junit.xml (docs/reports.md)"},
            {"operationId", "runJunit"},
            {"parameters", json::array{id_parameter}},
            {"responses",
             {{"200",
               {{"description", "junit.xml"},
                {"content", {{"application/xml", {{"schema", {{"type", "string"}}}}}}}}},
              {"401", error_response("no token, or one that is unknown or revoked")},
              {"404", error_response("no run you may see, or it is under way")}}}}}}},
        {"/api/v1/runs/{id}/zip",
         {{"get",
           {{"summary",
             "Every file of the finished run in one ZIP: result.json, the reports, the "
             "evidence, under run-<id>/"},
            {"operationId", "runZip"},
            {"parameters", json::array{id_parameter}},
            {"responses",
             {{"200",
               {{"description", "the ZIP"},
                {"content",
                 {{"application/zip", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}}},
              {"401", error_response("no token, or one that is unknown or revoked")},
              {"404", error_response("no run you may see, or it left no files")},
              {"409", error_response("the run is under way")},
              {"507", error_response("the run's files are over 512 MiB")}}}}}}},
        {"/api/v1/runs/{id}/report.json",
         {{"get",
           {{"summary", "The finished run's report.json (schema vxpkit-report/1)"},
            {"operationId", "runReport"},
            {"parameters", json::array{id_parameter}},
            {"responses",
             {{"200",
               {{"description", "report.json"},
                {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}},
              {"401", error_response("no token, or one that is unknown or revoked")},
              {"404", error_response("no run you may see, or it is under way")}}}}}}},
        {"/api/v1/plans",
         {{"get",
           {{"summary",
             "The plans a run follows (self-test: any selection, demo or certification profile; "
             "certification: the whole catalogue) and the catalogue's scenarios to select from"},
            {"operationId", "plans"},
            {"responses",
             {{"200",
               {{"description",
                 "plans: name, profiles, selection (whether \"only\" applies), description; "
                 "scenarios: id, title, category, level, needs_control, needs_outbound"},
                {"content",
                 {{"application/json",
                   {{"schema",
                     {{"type", "object"},
                      {"properties",
                       {{"plans", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                        {"scenarios",
                         {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}}}}}}},
              {"401", error_response("no token, or one that is unknown or revoked")}}}}}}},
        {"/api/v1/systems",
         {{"get",
           {{"summary", "The systems under test the token's owner may see (never their secrets)"},
            {"operationId", "systems"},
            {"responses",
             {{"200",
               {{"description", "a vendor's own organisation's systems; every one for others"},
                {"content",
                 {{"application/json",
                   {{"schema",
                     {{"type", "object"},
                      {"properties",
                       {{"systems",
                         {{"type", "array"},
                          {"items", {{"$ref", "#/components/schemas/System"}}}}}}}}}}}}}}},
              {"401",
               {{"description", "no token, or one that is unknown or revoked"},
                {"content",
                 {{"application/json",
                   {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}}}}},
        {"/api/v1/me",
         {{"get",
           {{"summary", "Who the token belongs to"},
            {"operationId", "me"},
            {"responses",
             {{"200",
               {{"description", "the token's owner"},
                {"content",
                 {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Me"}}}}}}}}},
              {"401",
               {{"description", "no token, or one that is unknown or revoked"},
                {"content",
                 {{"application/json",
                   {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}}}}}}}};
  return json::serialize(doc) + "\n";
}

}  // namespace vxp::service
