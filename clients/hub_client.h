// A client of the national hub's API (hub-api.md), the same wire protocol the VNPT SDK speaks:
// XroadVnpt-* headers signed with HMAC-SHA256, the SDK's timestamp, the unpadded hash-file, the
// status/ErrorCode/ErrorDesc envelope. The mock agencies, the harness, the load engine and the
// benches use it; so can any C++ test. It reaches the hub over HTTP, or over any other
// http::Transport (InProcess: the hub's handler called directly, no socket).
//
// Errors: the hub's refusals come back as "hub.<ErrorCode>" with the ErrorDesc as the message
// (e.g. "hub.1003"); an answer that is not the hub's JSON envelope is "hub.http" (with the HTTP
// status and the start of the body) or "wire.response"; transport failures are the HTTP client's
// "http.connect", "http.timeout", "http.io".
//
// Not thread-safe (one connection); one HubClient per thread of use.
#ifndef VXP_CLIENTS_HUB_CLIENT_H_
#define VXP_CLIENTS_HUB_CLIENT_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/http_client.h"
#include "clients/transport.h"
#include "core/common/result.h"
#include "core/wire/wire.h"

namespace vxp::clients {

struct HubClientOptions {
  std::string url;  // the hub's base URL, e.g. http://127.0.0.1:8080/XrdAdapter/adapter
  wire::Credentials credentials;
  std::function<wire::Millis()> clock;  // for timestamps; empty = the system clock
  int utc_offset_minutes = 420;         // the zone the timestamps are written in
  http::ClientOptions http;
};

// An item of getReceivedEdocList.
struct ReceivedItem {
  std::string doc_id, message_type, from, to, status, created_time;
};

// An item of getSentEdocList.
struct SentItem {
  std::string sender_doc_id, receiver_doc_id, from_code, to_code, message_type, title;
  std::string send_status, receive_status;
};

class HubClient {
 public:
  // Over HTTP to options.url. Error "http.url" for a URL that does not parse.
  static Result<std::unique_ptr<HubClient>> Create(HubClientOptions options);
  // Over `transport` (options.url and options.http are not used).
  static std::unique_ptr<HubClient> Create(HubClientOptions options,
                                           std::unique_ptr<http::Transport> transport);

  // sendEdoc: the hub's DocId.
  Result<std::string> SendEdoc(std::string_view from, std::string_view message_type,
                               std::string_view package);
  Result<std::vector<ReceivedItem>> ReceivedList(std::string_view message_type);
  Result<std::string> GetEdoc(std::string_view doc_id);       // the package bytes (base64 decoded)
  Result<std::string> DownloadEdoc(std::string_view doc_id);  // the same, as a raw body
  // updateStatus: "done", "fail" or "processing".
  Result<void> UpdateStatus(std::string_view doc_id, std::string_view status,
                            std::string_view description = "");
  Result<std::vector<SentItem>> SentList(std::string_view message_type,
                                         std::string_view doc_id = "");
  Result<std::int64_t> Count(std::string_view message_type);
  // Any operation: the whole JSON answer when ErrorCode is "0".
  Result<std::string> Call(std::string_view operation,
                           const std::vector<std::pair<std::string, std::string>>& params,
                           std::string body = "{}",
                           std::string_view content_type = "application/json");

  const HubClientOptions& options() const { return options_; }
  // Signs the next calls with `credentials` instead (the same connection).
  void UseCredentials(wire::Credentials credentials) {
    options_.credentials = std::move(credentials);
  }

 private:
  HubClientOptions options_;
  std::unique_ptr<http::Transport> http_;
  // The last timestamp signed: each call is signed at a later millisecond than the one before,
  // so two calls never carry the same signed headers (the hub takes that for a replay).
  std::atomic<wire::Millis> last_signed_{0};
};

}  // namespace vxp::clients

#endif  // VXP_CLIENTS_HUB_CLIENT_H_
