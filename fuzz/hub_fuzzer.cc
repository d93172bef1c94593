// Fuzz target for the hub's request handling (headers + body → response), which reads bytes from
// any client on the network: hub::Hub::Admit on the head, then Hub::Handle on the whole request,
// over an in-memory store with two registered systems. Any crash, hang or sanitizer report is a
// bug; so is an answer that is not valid UTF-8 JSON with status, ErrorCode and ErrorDesc.
//
// Input: a request in a small text form, so that the fuzzer reaches past authentication.
//   line 1:  METHOD TARGET
//   lines:   "Name: value"   a header sent as it is
//            "=key=value"    a parameter the target signs with system g22's secret (valid HMAC
//                            and a fresh timestamp), as the SDK would
//   a blank line, then the body.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/utf8.h"
#include "core/wire/wire.h"
#include "simulator/hub/hub.h"
#include "simulator/hub/store.h"

namespace {

using vxp::hub::Hub;

constexpr vxp::wire::Millis kNow = 1795168800000;  // 2026-11-20T10:00:00Z

Hub& TheHub() {
  static Hub* hub = [] {
    auto store = vxp::hub::OpenSqliteStore(":memory:");
    if (!store) std::abort();
    auto* h = new Hub(std::move(*store), vxp::hub::HubConfig{}, [] { return kNow; });
    (void)h->RegisterSystem({"sys.g22", "g22-secret"}, {"000.00.00.G22"});
    (void)h->RegisterSystem({"sys.h53", "h53-secret"}, {"000.00.00.H53"});
    return h;
  }();
  return *hub;
}

vxp::hub::Request Read(std::string_view in) {
  vxp::hub::Request r;
  size_t blank = in.find("\n\n");
  std::string_view head = in.substr(0, blank);
  r.body = blank == std::string_view::npos ? "" : std::string(in.substr(blank + 2));
  std::vector<std::pair<std::string, std::string>> params;
  bool first = true;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (first) {
      first = false;
      size_t sp = line.find(' ');
      r.method = std::string(line.substr(0, sp));
      r.target = sp == std::string_view::npos ? "" : std::string(line.substr(sp + 1));
    } else if (line.starts_with('=')) {
      size_t eq = line.find('=', 1);
      if (eq == std::string_view::npos) continue;
      params.emplace_back(std::string(line.substr(1, eq - 1)), std::string(line.substr(eq + 1)));
    } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      if (value.starts_with(' ')) value.remove_prefix(1);
      r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
  }
  if (!params.empty()) {
    vxp::wire::Headers signed_headers = vxp::wire::BuildHeaders(
        {"sys.g22", "g22-secret"}, vxp::wire::FormatTimestamp(kNow), "application/json", params);
    r.headers.insert(r.headers.end(), signed_headers.begin(), signed_headers.end());
  }
  return r;
}

void CheckAnswer(const vxp::hub::Response& response) {
  if (response.content_type != "application/json") return;  // downloadEdoc: the package bytes
  if (vxp::FindInvalidUtf8(response.body) != std::string::npos) std::abort();
  auto parsed = vxp::wire::ParseResponse(response.body);
  if (!parsed) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  vxp::hub::Request request = Read(std::string_view(reinterpret_cast<const char*>(data), size));
  vxp::hub::Request head = request;
  head.body.clear();
  if (auto refusal = TheHub().Admit(head)) CheckAnswer(*refusal);
  CheckAnswer(TheHub().Handle(request));
  return 0;
}
