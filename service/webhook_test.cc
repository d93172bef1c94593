// Webhooks on loopback: the body and its signature as a receiver checks it (HMAC computed here
// with OpenSSL, not with the service's helper), a retry after a refusal, a dead receiver given
// up after the retries, and a stopping service that does not wait for them.
#include "service/webhook.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <mutex>

#include "core/wire/http.h"
#include "simulator/http/server.h"

namespace vxp::service {
namespace {

std::string ReceiverSignature(const std::string& key, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &n);
  static const char* kHex = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

struct Receiver {
  std::mutex mu;
  std::vector<wire::HttpRequest> got;
  std::vector<int> answers;  // one per request, then 200
  std::unique_ptr<http::Server> server;

  Receiver() {
    auto s = http::Server::Start({}, [this](const wire::HttpRequest& r) {
      std::lock_guard lock(mu);
      got.push_back(r);
      int status = got.size() <= answers.size() ? answers[got.size() - 1] : 200;
      return wire::HttpResponse{status, "text/plain", "ok"};
    });
    EXPECT_TRUE(s) << s.error().message;
    server = std::move(*s);
  }
};

RunRow FinishedRun() {
  RunRow run;
  run.id = 7;
  run.system_id = 3;
  run.plan = "self-test";
  run.profile = "demo";
  run.status = "finished";
  run.verdict = "FAIL";
  run.exit_code = 1;
  run.summary = "1 of 9 scenarios failed";
  return run;
}

TEST(Webhook, TheReceiverGetsTheRunSignedWithTheHubSecret) {
  Receiver receiver;
  SystemRecord system;
  system.name = "Hệ thống QLVB";
  std::string body = WebhookBody(FinishedRun(), system, "http://svc.test:8000");
  WebhookOptions o;
  o.retry_after.clear();
  WebhookOutcome told = DeliverWebhook(receiver.server->url() + "/hooks/vxpkit", "s3cret", body, o);
  EXPECT_TRUE(told.delivered) << told.last;
  EXPECT_EQ(told.attempts, 1);
  ASSERT_EQ(receiver.got.size(), 1u);
  const wire::HttpRequest& r = receiver.got[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hooks/vxpkit");
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(wire::Find(r.headers, "X-Vxpkit-Signature").value_or(""),
            ReceiverSignature("s3cret", r.body));
  EXPECT_NE(wire::Find(r.headers, "X-Vxpkit-Signature").value_or(""),
            ReceiverSignature("another", r.body));
  EXPECT_EQ(wire::Find(r.headers, "X-Vxpkit-Event").value_or(""), "run.finished");
  boost::json::value v = boost::json::parse(r.body);
  EXPECT_EQ(v.at("event").as_string(), "run.finished");
  EXPECT_EQ(v.at("run").at("verdict").as_string(), "FAIL");
  EXPECT_EQ(v.at("run").at("system").as_string(), "Hệ thống QLVB");
  EXPECT_EQ(v.at("run").at("url").as_string(), "http://svc.test:8000/api/v1/runs/7");
}

TEST(Webhook, ARefusalIsTriedAgainAndADeadReceiverGivenUp) {
  Receiver receiver;
  receiver.answers = {503};
  WebhookOptions o;
  o.retry_after = {std::chrono::milliseconds(10), std::chrono::milliseconds(10)};
  WebhookOutcome told = DeliverWebhook(receiver.server->url(), "k", "{}", o);
  EXPECT_TRUE(told.delivered);
  EXPECT_EQ(told.attempts, 2);
  EXPECT_EQ(receiver.got.size(), 2u);
  EXPECT_EQ(receiver.got[0].target, "/");

  std::string gone = receiver.server->url();
  receiver.server->Stop();
  told = DeliverWebhook(gone, "k", "{}", o);
  EXPECT_FALSE(told.delivered);
  EXPECT_EQ(told.attempts, 3);
  EXPECT_NE(told.last.find("cannot connect"), std::string::npos) << told.last;

  o.retry_after = {std::chrono::hours(1)};
  o.stop = [] { return true; };  // the service is stopping: no hour-long wait
  told = DeliverWebhook(gone, "k", "{}", o);
  EXPECT_EQ(told.attempts, 1);
  EXPECT_FALSE(told.delivered);
}

}  // namespace
}  // namespace vxp::service
