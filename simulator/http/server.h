// The HTTP adapter of the hub: Boost.Beast, asynchronous, keep-alive, `Expect: 100-continue` (the
// Java SDK sends it), a body limit, header/body/idle timeouts, graceful stop. It turns bytes on a
// socket into a hub::Request and the handler's hub::Response back into bytes; it decides nothing
// about the protocol. What it bounds against hostile clients (docs/hub-simulator.md, "Hostile
// clients"):
//   - work: the I/O threads only read, write and time out; the admitter and the handler run on
//     worker pools — one for requests with small bodies, one ("bulk") for bodies over
//     `bulk_threshold`, so a large package never delays a small request;
//   - the body: the admitter judges the request line and headers first (authentication), and a
//     refusal is answered without reading the body (nor answering `Expect: 100-continue`); a
//     small body that arrived whole with its header has nothing left to spare, so its admitter
//     runs just before its handler on the same worker hop (one hand-off between threads instead
//     of two);
//   - memory: the bodies in flight share `body_budget` bytes; a request that would exceed it is
//     answered 503 (5003 BUSY) before its body is read;
//   - connections: at most `max_connections` (and never more than the open-file limit allows);
//     at the cap a new connection takes the place of the longest-idle one, or gets 503 when none
//     is idle; when accept fails (EMFILE, ENFILE) the acceptor backs off and logs one line.
//
// Threads: Start() runs `threads` I/O threads and `workers` + `bulk_workers` pool threads; the
// handler and admitter are called on the pools, concurrently for different connections, so they
// must be thread-safe (hub::Hub is). Stop() may be called from any thread, once; the destructor
// stops too.
#ifndef VXP_SIMULATOR_HTTP_SERVER_H_
#define VXP_SIMULATOR_HTTP_SERVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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
  int threads = 2;                                   // I/O threads
  // Handler threads for small requests. More than the cores: a handler waits for the disk (the
  // store's group commit) and the waiting handlers' requests commit together.
  int workers = 16;
  int bulk_workers = 2;  // handler threads for bodies over bulk_threshold
  std::uint64_t bulk_threshold = std::uint64_t{1} << 20;
  // Bytes of request bodies in flight at once, all connections together (declared lengths are
  // reserved when the header arrives, chunked bodies as they grow). One request alone may always
  // use up to body_limit.
  std::uint64_t body_budget = std::uint64_t{512} << 20;
  // Open connections; lowered to what the open-file limit (RLIMIT_NOFILE) leaves room for.
  int max_connections = 1000;
  std::string server_name = "vxpkit-hub";  // the Server header of every answer
  // Where the one line about accept failures goes; nullptr: standard error.
  std::function<void(const std::string&)> log;
  // HTTPS when both are set: PEM files of the certificate (chain) and its private key.
  std::string tls_cert_file;
  std::string tls_key_file;
};

using Handler = std::function<hub::Response(const hub::Request&)>;
// Judges a request from its line and headers (its body empty): a refusal to answer without
// reading the body, or nullopt to read it and call the handler (hub::Hub::Admit).
using Admitter = std::function<std::optional<hub::Response>(const hub::Request&)>;

class Server {
 public:
  // Binds and starts serving. Error "http.listen" naming the address and the reason (port in
  // use, bad host); "http.tls" naming the file that could not be used.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler,
                                               Admitter admitter = nullptr);
  // The hub's adapter: Hub::Admit before the body, Hub::Handle after it. `hub` outlives the server.
  static Result<std::unique_ptr<Server>> StartHub(const ServerOptions& options, hub::Hub& hub);
  ~Server();

  std::uint16_t port() const;
  std::string url() const;      // "http://HOST:PORT" ("https://…" with TLS; IPv6 in brackets)
  int connections() const;      // open now
  int max_connections() const;  // the cap in force (the setting, lowered to the open-file limit)
  std::uint64_t body_bytes_in_flight() const;  // of the body budget, taken now
  int idle_connections() const;  // waiting for their next request (the first to be replaced)

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
