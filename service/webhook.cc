#include "service/webhook.h"

#include <boost/json.hpp>
#include <thread>

#include "clients/http_client.h"
#include "core/wire/wire.h"
#include "service/runs.h"

namespace vxp::service {

std::string WebhookBody(const RunRow& run, const SystemRecord& system, const std::string& base) {
  boost::json::object r = RunFields(run);
  r["system"] = system.name;
  r["url"] = base + "/api/v1/runs/" + std::to_string(run.id);
  return boost::json::serialize(boost::json::object{{"event", "run.finished"}, {"run", r}});
}

std::string WebhookSignature(const std::string& secret, const std::string& body) {
  return "sha256=" + wire::HmacSha256Hex(secret, body);
}

WebhookOutcome DeliverWebhook(const std::string& url, const std::string& secret,
                              const std::string& body, const WebhookOptions& options) {
  WebhookOutcome out;
  auto parsed = http::ParseUrl(url);
  if (!parsed) {
    out.last = parsed.error().message;
    return out;
  }
  const wire::Headers headers = {{"Content-Type", "application/json"},
                                 {"X-Vxpkit-Event", "run.finished"},
                                 {"X-Vxpkit-Signature", WebhookSignature(secret, body)}};
  for (std::size_t attempt = 0;; ++attempt) {
    ++out.attempts;
    http::ClientOptions o;
    o.connect_timeout = options.timeout;
    o.timeout = options.timeout;
    // The whole URL is the base; the path is sent as it is.
    auto client = http::Client::Create(url, o);
    if (!client) {
      out.last = client.error().message;
      return out;
    }
    auto answer = (*client)->Send("POST", parsed->path.empty() ? "/" : "", headers, body);
    if (answer) {
      out.last = "HTTP " + std::to_string(answer->status);
      if (answer->status >= 200 && answer->status < 300) {
        out.delivered = true;
        return out;
      }
    } else {
      out.last = answer.error().message;
    }
    if (attempt >= options.retry_after.size()) return out;
    // Waits in small steps, so that a stopping service does not wait for a retry.
    auto until = std::chrono::steady_clock::now() + options.retry_after[attempt];
    while (std::chrono::steady_clock::now() < until) {
      if (options.stop && options.stop()) return out;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace vxp::service
