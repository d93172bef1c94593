// The HTTP client against the adapter on loopback: keep-alive reuse, reconnection after the server
// closed an idle connection, HTTPS, injected delays and dropped connections, and each transport
// failure with its error code.
#include "clients/http_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <thread>

#include "simulator/http/server.h"

namespace vxp::http {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<Server> Start(ServerOptions options, Handler handler) {
  auto server = Server::Start(options, std::move(handler));
  EXPECT_TRUE(server) << server.error().message;
  return server ? std::move(*server) : nullptr;
}

hub::Response Echo(const hub::Request& r) {
  return hub::Response{200, "text/plain", r.method + " " + r.target + " " + r.body};
}

TEST(ParseUrl, Forms) {
  auto u = ParseUrl("https://[::1]:8443/XrdAdapter/adapter/");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "/XrdAdapter/adapter");
  EXPECT_EQ(ParseUrl("http://hub.local")->port, 80);
  for (const char* bad : {"ftp://x", "http://:80", "http://x:0", "http://x:99999", "http://[::1"}) {
    auto r = ParseUrl(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "http.url");
  }
}

TEST(Client, KeepAliveAndReconnectAfterTheServerClosedIdle) {
  std::atomic<int> calls{0};
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(100);
  auto server = Start(options, [&](const hub::Request& r) {
    ++calls;
    return Echo(r);
  });
  auto client = Client::Create(server->url() + "/base");
  ASSERT_TRUE(client);
  auto a = (*client)->Send("POST", "/sendEdoc", {{"X-A", "1"}}, "abc");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->body, "POST /base/sendEdoc abc");
  auto b = (*client)->Send("GET", "/downloadEdoc", {}, "");
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->body, "GET /base/downloadEdoc ");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the server closes the idle one
  auto c = (*client)->Send("POST", "/getEdoc", {}, "{}");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(calls, 3);
}

TEST(Client, TransportFailuresAreNamed) {
  auto server = Start({}, [](const hub::Request& r) {
    hub::Response res = Echo(r);
    if (r.target.ends_with("/drop")) res.drop_connection = true;
    if (r.target.ends_with("/slow")) res.delay = std::chrono::milliseconds(2000);
    return res;
  });
  ClientOptions options;
  options.timeout = std::chrono::milliseconds(300);
  auto client = *Client::Create(server->url(), options);
  auto dropped = client->Send("POST", "/drop", {}, "");
  ASSERT_FALSE(dropped);
  EXPECT_EQ(dropped.error().code, "http.io");
  auto slow = client->Send("POST", "/slow", {}, "");
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, "http.timeout");
  EXPECT_THAT(slow.error().message, HasSubstr("within 300 ms"));
  auto fine = client->Send("POST", "/fine", {}, "");  // a new connection after each failure
  ASSERT_TRUE(fine) << fine.error().message;

  std::uint16_t port = server->port();
  server->Stop();
  auto refused =
      (*Client::Create("http://127.0.0.1:" + std::to_string(port)))->Send("GET", "/", {}, "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "http.connect");
}

// A server that answers one byte every 50 ms: each read gets something, the whole answer does not
// come within the deadline. The deadline is for the whole answer, not for each read.
TEST(Client, TheDeadlineCoversTheWholeAnswerNotEachRead) {
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0});
  std::atomic<bool> stop{false};
  std::thread drip([&] {
    boost::system::error_code ec;
    net::ip::tcp::socket peer(ioc);
    acceptor.accept(peer, ec);
    if (ec) return;
    char request[4096];
    peer.read_some(net::buffer(request), ec);
    const std::string answer =
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x');
    for (char c : answer) {
      if (stop || ec) break;
      net::write(peer, net::buffer(&c, 1), ec);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  ClientOptions options;
  options.timeout = std::chrono::milliseconds(400);
  auto client = *Client::Create(
      "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()), options);
  auto slow = client->Send("POST", "/getEdoc", {}, "{}");
  stop = true;
  drip.join();
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, "http.timeout");
  EXPECT_THAT(slow.error().message, HasSubstr("within 400 ms"));
}

// Bodies larger than the socket buffers, both ways: the request is written in many pieces while
// the server reads it, and the answer read in many.
TEST(Client, LargeBodiesTravelWhole) {
  auto server = Start({}, [](const hub::Request& r) {
    return hub::Response{200, "application/octet-stream", r.body + r.body};
  });
  std::string body(6 << 20, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  auto client = *Client::Create(server->url());
  for (int i = 0; i < 2; ++i) {  // the second on the kept-alive connection
    auto r = client->Send("POST", "/downloadEdoc", {}, body);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
    ASSERT_EQ(r->body.size(), 2 * body.size());
    EXPECT_TRUE(r->body == body + body);
  }
}

TEST(Client, Https) {
  ServerOptions options;
  options.tls_cert_file = std::string(VXP_SOURCE_DIR) + "/vectors/keys/agency-h53.crt";
  options.tls_key_file = std::string(VXP_SOURCE_DIR) + "/vectors/keys/agency-h53.key";
  auto server = Start(options, Echo);
  ASSERT_THAT(server->url(), ::testing::StartsWith("https://127.0.0.1:"));
  auto client = *Client::Create(server->url());
  auto r = client->Send("POST", "/getEdoc", {}, "{}");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->body, "POST /getEdoc {}");

  // Checking the certificate: it is an agency's, not issued for 127.0.0.1, so the check fails.
  ClientOptions strict;
  strict.verify_tls = true;
  strict.ca_file = std::string(VXP_SOURCE_DIR) + "/vectors/keys/root-ca.crt";
  auto refused = (*Client::Create(server->url(), strict))->Send("POST", "/getEdoc", {}, "{}");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "http.connect");
  EXPECT_THAT(refused.error().message, HasSubstr("TLS handshake"));

  // A plain-HTTP client on the TLS port gets no answer it can read, and no hang.
  std::string plain_url = "http://127.0.0.1:" + std::to_string(server->port());
  ClientOptions quick;
  quick.timeout = std::chrono::milliseconds(2000);
  auto confused = (*Client::Create(plain_url, quick))->Send("POST", "/getEdoc", {}, "{}");
  EXPECT_FALSE(confused);
}

TEST(Server, TlsOptionsNameTheBadFile) {
  ServerOptions options;
  options.tls_cert_file = "/nonexistent.crt";
  options.tls_key_file = "/nonexistent.key";
  auto server = Server::Start(options, Echo);
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, "http.tls");
  EXPECT_THAT(server.error().message, HasSubstr("/nonexistent.crt"));
  options.tls_key_file.clear();
  EXPECT_EQ(Server::Start(options, Echo).error().code, "http.tls");
}

}  // namespace
}  // namespace vxp::http
