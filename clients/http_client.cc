#include "clients/http_client.h"

#include <poll.h>
#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
#include <cerrno>
#include <charconv>
#include <optional>

namespace vxp::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

}  // namespace

Result<Url> ParseUrl(std::string_view text) {
  auto fail = [&](const std::string& what) {
    return MakeError("http.url", "URL '" + std::string(text) + "': " + what);
  };
  Url url;
  std::string_view rest = text;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
    url.tls = true;
  } else {
    return fail("must start with http:// or https://");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  while (path.ends_with('/')) path.remove_suffix(1);
  url.path = std::string(path);
  std::string_view port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail("unclosed '[' in the host");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("unexpected text after the host");
      port = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return fail("no host");
  url.port = url.tls ? 443 : 80;
  if (!port.empty()) {
    unsigned n = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (ec != std::errc() || p != port.data() + port.size() || n == 0 || n > 65535) {
      return fail("port '" + std::string(port) + "' is not a number from 1 to 65535");
    }
    url.port = static_cast<std::uint16_t>(n);
  }
  return url;
}

struct Client::Impl {
  static constexpr std::uint64_t kBodyLimit = std::uint64_t{1} << 30;
  static constexpr std::size_t kReadSize = 64 * 1024;

  Url url;
  ClientOptions options;
  net::io_context ioc;
  std::unique_ptr<net::ssl::context> tls;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;

  bool Connected() const { return plain.has_value() || secure.has_value(); }

  // Whether a kept-alive connection was closed by the server meanwhile (its idle timeout): then
  // the next request goes on a new connection instead of failing.
  bool PeerClosed() {
    char c;
    ssize_t n = ::recv(Tcp().socket().native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
    return n == 0 || !url.tls;  // plain HTTP: bytes nobody asked for also mean "start afresh"
  }
  beast::tcp_stream& Tcp() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  void Reset() {
    beast::error_code ignored;
    if (Connected()) Tcp().socket().close(ignored);
    plain.reset();
    secure.reset();
    buffer.clear();
  }

  void Run() {
    ioc.restart();
    ioc.run();
  }

  Result<bool> Connect() {
    std::string where = url.host + ":" + std::to_string(url.port);
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url.host, std::to_string(url.port), ec);
    if (ec) return MakeError("http.connect", "cannot resolve " + url.host + ": " + ec.message());
    beast::tcp_stream stream(ioc);
    stream.expires_after(options.connect_timeout);
    // Asynchronous operations run to completion here: only they honour the stream's deadline.
    stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    Run();
    if (ec) {
      return MakeError(
          "http.connect",
          "cannot connect to " + where + ": " +
              (ec == beast::error::timeout
                   ? "no answer within " + std::to_string(options.connect_timeout.count()) + " ms"
                   : ec.message()));
    }
    stream.socket().set_option(tcp::no_delay(true), ec);
    if (!url.tls) {
      plain.emplace(std::move(stream));
      return true;
    }
    secure.emplace(std::move(stream), *tls);
    if (!SSL_set_tlsext_host_name(secure->native_handle(), url.host.c_str())) {
      Reset();
      return MakeError("http.connect", "cannot set the TLS server name " + url.host);
    }
    if (options.verify_tls) {
      secure->set_verify_callback(net::ssl::host_name_verification(url.host));
    }
    beast::get_lowest_layer(*secure).expires_after(options.connect_timeout);
    secure->async_handshake(net::ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
    Run();
    if (ec) {
      Reset();
      return MakeError("http.connect", "TLS handshake with " + where + " failed: " + ec.message());
    }
    return true;
  }

  // TLS: asynchronous operations on the private io_context, the stream's timer the deadline.
  Result<ClientResponse> Exchange(beast::ssl_stream<beast::tcp_stream>& stream,
                                  bhttp::request<bhttp::string_body>& req) {
    beast::error_code ec;
    Tcp().expires_after(options.timeout);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kBodyLimit);
    bhttp::async_write(stream, req, [&](beast::error_code e, std::size_t) {
      ec = e;
      if (!e) {
        bhttp::async_read(stream, buffer, parser,
                          [&](beast::error_code e2, std::size_t) { ec = e2; });
      }
    });
    Run();
    return Answer(ec, parser);
  }

  // Plain HTTP: the socket's own non-blocking calls, poll() the deadline. The same exchange as
  // the asynchronous one, without an event loop, a timer and their system calls around each read
  // and write (a load run makes several exchanges per document on every connection).
  Result<ClientResponse> Exchange(beast::tcp_stream& stream,
                                  bhttp::request<bhttp::string_body>& req) {
    tcp::socket& socket = stream.socket();
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    beast::error_code ec;
    socket.non_blocking(true, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kBodyLimit);
    bhttp::request_serializer<bhttp::string_body> writer(req);
    while (!ec && !writer.is_done()) {
      bhttp::write_some(socket, writer, ec);
      if (ec == net::error::would_block || ec == net::error::try_again) {
        ec = Wait(socket, POLLOUT, deadline);
      }
    }
    while (!ec && !parser.is_done()) {
      if (buffer.size() > 0) {
        std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == bhttp::error::need_more) ec = {};
        if (ec || parser.is_done()) break;
        if (used > 0) continue;  // the header is done: parse the body already here
      }
      std::size_t n = socket.read_some(buffer.prepare(kReadSize), ec);
      if (ec == net::error::would_block || ec == net::error::try_again) {
        ec = Wait(socket, POLLIN, deadline);
      } else if (ec == net::error::eof) {
        // An answer delimited by the end of the connection is whole; nothing at all is not one.
        if (parser.got_some()) {
          parser.put_eof(ec);
        } else {
          ec = bhttp::error::end_of_stream;
        }
      } else if (!ec) {
        buffer.commit(n);
      }
    }
    return Answer(ec, parser);
  }

  // Waits until `socket` is ready for `events` or the deadline has passed (error timeout).
  static beast::error_code Wait(tcp::socket& socket, short events,
                                std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return beast::error::timeout;
      pollfd p{socket.native_handle(), events, 0};
      int n = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30)));
      if (n > 0) return {};  // ready, or an error the next call reports
      if (n < 0 && errno != EINTR) return beast::error_code(errno, beast::system_category());
    }
  }

  // What came of an exchange: the answer, or the failure named, the connection then closed.
  Result<ClientResponse> Answer(const beast::error_code& ec,
                                bhttp::response_parser<bhttp::string_body>& parser) {
    if (ec) {
      Reset();
      std::string where = url.host + ":" + std::to_string(url.port);
      if (ec == beast::error::timeout) {
        return MakeError("http.timeout", "no whole answer from " + where + " within " +
                                             std::to_string(options.timeout.count()) + " ms");
      }
      return MakeError("http.io", "the connection to " + where +
                                      " ended before a whole answer: " + ec.message());
    }
    auto res = parser.release();
    ClientResponse out;
    out.status = static_cast<int>(res.result_int());
    out.content_type = std::string(res[bhttp::field::content_type]);
    out.body = std::move(res.body());
    if (!res.keep_alive()) Reset();
    return out;
  }
};

Result<std::unique_ptr<Client>> Client::Create(std::string_view base_url, ClientOptions options) {
  auto url = ParseUrl(base_url);
  if (!url) return tl::unexpected(url.error());
  auto impl = std::make_unique<Impl>();
  impl->url = *url;
  impl->options = std::move(options);
  if (impl->url.tls) {
    impl->tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
    if (impl->options.verify_tls) {
      impl->tls->set_verify_mode(net::ssl::verify_peer);
      beast::error_code ec;
      if (impl->options.ca_file.empty()) {
        impl->tls->set_default_verify_paths(ec);
      } else {
        impl->tls->load_verify_file(impl->options.ca_file, ec);
      }
      if (ec) {
        return MakeError(
            "http.tls", "cannot load the CA file '" + impl->options.ca_file + "': " + ec.message());
      }
    } else {
      impl->tls->set_verify_mode(net::ssl::verify_none);
    }
  }
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() { impl_->Reset(); }

const Url& Client::url() const { return impl_->url; }

std::string Client::Describe() const {
  const Url& u = impl_->url;
  bool v6 = u.host.find(':') != std::string::npos;
  return std::string(u.tls ? "https://" : "http://") + (v6 ? "[" + u.host + "]" : u.host) + ":" +
         std::to_string(u.port) + u.path;
}

Result<ClientResponse> Client::Send(std::string_view method, std::string_view path,
                                    const wire::Headers& headers, std::string body) {
  if (impl_->Connected() && impl_->PeerClosed()) impl_->Reset();
  if (!impl_->Connected()) {
    auto connected = impl_->Connect();
    if (!connected) return tl::unexpected(connected.error());
  }
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(impl_->url.path + std::string(path));
  req.version(11);
  std::string host = impl_->url.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  req.set(bhttp::field::host, host + ":" + std::to_string(impl_->url.port));
  for (const auto& [name, value] : headers) req.insert(name, value);
  req.keep_alive(true);
  req.body() = std::move(body);
  if (method != "GET" || !req.body().empty()) req.prepare_payload();
  if (impl_->secure) return impl_->Exchange(*impl_->secure, req);
  return impl_->Exchange(*impl_->plain, req);
}

}  // namespace vxp::http
