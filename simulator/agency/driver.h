// The test-driver API (docs/driver-api.md): a small HTTP JSON API through which a harness tells a
// system what to do. The reference agency serves it; vendors implement the same in test builds of
// their systems.
//
//   GET  /driver/v1/info       who this is: {"api","organId","organName","profile"}
//   POST /driver/v1/send {"to":[…],"businessType":0,"targetDocumentId":"","subject":"","reason":""}
//                              → {"documentId","docId"}
//   POST /driver/v1/advance    {"documentId","from"?,"code","reason"?} → {"ok":true}
//   POST /driver/v1/recall     {"documentId","to"?,"reason"} → {"ok":true}
//   GET  /driver/v1/documents  → {"documents":[{direction, documentId, from, to, businessType,
//                                targetDocumentId, subject, judgement, hubDocIds, statuses:[…]}]}
//   POST /driver/v1/reset      → {"ok":true}
//
// Errors: HTTP 400 (bad request), 404 (unknown document or endpoint), 502 (the hub refused or
// failed), each with {"error":"<code>","message":"<what>"}.
#ifndef VXP_SIMULATOR_AGENCY_DRIVER_H_
#define VXP_SIMULATOR_AGENCY_DRIVER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "simulator/agency/agency.h"
#include "simulator/http/server.h"

namespace vxp::mock {

inline constexpr std::string_view kDriverApi = "vxpkit-driver/1";

// Answers one driver request. Thread-safe (MockAgency is).
hub::Response HandleDriver(MockAgency& agency, const hub::Request& request);

struct ServiceOptions {
  std::chrono::milliseconds poll_interval{200};
  bool serve_driver = false;
  http::ServerOptions driver;                   // where the driver listens (port 0: any)
  std::function<void(const std::string&)> log;  // poll errors and what was handled; may be empty
};

// A mock agency at work: a thread polling the hub every poll_interval (at once again after a round
// that handled something, so that a queue is drained without a pause), and optionally the driver
// API on its own port. Stop() (or the destructor) ends both.
class AgencyService {
 public:
  // Error "http.listen" when the driver cannot listen.
  static Result<std::unique_ptr<AgencyService>> Start(std::unique_ptr<MockAgency> agency,
                                                      ServiceOptions options);
  ~AgencyService();

  MockAgency& agency() { return *agency_; }
  std::string driver_url() const;  // "" when the driver is not served
  void Stop();

 private:
  AgencyService() = default;
  void Loop();

  std::unique_ptr<MockAgency> agency_;
  ServiceOptions options_;
  std::unique_ptr<http::Server> driver_;
  std::thread poller_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace vxp::mock

#endif  // VXP_SIMULATOR_AGENCY_DRIVER_H_
