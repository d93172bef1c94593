#include "simulator/http/server.h"

#include <sys/resource.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/wire/wire.h"

namespace vxp::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  Admitter admitter;
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<net::ssl::context> tls;  // set when the options name a certificate
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<net::thread_pool> workers, bulk;
  std::vector<std::thread> threads;
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
  bool stopped = false;
  std::uint16_t port = 0;

  // Bodies in flight, in bytes (ServerOptions::body_budget).
  std::atomic<std::uint64_t> body_bytes{0};
  // Connections open, the cap in force, and those waiting for their next request by age.
  std::atomic<int> connections{0};
  int max_connections = 0;
  std::mutex idle_mu;
  // Closes its connection if it is still idle; false when the connection is gone. Plain function
  // objects, not a virtual interface: this runs when the descriptors have run out, where a
  // sanitizer's check of a virtual call cannot work.
  std::map<std::uint64_t, std::function<bool()>> idle;
  std::atomic<std::uint64_t> next_id{0};
  // Accept failures: the back-off in force (0: none) and its timer.
  std::chrono::milliseconds backoff{0};
  std::optional<std::chrono::steady_clock::time_point> last_accept_log;
  std::unique_ptr<net::steady_timer> backoff_timer;

  explicit Impl(int n)
      : ioc(std::make_unique<net::io_context>(n)),
        acceptor(std::make_unique<tcp::acceptor>(*ioc)) {}
  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void Log(const std::string& line) {
    if (options.log) {
      options.log(line);
    } else {
      std::cerr << line << std::endl;
    }
  }
  // Takes `n` bytes of the budget; false when they do not fit beside the bodies in flight.
  bool Reserve(std::uint64_t n) {
    std::uint64_t used = body_bytes.load();
    do {
      if (used > 0 && used + n > options.body_budget) return false;
    } while (!body_bytes.compare_exchange_weak(used, used + n));
    return true;
  }
  void Release(std::uint64_t n) { body_bytes -= n; }
  // Closes the connection that has waited longest for its next request; false when none waits.
  bool EvictOldestIdle() {
    while (true) {
      std::function<bool()> evict;
      {
        std::lock_guard lock(idle_mu);
        if (idle.empty()) return false;
        evict = std::move(idle.begin()->second);
        idle.erase(idle.begin());
      }
      if (evict()) return true;
    }
  }
};

namespace {

// One connection. `Stream` is beast::tcp_stream (plain HTTP) or an ssl_stream over one (HTTPS);
// everything after the TLS handshake is the same.
// A part of the body budget, given back when the request is done with.
class Reservation {
 public:
  Reservation(Server::Impl& server, std::uint64_t n) : server_(&server), n_(n) {}
  Reservation(Reservation&& o) noexcept : server_(o.server_), n_(std::exchange(o.n_, 0)) {}
  Reservation& operator=(Reservation&&) = delete;
  ~Reservation() {
    if (n_ > 0) server_->Release(n_);
  }
  std::uint64_t size() const { return n_; }
  void Grow(std::uint64_t n) { n_ += n; }

 private:
  Server::Impl* server_;
  std::uint64_t n_;
};

hub::Response Busy(const std::string& why) {
  return hub::Response{
      503, "application/json",
      wire::FailResponse(wire::errors::kBusy, why, boost::json::object{{"DocId", ""}})};
}

// One connection. `Stream` is beast::tcp_stream (plain HTTP) or an ssl_stream over one (HTTPS);
// everything after the TLS handshake is the same. Its handlers run on its strand; the admitter
// and the handler run on a pool and come back to the strand with their answer.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  using std::enable_shared_from_this<Session>::shared_from_this;

 public:
  template <class... Args>
  Session(Server::Impl& server, Args&&... args)
      : stream_(std::forward<Args>(args)...), server_(server), id_(++server.next_id) {
    ++server_.connections;
  }
  ~Session() {
    NotIdle();
    --server_.connections;
  }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if constexpr (kTls) {
        beast::get_lowest_layer(self->stream_).expires_after(self->server_.options.header_timeout);
        self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) return self->Close();
          self->ReadHeader();
        });
      } else {
        self->ReadHeader();
      }
    });
  }

  // Closes the connection if it is still waiting for its next request with nothing of one
  // received: a connection whose request has arrived but is not yet read is not idle.
  void Evict() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      if (!self->waiting_ || self->buffer_.size() > 0 || self->Tcp().socket().available(ec) > 0) {
        return;
      }
      self->Close();
    });
  }

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  void NowIdle() {
    std::lock_guard lock(server_.idle_mu);
    server_.idle[id_] = [weak = std::weak_ptr<Session>(shared_from_this())] {
      auto self = weak.lock();
      if (self) self->Evict();
      return self != nullptr;
    };
  }
  void NotIdle() {
    std::lock_guard lock(server_.idle_mu);
    server_.idle.erase(id_);
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(server_.options.header_limit);
    Tcp().expires_after(first_ ? server_.options.header_timeout : server_.options.idle_timeout);
    first_ = false;
    waiting_ = true;
    NowIdle();
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    waiting_ = false;
    NotIdle();
    if (ec) return Refuse(ec);
    auto& req = parser_->get();
    version_ = req.version();
    if (auto length = parser_->content_length(); length && *length > server_.options.body_limit) {
      return Reply(413,
                   wire::FailResponse(wire::errors::kPackageTooLarge,
                                      std::to_string(*length) + " bytes, limit " +
                                          std::to_string(server_.options.body_limit),
                                      boost::json::object{{"DocId", ""}}),
                   false);
    }
    if (auto te = req[bhttp::field::transfer_encoding];
        !te.empty() && !beast::iequals(te, "chunked")) {
      return Reply(501,
                   wire::FailResponse(wire::errors::kBadTransferEncoding,
                                      "Transfer-Encoding: " + std::string(te),
                                      boost::json::object{{"DocId", ""}}),
                   false);
    }
    if (!server_.admitter) return OnAdmitted(std::nullopt);
    // No body, or a small one that came whole with its header (a declared length, no Expect:
    // 100-continue): judging the header first would spare no reading, so the admitter runs just
    // before the handler, on the same worker hop, instead of a hop of its own.
    const auto length = parser_->content_length();
    const bool whole = parser_->is_done() || (length && *length <= buffer_.size() &&
                                              *length <= server_.options.bulk_threshold);
    if (whole && req[bhttp::field::expect].empty()) {
      admit_with_body_ = true;
      return OnAdmitted(std::nullopt);
    }
    admit_with_body_ = false;
    hub::Request head;
    head.method = std::string(req.method_string());
    head.target = std::string(req.target());
    for (const auto& field : req) {
      head.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    net::post(*server_.workers, [self = shared_from_this(), head = std::move(head)] {
      std::optional<hub::Response> refusal = self->server_.admitter(head);
      net::post(self->stream_.get_executor(), [self, refusal = std::move(refusal)]() mutable {
        self->OnAdmitted(std::move(refusal));
      });
    });
  }

  void OnAdmitted(std::optional<hub::Response> refusal) {
    if (refusal) {  // refused from its headers: the body is never read
      return Reply(refusal->status, std::move(refusal->body), false, refusal->content_type);
    }
    // Admitted: its declared body takes its part of the budget before a byte of it is read.
    std::uint64_t declared = parser_->content_length().value_or(0);
    if (!server_.Reserve(declared)) return OverBudget();
    reservation_.emplace(server_, declared);

    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                       parser_->get().version());
      return bhttp::async_write(
          stream_, *cont, [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
            if (e) return self->Close();
            self->ReadBody();
          });
    }
    ReadBody();
  }

  // 5003 BUSY: this body does not fit beside the bodies in flight; what it took is given back.
  void OverBudget() {
    reservation_.reset();
    Reply(503,
          Busy("bodies in flight would exceed the budget of " +
               std::to_string(server_.options.body_budget) + " bytes")
              .body,
          false);
  }

  void ReadBody() {
    Tcp().expires_after(server_.options.body_timeout);
    ReadMore();
  }

  // Reads the body piece by piece, so a chunked body takes its part of the budget as it grows.
  void ReadMore() {
    if (parser_->is_done()) return OnBody();
    bhttp::async_read_some(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             if (ec) return self->Refuse(ec);
                             std::uint64_t have = self->parser_->get().body().size();
                             if (have > self->reservation_->size()) {
                               std::uint64_t more = have - self->reservation_->size();
                               if (!self->server_.Reserve(more)) return self->OverBudget();
                               self->reservation_->Grow(more);
                             }
                             self->ReadMore();
                           });
  }

  void OnBody() {
    bhttp::request<bhttp::string_body> req = parser_->release();
    hub::Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(req.body());
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    ++server_.in_flight;
    net::thread_pool& pool =
        request.body.size() > server_.options.bulk_threshold ? *server_.bulk : *server_.workers;
    net::post(pool, [self = shared_from_this(), request = std::move(request),
                     reservation = std::move(*reservation_), admit = admit_with_body_]() mutable {
      std::optional<hub::Response> refusal;
      if (admit) {  // the admitter sees the line and headers only, as it always does
        std::string body = std::move(request.body);
        request.body.clear();
        refusal = self->server_.admitter(request);
        request.body = std::move(body);
      }
      const bool refused = refusal.has_value();
      auto response = std::make_shared<hub::Response>(refused ? std::move(*refusal)
                                                              : self->server_.handler(request));
      request = {};  // the body goes back to the budget before the answer is written
      { Reservation done = std::move(reservation); }
      net::post(self->stream_.get_executor(), [self, response, refused] {
        if (refused) self->keep_alive_ = false;  // a refusal closes, as one before the body does
        self->Answer(*response);
      });
    });
    reservation_.reset();
  }

  void Answer(hub::Response& response) {
    if (response.stream) {
      --server_.in_flight;  // a stream does not hold up a graceful stop
      return StreamHead(response);
    }
    if (response.drop_connection) {  // an injected fault: no answer at all
      --server_.in_flight;
      return Close();
    }
    if (response.delay.count() > 0) {  // an injected fault: answer late, without blocking a thread
      auto timer = std::make_shared<net::steady_timer>(stream_.get_executor(), response.delay);
      auto held = std::make_shared<hub::Response>(std::move(response));
      return timer->async_wait([self = shared_from_this(), timer, held](beast::error_code) {
        --self->server_.in_flight;
        self->Reply(held->status, std::move(held->body),
                    self->keep_alive_ && !self->server_.stopping, held->content_type,
                    held->headers);
      });
    }
    --server_.in_flight;
    Reply(response.status, std::move(response.body), keep_alive_ && !server_.stopping,
          response.content_type, response.headers);
  }
  // A streamed answer (wire::BodyStream): the head and the first piece, then what the stream
  // produces, polled on this connection's strand, each piece one chunk; a failed write (the peer
  // gone, or too slow for body_timeout) closes the connection and drops the stream. When the
  // server stops, the pending poll is destroyed with the io_context, and the stream with it.
  void StreamHead(hub::Response& response) {
    stream_body_ = response.stream;
    auto res = std::make_shared<bhttp::response<bhttp::empty_body>>(
        static_cast<bhttp::status>(response.status), version_);
    res->set(bhttp::field::server, server_.options.server_name);
    res->set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res->insert(name, value);
    res->keep_alive(false);
    res->chunked(true);
    auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*res);
    Tcp().expires_after(server_.options.body_timeout);
    bhttp::async_write_header(stream_, *serializer,
                              [self = shared_from_this(), res, serializer,
                               first = std::make_shared<std::string>(std::move(response.body))](
                                  beast::error_code ec, std::size_t) {
                                if (ec) return self->EndStream();
                                self->StreamPiece({std::move(*first), false});
                              });
  }
  void StreamPiece(wire::BodyStream::Piece piece) {
    if (piece.bytes.empty()) {
      if (piece.end) return StreamLast();
      return StreamWait();
    }
    auto bytes = std::make_shared<std::string>(std::move(piece.bytes));
    Tcp().expires_after(server_.options.body_timeout);
    net::async_write(
        stream_, bhttp::make_chunk(net::buffer(*bytes)),
        [self = shared_from_this(), bytes, end = piece.end](beast::error_code ec, std::size_t) {
          if (ec) return self->EndStream();
          if (end) return self->StreamLast();
          self->StreamWait();
        });
  }
  void StreamWait() {
    if (server_.stopping) return StreamLast();
    if (!poll_timer_) poll_timer_.emplace(stream_.get_executor());
    poll_timer_->expires_after(stream_body_->poll_interval());
    poll_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->EndStream();
      self->StreamPiece(self->stream_body_->Poll());
    });
  }
  void StreamLast() {
    Tcp().expires_after(server_.options.body_timeout);
    net::async_write(
        stream_, bhttp::make_chunk_last(),
        [self = shared_from_this()](beast::error_code, std::size_t) { self->EndStream(); });
  }
  void EndStream() {
    stream_body_.reset();
    Close();
  }

  // Protocol errors get an answer; a peer that went away or was too slow is just closed.
  void Refuse(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      return Close();
    }
    reservation_.reset();
    if (ec == bhttp::error::body_limit) {
      return Reply(
          413,
          wire::FailResponse(wire::errors::kPackageTooLarge,
                             "body over " + std::to_string(server_.options.body_limit) + " bytes",
                             boost::json::object{{"DocId", ""}}),
          false);
    }
    if (ec == bhttp::error::header_limit) {
      return Reply(431, wire::FailResponse(wire::errors::kBadParameter, "request header too large"),
                   false);
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      std::string detail = "malformed HTTP request: " + ec.message();
      if (ec == bhttp::error::bad_value) {
        // The Java SDK writes each header character's low byte: Đ and đ (U+0110, U+0111)
        // become the control bytes 0x10 and 0x11, which HTTP does not allow in a header.
        detail +=
            " (a header value holds a control byte; the Java SDK sends the low byte of each "
            "character, so Đ/đ in a header such as updateStatus `description` become 0x10/0x11: "
            "write header values without diacritics, docs/hub-errors.md)";
      }
      return Reply(400, wire::FailResponse(wire::errors::kBadParameter, detail), false);
    }
    Close();
  }

  void Reply(int status, std::string body, bool keep_alive,
             std::string content_type = "application/json", const wire::Headers& headers = {}) {
    // A refusal before the whole request was read: what the client still sends is read and
    // thrown away before closing, so that its answer is not lost to a reset.
    if (!keep_alive && parser_ && !parser_->is_done()) linger_ = true;
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(status), version_);
    res->set(bhttp::field::server, server_.options.server_name);
    res->set(bhttp::field::content_type, content_type);
    for (const auto& [name, value] : headers) res->insert(name, value);
    res->keep_alive(keep_alive);
    res->body() = std::move(body);
    res->prepare_payload();
    Tcp().expires_after(server_.options.body_timeout);
    bhttp::async_write(
        stream_, *res,
        [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
          if (ec || !keep_alive) return self->Close();
          self->ReadHeader();
        });
  }

  // TLS connections are closed without close_notify: a peer that is still reading sees the end
  // of the TCP stream, which is what a dropped connection looks like anyway. After a refusal
  // before the body, a client that sends its body without waiting for 100-continue would get a
  // reset that can destroy the answer before it reads it: the rest is read and thrown away for a
  // moment first (at most 1 s and 4 MiB, into one small buffer).
  void Close() {
    if (linger_) {
      linger_ = false;
      beast::error_code ignored;
      Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
      Tcp().expires_after(std::chrono::seconds(1));
      return Discard(std::uint64_t{4} << 20);
    }
    beast::error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Tcp().socket().close(ignored);
  }

  void Discard(std::uint64_t left) {
    auto sink = std::make_shared<std::array<char, 16384>>();
    Tcp().async_read_some(net::buffer(*sink), [self = shared_from_this(), sink, left](
                                                  beast::error_code ec, std::size_t n) {
      if (ec || n >= left) return self->Close();
      self->Discard(left - n);
    });
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  const std::uint64_t id_;
  std::optional<Reservation> reservation_;
  std::shared_ptr<wire::BodyStream> stream_body_;  // a streamed answer under way
  std::optional<net::steady_timer> poll_timer_;
  bool waiting_ = false;  // for the first byte of a request: idle, may be evicted
  bool linger_ = false;   // refused before the body: read what still comes before closing
  bool first_ = true;
  bool keep_alive_ = false;
  bool admit_with_body_ = false;  // this request's admitter runs with its handler (OnHeader)
  unsigned version_ = 11;
};

}  // namespace

void Server::Impl::Accept() {
  acceptor->async_accept(net::make_strand(*ioc), [this](beast::error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || stopping) return;
  if (ec) {
    // EMFILE, ENFILE, ENOBUFS…: trying again at once would spin. Make room if a connection is
    // idle, wait, and say so once per episode.
    auto now = std::chrono::steady_clock::now();
    if (!last_accept_log || now - *last_accept_log > std::chrono::minutes(1)) {  // not per try
      last_accept_log = now;
      Log("vxpkit hub: cannot accept connections (" + ec.message() + ") with " +
          std::to_string(connections.load()) +
          " open; closing the longest-idle ones and backing off up to 1 s between tries");
    }
    backoff = backoff.count() == 0 ? std::chrono::milliseconds(10)
                                   : std::min(backoff * 2, std::chrono::milliseconds(1000));
    EvictOldestIdle();
    backoff_timer->expires_after(backoff);
    backoff_timer->async_wait([this](beast::error_code e) {
      if (!e && !stopping) Accept();
    });
    return;
  }
  backoff = std::chrono::milliseconds(0);
  if (connections.load() >= max_connections && !EvictOldestIdle()) {
    // Every slot busy with a request in progress: a documented refusal, then the socket closes.
    if (!tls) {
      std::string body =
          Busy("all " + std::to_string(max_connections) + " connections are in use; retry later")
              .body;
      std::string answer =
          "HTTP/1.1 503 Service Unavailable\r\nServer: vxpkit-hub\r\n"
          "Content-Type: application/json\r\nRetry-After: 1\r\n"
          "Connection: close\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body;
      beast::error_code ignored;
      socket.non_blocking(true, ignored);
      socket.write_some(net::buffer(answer), ignored);  // a fresh socket's buffer takes it
    }
    beast::error_code ignored;
    socket.close(ignored);
  } else if (tls) {
    std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(socket), *tls)
        ->Start();
  } else {
    std::make_shared<Session<beast::tcp_stream>>(*this, std::move(socket))->Start();
  }
  Accept();
}

Result<std::unique_ptr<Server>> Server::StartHub(const ServerOptions& options, hub::Hub& hub) {
  return Start(
      options, [&hub](const hub::Request& r) { return hub.Handle(r); },
      [&hub](const hub::Request& r) { return hub.Admit(r); });
}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler,
                                              Admitter admitter) {
  auto impl = std::make_unique<Impl>(std::max(1, options.threads));
  impl->options = options;
  impl->handler = std::move(handler);
  impl->admitter = std::move(admitter);
  impl->max_connections = std::max(1, options.max_connections);
  // Room under the open-file limit for the listener, the store, logs and evidence files.
  if (rlimit limit{}; getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    impl->max_connections = std::max<int>(
        1, std::min<rlim_t>(impl->max_connections, limit.rlim_cur > 64 ? limit.rlim_cur - 64 : 1));
  }
  impl->backoff_timer = std::make_unique<net::steady_timer>(*impl->ioc);
  beast::error_code ec;
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
      return MakeError("http.tls", "TLS needs both a certificate file and a private key file");
    }
    impl->tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    impl->tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                           net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                           net::ssl::context::no_tlsv1_1);
    impl->tls->use_certificate_chain_file(options.tls_cert_file, ec);
    if (ec) {
      return MakeError("http.tls",
                       "cannot use certificate " + options.tls_cert_file + ": " + ec.message());
    }
    impl->tls->use_private_key_file(options.tls_key_file, net::ssl::context::pem, ec);
    if (ec) {
      return MakeError("http.tls",
                       "cannot use private key " + options.tls_key_file + ": " + ec.message());
    }
  }
  auto address = net::ip::make_address(options.host, ec);
  std::string where = options.host + ":" + std::to_string(options.port);
  if (ec) return MakeError("http.listen", "cannot listen on " + where + ": " + ec.message());
  tcp::endpoint endpoint{address, options.port};
  impl->acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor->bind(endpoint, ec);
  if (!ec) impl->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) return MakeError("http.listen", "cannot listen on " + where + ": " + ec.message());
  impl->port = impl->acceptor->local_endpoint().port();
  impl->workers = std::make_unique<net::thread_pool>(std::max(1, options.workers));
  impl->bulk = std::make_unique<net::thread_pool>(std::max(1, options.bulk_workers));
  impl->Accept();
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    impl->threads.emplace_back([ioc = impl->ioc.get()] { ioc->run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(std::chrono::milliseconds(0)); }

std::uint16_t Server::port() const { return impl_->port; }

int Server::connections() const { return impl_->connections.load(); }

std::uint64_t Server::body_bytes_in_flight() const { return impl_->body_bytes.load(); }

int Server::idle_connections() const {
  std::lock_guard lock(impl_->idle_mu);
  return static_cast<int>(impl_->idle.size());
}

int Server::max_connections() const { return impl_->max_connections; }

std::string Server::url() const {
  std::string host = impl_->options.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";  // IPv6 literal
  return (impl_->tls ? "https://" : "http://") + host + ":" + std::to_string(impl_->port);
}

void Server::Stop(std::chrono::milliseconds grace) {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->stopping = true;
  net::post(*impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor->close(ignored);
    impl_->backoff_timer->cancel();
  });
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (impl_->in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  impl_->ioc->stop();
  for (auto& t : impl_->threads) t.join();
  // A handler still running on a pool finishes; what it posts back is never run. The pools go
  // before the io_context their sessions' sockets belong to.
  impl_->workers->stop();
  impl_->bulk->stop();
  impl_->workers->join();
  impl_->bulk->join();
  impl_->workers.reset();
  impl_->bulk.reset();
  impl_->backoff_timer.reset();
  // Destroying the io_context destroys the pending handlers, and with them every session and
  // its socket: idle keep-alive connections are closed, not left hanging.
  impl_->acceptor.reset();
  impl_->ioc.reset();
}

}  // namespace vxp::http
