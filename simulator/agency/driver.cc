#include "simulator/agency/driver.h"

#include <boost/json.hpp>

namespace vxp::mock {
namespace {

hub::Response Json(int status, const boost::json::value& v) {
  return hub::Response{status, "application/json", boost::json::serialize(v)};
}

hub::Response ErrorAnswer(const Error& e) {
  int status = e.code.starts_with("driver.unknown") ? 404
               : e.code.starts_with("driver.")      ? 400
                                                    : 502;
  return Json(status, boost::json::object{{"error", e.code}, {"message", e.message}});
}

std::string Text(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

boost::json::object ToJson(const HeldDocument& h) {
  boost::json::array to(h.to.begin(), h.to.end());
  boost::json::array ids(h.hub_doc_ids.begin(), h.hub_doc_ids.end());
  boost::json::array statuses;
  for (const StatusRecord& s : h.statuses) {
    statuses.push_back(boost::json::object{{"code", s.code},
                                           {"from", s.from},
                                           {"to", s.to},
                                           {"description", s.description},
                                           {"direction", s.direction},
                                           {"at", s.at}});
  }
  return boost::json::object{{"direction", h.direction},
                             {"documentId", h.document_id},
                             {"from", h.from},
                             {"to", std::move(to)},
                             {"businessType", h.business_type},
                             {"targetDocumentId", h.target_document_id},
                             {"subject", h.subject},
                             {"judgement", h.judgement},
                             {"hubDocIds", std::move(ids)},
                             {"statuses", std::move(statuses)}};
}

}  // namespace

hub::Response HandleDriver(MockAgency& agency, const hub::Request& request) {
  std::string_view path = request.target;
  if (size_t q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  constexpr std::string_view kPrefix = "/driver/v1/";
  if (!path.starts_with(kPrefix)) {
    return ErrorAnswer(Error{"driver.unknown-endpoint", "no endpoint " + std::string(path) +
                                                            " (the API is under /driver/v1/)"});
  }
  std::string_view op = path.substr(kPrefix.size());
  bool get = request.method == "GET";
  if (get && op == "info") {
    const AgencyOptions& o = agency.options();
    return Json(200,
                boost::json::object{
                    {"api", kDriverApi},
                    {"organId", o.organ_id},
                    {"organName", o.organ_name},
                    {"profile", o.profile},
                    {"product", {{"name", "vxpkit reference agency"}, {"version", VXP_VERSION}}}});
  }
  if (get && op == "documents") {
    boost::json::array docs;
    for (const HeldDocument& h : agency.Documents()) docs.push_back(ToJson(h));
    return Json(200, boost::json::object{{"documents", std::move(docs)}});
  }
  if (request.method != "POST" ||
      (op != "send" && op != "advance" && op != "recall" && op != "reset")) {
    return ErrorAnswer(Error{"driver.unknown-endpoint",
                             "no endpoint " + request.method + " " + std::string(path)});
  }
  if (op == "reset") {
    agency.Reset();
    return Json(200, boost::json::object{{"ok", true}});
  }
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(request.body, ec);
  if (ec || !body.is_object()) {
    return ErrorAnswer(Error{"driver.request", "the body is not a JSON object"});
  }
  const boost::json::object& o = body.as_object();
  if (op == "send") {
    SendRequest send;
    if (const auto* to = o.if_contains("to"); to != nullptr && to->is_array()) {
      for (const auto& t : to->as_array()) {
        if (t.is_string()) send.to.emplace_back(t.as_string());
      }
    }
    if (const auto* type = o.if_contains("businessType"); type != nullptr) {
      if (!type->is_int64()) {
        return ErrorAnswer(Error{"driver.request", "businessType is not a number"});
      }
      send.business_type = static_cast<int>(type->as_int64());
    }
    send.target_document_id = Text(o, "targetDocumentId");
    send.subject = Text(o, "subject");
    send.reason = Text(o, "reason");
    auto sent = agency.Send(send);
    if (!sent) return ErrorAnswer(sent.error());
    return Json(200,
                boost::json::object{{"documentId", sent->document_id}, {"docId", sent->doc_id}});
  }
  std::string document_id = Text(o, "documentId");
  if (document_id.empty()) return ErrorAnswer(Error{"driver.request", "documentId is required"});
  auto done = op == "advance"
                  ? agency.Advance(document_id, Text(o, "from"), Text(o, "code"), Text(o, "reason"))
                  : agency.Recall(document_id, Text(o, "to"), Text(o, "reason"));
  if (!done) return ErrorAnswer(done.error());
  return Json(200, boost::json::object{{"ok", true}});
}

Result<std::unique_ptr<AgencyService>> AgencyService::Start(std::unique_ptr<MockAgency> agency,
                                                            ServiceOptions options) {
  auto service = std::unique_ptr<AgencyService>(new AgencyService());
  service->agency_ = std::move(agency);
  service->options_ = std::move(options);
  if (service->options_.serve_driver) {
    MockAgency* a = service->agency_.get();
    auto server = http::Server::Start(service->options_.driver,
                                      [a](const hub::Request& r) { return HandleDriver(*a, r); });
    if (!server) return tl::unexpected(server.error());
    service->driver_ = std::move(*server);
  }
  service->poller_ = std::thread([s = service.get()] { s->Loop(); });
  return service;
}

AgencyService::~AgencyService() { Stop(); }

std::string AgencyService::driver_url() const { return driver_ ? driver_->url() : ""; }

void AgencyService::Loop() {
  std::string last_error;
  while (true) {
    auto handled = agency_->Poll();
    if (options_.log) {
      if (!handled) {
        // The same failure round after round is said once, not every poll.
        std::string e = handled.error().code + ": " + handled.error().message;
        if (e != last_error) options_.log("poll failed: " + e);
        last_error = e;
      } else {
        if (!last_error.empty()) options_.log("polling works again");
        last_error.clear();
        if (*handled > 0) options_.log("handled " + std::to_string(*handled) + " item(s)");
      }
    }
    std::unique_lock lock(mu_);
    // A round that handled something may have left more waiting: the next starts at once.
    auto pause = handled && *handled > 0 ? std::chrono::milliseconds(0) : options_.poll_interval;
    if (wake_.wait_for(lock, pause, [this] { return stopping_; })) return;
  }
}

void AgencyService::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (poller_.joinable()) poller_.join();
  if (driver_) driver_->Stop();
}

}  // namespace vxp::mock
