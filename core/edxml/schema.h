// XSD validation of edXML packages with libxml2, against the schemas in core/edxml/schemas/
// (embedded in the library at build time; nothing is read from disk).
//
// The libxml2 tree is built from the already-loaded XmlDoc, never parsed from the untrusted bytes
// a second time. While building it, the children of edXML, edXMLEnvelope, edXMLHeader,
// MessageHeader and TraceHeaderList are put in canonical order (edxml.md §1: order is not
// significant when judging), elements in no namespace are placed in the edXML namespace, and the
// text of ContentTransferEncoded is cut short (its base64 is judged by EDXML-ATT-6-BASE64, so the
// expensive part of XSD validation never runs over attachment bytes). Thread-safe.
#ifndef VXP_CORE_EDXML_SCHEMA_H_
#define VXP_CORE_EDXML_SCHEMA_H_

#include <string_view>
#include <vector>

#include "core/common/finding.h"
#include "core/edxml/model.h"
#include "core/edxml/xml_doc.h"

namespace vxp::edxml {

namespace rules {
inline constexpr RuleInfo kXsd{"EDXML-XSD", Level::kMust,
                               "QCVN 102:2016/BTTTT §1-§6 (package structure)",
                               "A package has the elements the standard requires, where it "
                               "requires them, and no others (vxpkit's XSD, "
                               "core/edxml/schemas/).",
                               "a document MessageHeader without Subject"};
}  // namespace rules

// The XSD text used for packages of `kind`.
std::string_view SchemaText(PackageKind kind);

// Validates `xml` as a package of `kind`. Returns one EDXML-XSD finding per schema error, with the
// element's path and source line; no findings when the package conforms. When `reorder` is false
// the canonical order is required (used to check what vxpkit itself produces).
std::vector<Finding> ValidateSchema(const XmlDoc& xml, PackageKind kind, bool reorder = true);

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_SCHEMA_H_
