// How vxpkit's own clients (the hub client, the test-driver control, the load engine) carry one
// HTTP exchange: over a socket (http::Client, clients/http_client.h) or, without any socket, by
// calling the server's handler in the same process (InProcess below). The clients do not know
// which: a scenario runs against the reference agency in a unit test without a port this way.
//
// Not thread-safe: one Transport per thread of use.
#ifndef VXP_CLIENTS_TRANSPORT_H_
#define VXP_CLIENTS_TRANSPORT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/wire/http.h"

namespace vxp::http {

struct ClientResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends `method` to the base path + `path` ("/sendEdoc") with the headers and body; returns the
  // answer whatever its HTTP status. Errors: "http.connect" (refused, unreachable, TLS
  // handshake), "http.timeout" (no whole answer within the deadline), "http.io" (the connection
  // was closed before a whole answer).
  virtual Result<ClientResponse> Send(std::string_view method, std::string_view path,
                                      const wire::Headers& headers, std::string body) = 0;
  // Where it sends, for messages: "http://127.0.0.1:8650/XrdAdapter/adapter", "in-process hub".
  virtual std::string Describe() const = 0;
};

// Makes a new transport to the same server (one per thread or connection of the caller).
using TransportFactory = std::function<Result<std::unique_ptr<Transport>>()>;

// A transport that calls `handler` on the caller's thread: the request target is `base_path` +
// path. It carries out what the handler asks of an adapter as the HTTP server would: an answer
// delayed past `timeout` is "http.timeout" after `timeout` (the handler's work is done, as on a
// server that answers late), a dropped connection is "http.io". What only the HTTP adapter
// refuses (a body over its limit, malformed HTTP, a slow client) never happens in process: the
// scenarios about it need the HTTP hub.
class InProcess : public Transport {
 public:
  InProcess(wire::HttpHandler handler, std::string base_path, std::chrono::milliseconds timeout,
            std::string name);
  Result<ClientResponse> Send(std::string_view method, std::string_view path,
                              const wire::Headers& headers, std::string body) override;
  std::string Describe() const override { return name_; }

 private:
  wire::HttpHandler handler_;
  std::string base_path_;
  std::chrono::milliseconds timeout_;
  std::string name_;
};

}  // namespace vxp::http

#endif  // VXP_CLIENTS_TRANSPORT_H_
