// The HTTP adapter of the hub: Boost.Beast, asynchronous, keep-alive, `Expect: 100-continue` (the
// Java SDK sends it), a body limit, header/body/idle timeouts, graceful stop. It turns bytes on a
// socket into a hub::Request and the handler's hub::Response back into bytes; it decides nothing.
//
// Threads: Start() runs `threads` I/O threads; the handler is called on them, concurrently for
// different connections, so it must be thread-safe (hub::Hub is). Stop() may be called from any
// thread, once; the destructor stops too.
#ifndef VXP_SIMULATOR_HTTP_SERVER_H_
#define VXP_SIMULATOR_HTTP_SERVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/common/result.h"
#include "simulator/hub/hub.h"

namespace vxp::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the system picks one; read it back with port()
  std::uint64_t body_limit = (std::uint64_t{100} << 20) + 1024;  // package limit + slack
  std::uint32_t header_limit = 64 * 1024;
  std::chrono::milliseconds header_timeout{10'000};  // to receive a whole request header
  std::chrono::milliseconds body_timeout{120'000};   // to receive the body after it
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  int threads = 2;
  // HTTPS when both are set: PEM files of the certificate (chain) and its private key.
  std::string tls_cert_file;
  std::string tls_key_file;
};

using Handler = std::function<hub::Response(const hub::Request&)>;

class Server {
 public:
  // Binds and starts serving. Error "http.listen" naming the address and the reason (port in
  // use, bad host); "http.tls" naming the file that could not be used.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler);
  ~Server();

  std::uint16_t port() const;
  std::string url() const;  // "http://HOST:PORT" ("https://…" with TLS; IPv6 in brackets)

  // Stops accepting, lets requests in progress finish (up to `grace`), closes every connection,
  // joins the threads.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vxp::http

#endif  // VXP_SIMULATOR_HTTP_SERVER_H_
