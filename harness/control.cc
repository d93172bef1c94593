#include "harness/control.h"

#include <algorithm>
#include <boost/json.hpp>

#include "clients/http_client.h"
#include "core/common/error_codes.h"
#include "harness/profile.h"

namespace vxp::harness {
namespace {

namespace json = boost::json;

class DriverControl : public SutControl {
 public:
  explicit DriverControl(std::unique_ptr<http::Transport> client) : client_(std::move(client)) {}
  std::string_view kind() const override { return "driver"; }
  std::pair<std::string, std::string> Product() const override { return product_; }
  void set_product(std::string name, std::string version) {
    product_ = {std::move(name), std::move(version)};
  }

  Result<json::value> Call(std::string_view method, std::string_view path, json::object body) {
    auto res = client_->Send(std::string(method), std::string(path),
                             {{"Content-Type", "application/json"}},
                             method == "GET" ? std::string() : json::serialize(body));
    if (!res) return tl::unexpected(res.error());
    boost::system::error_code ec;
    json::value v = json::parse(res->body, ec);
    if (res->status != 200) {
      std::string code = "driver.http";
      std::string message = "HTTP " + std::to_string(res->status) + " from " + std::string(path);
      if (!ec && v.is_object()) {
        const json::object& o = v.as_object();
        std::string theirs;
        if (auto* e = o.if_contains("error"); e && e->is_string()) theirs = e->as_string().c_str();
        // The driver's code when it is one of driver-api.md's (a closed set: error_codes.h),
        // else driver.http naming what it said.
        if (IsKnownErrorCode(theirs)) {
          code = theirs;
        } else if (!theirs.empty()) {
          message += " (error '" + theirs + "')";
        }
        if (auto* m = o.if_contains("message"); m && m->is_string()) {
          // A refusal is the system's own statement: quoted as it is, not as an HTTP error.
          message = code == "driver.refused" ? std::string(m->as_string())
                                             : message + ": " + std::string(m->as_string());
        }
      }
      return MakeError(code, message);
    }
    if (ec || !v.is_object()) {
      return MakeError("driver.response", std::string(path) + " answered something not JSON");
    }
    return v;
  }

  Result<std::string> Send(const SendOrder& o) override {
    json::array to;
    for (const std::string& t : o.to) to.emplace_back(t);
    auto v = Call("POST", "/driver/v1/send",
                  {{"to", to},
                   {"businessType", o.business_type},
                   {"targetDocumentId", o.target_document_id},
                   {"subject", o.subject},
                   {"reason", o.reason}});
    if (!v) return tl::unexpected(v.error());
    const json::value* id = v->as_object().if_contains("documentId");
    return id && id->is_string() ? std::string(id->as_string()) : std::string();
  }

  Result<void> Advance(std::string_view document_id, std::string_view from, std::string_view code,
                       std::string_view reason) override {
    auto v =
        Call("POST", "/driver/v1/advance",
             {{"documentId", document_id}, {"from", from}, {"code", code}, {"reason", reason}});
    if (!v) return tl::unexpected(v.error());
    return {};
  }

  Result<void> Recall(std::string_view document_id, std::string_view to,
                      std::string_view reason) override {
    auto v = Call("POST", "/driver/v1/recall",
                  {{"documentId", document_id}, {"to", to}, {"reason", reason}});
    if (!v) return tl::unexpected(v.error());
    return {};
  }

 private:
  std::unique_ptr<http::Transport> client_;
  std::pair<std::string, std::string> product_;
};

class OperatorControl : public SutControl {
 public:
  OperatorControl(PromptSink sink, std::chrono::milliseconds deadline)
      : sink_(std::move(sink)), deadline_(deadline) {}
  std::string_view kind() const override { return "operator"; }

  void Prompt(const std::string& what) { sink_(++count_, what, deadline_); }
  Result<std::string> Send(const SendOrder& o) override {
    std::string to;
    for (const std::string& t : o.to) to += (to.empty() ? "" : ", ") + t;
    static const char* kTypes[] = {"a new document", "a revoke (thu hồi) of document ",
                                   "an update (cập nhật) of document ",
                                   "a replacement (thay thế) of document "};
    Prompt("in your system, as agency " + o.from + ", send " + kTypes[o.business_type] +
           o.target_document_id + " to " + to +
           (o.subject.empty() ? "" : " with the subject \"" + o.subject + "\"") +
           (o.reason.empty() ? "" : ", reason \"" + o.reason + "\"") + ".");
    return std::string();
  }
  Result<void> Advance(std::string_view document_id, std::string_view from, std::string_view code,
                       std::string_view reason) override {
    Prompt("in your system, move document " + std::string(document_id) + " (from " +
           std::string(from) + ") to status " + std::string(code) +
           (reason.empty() ? "" : " with the reason \"" + std::string(reason) + "\"") + ".");
    return {};
  }
  Result<void> Recall(std::string_view document_id, std::string_view to,
                      std::string_view reason) override {
    Prompt("in your system, recall (status 13) document " + std::string(document_id) +
           (to.empty() ? "" : " from " + std::string(to)) + " with the reason \"" +
           std::string(reason) + "\".");
    return {};
  }

 private:
  PromptSink sink_;
  std::chrono::milliseconds deadline_;
  int count_ = 0;
};

}  // namespace

Result<std::unique_ptr<SutControl>> ConnectDriver(const std::string& url,
                                                  const std::vector<std::string>& agencies,
                                                  std::chrono::milliseconds timeout) {
  http::ClientOptions options;
  options.connect_timeout = std::min(timeout, std::chrono::milliseconds(5000));
  options.timeout = timeout;
  auto client = http::Client::Create(url, options);
  if (!client) return MakeError("driver.unreachable", client.error().message);
  return ConnectDriver(std::move(*client), agencies);
}

Result<std::unique_ptr<SutControl>> ConnectDriver(std::unique_ptr<http::Transport> transport,
                                                  const std::vector<std::string>& agencies) {
  const std::string url = transport->Describe();
  auto control = std::make_unique<DriverControl>(std::move(transport));
  auto info = control->Call("GET", "/driver/v1/info", {});
  if (!info) {
    return MakeError("driver.unreachable",
                     "the test-driver API at " + url +
                         " did not answer /driver/v1/info: " + info.error().message);
  }
  const json::object& o = info->as_object();
  const json::value* api = o.if_contains("api");
  if (api == nullptr || !api->is_string() || api->as_string() != "vxpkit-driver/1") {
    return MakeError("driver.api", "the driver at " + url +
                                       " does not say \"api\":\"vxpkit-driver/1\" in its info");
  }
  const json::value* organ = o.if_contains("organId");
  std::string organ_id = organ && organ->is_string() ? std::string(organ->as_string()) : "";
  if (std::find(agencies.begin(), agencies.end(), organ_id) == agencies.end()) {
    return MakeError("driver.organ", "the driver at " + url + " acts for '" + organ_id +
                                         "', which is not one of the SUT's agencies");
  }
  if (const json::value* p = o.if_contains("product"); p != nullptr && p->is_object()) {
    auto text = [&](const char* key) {
      const json::value* v = p->as_object().if_contains(key);
      return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    control->set_product(text("name"), text("version"));
  }
  return std::unique_ptr<SutControl>(std::move(control));
}

std::unique_ptr<SutControl> OperatorPrompts(std::ostream& out, std::chrono::milliseconds deadline) {
  return OperatorPrompts(
      [&out](int n, const std::string& what, std::chrono::milliseconds d) {
        out << "\n  >>> ACTION " << n << " (you have " << FormatDuration(d) << "): " << what
            << "\n      The harness watches the hub and carries on by itself.\n"
            << std::flush;
      },
      deadline);
}

std::unique_ptr<SutControl> OperatorPrompts(PromptSink sink, std::chrono::milliseconds deadline) {
  return std::make_unique<OperatorControl>(std::move(sink), deadline);
}

}  // namespace vxp::harness
