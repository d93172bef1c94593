#include "clients/transport.h"

#include <thread>

namespace vxp::http {

InProcess::InProcess(wire::HttpHandler handler, std::string base_path,
                     std::chrono::milliseconds timeout, std::string name)
    : handler_(std::move(handler)),
      base_path_(std::move(base_path)),
      timeout_(timeout),
      name_(std::move(name)) {}

Result<ClientResponse> InProcess::Send(std::string_view method, std::string_view path,
                                       const wire::Headers& headers, std::string body) {
  wire::HttpRequest request{std::string(method), base_path_ + std::string(path), headers,
                            std::move(body)};
  wire::HttpResponse response = handler_(request);
  if (response.drop_connection) {
    return MakeError("http.io", name_ + " closed the connection without an answer");
  }
  if (response.delay >= timeout_) {
    std::this_thread::sleep_for(timeout_);
    return MakeError("http.timeout", "no answer from " + name_ + " within " +
                                         std::to_string(timeout_.count()) + " ms");
  }
  if (response.delay.count() > 0) std::this_thread::sleep_for(response.delay);
  if (response.stream) response.body += response.stream->Poll().bytes;  // what is there now
  return ClientResponse{response.status, std::move(response.content_type),
                        std::move(response.body)};
}

}  // namespace vxp::http
