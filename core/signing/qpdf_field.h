// Internal to core/signing: the one place that uses qpdf. Kept in its own translation unit, built
// as C++17, because qpdf 11.3's headers do not compile under clang in C++20 mode (JSON.hh holds a
// vector of an incomplete type).
#ifndef VXP_CORE_SIGNING_QPDF_FIELD_H_
#define VXP_CORE_SIGNING_QPDF_FIELD_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace vxp::signing {

// Rewrites `pdf` with qpdf, adding to its first page an invisible signature widget whose value is
// a /Sig dictionary with /SubFilter `sub_filter`, /ByteRange `range_placeholder` (written as
// given), /M `pdf_date` and /Contents of `contents_bytes` zero bytes (written by qpdf as a hex
// string of zeros). Object streams are disabled, streams kept as they are and the /ID is
// deterministic, so the same input gives the same bytes. Returns false with a reason in *error
// when qpdf cannot read the file or it has no page.
bool AddSignatureField(std::string_view pdf, const std::string& sub_filter,
                       const std::string& range_placeholder, const std::string& pdf_date,
                       std::size_t contents_bytes, std::string* out, std::string* error);

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_QPDF_FIELD_H_
