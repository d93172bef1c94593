// One HTTP request and its answer as plain values, between an adapter (the Beast server, the
// in-process transport) and a handler that decides (the hub, the test-driver API). No I/O.
#ifndef VXP_CORE_WIRE_HTTP_H_
#define VXP_CORE_WIRE_HTTP_H_

#include <chrono>
#include <functional>
#include <memory>
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

// A response body written as it is produced (Server-Sent Events). The adapter writes the head
// (chunked, Connection: close) and `body` first, then calls Poll() on an I/O thread every
// poll_interval() and writes each non-empty piece as it comes; the response ends when Poll() says
// so, or when a write fails (the peer is gone: the stream is dropped). Poll() must not block.
// Keeping the peer's connection alive and bounding how long a stream lasts (heartbeats, a last
// piece after a while) are the producer's business.
class BodyStream {
 public:
  struct Piece {
    std::string bytes;  // may be empty: nothing new yet
    bool end = false;   // nothing follows
  };
  virtual ~BodyStream() = default;
  virtual Piece Poll() = 0;
  virtual std::chrono::milliseconds poll_interval() const { return std::chrono::milliseconds(100); }
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
  // Set: the body goes on as the stream produces it (BodyStream); an adapter that cannot stream
  // writes `body` and what one Poll() gives, and ends.
  std::shared_ptr<BodyStream> stream;
};

// What decides: thread-safe when the adapter calls it from several threads.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

}  // namespace vxp::wire

#endif  // VXP_CORE_WIRE_HTTP_H_
