#include "core/lifecycle/lifecycle.h"

#include <algorithm>

namespace vxp::lifecycle {
namespace {

// Progress stage of a recipient code on the main line; 0 for codes off the main line.
int Stage(std::string_view code) {
  if (code == "01") return 1;
  if (code == "02" || code == "03") return 2;
  if (code == "04") return 3;
  if (code == "05") return 4;
  if (code == "06") return 5;
  return 0;
}

bool IsProcessing(std::string_view code) { return code == "04" || code == "05" || code == "06"; }

}  // namespace

bool IsKnownCode(std::string_view code) {
  return std::find(kStatusCodes.begin(), kStatusCodes.end(), code) != kStatusCodes.end();
}

bool RequiresReason(std::string_view code) { return code == "02" || code == "13" || code == "16"; }

bool IsSenderCode(std::string_view code) { return code == "13"; }

std::string_view Describe(std::string_view code) {
  if (code == "01") return "01 đã đến (arrived)";
  if (code == "02") return "02 từ chối tiếp nhận (rejected)";
  if (code == "03") return "03 đã tiếp nhận (accepted)";
  if (code == "04") return "04 phân công (assigned)";
  if (code == "05") return "05 đang xử lý (processing)";
  if (code == "06") return "06 hoàn thành (finished)";
  if (code == "13") return "13 yêu cầu lấy lại (recall request)";
  if (code == "15") return "15 đồng ý yêu cầu cập nhật/lấy lại (request accepted)";
  if (code == "16") return "16 từ chối yêu cầu cập nhật/lấy lại (request refused)";
  return "unknown status code";
}

Tracker::Tracker(std::string document_id, std::string sender, std::string recipient,
                 BusinessType type)
    : document_id_(std::move(document_id)),
      sender_(std::move(sender)),
      recipient_(std::move(recipient)),
      type_(type) {}

bool Tracker::Seen(std::string_view code) const {
  return std::find(history_.begin(), history_.end(), code) != history_.end();
}

std::vector<Finding> Tracker::Feed(const StatusEvent& event, const Location& where) {
  std::vector<Finding> out;
  const std::string& code = event.code;
  const std::string subject =
      "status " + code + " for document " + document_id_ + " at " + recipient_;
  auto add = [&](const RuleInfo& rule, std::string message, std::string expected,
                 std::string actual) {
    out.push_back(
        MakeFinding(rule, where, std::move(message), std::move(expected), std::move(actual)));
  };
  const std::string so_far = history_.empty() ? std::string("(none)") : [&] {
    std::string s;
    for (const auto& c : history_) s += (s.empty() ? "" : ",") + c;
    return s;
  }();

  if (!IsKnownCode(code)) {
    add(rules::kUnknownCode, "status code '" + code + "' does not exist",
        "one of 01-06, 13, 15, 16", code);
    return out;  // nothing else can be judged about an unknown code
  }

  // Who emits and who receives.
  const bool from_sender = IsSenderCode(code);
  const std::string& want_from = from_sender ? sender_ : recipient_;
  const std::string& want_to = from_sender ? recipient_ : sender_;
  if (event.from != want_from) {
    add(rules::kWrongParty,
        subject + " was emitted by " + event.from + ", not by the " +
            (from_sender ? "sender" : "recipient"),
        "From/OrganId " + want_from, event.from);
  }
  if (event.to != want_to) {
    add(rules::kWrongParty,
        subject + " was addressed to " + event.to + ", not to the " +
            (from_sender ? "recipient" : "sender"),
        "ResponseFor/OrganId " + want_to, event.to);
  }
  if (RequiresReason(code) &&
      std::all_of(event.description.begin(), event.description.end(), [](unsigned char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
      })) {
    add(rules::kReason, subject + " carries no reason", "a non-empty Description", "(empty)");
  }

  if (terminal_) {
    add(rules::kTerminal, subject + " follows terminal status " + history_.back(),
        "no status after 02 or 06", so_far + "," + code);
  } else if (code != "05" && Seen(code)) {
    add(rules::kDuplicate, subject + " was already sent", "each code at most once (05 excepted)",
        so_far + "," + code);
  } else if (!from_sender && code != "01" && !Seen("01")) {
    add(rules::kFirst, subject + " was sent before 01 (arrived)", "01 first", so_far + "," + code);
  } else if ((code == "02" && Seen("03")) || (code == "03" && Seen("02"))) {
    add(rules::kExclusive, subject + " contradicts the earlier " + (code == "02" ? "03" : "02"),
        "exactly one of 02 or 03", so_far + "," + code);
  } else if (cancelled_ && IsProcessing(code)) {
    add(rules::kCancelled, subject + " follows 15: the document was cancelled",
        "no 04, 05 or 06 after 15", so_far + "," + code);
  } else if (IsProcessing(code) && !Seen("03")) {
    add(rules::kOrder, subject + " was sent before 03 (accepted)", "03 before 04, 05 and 06",
        so_far + "," + code);
  } else if (Stage(code) != 0 && Stage(code) < stage_ && !(code == "05" && stage_ == 4)) {
    add(rules::kOrder, subject + " goes back in the lifecycle", "01, 03, 04?, 05*, 06 in order",
        so_far + "," + code);
  } else if ((code == "15" || code == "16") && open_recalls_ == 0 && type_ == BusinessType::kNew) {
    add(rules::kUnsolicited, subject + " answers no recall (13)", "a 13 from the sender first",
        so_far + "," + code);
  }

  // Record, whatever was found.
  history_.push_back(code);
  stage_ = std::max(stage_, Stage(code));
  if (code == "02" || code == "06") terminal_ = true;
  if (code == "13") ++open_recalls_;
  if ((code == "15" || code == "16") && open_recalls_ > 0) --open_recalls_;
  if (code == "15") cancelled_ = true;
  return out;
}

}  // namespace vxp::lifecycle
