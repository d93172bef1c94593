// Internal to service/: what the web application's parts (web.cc, certification_web.cc) share —
// a request's context and the answers every page builds on. Not an interface of the library.
#ifndef VXP_SERVICE_WEB_INTERNAL_H_
#define VXP_SERVICE_WEB_INTERNAL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/wire/http.h"
#include "i18n/catalog.h"
#include "service/web.h"

namespace vxp::service {

struct WebApp::Context {
  const wire::HttpRequest& request;
  std::string path;
  std::map<std::string, std::string> query, form, cookies;
  i18n::Lang lang = i18n::kDefaultLang;
  std::optional<Session> session;
  wire::Headers headers;  // to add to the response (cookies)
  Millis now = 0;

  std::string T(std::string_view key, const i18n::Args& args = {}) const {
    return i18n::Text(lang, key, args);
  }
  std::string Field(const std::string& name) const {
    auto it = form.find(name);
    return it == form.end() ? "" : it->second;
  }
};

namespace web_internal {

// 303 to `to`.
wire::HttpResponse Redirect(const std::string& to);
// {"error": {"code", "message"}} with `status`.
wire::HttpResponse JsonError(int status, const std::string& code, const std::string& message);
// A whole HTML page; `nav`, `body`, `footer` and `head` are HTML already.
std::string Page(const std::string& lang_code, const std::string& title, const std::string& nav,
                 const std::string& body, const std::string& footer, const std::string& head = "");
std::string Header(const wire::HttpRequest& r, std::string_view name);
// A database id written as digits only (15 at most); nullopt otherwise.
std::optional<std::int64_t> ParseId(const std::string& text);

}  // namespace web_internal
}  // namespace vxp::service

#endif  // VXP_SERVICE_WEB_INTERNAL_H_
