#include "simulator/http/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
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
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<net::ssl::context> tls;  // set when the options name a certificate
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
  bool stopped = false;
  std::uint16_t port = 0;

  explicit Impl(int n)
      : ioc(std::make_unique<net::io_context>(n)),
        acceptor(std::make_unique<tcp::acceptor>(*ioc)) {}
  void Accept();
};

namespace {

// One connection. `Stream` is beast::tcp_stream (plain HTTP) or an ssl_stream over one (HTTPS);
// everything after the TLS handshake is the same.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  using std::enable_shared_from_this<Session>::shared_from_this;

 public:
  template <class... Args>
  Session(Server::Impl& server, Args&&... args)
      : stream_(std::forward<Args>(args)...), server_(server) {}

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

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  void ReadHeader() {
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(server_.options.header_limit);
    Tcp().expires_after(first_ ? server_.options.header_timeout : server_.options.idle_timeout);
    first_ = false;
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return Refuse(ec);
    auto& req = parser_->get();
    if (auto length = parser_->content_length(); length && *length > server_.options.body_limit) {
      return Reply(413,
                   wire::FailResponse(wire::errors::kPackageTooLarge,
                                      std::to_string(*length) + " bytes, limit " +
                                          std::to_string(server_.options.body_limit),
                                      boost::json::object{{"DocId", ""}}),
                   false);
    }
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                       req.version());
      return bhttp::async_write(
          stream_, *cont, [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
            if (e) return self->Close();
            self->ReadBody();
          });
    }
    ReadBody();
  }

  void ReadBody() {
    Tcp().expires_after(server_.options.body_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    if (ec) return Refuse(ec);
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
    hub::Response response = server_.handler(request);
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
                    self->keep_alive_ && !self->server_.stopping, held->content_type);
      });
    }
    --server_.in_flight;
    Reply(response.status, std::move(response.body), keep_alive_ && !server_.stopping,
          response.content_type);
  }

  // Protocol errors get an answer; a peer that went away or was too slow is just closed.
  void Refuse(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      return Close();
    }
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
             std::string content_type = "application/json") {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(status), version_);
    res->set(bhttp::field::server, "vxpkit-hub");
    res->set(bhttp::field::content_type, content_type);
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
  // of the TCP stream, which is what a dropped connection looks like anyway.
  void Close() {
    beast::error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Tcp().socket().close(ignored);
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  bool first_ = true;
  bool keep_alive_ = false;
  unsigned version_ = 11;
};

}  // namespace

void Server::Impl::Accept() {
  acceptor->async_accept(net::make_strand(*ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || stopping) return;
    } else {
      if (tls) {
        std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(socket),
                                                                        *tls)
            ->Start();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(*this, std::move(socket))->Start();
      }
    }
    Accept();
  });
}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler) {
  auto impl = std::make_unique<Impl>(std::max(1, options.threads));
  impl->options = options;
  impl->handler = std::move(handler);
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
  impl->Accept();
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    impl->threads.emplace_back([ioc = impl->ioc.get()] { ioc->run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(std::chrono::milliseconds(0)); }

std::uint16_t Server::port() const { return impl_->port; }

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
  });
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (impl_->in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  impl_->ioc->stop();
  for (auto& t : impl_->threads) t.join();
  // Destroying the io_context destroys the pending handlers, and with them every session and
  // its socket: idle keep-alive connections are closed, not left hanging.
  impl_->acceptor.reset();
  impl_->ioc.reset();
}

}  // namespace vxp::http
