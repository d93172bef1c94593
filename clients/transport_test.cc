// The in-process transport: the handler sees the request as the HTTP server would hand it over,
// and what the handler asks of an adapter (a late answer, a dropped connection) reaches the client
// as the same named errors the socket client gives.
#include "clients/transport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "clients/hub_client.h"

namespace vxp::http {
namespace {

TEST(InProcess, HandsTheRequestToTheHandler) {
  wire::HttpRequest seen;
  InProcess t(
      [&](const wire::HttpRequest& r) {
        seen = r;
        return wire::HttpResponse{201, "text/plain", "made"};
      },
      "/XrdAdapter/adapter", std::chrono::milliseconds(1000), "in-process hub");
  auto r = t.Send("POST", "/sendEdoc", {{"XroadVnpt-from", "000.00.00.G22"}}, "body");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->content_type, "text/plain");
  EXPECT_EQ(r->body, "made");
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/XrdAdapter/adapter/sendEdoc");
  EXPECT_EQ(seen.body, "body");
  ASSERT_EQ(seen.headers.size(), 1u);
  EXPECT_EQ(seen.headers[0].second, "000.00.00.G22");
  EXPECT_EQ(t.Describe(), "in-process hub");
}

TEST(InProcess, AnAnswerLaterThanTheDeadlineIsATimeout) {
  int calls = 0;
  InProcess t(
      [&](const wire::HttpRequest&) {
        ++calls;
        wire::HttpResponse r;
        r.delay = std::chrono::hours(1);  // the transport must give up at its deadline
        return r;
      },
      "", std::chrono::milliseconds(20), "in-process hub");
  auto r = t.Send("POST", "/getEdoc", {}, "{}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "http.timeout");
  EXPECT_THAT(r.error().message, ::testing::HasSubstr("in-process hub"));
  EXPECT_EQ(calls, 1);  // the handler did its work, as a server that answers late
}

TEST(InProcess, ADroppedConnectionIsAnIoError) {
  InProcess t(
      [](const wire::HttpRequest&) {
        wire::HttpResponse r;
        r.drop_connection = true;
        return r;
      },
      "", std::chrono::milliseconds(1000), "in-process hub");
  auto r = t.Send("POST", "/sendEdoc", {}, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "http.io");
}

TEST(InProcess, TheHubClientSpeaksThroughIt) {
  wire::HttpRequest seen;
  auto client = clients::HubClient::Create(
      clients::HubClientOptions{.credentials = {"00.22.W00", "secret"}},
      std::make_unique<InProcess>(
          [&](const wire::HttpRequest& r) {
            seen = r;
            return wire::HttpResponse{
                200, "application/json",
                R"({"status":"FAIL","ErrorCode":"1003","ErrorDesc":"Sai chu ky"})"};
          },
          "/XrdAdapter/adapter", std::chrono::milliseconds(1000), "in-process hub"));
  auto r = client->SendEdoc("000.00.00.G22", "edoc", "<edXML/>");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "hub.1003");
  EXPECT_EQ(seen.target, "/XrdAdapter/adapter/sendEdoc");
  EXPECT_EQ(wire::Find(seen.headers, "XroadVnpt-systemid").value_or(""), "00.22.W00");
  auto downloaded = client->DownloadEdoc("5");
  EXPECT_EQ(seen.method, "GET");  // the operation table's method
}

}  // namespace
}  // namespace vxp::http
