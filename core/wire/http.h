// One HTTP request and its answer as plain values, between an adapter (the Beast server, the
// in-process transport) and a handler that decides (the hub, the test-driver API). No I/O.
#ifndef VXP_CORE_WIRE_HTTP_H_
#define VXP_CORE_WIRE_HTTP_H_

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace vxp::wire {

// HTTP headers as received or to send, in order. Names compare case-insensitively.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST"
  std::string target;  // path (and query); the operation is the last path segment
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  Headers headers;  // further response headers (Set-Cookie, Location, security policies)
  // Injected faults the adapter carries out: answer only after `delay`; or close the connection
  // without answering at all.
  std::chrono::milliseconds delay{0};
  bool drop_connection = false;
};

// What decides: thread-safe when the adapter calls it from several threads.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

}  // namespace vxp::wire

#endif  // VXP_CORE_WIRE_HTTP_H_
