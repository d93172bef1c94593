// The web application as a function of requests: sign-in, sessions, CSRF, cookies, the API's
// bearer tokens and the security headers, without a socket.
#include "service/web.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/wire/wire.h"

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
    app_ = std::make_unique<WebApp>(*store_, *accounts_, WebOptions{false, "0.1.0"});
    auto org = *store_->CreateOrganisation("Công ty Phần mềm A", now_);
    user_ = *accounts_->Register(org.id, "an@vendor.vn", "Nguyễn Văn An", Role::kVendor,
                                 "mật khẩu đủ dài");
  }
  void TearDown() override {
    app_.reset();
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
  // Signs in through the form; returns the session cookie ("vxp_session=…").
  std::string SignIn() {
    HttpResponse form = Get("/login");
    std::string login = CookieValue(form, "vxp_login");
    HttpResponse in =
        Post("/login",
             "login_csrf=" + FormField(form.body, "login_csrf") +
                 "&email=an%40vendor.vn&password=m%E1%BA%ADt+kh%E1%BA%A9u+%C4%91%E1%BB%A7+d%C3%A0i",
             "vxp_login=" + login);
    EXPECT_EQ(in.status, 303) << in.body;
    return "vxp_session=" + CookieValue(in, "vxp_session");
  }

  fs::path dir_;
  Millis now_ = 1'790'000'000'000;
  std::unique_ptr<ServiceStore> store_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<WebApp> app_;
  User user_;
};

TEST_F(WebTest, SignInSetsAStrictHttpOnlySessionCookieAndShowsWhoYouAre) {
  HttpResponse anonymous = Get("/");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(HeaderOf(anonymous, "Location"), "/login");
  std::string cookie = SignIn();
  ASSERT_GT(cookie.size(), 20u);
  HttpResponse form = Get("/login");
  HttpResponse in =
      Post("/login",
           "login_csrf=" + FormField(form.body, "login_csrf") +
               "&email=an%40vendor.vn&password=m%E1%BA%ADt+kh%E1%BA%A9u+%C4%91%E1%BB%A7+d%C3%A0i",
           "vxp_login=" + CookieValue(form, "vxp_login"));
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
    HttpResponse form = Get("/login");
    HttpResponse r = Post("/login",
                          "login_csrf=" + FormField(form.body, "login_csrf") +
                              "&email=an%40vendor.vn&password=guess" + std::to_string(i),
                          "vxp_login=" + CookieValue(form, "vxp_login"));
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("Wrong e-mail or password."), std::string::npos);
    EXPECT_TRUE(CookieValue(r, "vxp_session").empty());
  }
  HttpResponse form = Get("/login");
  HttpResponse r =
      Post("/login",
           "login_csrf=" + FormField(form.body, "login_csrf") +
               "&email=an%40vendor.vn&password=m%E1%BA%ADt+kh%E1%BA%A9u+%C4%91%E1%BB%A7+d%C3%A0i",
           "vxp_login=" + CookieValue(form, "vxp_login"));
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
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
    EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "same-origin");
  }
  EXPECT_EQ(Get("/nowhere").status, 404);
}

TEST_F(WebTest, VietnameseOnRequestAndRemembered) {
  HttpResponse vi = Get("/login?lang=vi");
  EXPECT_NE(vi.body.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(vi.body.find("Đăng nhập"), std::string::npos);
  EXPECT_EQ(CookieValue(vi, "vxp_lang"), "vi");
  HttpResponse again = Get("/login", "vxp_lang=vi");
  EXPECT_NE(again.body.find("Mật khẩu"), std::string::npos);
  // Text from users is escaped wherever it is shown.
  EXPECT_NE(Get("/<script>").body.find("/&lt;script&gt;"), std::string::npos);
}

TEST_F(WebTest, ATokenIsRevokedOnlyByItsOwner) {
  std::string token = *accounts_->IssueApiToken(user_, "ci");
  auto org = *store_->CreateOrganisation("Other", now_);
  ASSERT_TRUE(accounts_->Register(org.id, "mallory@other.vn", "M", Role::kVendor, "0123456789"));
  HttpResponse form = Get("/login");
  HttpResponse in = Post("/login",
                         "login_csrf=" + FormField(form.body, "login_csrf") +
                             "&email=mallory%40other.vn&password=0123456789",
                         "vxp_login=" + CookieValue(form, "vxp_login"));
  std::string mallory = "vxp_session=" + CookieValue(in, "vxp_session");
  std::string csrf = FormField(Get("/tokens", mallory).body, "csrf");
  auto id = (*store_->ApiTokens(user_.id))[0].id;
  EXPECT_EQ(Post("/tokens/" + std::to_string(id) + "/revoke", "csrf=" + csrf, mallory).status, 303);
  EXPECT_EQ(Get("/api/v1/me", "", {{"Authorization", "Bearer " + token}}).status, 200);
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
