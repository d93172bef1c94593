// The canonical order of children for what vxpkit produces (edxml.md §1 decision). Judging
// accepts any order of MessageHeader children and warns when it is not this one.
#ifndef VXP_CORE_EDXML_LAYOUT_H_
#define VXP_CORE_EDXML_LAYOUT_H_

#include <span>
#include <string_view>

namespace vxp::edxml {

inline constexpr std::string_view kDocumentHeaderOrder[] = {
    "From",      "To",          "Code",         "PromulgationInfo", "DocumentType",
    "Subject",   "Content",     "SignerInfo",   "DueDate",          "ToPlaces",
    "OtherInfo", "ResponseFor", "SteeringType", "DocumentId"};

inline constexpr std::string_view kStatusHeaderOrder[] = {"From",       "ResponseFor", "StaffInfo",
                                                          "StatusCode", "Description", "Timestamp"};

// Position of `local` in `order`, or -1 when it is not part of it.
inline int CanonicalIndex(std::span<const std::string_view> order, std::string_view local) {
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i] == local) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_LAYOUT_H_
