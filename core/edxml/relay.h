// What the live hub does to a document on its way (hub-api.md §5, observed on live traffic): it
// re-serialises the package with the VNPT library — MessageHeader children in another order,
// empty optional elements written out, the XML-DSig Signature moved into the edXML namespace, a
// PDF attachment zipped — and appends a TraceHeader of its own. The hub simulator's `reserialize`
// relay mode applies all of it; the conformance scenarios apply one change at a time, so a
// finding names the shape a system refused.
//
// Pure function of the bytes; thread-safe.
#ifndef VXP_CORE_EDXML_RELAY_H_
#define VXP_CORE_EDXML_RELAY_H_

#include <string>
#include <string_view>

#include "core/common/result.h"

namespace vxp::edxml {

struct RelayShape {
  bool reorder = false;         // DocumentId first, Subject and Content after SignerInfo
  bool empty_elements = false;  // <DueDate/>, <ResponseFor/> and <Content/> where absent
  bool vnpt_signature = false;  // an XML-DSig Signature renamed into the edXML namespace
  bool zip_pdf = false;         // each PDF attachment as a one-entry ZIP (application/zip)
  std::string trace_organ_id;   // a TraceHeader appended with this OrganId ("" = none)
  std::string trace_timestamp;  // its Timestamp, yyyy/MM/dd HH:mm:ss

  // Every change, as the hub simulator's `reserialize` mode makes them.
  static RelayShape LiveHub(std::string organ_id, std::string timestamp) {
    return {true, true, true, true, std::move(organ_id), std::move(timestamp)};
  }
  // In plain words, e.g. "MessageHeader reordered, PDF zipped", for steps and findings.
  std::string Describe() const;
};

// `bytes` (an edXML document package) as the live hub would deliver it. Errors "edxml.relay":
// the bytes are not an edXML document package (unreadable, or a status package), or an
// attachment cannot be zipped.
Result<std::string> Relay(std::string_view bytes, const RelayShape& shape);

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_RELAY_H_
