#include "clients/hub_client.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "core/edxml/base64.h"
#include "core/wire/operations.h"

namespace vxp::clients {
namespace {

std::string Str(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_null()) return {};
  return boost::json::serialize(*v);
}

Result<boost::json::array> Data(const std::string& json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  const boost::json::value* data =
      ec || !v.is_object() ? nullptr : v.as_object().if_contains("data");
  if (data == nullptr || !data->is_array()) {
    return MakeError("wire.response", "the answer has no data array: " + json.substr(0, 200));
  }
  return data->as_array();
}

}  // namespace

Result<std::unique_ptr<HubClient>> HubClient::Create(HubClientOptions options) {
  auto http = http::Client::Create(options.url, options.http);
  if (!http) return tl::unexpected(http.error());
  auto client = std::unique_ptr<HubClient>(new HubClient());
  client->options_ = std::move(options);
  client->http_ = std::move(*http);
  return client;
}

std::unique_ptr<HubClient> HubClient::Create(HubClientOptions options,
                                             std::unique_ptr<http::Transport> transport) {
  auto client = std::unique_ptr<HubClient>(new HubClient());
  client->options_ = std::move(options);
  client->http_ = std::move(transport);
  return client;
}

Result<std::string> HubClient::Call(std::string_view operation,
                                    const std::vector<std::pair<std::string, std::string>>& params,
                                    std::string body, std::string_view content_type) {
  wire::Millis now = options_.clock ? options_.clock() : SystemMillis();
  wire::Millis last = last_signed_.load();
  do {
    now = std::max(now, last + 1);
  } while (!last_signed_.compare_exchange_weak(last, now));
  wire::Headers headers = wire::BuildHeaders(
      options_.credentials, wire::FormatTimestamp(now, options_.utc_offset_minutes), content_type,
      params);
  const wire::Operation* info = wire::FindOperation(operation);
  std::string method(info != nullptr ? info->method : "POST");
  auto res = http_->Send(method, "/" + std::string(operation), headers, std::move(body));
  if (!res) return tl::unexpected(res.error());
  if (operation == "downloadEdoc" && res->status == 200 &&
      !res->content_type.starts_with("application/json")) {
    return std::move(res->body);
  }
  auto parsed = wire::ParseResponse(res->body);
  if (!parsed) {
    if (res->status != 200) {
      return MakeError("hub.http", "HTTP " + std::to_string(res->status) + " from " +
                                       std::string(operation) + ": " + res->body.substr(0, 200));
    }
    return tl::unexpected(parsed.error());
  }
  if (!parsed->ok) {
    // A closed set (core/common/error_codes.h): hub.<a code of the hub's catalogue>, else
    // hub.other with the code in the message.
    bool known = false;
    for (const wire::HubError& e : wire::AllErrors()) known = known || e.code == parsed->error_code;
    if (!known) {
      return MakeError("hub.other", std::string(operation) + ": ErrorCode " + parsed->error_code +
                                        ": " + parsed->error_desc);
    }
    std::string code = "hub." + parsed->error_code;  // hub.<a code of the catalogue>
    return MakeError(code, std::string(operation) + ": " + parsed->error_desc);
  }
  return std::move(parsed->json);
}

Result<std::string> HubClient::SendEdoc(std::string_view from, std::string_view message_type,
                                        std::string_view package) {
  auto json = Call("sendEdoc",
                   {{"from", std::string(from)},
                    {"servicetype", "eDoc"},
                    {"messagetype", std::string(message_type)},
                    {"hash-file", wire::HashFile(package)}},
                   std::string(package) + "\r\n", "application/octet-stream");
  if (!json) return tl::unexpected(json.error());
  return Str(boost::json::parse(*json).as_object(), "DocId");
}

Result<std::vector<ReceivedItem>> HubClient::ReceivedList(std::string_view message_type) {
  auto json = Call("getReceivedEdocList",
                   {{"servicetype", "eDoc"}, {"messagetype", std::string(message_type)}}, "");
  if (!json) return tl::unexpected(json.error());
  auto data = Data(*json);
  if (!data) return tl::unexpected(data.error());
  std::vector<ReceivedItem> out;
  for (const auto& v : *data) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    out.push_back(ReceivedItem{Str(o, "docId"), Str(o, "messageType"), Str(o, "from"), Str(o, "to"),
                               Str(o, "status"), Str(o, "created_time")});
  }
  return out;
}

Result<std::string> HubClient::GetEdoc(std::string_view doc_id) {
  auto json = Call("getEdoc", {{"docId", std::string(doc_id)}});
  if (!json) return tl::unexpected(json.error());
  std::string data = Str(boost::json::parse(*json).as_object(), "data");
  auto bytes = edxml::DecodeBase64ToString(data);
  if (!bytes) {
    return MakeError("wire.response", "getEdoc " + std::string(doc_id) + ": data is not base64");
  }
  return std::move(*bytes);
}

Result<std::string> HubClient::DownloadEdoc(std::string_view doc_id) {
  return Call("downloadEdoc", {{"docId", std::string(doc_id)}}, "");
}

Result<void> HubClient::UpdateStatus(std::string_view doc_id, std::string_view status,
                                     std::string_view description) {
  std::vector<std::pair<std::string, std::string>> params{{"docid", std::string(doc_id)},
                                                          {"status", std::string(status)}};
  if (!description.empty()) params.emplace_back("description", std::string(description));
  auto json = Call("updateStatus", params);
  if (!json) return tl::unexpected(json.error());
  return {};
}

Result<std::vector<SentItem>> HubClient::SentList(std::string_view message_type,
                                                  std::string_view doc_id) {
  std::vector<std::pair<std::string, std::string>> params{
      {"servicetype", "eDoc"}, {"messagetype", std::string(message_type)}};
  if (!doc_id.empty()) params.emplace_back("docId", std::string(doc_id));
  auto json = Call("getSentEdocList", params, "");
  if (!json) return tl::unexpected(json.error());
  auto data = Data(*json);
  if (!data) return tl::unexpected(data.error());
  std::vector<SentItem> out;
  for (const auto& v : *data) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    out.push_back(SentItem{Str(o, "senderDocId"), Str(o, "receiverDocId"), Str(o, "fromCode"),
                           Str(o, "toCode"), Str(o, "messageType"), Str(o, "title"),
                           Str(o, "sendStatus"), Str(o, "receiveStatus")});
  }
  return out;
}

Result<std::int64_t> HubClient::Count(std::string_view message_type) {
  auto json = Call(message_type == "status" ? "countReceiveStatus" : "countReceiveEdoc",
                   {{"servicetype", "eDoc"}, {"messagetype", std::string(message_type)}});
  if (!json) return tl::unexpected(json.error());
  const boost::json::value* count = boost::json::parse(*json).as_object().if_contains("count");
  if (count == nullptr || !count->is_int64()) {
    return MakeError("wire.response", "count is not an integer: " + json->substr(0, 200));
  }
  return count->as_int64();
}

}  // namespace vxp::clients
