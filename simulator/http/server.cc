#include "simulator/http/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
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

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {}

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(server_.options.header_limit);
    stream_.expires_after(first_ ? server_.options.header_timeout : server_.options.idle_timeout);
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
                                      R"({"DocId":""})"),
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
    stream_.expires_after(server_.options.body_timeout);
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
                             R"({"DocId":""})"),
          false);
    }
    if (ec == bhttp::error::header_limit) {
      return Reply(431, wire::FailResponse(wire::errors::kBadParameter, "request header too large"),
                   false);
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      return Reply(400,
                   wire::FailResponse(wire::errors::kBadParameter,
                                      "malformed HTTP request: " + ec.message()),
                   false);
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
    stream_.expires_after(server_.options.body_timeout);
    bhttp::async_write(
        stream_, *res,
        [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
          if (ec || !keep_alive) return self->Close();
          self->ReadHeader();
        });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
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
      std::make_shared<Session>(std::move(socket), *this)->Start();
    }
    Accept();
  });
}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler) {
  auto impl = std::make_unique<Impl>(std::max(1, options.threads));
  impl->options = options;
  impl->handler = std::move(handler);
  beast::error_code ec;
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
  return "http://" + impl_->options.host + ":" + std::to_string(impl_->port);
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
