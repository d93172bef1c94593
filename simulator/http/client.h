// A small synchronous HTTP/1.1 client (Boost.Beast) for the simulator's own clients: the mock
// agencies' hub client and the harness's test-driver client. One keep-alive connection, opened on
// first use and again after a failure; http:// and https://; a deadline on every call.
//
// No automatic retry: a request that failed may or may not have reached the server (a submission
// may have been stored), and deciding what to do about that is the caller's business — exactly
// what a vendor's system must decide too.
//
// Not thread-safe: one Client per thread of use.
#ifndef VXP_SIMULATOR_HTTP_CLIENT_H_
#define VXP_SIMULATOR_HTTP_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/wire/wire.h"

namespace vxp::http {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds timeout{30'000};  // for one whole request and its answer
  // https: check the server's certificate against `ca_file` (PEM) and the host name. Off by
  // default: the simulator's certificates are test certificates.
  bool verify_tls = false;
  std::string ca_file;
};

struct Url {
  bool tls = false;
  std::string host;  // without brackets
  std::uint16_t port = 0;
  std::string path;  // "" or "/base/path" without a trailing slash
};

// Parses "http://host:port/base", "https://[::1]:8443/x". Error "http.url" saying what is wrong.
Result<Url> ParseUrl(std::string_view url);

struct ClientResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class Client {
 public:
  // Error "http.url" for a URL that does not parse, "http.tls" for an unusable CA file.
  static Result<std::unique_ptr<Client>> Create(std::string_view base_url,
                                                ClientOptions options = {});
  ~Client();

  // Sends `method` to base path + `path` ("/sendEdoc") with the headers and body; returns the
  // answer whatever its HTTP status. Errors: "http.connect" (refused, unreachable, TLS
  // handshake), "http.timeout" (no whole answer within the deadline), "http.io" (the connection
  // was closed before a whole answer).
  Result<ClientResponse> Send(std::string_view method, std::string_view path,
                              const wire::Headers& headers, std::string body);

  const Url& url() const;

  struct Impl;

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vxp::http

#endif  // VXP_SIMULATOR_HTTP_CLIENT_H_
