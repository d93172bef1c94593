// A small synchronous HTTP/1.1 client (Boost.Beast), the socket Transport of vxpkit's own
// clients: the hub client and the harness's test-driver client. One keep-alive connection, opened
// on first use and again after a failure; http:// and https://; a deadline on every call.
//
// No automatic retry: a request that failed may or may not have reached the server (a submission
// may have been stored), and deciding what to do about that is the caller's business — exactly
// what a vendor's system must decide too.
//
// Not thread-safe: one Client per thread of use.
#ifndef VXP_CLIENTS_HTTP_CLIENT_H_
#define VXP_CLIENTS_HTTP_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "clients/transport.h"
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

class Client : public Transport {
 public:
  // Error "http.url" for a URL that does not parse, "http.tls" for an unusable CA file.
  static Result<std::unique_ptr<Client>> Create(std::string_view base_url,
                                                ClientOptions options = {});
  ~Client() override;

  Result<ClientResponse> Send(std::string_view method, std::string_view path,
                              const wire::Headers& headers, std::string body) override;
  std::string Describe() const override;  // the base URL

  const Url& url() const;

  struct Impl;

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vxp::http

#endif  // VXP_CLIENTS_HTTP_CLIENT_H_
