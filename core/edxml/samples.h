// Conforming sample packages, built in code: the starting point of tests, vectors, benchmarks,
// fuzz seeds and the mock agencies. Deterministic: the same arguments give the same package.
#ifndef VXP_CORE_EDXML_SAMPLES_H_
#define VXP_CORE_EDXML_SAMPLES_H_

#include <string>
#include <string_view>

#include "core/edxml/model.h"

namespace vxp::edxml::samples {

inline constexpr std::string_view kSender = "000.00.00.G22";     // Văn phòng Chính phủ
inline constexpr std::string_view kRecipient = "000.00.00.H53";  // UBND tỉnh Tây Ninh
inline constexpr std::string_view kDate = "2026/11/20";
inline constexpr std::string_view kDocumentId = "000.00.00.G22,2026/11/20,7816/VPCP-TTĐT";

// A new document (BussinessDocType 0) from kSender to kRecipient with one attachment whose
// decoded content is `attachment` (a small PDF-like text when empty).
Package Document(std::string_view attachment = {});

// The same document as a revoke (1), update (2) or replace (3) of kDocumentId; type 0 is
// Document(). The document's own DocumentId, Code and date differ from the original's.
Package BusinessDocument(int business_type);

// Status `code` from kRecipient answering kDocumentId (13 comes from kSender instead). Codes
// that require a reason carry one.
Package Status(std::string_view code);

}  // namespace vxp::edxml::samples

#endif  // VXP_CORE_EDXML_SAMPLES_H_
