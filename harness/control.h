// How the harness makes the system under test act (send a document, advance one, recall one):
// through its test-driver API (docs/driver-api.md), or by prompting an operator. Either way the
// scenario then checks at the hub what actually happened; a control's success only means the
// instruction was given.
//
// Not thread-safe; the runner uses one control from its scenario thread.
#ifndef VXP_HARNESS_CONTROL_H_
#define VXP_HARNESS_CONTROL_H_

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "clients/transport.h"
#include "core/common/result.h"

namespace vxp::harness {

struct SendOrder {
  std::string from;  // the SUT's agency that sends
  std::vector<std::string> to;
  int business_type = 0;
  std::string target_document_id;
  std::string subject;
  std::string reason;
};

class SutControl {
 public:
  virtual ~SutControl() = default;
  virtual std::string_view kind() const = 0;  // "driver" or "operator"
  // The document's DocumentId when the control knows it ("" from an operator).
  virtual Result<std::string> Send(const SendOrder& order) = 0;
  virtual Result<void> Advance(std::string_view document_id, std::string_view from,
                               std::string_view code, std::string_view reason) = 0;
  virtual Result<void> Recall(std::string_view document_id, std::string_view to,
                              std::string_view reason) = 0;
  // The product and version the system names itself (a driver's /driver/v1/info "product");
  // "" when it does not say.
  virtual std::pair<std::string, std::string> Product() const { return {}; }
};

// The driver at `url`. Checks GET /driver/v1/info first: error "driver.unreachable" (with the
// HTTP client's reason), "driver.api" (not vxpkit-driver/1), "driver.organ" (the driver acts for
// an agency not in `agencies`); keeps its optional "product" {name, version} (Product()). Calls
// then fail with "driver.<error>" as the driver answered, or the HTTP client's error.
Result<std::unique_ptr<SutControl>> ConnectDriver(const std::string& url,
                                                  const std::vector<std::string>& agencies,
                                                  std::chrono::milliseconds timeout);
// The same over any transport to the driver (in process: the reference agency's HandleDriver).
Result<std::unique_ptr<SutControl>> ConnectDriver(std::unique_ptr<http::Transport> transport,
                                                  const std::vector<std::string>& agencies);

// Prompts on `out`: a numbered instruction saying what to do, in which agency, and how long the
// harness will wait for it. Never fails.
std::unique_ptr<SutControl> OperatorPrompts(std::ostream& out, std::chrono::milliseconds deadline);
// The same, each prompt given to `sink` (its number from 1, the instruction, the deadline)
// instead of printed (the conformance service shows them in the browser).
using PromptSink = std::function<void(int, const std::string&, std::chrono::milliseconds)>;
std::unique_ptr<SutControl> OperatorPrompts(PromptSink sink, std::chrono::milliseconds deadline);

}  // namespace vxp::harness

#endif  // VXP_HARNESS_CONTROL_H_
