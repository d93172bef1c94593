// Webhooks: a system's optional URL, told when each of its runs is over, so a vendor's CI or chat
// learns of a verdict without polling. One POST of JSON (WebhookBody) with
//   Content-Type: application/json
//   X-Vxpkit-Event: run.finished
//   X-Vxpkit-Signature: sha256=<hex HMAC-SHA256 of the body, keyed with the system's hub secret>
// so the receiver can tell it came from the service (the secret was shown to the vendor once).
// An answer 2xx is delivery; anything else (another status, no answer in the timeout, no
// connection) is tried again after each wait in `retry_after`, and given up after them.
#ifndef VXP_SERVICE_WEBHOOK_H_
#define VXP_SERVICE_WEBHOOK_H_

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "service/store.h"

namespace vxp::service {

// The body: {"event":"run.finished","run":{id, system_id, system, plan, profile, status,
// verdict, exit_code, summary, started_ms, finished_ms, url}}; `base` is the service's own
// address (http://HOST:PORT), for the run's API address.
std::string WebhookBody(const RunRow& run, const SystemRecord& system, const std::string& base);
// "sha256=" and the hex HMAC-SHA256 of `body` keyed with `secret`.
std::string WebhookSignature(const std::string& secret, const std::string& body);

struct WebhookOptions {
  std::chrono::milliseconds timeout{5'000};  // each attempt, connecting included
  std::vector<std::chrono::milliseconds> retry_after{std::chrono::seconds(2),
                                                     std::chrono::seconds(10)};
  std::function<bool()> stop;  // asked between attempts: true gives up (the service stops)
};

struct WebhookOutcome {
  bool delivered = false;
  int attempts = 0;
  std::string last;  // "HTTP 200", "HTTP 500", or the client's error
};

// POSTs `body` to `url`, signed with `secret`. Never throws.
WebhookOutcome DeliverWebhook(const std::string& url, const std::string& secret,
                              const std::string& body, const WebhookOptions& options = {});

}  // namespace vxp::service

#endif  // VXP_SERVICE_WEBHOOK_H_
