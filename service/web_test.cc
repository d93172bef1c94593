// The web application as a function of requests: sign-in, sessions, CSRF, cookies, the API's
// bearer tokens and the security headers, without a socket.
#include "service/web.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "clients/hub_client.h"
#include "clients/transport.h"
#include "core/common/utf8.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "core/wire/errors.h"
#include "core/wire/wire.h"
#include "results/json.h"

namespace vxp::service {
namespace {

namespace fs = std::filesystem;
using wire::HttpRequest;
using wire::HttpResponse;

std::string HeaderOf(const HttpResponse& r, std::string_view name) {
  return std::string(wire::Find(r.headers, name).value_or(""));
}

std::vector<std::string> Cookies(const HttpResponse& r) {
  std::vector<std::string> out;
  for (const auto& [name, value] : r.headers) {
    if (name == "Set-Cookie") out.push_back(value);
  }
  return out;
}

// The value a Set-Cookie of `r` gives `name` ("" when none does).
std::string CookieValue(const HttpResponse& r, const std::string& name) {
  for (const std::string& c : Cookies(r)) {
    if (c.rfind(name + "=", 0) == 0)
      return c.substr(name.size() + 1, c.find(';') - name.size() - 1);
  }
  return "";
}

std::string FormField(const std::string& html, const std::string& name) {
  std::smatch m;
  std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

class WebTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vxp-web-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = std::move(*OpenSqliteServiceStore((dir_ / "service.db").string()));
    accounts_ = std::make_unique<Accounts>(*store_, [this] { return now_; });
    hubs_ =
        std::make_unique<Hubs>(*store_, (dir_ / "hubs").string(), [] { return SystemMillis(); });
    // Takes no runs: the tests put the runs they need in the store themselves.
    runs_ =
        std::make_unique<Runs>(*store_, (dir_ / "runs").string(), "0.1.0", RunsOptions{.slots = 0});
    app_ = std::make_unique<WebApp>(*store_, *accounts_, WebOptions{false, "0.1.0"}, hubs_.get(),
                                    runs_.get());
    auto org = *store_->CreateOrganisation("Công ty Phần mềm A", now_);
    user_ = *accounts_->Register(org.id, "an@vendor.vn", "Nguyễn Văn An", Role::kVendor,
                                 "mật khẩu đủ dài");
  }
  void TearDown() override {
    app_.reset();
    runs_.reset();
    hubs_.reset();
    accounts_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  HttpResponse Get(const std::string& target, const std::string& cookie = "",
                   const wire::Headers& more = {}) {
    HttpRequest r{"GET", target, {{"Host", "svc.test"}}, ""};
    if (!cookie.empty()) r.headers.emplace_back("Cookie", cookie);
    for (const auto& h : more) r.headers.push_back(h);
    return app_->Handle(r);
  }
  HttpResponse Post(const std::string& target, const std::string& body, const std::string& cookie,
                    const wire::Headers& more = {}) {
    HttpRequest r{"POST",
                  target,
                  {{"Host", "svc.test"}, {"Content-Type", "application/x-www-form-urlencoded"}},
                  body};
    if (!cookie.empty()) r.headers.emplace_back("Cookie", cookie);
    for (const auto& h : more) r.headers.push_back(h);
    return app_->Handle(r);
  }
  // The sign-in form posted with its own token and cookie (the fields form-encoded).
  HttpResponse PostLogin(const std::string& email, const std::string& password) {
    HttpResponse form = Get("/login");
    return Post("/login",
                "login_csrf=" + FormField(form.body, "login_csrf") + "&email=" + email +
                    "&password=" + password,
                "vxp_login=" + CookieValue(form, "vxp_login"));
  }
  // Signs in through the form; returns the session cookie ("vxp_session=…").
  std::string SignInAs(const std::string& email, const std::string& password) {
    HttpResponse in = PostLogin(email, password);
    EXPECT_EQ(in.status, 303) << in.body;
    return "vxp_session=" + CookieValue(in, "vxp_session");
  }
  std::string SignIn() { return SignInAs("an%40vendor.vn", kPassword); }
  static constexpr const char* kPassword = "m%E1%BA%ADt+kh%E1%BA%A9u+%C4%91%E1%BB%A7+d%C3%A0i";

  fs::path dir_;
  Millis now_ = 1'790'000'000'000;
  std::unique_ptr<ServiceStore> store_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Hubs> hubs_;
  std::unique_ptr<Runs> runs_;
  std::unique_ptr<WebApp> app_;
  User user_;

  // Registers a system through the page; the page's HTML (with the credentials shown once).
  HttpResponse RegisterThroughPage(const std::string& cookie, const std::string& fields) {
    std::string csrf = FormField(Get("/systems", cookie).body, "csrf");
    return Post("/systems", "csrf=" + csrf + "&" + fields, cookie);
  }
  // A hub client for the hub at `hub_path` ("/hub/ID/XrdAdapter/adapter"), in process.
  std::unique_ptr<clients::HubClient> HubClientAt(const std::string& hub_path,
                                                  const std::string& id,
                                                  const std::string& secret) {
    auto transport =
        std::make_unique<http::InProcess>([this](const HttpRequest& r) { return app_->Handle(r); },
                                          hub_path, std::chrono::seconds(10), "service");
    return clients::HubClient::Create({"http://svc.test" + hub_path, {id, secret}, {}},
                                      std::move(transport));
  }
};

std::string Code(const std::string& html, const std::string& id) {
  std::smatch m;
  std::regex re("id=\"" + id + "\">([^<]*)<");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

TEST_F(WebTest, SignInSetsAStrictHttpOnlySessionCookieAndShowsWhoYouAre) {
  HttpResponse anonymous = Get("/");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(HeaderOf(anonymous, "Location"), "/login");
  std::string cookie = SignIn();
  ASSERT_GT(cookie.size(), 20u);
  HttpResponse in = PostLogin("an%40vendor.vn", kPassword);
  std::string set;
  for (const std::string& c : Cookies(in)) {
    if (c.rfind("vxp_session=", 0) == 0) set = c;
  }
  EXPECT_NE(set.find("HttpOnly"), std::string::npos) << set;
  EXPECT_NE(set.find("SameSite=Strict"), std::string::npos) << set;
  EXPECT_EQ(set.find("Secure"), std::string::npos) << "plain HTTP: no Secure";
  HttpResponse home = Get("/", cookie);
  EXPECT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("Nguyễn Văn An"), std::string::npos);
  EXPECT_NE(home.body.find("Công ty Phần mềm A"), std::string::npos);
}

TEST_F(WebTest, UnderTlsTheCookiesAreSecure) {
  WebApp tls(*store_, *accounts_, WebOptions{true, "0.1.0"});
  HttpResponse form = tls.Handle(HttpRequest{"GET", "/login", {{"Host", "svc.test"}}, ""});
  for (const std::string& c : Cookies(form)) EXPECT_NE(c.find("; Secure"), std::string::npos) << c;
}

TEST_F(WebTest, AWrongPasswordIs401AndGuessingIs429) {
  for (int i = 0; i < 5; ++i) {
    HttpResponse r = PostLogin("an%40vendor.vn", "guess" + std::to_string(i));
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("Wrong e-mail or password."), std::string::npos);
    EXPECT_TRUE(CookieValue(r, "vxp_session").empty());
  }
  HttpResponse r = PostLogin("an%40vendor.vn", kPassword);
  EXPECT_EQ(r.status, 429);
}

TEST_F(WebTest, ALoginPostedFromAnotherSiteIsRefused) {
  HttpResponse form = Get("/login");
  std::string body =
      "login_csrf=" + FormField(form.body, "login_csrf") +
      "&email=an%40vendor.vn&password=m%E1%BA%ADt+kh%E1%BA%A9u+%C4%91%E1%BB%A7+d%C3%A0i";
  // The form's token without the cookie (a forged form elsewhere), or another Origin.
  EXPECT_EQ(Post("/login", body, "").status, 403);
  EXPECT_EQ(Post("/login", body, "vxp_login=someone-elses").status, 403);
  EXPECT_EQ(Post("/login", body, "vxp_login=" + CookieValue(form, "vxp_login"),
                 {{"Origin", "https://evil.example"}})
                .status,
            403);
  // An opaque origin (a sandboxed frame, a data: page) is another site too.
  EXPECT_EQ(
      Post("/login", body, "vxp_login=" + CookieValue(form, "vxp_login"), {{"Origin", "null"}})
          .status,
      403);
  EXPECT_EQ(Post("/login", body, "vxp_login=" + CookieValue(form, "vxp_login"),
                 {{"Origin", "http://svc.test"}})
                .status,
            303);
}

TEST_F(WebTest, EveryStateChangeOfASessionNeedsItsCsrfToken) {
  std::string cookie = SignIn();
  std::string csrf = FormField(Get("/tokens", cookie).body, "csrf");
  ASSERT_FALSE(csrf.empty());
  EXPECT_EQ(Post("/tokens", "name=ci", cookie).status, 403);
  EXPECT_EQ(Post("/tokens", "name=ci&csrf=wrong", cookie).status, 403);
  EXPECT_EQ(Post("/logout", "csrf=wrong", cookie).status, 403);
  EXPECT_EQ(Get("/", cookie).status, 200);  // still signed in
  HttpResponse made = Post("/tokens", "name=ci&csrf=" + csrf, cookie);
  EXPECT_EQ(made.status, 200);
  EXPECT_NE(made.body.find("id=\"new-token\">vxpt_"), std::string::npos);
  HttpResponse out = Post("/logout", "csrf=" + csrf, cookie);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(Get("/", cookie).status, 303);  // the session is gone, not only the cookie
}

TEST_F(WebTest, TheApiWantsABearerTokenAndSaysSo) {
  HttpResponse none = Get("/api/v1/me");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(HeaderOf(none, "WWW-Authenticate"), "Bearer realm=\"vxpkit\"");
  auto error = boost::json::parse(none.body);
  EXPECT_EQ(error.at("error").at("code"), "unauthenticated");
  EXPECT_EQ(Get("/api/v1/me", "", {{"Authorization", "Bearer vxpt_forged"}}).status, 401);
  // A session cookie is not an API credential.
  EXPECT_EQ(Get("/api/v1/me", SignIn()).status, 401);
  std::string token = *accounts_->IssueApiToken(user_, "ci");
  HttpResponse me = Get("/api/v1/me", "", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(me.status, 200) << me.body;
  auto doc = boost::json::parse(me.body);
  EXPECT_EQ(doc.at("email"), "an@vendor.vn");
  EXPECT_EQ(doc.at("role"), "vendor");
  EXPECT_EQ(doc.at("organisation").at("name"), "Công ty Phần mềm A");
}

TEST_F(WebTest, PagesForbidScriptsFramingCachingAndReferrers) {
  for (const HttpResponse& r :
       {Get("/login"), Get("/", SignIn()), Get("/nowhere"), Get("/api/v1/me")}) {
    std::string csp = HeaderOf(r, "Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_NE(csp.find("form-action 'self'"), std::string::npos);
    // Scripts only from the service itself (run.js), never inline.
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe"), csp.find("style-src 'unsafe-inline'") + 11);  // styles only
    EXPECT_EQ(csp.find("unsafe", csp.find("unsafe") + 1), std::string::npos);
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
    EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "same-origin");
  }
  EXPECT_EQ(Get("/nowhere").status, 404);
}

// The live view's script is the service's own file; a run's feed is for those who may see the
// run: a page without a session goes to sign-in, the API without a token is 401.
TEST_F(WebTest, TheLiveViewsScriptIsServedAndItsFeedNeedsAnAccount) {
  HttpResponse js = Get("/static/run.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(js.body.find("new EventSource("), std::string::npos);
  EXPECT_EQ(Get("/runs/1/events").status, 303);
  EXPECT_EQ(Get("/api/v1/runs/1/events").status, 401);
}

TEST_F(WebTest, VietnameseOnRequestAndRemembered) {
  HttpResponse vi = Get("/login?lang=vi");
  EXPECT_NE(vi.body.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(vi.body.find("Đăng nhập"), std::string::npos);
  EXPECT_EQ(CookieValue(vi, "vxp_lang"), "vi");
  HttpResponse again = Get("/login", "vxp_lang=vi");
  EXPECT_NE(again.body.find("Mật khẩu"), std::string::npos);
  // A form value percent-encoding bytes that are not UTF-8 cannot make a page that is not UTF-8.
  HttpResponse odd = PostLogin("a%80b%40vendor.vn", "0123456789");
  EXPECT_EQ(vxp::FindInvalidUtf8(odd.body), std::string::npos);
  EXPECT_NE(odd.body.find("a\\x80b@vendor.vn"), std::string::npos);
  // Text from users is escaped wherever it is shown.
  EXPECT_NE(Get("/<script>").body.find("/&lt;script&gt;"), std::string::npos);
}

TEST_F(WebTest, ATokenIsRevokedOnlyByItsOwner) {
  std::string token = *accounts_->IssueApiToken(user_, "ci");
  auto org = *store_->CreateOrganisation("Other", now_);
  ASSERT_TRUE(accounts_->Register(org.id, "mallory@other.vn", "M", Role::kVendor, "0123456789"));
  std::string mallory = SignInAs("mallory%40other.vn", "0123456789");
  std::string csrf = FormField(Get("/tokens", mallory).body, "csrf");
  auto id = (*store_->ApiTokens(user_.id))[0].id;
  EXPECT_EQ(Post("/tokens/" + std::to_string(id) + "/revoke", "csrf=" + csrf, mallory).status, 303);
  EXPECT_EQ(Get("/api/v1/me", "", {{"Authorization", "Bearer " + token}}).status, 200);
}

TEST_F(WebTest, ASystemIsRegisteredWithHubCredentialsShownOnce) {
  std::string cookie = SignIn();
  HttpResponse made = RegisterThroughPage(
      cookie,
      "name=DMS+s%E1%BB%9F&product=eOffice&version=5.2&agencies=000.00.00.H53%2C+000.00.00.H54"
      "&cap_receive=1&cap_send=1&cap_revoke=1&driver=");
  ASSERT_EQ(made.status, 200) << made.body;
  std::string hub_url = Code(made.body, "hub-url"), id = Code(made.body, "hub-id"),
              secret = Code(made.body, "hub-secret");
  EXPECT_EQ(hub_url, "http://svc.test/hub/" + id + "/XrdAdapter/adapter");
  EXPECT_EQ(id.rfind("sut-", 0), 0u);
  EXPECT_GE(secret.size(), 40u);
  // The list shows the system, never its secret.
  HttpResponse list = Get("/systems", cookie);
  EXPECT_NE(list.body.find("DMS sở"), std::string::npos);
  EXPECT_NE(list.body.find("000.00.00.H53, 000.00.00.H54"), std::string::npos);
  EXPECT_NE(list.body.find("operator prompts"), std::string::npos);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  // The API too.
  std::string token = *accounts_->IssueApiToken(user_, "ci");
  HttpResponse api = Get("/api/v1/systems", "", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(api.status, 200);
  EXPECT_EQ(api.body.find(secret), std::string::npos);
  auto systems = boost::json::parse(api.body).at("systems").as_array();
  ASSERT_EQ(systems.size(), 1u);
  EXPECT_EQ(systems[0].at("hub_url"), boost::json::value(hub_url));
  EXPECT_EQ(systems[0].at("capabilities"), boost::json::parse(R"(["receive","send","revoke"])"));
}

TEST_F(WebTest, ARegistrationNamesTheFieldThatIsWrong) {
  std::string cookie = SignIn();
  struct Case {
    const char* fields;
    const char* says;
    int status;
  } cases[] = {
      {"name=&product=p&version=1&agencies=000.00.00.H53&cap_receive=1", "name:", 400},
      {"name=a&product=p&version=1&agencies=00.00.H53&cap_receive=1",
       "agencies: &#39;00.00.H53&#39; is not an agency identifier", 400},
      {"name=a&product=p&version=1&agencies=000.00.00.H53&cap_revoke=1",
       "capabilities: a system receives documents, sends them, or both", 400},
      {"name=a&product=p&version=1&agencies=000.00.00.H53&cap_receive=1&driver=ftp%3A%2F%2Fx",
       "driver: &#39;ftp://x&#39; is not an http:// or https:// URL", 400},
      {"name=a&product=p&version=1&agencies=000.00.00.H53&cap_receive=1&webhook=mailto%3Aa%40b",
       "webhook: &#39;mailto:a@b&#39; is not an http:// or https:// URL", 400},
  };
  for (const Case& k : cases) {
    HttpResponse r = RegisterThroughPage(cookie, k.fields);
    EXPECT_EQ(r.status, k.status) << k.fields;
    EXPECT_NE(r.body.find(k.says), std::string::npos) << k.fields << "\n" << r.body;
  }
  ASSERT_EQ(
      RegisterThroughPage(cookie, "name=a&product=p&version=1&agencies=000.00.00.H53&cap_send=1")
          .status,
      200);
  EXPECT_EQ(
      RegisterThroughPage(cookie, "name=a&product=p&version=2&agencies=000.00.00.H53&cap_send=1")
          .status,
      409);  // a name the organisation already uses
  ASSERT_EQ(RegisterThroughPage(cookie,
                                "name=b&product=p&version=1&agencies=000.00.00.H53&cap_send=1&"
                                "webhook=https%3A%2F%2Fci.vendor.vn%2Fhook")
                .status,
            200);
  auto kept = store_->Systems(user_.organisation_id);
  ASSERT_TRUE(kept);
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[1].name, "b");
  EXPECT_EQ((*kept)[1].webhook, "https://ci.vendor.vn/hook");  // kept, and read back
  EXPECT_EQ((*kept)[0].webhook, "");
}

TEST_F(WebTest, EachSystemHasItsOwnHubAndCredentialsWorkOnlyThere) {
  std::string cookie = SignIn();
  HttpResponse a = RegisterThroughPage(
      cookie,
      "name=A&product=p&version=1&agencies=000.00.00.G22+000.00.00.H53&cap_receive=1&cap_send=1");
  HttpResponse b = RegisterThroughPage(
      cookie, "name=B&product=p&version=1&agencies=000.00.00.H41&cap_receive=1&cap_send=1");
  std::string a_id = Code(a.body, "hub-id"), a_secret = Code(a.body, "hub-secret");
  std::string b_id = Code(b.body, "hub-id"), b_secret = Code(b.body, "hub-secret");
  std::string a_path = "/hub/" + a_id + "/XrdAdapter/adapter";
  std::string b_path = "/hub/" + b_id + "/XrdAdapter/adapter";
  // A's SDK at A's address: the hub answers; a document A sends to itself is listed for it.
  auto at_a = HubClientAt(a_path, a_id, a_secret);
  auto sent = at_a->SendEdoc(edxml::samples::kSender, "edoc",
                             *edxml::Serialize(edxml::samples::Document()));
  ASSERT_TRUE(sent) << sent.error().code << " " << sent.error().message;
  auto listed = at_a->ReceivedList("edoc");
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), 1u);
  // A's credentials at B's address, and B's at A's: the hub there does not know them.
  auto wrong = HubClientAt(b_path, a_id, a_secret)->ReceivedList("edoc");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, "hub.1002");
  // B's own mailbox is empty: A's traffic never reaches it.
  auto at_b = HubClientAt(b_path, b_id, b_secret)->ReceivedList("edoc");
  ASSERT_TRUE(at_b) << at_b.error().message;
  EXPECT_TRUE(at_b->empty());
  EXPECT_EQ(HubClientAt(a_path, b_id, b_secret)->ReceivedList("edoc").error().code, "hub.1002");
  // An address no system has.
  EXPECT_EQ(Get("/hub/sut-nonexistent/XrdAdapter/adapter/getReceivedEdocList").status, 404);
}

// A system is edited by its own organisation: what it is and claims changes, its credentials do
// not, and its hub learns its agencies at once; a wrong field is named; others get 404.
TEST_F(WebTest, ASystemIsEditedByItsOrganisationAndKeepsItsCredentials) {
  std::string cookie = SignIn();
  HttpResponse made = RegisterThroughPage(
      cookie, "name=A&product=p&version=1&agencies=000.00.00.H41&cap_receive=1&cap_send=1");
  std::string hub_id = Code(made.body, "hub-id"), secret = Code(made.body, "hub-secret");
  auto systems = store_->Systems(user_.organisation_id);
  ASSERT_TRUE(systems && systems->size() == 1u);
  const std::string id = std::to_string(systems->front().id);
  auto client = HubClientAt("/hub/" + hub_id + "/XrdAdapter/adapter", hub_id, secret);
  const std::string package = *edxml::Serialize(edxml::samples::Document());
  auto refused = client->SendEdoc(edxml::samples::kSender, "edoc", package);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "hub.1008");  // G22 is not yet one of its agencies

  HttpResponse form = Get("/systems/" + id + "/edit", cookie);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"000.00.00.H41\""), std::string::npos);
  EXPECT_NE(form.body.find("name=\"cap_send\" id=\"cap_send\" value=\"1\" checked"),
            std::string::npos);
  const std::string csrf = FormField(form.body, "csrf");
  HttpResponse wrong = Post("/systems/" + id,
                            "csrf=" + csrf +
                                "&name=A&product=p&version=2&agencies=000.00.00.H41&cap_receive=1"
                                "&webhook=ftp%3A%2F%2Fx",
                            cookie);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("webhook: &#39;ftp://x&#39;"), std::string::npos) << wrong.body;
  EXPECT_EQ(Post("/systems/" + id, "name=A&product=p&version=2", cookie).status, 403);  // no CSRF
  HttpResponse saved = Post("/systems/" + id,
                            "csrf=" + csrf +
                                "&name=A2&product=p&version=2&agencies=000.00.00.H41+000.00.00.G22+"
                                "000.00.00.H53"
                                "&cap_receive=1&cap_send=1&driver=http%3A%2F%2F127.0.0.1%3A9090",
                            cookie);
  EXPECT_EQ(saved.status, 303) << saved.body;
  auto after = store_->GetSystem(systems->front().id);
  ASSERT_TRUE(after && *after);
  EXPECT_EQ((*after)->name, "A2");
  EXPECT_EQ((*after)->product_version, "2");
  EXPECT_EQ((*after)->control, "http://127.0.0.1:9090");
  EXPECT_EQ((*after)->hub_id, hub_id);
  EXPECT_EQ((*after)->hub_secret, secret);
  auto sent = client->SendEdoc(edxml::samples::kSender, "edoc", package);
  EXPECT_TRUE(sent) << sent.error().code << " " << sent.error().message;  // the hub was told

  auto other_org = *store_->CreateOrganisation("Công ty B", now_);
  ASSERT_TRUE(accounts_->Register(other_org.id, "b@b.vn", "B", Role::kVendor, "mật khẩu đủ dài"));
  std::string other = SignInAs("b%40b.vn", kPassword);
  EXPECT_EQ(Get("/systems/" + id + "/edit", other).status, 404);
  std::string other_csrf = FormField(Get("/systems", other).body, "csrf");
  EXPECT_EQ(Post("/systems/" + id, "csrf=" + other_csrf + "&name=X", other).status, 404);
  EXPECT_EQ((*store_->GetSystem(systems->front().id))->name, "A2");
  EXPECT_EQ(Get("/systems/" + id + "/edit").status, 303);  // no session: to sign in
}

TEST_F(WebTest, RotatingASecretRetiresTheOldOneAtOnce) {
  std::string cookie = SignIn();
  HttpResponse made = RegisterThroughPage(
      cookie, "name=A&product=p&version=1&agencies=000.00.00.H53&cap_receive=1");
  std::string id = Code(made.body, "hub-id"), old_secret = Code(made.body, "hub-secret");
  std::string path = "/hub/" + id + "/XrdAdapter/adapter";
  ASSERT_TRUE(HubClientAt(path, id, old_secret)->ReceivedList("edoc"));  // the hub is made
  auto system = (*store_->Systems(user_.organisation_id))[0];
  std::string csrf = FormField(Get("/systems", cookie).body, "csrf");
  HttpResponse rotated =
      Post("/systems/" + std::to_string(system.id) + "/rotate", "csrf=" + csrf, cookie);
  ASSERT_EQ(rotated.status, 200);
  std::string new_secret = Code(rotated.body, "hub-secret");
  EXPECT_NE(new_secret, old_secret);
  EXPECT_EQ(HubClientAt(path, id, old_secret)->ReceivedList("edoc").error().code, "hub.1003");
  EXPECT_TRUE(HubClientAt(path, id, new_secret)->ReceivedList("edoc"));
  // Another organisation cannot rotate it.
  auto org = *store_->CreateOrganisation("Other", now_);
  ASSERT_TRUE(accounts_->Register(org.id, "m@other.vn", "M", Role::kVendor, "0123456789"));
  std::string other = SignInAs("m%40other.vn", "0123456789");
  std::string other_csrf = FormField(Get("/systems", other).body, "csrf");
  EXPECT_EQ(
      Post("/systems/" + std::to_string(system.id) + "/rotate", "csrf=" + other_csrf, other).status,
      404);
  EXPECT_EQ(Get("/systems", other).body.find("data-system="), std::string::npos);  // not shown
  EXPECT_TRUE(HubClientAt(path, id, new_secret)->ReceivedList("edoc"));
}

TEST_F(WebTest, ABigBodyIsRefusedBeforeItIsReadExceptForAHub) {
  HttpRequest head{"POST", "/login", {{"Host", "svc.test"}, {"Content-Length", "5000000"}}, ""};
  auto refused = app_->Admit(head);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
  head.headers[1].second = "100";
  EXPECT_FALSE(app_->Admit(head));
}

TEST_F(WebTest, AnAdministratorAddsOrganisationsAndUsersAndNobodyElseMay) {
  // A vendor may not even look.
  std::string vendor = SignIn();
  EXPECT_EQ(Get("/admin", vendor).status, 403);
  std::string vendor_csrf = FormField(Get("/tokens", vendor).body, "csrf");
  EXPECT_EQ(Post("/admin/organisations", "name=Mine&csrf=" + vendor_csrf, vendor).status, 403);
  EXPECT_FALSE(*store_->FindOrganisation("Mine"));

  ASSERT_TRUE(accounts_->Register(user_.organisation_id, "root@office.vn", "Root", Role::kAdmin,
                                  "0123456789"));
  std::string admin = SignInAs("root%40office.vn", "0123456789");
  HttpResponse page = Get("/admin", admin);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("an@vendor.vn"), std::string::npos);
  std::string csrf = FormField(page.body, "csrf");
  EXPECT_EQ(Post("/admin/organisations", "name=S%E1%BB%9F+TT%26TT", admin).status, 403);  // no CSRF
  HttpResponse org = Post("/admin/organisations", "name=S%E1%BB%9F+TT%26TT&csrf=" + csrf, admin);
  ASSERT_EQ(org.status, 200) << org.body;
  auto made = *store_->FindOrganisation("Sở TT&TT");
  ASSERT_TRUE(made);
  EXPECT_EQ(Post("/admin/organisations", "name=S%E1%BB%9F+TT%26TT&csrf=" + csrf, admin).status,
            409);
  HttpResponse user = Post("/admin/users",
                           "organisation=" + std::to_string(made->id) +
                               "&email=cert%40so.vn&name=C&role=certifier&csrf=" + csrf,
                           admin);
  ASSERT_EQ(user.status, 200) << user.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(user.body, m, std::regex("first password: ([^ ]+) ")));
  // The new certifier signs in with the password shown once.
  EXPECT_EQ(PostLogin("cert%40so.vn", m[1].str()).status, 303);
  EXPECT_EQ(Post("/admin/users", "organisation=999&email=x%40so.vn&name=X&role=vendor&csrf=" + csrf,
                 admin)
                .status,
            400);
  EXPECT_EQ(Post("/admin/users",
                 "organisation=" + std::to_string(made->id) +
                     "&email=x%40so.vn&name=X&role=superuser&csrf=" + csrf,
                 admin)
                .status,
            400);
}

// A disabled user is signed out at once, cannot sign in (the answer of a wrong password), and its
// API tokens stop working; enabled again, it signs in. An administrator cannot disable itself.
TEST_F(WebTest, AnAdministratorDisablesAndEnablesAUser) {
  ASSERT_TRUE(accounts_->Register(user_.organisation_id, "root@office.vn", "Root", Role::kAdmin,
                                  "0123456789"));
  std::string admin = SignInAs("root%40office.vn", "0123456789");
  std::string vendor = SignIn();
  auto token = accounts_->IssueApiToken(user_, "ci");
  ASSERT_TRUE(token);
  const wire::Headers bearer = {{"Authorization", "Bearer " + *token}};
  ASSERT_EQ(Get("/api/v1/me", "", bearer).status, 200);
  std::string csrf = FormField(Get("/admin", admin).body, "csrf");
  const std::string id = std::to_string(user_.id);
  EXPECT_EQ(Post("/admin/users/" + id + "/disable", "", admin).status, 403);  // no CSRF
  EXPECT_EQ(Post("/admin/users/" + id + "/disable", "csrf=" + csrf, admin).status, 303);
  EXPECT_EQ(Get("/", vendor).status, 303);  // its session is over
  EXPECT_EQ(Get("/api/v1/me", "", bearer).status, 401);
  HttpResponse again = PostLogin("an%40vendor.vn", kPassword);
  EXPECT_EQ(again.status, 401);
  EXPECT_NE(again.body.find("Wrong e-mail or password."), std::string::npos);
  EXPECT_NE(Get("/admin", admin).body.find("/admin/users/" + id + "/enable"), std::string::npos);
  EXPECT_EQ(Post("/admin/users/" + id + "/enable", "csrf=" + csrf, admin).status, 303);
  EXPECT_EQ(PostLogin("an%40vendor.vn", kPassword).status, 303);
  EXPECT_EQ(Get("/api/v1/me", "", bearer).status, 200);  // its tokens work again
  auto self = store_->FindLogin("root@office.vn");
  ASSERT_TRUE(self && *self);
  EXPECT_EQ(
      Post("/admin/users/" + std::to_string((*self)->first.id) + "/disable", "csrf=" + csrf, admin)
          .status,
      400);
  EXPECT_EQ(Post("/admin/users/99999/disable", "csrf=" + csrf, admin).status, 404);
  std::string vendor_again = SignIn();
  std::string vendor_csrf = FormField(Get("/tokens", vendor_again).body, "csrf");
  EXPECT_EQ(Post("/admin/users/" + id + "/disable", "csrf=" + vendor_csrf, vendor_again).status,
            403);  // not an administrator
}

// Over their bound, hubs unused for long enough are closed, least recently used first; one in
// use by a request lives on until it is answered, and a closed one opens again on demand.
TEST_F(WebTest, IdleHubsAreClosedOverTheBound) {
  Millis t = now_;
  Hubs hubs(
      *store_, (dir_ / "lru").string(), [&t] { return t; }, 2);
  std::vector<std::string> ids;
  for (const char* name : {"a", "b", "c", "d"}) {
    auto made = RegisterSystem(*store_, user_.organisation_id,
                               {name, "p", "1", "000.00.00.H53", {"receive"}, ""}, t);
    ASSERT_TRUE(made) << made.error().message;
    ids.push_back(made->hub_id);
  }
  auto a = hubs.Of(ids[0]);
  ASSERT_TRUE(a && *a);
  ASSERT_TRUE(hubs.Of(ids[1]));
  t += 60'000;
  ASSERT_TRUE(hubs.Of(ids[2]));
  EXPECT_EQ(hubs.open(), 3u);  // over the bound, but none idle long enough to forget a replay
  t += Hubs::kIdleBeforeClose - 30'000;  // a and b are idle long enough; c is not
  ASSERT_TRUE(hubs.Of(ids[3]));
  EXPECT_EQ(hubs.open(), 2u);  // a and b closed
  // The closed hub still answers the request that holds it, and opens anew for the next one.
  auto code = [](const HttpResponse& r) { return wire::ParseResponse(r.body)->error_code; };
  EXPECT_EQ(code((*a)->Handle({"POST", "/x/getReceivedEdocList", {}, ""})),
            wire::errors::kMissingHeader.code);
  auto again = hubs.Of(ids[0]);
  ASSERT_TRUE(again && *again);
  EXPECT_NE(again->get(), a->get());
  EXPECT_EQ(code((*again)->Handle({"POST", "/x/getReceivedEdocList", {}, ""})),
            wire::errors::kMissingHeader.code);
  EXPECT_TRUE(fs::exists(dir_ / "lru" / (ids[0] + ".db")));  // its store was kept
  EXPECT_EQ(*hubs.Of("sut-nobody"), nullptr);
}

// A finished certification run of a system of user_'s organisation, with its result.json: one
// FAIL, one SKIP for want of a driver, one SKIP "not claimed", one PASS. Its id.
std::int64_t FinishedCertificationRun(ServiceStore& store, Runs& runs, std::int64_t organisation,
                                      std::int64_t user) {
  SystemRecord sys;
  sys.organisation_id = organisation;
  sys.name = "eOffice Sở Nội vụ";
  sys.product = "Acme eOffice";
  sys.product_version = "5.2.1";
  sys.capabilities = {"receive", "revoke"};
  sys.control = "operator";
  sys.hub_id = "acme-hub";
  sys.hub_secret = "s";
  auto made = store.CreateSystem(sys);
  EXPECT_TRUE(made);
  RunRow row{.system_id = made->id,
             .organisation_id = organisation,
             .started_by = user,
             .plan = "certification",
             .profile = "certification"};
  auto run = store.CreateRun(row, std::nullopt);
  EXPECT_TRUE(run);
  EXPECT_TRUE(store.FinishRun(run->id, "FAIL", 1, "1 failed", 1'790'000'000'000));
  results::RunRecord r;
  r.suite_version = "0.1.0";
  r.started = 1'789'999'000'000;
  r.finished = 1'790'000'000'000;
  r.profile = "certification";
  r.system_id = "acme-hub";
  r.control = "operator";
  r.claims = std::vector<std::string>{"receive", "revoke"};
  r.verdict = Verdict::kFail;
  auto scenario = [](std::string id, Verdict v, std::string reason) {
    results::ScenarioRecord s;
    s.id = std::move(id);
    s.title = "title of " + s.id;
    s.category = "inbound";
    s.verdict = v;
    s.reason = std::move(reason);
    return s;
  };
  r.scenarios = {scenario("TRANSPORT-AUTH", Verdict::kPass, ""),
                 scenario("HUB-SLOW", Verdict::kFail, "no 02 within 60 s"),
                 scenario("FLOW-RECALL", Verdict::kSkip,
                          "not claimed: the system's conformance statement does not claim "
                          "\"recall\""),
                 scenario("FLOW-REVOKE", Verdict::kSkip, "the SUT must be made to act")};
  fs::create_directories(runs.DirOf(run->id));
  std::ofstream(runs.DirOf(run->id) + "/result.json") << results::ToJson(r);
  return run->id;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Review → waivers → certify → the public register → revoke, with the rules a certifier must be
// able to defend: only certifiers review; every verdict that cannot stand needs a waiver with a
// reason; no certificate without the office's key; each action in the audit log.
// The office's audit log names every certification run from its start: the run and its line are
// written in one transaction, so a run whose line cannot be written is never queued, and the one
// who asked is told why; no run goes on unrecorded, not even for a moment.
TEST_F(WebTest, ACertificationRunTheAuditLogCannotRecordIsNeverQueued) {
  SystemRecord sys;
  sys.organisation_id = user_.organisation_id;
  sys.name = "eOffice Sở Tư pháp";
  sys.product = "Acme eOffice";
  sys.product_version = "5.2.1";
  sys.capabilities = {"receive"};
  sys.control = "operator";
  sys.hub_id = "audit-hub";
  sys.hub_secret = "s";
  auto made = store_->CreateSystem(sys);
  ASSERT_TRUE(made) << made.error().message;
  {  // The audit log refuses exactly that entry, as a full or failing disk would.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "service.db").string().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TRIGGER refuse BEFORE INSERT ON audit WHEN NEW.action = "
                           "'certification run started' BEGIN SELECT RAISE(ABORT, 'disk I/O "
                           "error'); END;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  std::string token = *accounts_->IssueApiToken(user_, "ci");
  std::string path = "/api/v1/systems/" + std::to_string(made->id) + "/runs";
  HttpResponse r =
      Post(path, R"({"plan": "certification"})", "", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_NE(r.body.find("service.store"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("was not started"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("disk I/O error"), std::string::npos) << r.body;
  auto runs = store_->Runs(user_.organisation_id, 10);
  ASSERT_TRUE(runs);
  EXPECT_TRUE(runs->empty()) << runs->front().status;  // rolled back with its line
  // The page says the same, in the reader's language.
  std::string cookie = SignIn() + "; vxp_lang=vi";
  std::string csrf = FormField(Get("/systems", cookie).body, "csrf");
  HttpResponse page = Post("/systems/" + std::to_string(made->id) + "/runs",
                           "plan=certification&csrf=" + csrf, cookie);
  EXPECT_EQ(page.status, 500) << page.body;
  EXPECT_NE(page.body.find("chưa được bắt đầu"), std::string::npos) << page.body;
  // A self-test needs no such entry: it still starts (and the system is free).
  HttpResponse self =
      Post(path, R"({"plan": "self-test"})", "", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(self.status, 202) << self.body;
}

TEST_F(WebTest, ACertifierReviewsWaivesCertifiesAndRevokes) {
  const std::int64_t run =
      FinishedCertificationRun(*store_, *runs_, user_.organisation_id, user_.id);
  const std::string review = "/runs/" + std::to_string(run) + "/review";
  std::string vendor = SignIn();
  EXPECT_EQ(Get(review, vendor).status, 403);
  auto office_org = *store_->CreateOrganisation("Cục Bưu điện Trung ương", now_);
  ASSERT_TRUE(accounts_->Register(office_org.id, "c@office.vn", "Trần Thị Chứng", Role::kCertifier,
                                  "mật khẩu đủ dài"));
  std::string certifier = SignInAs("c%40office.vn", kPassword);

  HttpResponse page = Get(review, certifier);
  ASSERT_EQ(page.status, 200) << page.body;
  // Failures first: HUB-SLOW and FLOW-REVOKE need a waiver, the unclaimed FLOW-RECALL does not.
  const size_t slow = page.body.find("data-scenario=\"HUB-SLOW\"");
  const size_t pass = page.body.find("data-scenario=\"TRANSPORT-AUTH\"");
  ASSERT_NE(slow, std::string::npos);
  EXPECT_LT(slow, pass);
  EXPECT_NE(page.body.find("data-scenario=\"FLOW-REVOKE\" data-verdict=\"SKIP\" "
                           "data-needs-waiver=\"yes\""),
            std::string::npos);
  EXPECT_NE(page.body.find("data-scenario=\"FLOW-RECALL\" data-verdict=\"SKIP\" "
                           "data-needs-waiver=\"no\""),
            std::string::npos);
  EXPECT_NE(page.body.find("data-open=\"2\""), std::string::npos);
  std::string csrf = FormField(page.body, "csrf");
  const std::string base = "/runs/" + std::to_string(run);

  HttpResponse early = Post(base + "/decision", "decision=certified&csrf=" + csrf, certifier);
  EXPECT_EQ(early.status, 409);
  EXPECT_NE(early.body.find("HUB-SLOW, FLOW-REVOKE"), std::string::npos) << early.body;
  EXPECT_EQ(Post(base + "/waivers", "scenario=HUB-SLOW&reason=+++&csrf=" + csrf, certifier).status,
            400);
  for (const char* stands : {"TRANSPORT-AUTH", "FLOW-RECALL", "NO-SUCH"}) {  // nothing to waive
    EXPECT_EQ(Post(base + "/waivers", "scenario=" + std::string(stands) + "&reason=x&csrf=" + csrf,
                   certifier)
                  .status,
              400)
        << stands;
  }
  EXPECT_EQ(Post(base + "/waivers", "scenario=HUB-SLOW&reason=stall&csrf=" + csrf, vendor).status,
            403);  // the vendor's own session has another CSRF token, and is no certifier
  EXPECT_EQ(Post(base + "/waivers",
                 "scenario=HUB-SLOW&reason=the+production+hub+never+stalls&csrf=" + csrf, certifier)
                .status,
            303);
  EXPECT_EQ(
      Post(base + "/waivers", "scenario=HUB-SLOW&reason=again&csrf=" + csrf, certifier).status,
      409);
  EXPECT_EQ(Post(base + "/waivers",
                 "scenario=FLOW-REVOKE&reason=shown+by+hand+to+the+office&csrf=" + csrf, certifier)
                .status,
            303);
  // A later run of the system compared with this one: the waived verdict is marked as such.
  RunRow again = **store_->GetRun(run);
  auto later = store_->CreateRun(again, std::nullopt);
  ASSERT_TRUE(later && store_->FinishRun(later->id, "FAIL", 1, "", now_));
  fs::create_directories(runs_->DirOf(later->id));
  fs::copy_file(runs_->DirOf(run) + "/result.json", runs_->DirOf(later->id) + "/result.json");
  HttpResponse compared =
      Get("/runs/compare?a=" + std::to_string(run) + "&b=" + std::to_string(later->id), certifier);
  ASSERT_EQ(compared.status, 200) << compared.body;
  EXPECT_NE(compared.body.find("FAIL <span class=\"waived\" title=\"the production hub never "
                               "stalls (c@office.vn)\">(waived)</span></td><td>FAIL</td>"),
            std::string::npos)
      << compared.body;
  HttpResponse refused = Post(base + "/decision", "decision=certified&csrf=" + csrf, certifier);
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("--office-key"), std::string::npos);
  EXPECT_FALSE(store_->GetDecision(run)->has_value());

  // With the office's key.
  WebOptions options{false, "0.1.0"};
  const fs::path keys = fs::path(VXP_SOURCE_DIR) / "vectors" / "keys";
  options.office =
      signing::Credential{Slurp(keys / "agency-g22.key"), Slurp(keys / "agency-g22.crt"),
                          Slurp(keys / "intermediate-ca.crt")};
  options.office_name = "Cục Bưu điện Trung ương";
  app_ = std::make_unique<WebApp>(*store_, *accounts_, options, hubs_.get(), runs_.get());
  EXPECT_EQ(Post(base + "/decision", "decision=certified", certifier).status, 403);  // no CSRF
  HttpResponse decided = Post(
      base + "/decision", "decision=certified&comments=%C4%90%E1%BA%A1t&csrf=" + csrf, certifier);
  ASSERT_EQ(decided.status, 303) << decided.body;
  EXPECT_EQ(
      Post(base + "/decision", "decision=not+certified&comments=x&csrf=" + csrf, certifier).status,
      409);

  // The public register, without signing in.
  HttpResponse reg = Get("/register");
  ASSERT_EQ(reg.status, 200);
  EXPECT_NE(reg.body.find("data-certificate=\"1\" data-status=\"valid\""), std::string::npos);
  EXPECT_NE(reg.body.find("VXP-C-000001"), std::string::npos);
  HttpResponse json = Get("/register/1/certificate.json");
  HttpResponse sig = Get("/register/1/certificate.json.p7s");
  HttpResponse pdf = Get("/register/1/certificate.pdf");
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(pdf.content_type, "application/pdf");
  auto facts = ReadCertificateJson(json.body);
  ASSERT_TRUE(facts) << facts.error().message;
  EXPECT_EQ(facts->verify_url, "http://svc.test/register/1");
  EXPECT_EQ(facts->waivers.size(), 2u);
  EXPECT_EQ(facts->claims, (std::vector<std::string>{"receive", "revoke"}));
  const std::string trust = Slurp(keys / "root-ca.crt");
  auto register_copy = [&] {
    return RegisterCopy{Get("/register.json").body, Get("/register.json.p7s").body};
  };
  auto check =
      VerifyCertificate(json.body, sig.body, trust, SystemMillis(), register_copy(), pdf.body);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->problems.empty()) << check->problems[0].kind << check->problems[0].detail;

  // The vendor sees the decision and every waiver on the run's page and in its JSON.
  HttpResponse vendor_page = Get(base, vendor);
  EXPECT_NE(vendor_page.body.find("data-decision=\"certified\""), std::string::npos);
  EXPECT_NE(vendor_page.body.find("the production hub never stalls"), std::string::npos);

  // Revocation: certifiers only, with a reason; then the register says so.
  std::string vendor_csrf = FormField(Get("/tokens", vendor).body, "csrf");
  EXPECT_EQ(Post("/register/1/revoke", "reason=x&csrf=" + vendor_csrf, vendor).status, 403);
  EXPECT_EQ(Post("/register/1/revoke", "reason=&csrf=" + csrf, certifier).status, 400);
  EXPECT_EQ(Post("/register/1/revoke", "reason=changed+after+certification&csrf=" + csrf, certifier)
                .status,
            303);
  EXPECT_NE(Get("/register").body.find("data-certificate=\"1\" data-status=\"revoked\""),
            std::string::npos);
  auto revoked =
      VerifyCertificate(json.body, sig.body, trust, SystemMillis(), register_copy(), std::nullopt);
  ASSERT_TRUE(revoked);
  ASSERT_EQ(revoked->problems.size(), 1u);
  EXPECT_EQ(revoked->problems[0].kind, "revoked");
  EXPECT_NE(revoked->problems[0].detail.find("changed after certification"), std::string::npos);

  HttpResponse audit = Get("/audit", certifier);
  ASSERT_EQ(audit.status, 200);
  for (const char* action : {"waiver", "decision", "certificate issued", "revoked"}) {
    EXPECT_NE(audit.body.find("data-action=\"" + std::string(action) + "\""), std::string::npos)
        << action;
  }
  EXPECT_EQ(Get("/audit", vendor).status, 403);
}

TEST(OpenApi, IsTheDocumentInDocs) {
  std::ifstream in(std::string(VXP_SOURCE_DIR) + "/docs/openapi.json");
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto kept = boost::json::parse(text.str(), ec);
  ASSERT_FALSE(ec) << "docs/openapi.json: " << ec.message();
  EXPECT_EQ(boost::json::parse(OpenApiJson(kept.at("info").at("version").as_string().c_str())),
            kept)
      << "docs/openapi.json is not what the service serves: write it again with "
         "`curl URL/api/openapi.json | python3 -m json.tool > docs/openapi.json`";
}

}  // namespace
}  // namespace vxp::service
