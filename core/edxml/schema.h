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
// Interop (lenient) mode: what a receiving system can process although the standard's schema
// does not allow it, as live-hub downloads and the VNPT library's own packages show. Each is a
// WARN of its own in lenient mode; in strict mode the same package keeps its EDXML-XSD FAIL.
inline constexpr RuleInfo kInteropOrgName{
    "EDXML-INTEROP-ORG-NAME", Level::kShould,
    "observed: live hub downloads; QCVN 102:2016/BTTTT §2",
    "Lenient mode: an Organization (From, To) without OrganName is still routable by OrganId.",
    "<From> with OrganId only"};
inline constexpr RuleInfo kInteropSigner{
    "EDXML-INTEROP-SIGNER", Level::kShould,
    "observed: live hub downloads; QCVN 102:2016/BTTTT §2 (1.8)",
    "Lenient mode: SignerInfo without Competence or Position still names its signer.",
    "<SignerInfo> with FullName only"};
inline constexpr RuleInfo kInteropTypeDetail{
    "EDXML-INTEROP-TYPE-DETAIL", Level::kShould,
    "observed: live hub downloads; QCVN 102:2016/BTTTT §2 (1.5)",
    "Lenient mode: DocumentType without TypeDetail still has its Type and TypeName.",
    "<DocumentType> without TypeDetail"};
inline constexpr RuleInfo kInteropPlace{
    "EDXML-INTEROP-PLACE", Level::kShould,
    "observed: live hub downloads; QCVN 102:2016/BTTTT §2 (1.4)",
    "Lenient mode: PromulgationInfo without Place still has its PromulgationDate.",
    "<PromulgationInfo> with PromulgationDate only"};
inline constexpr RuleInfo kInteropEmptyResponseFor{
    "EDXML-INTEROP-EMPTY-RESPONSEFOR", Level::kShould,
    "observed: live hub (VNPT library re-serialisation); QCVN 102:2016/BTTTT §2 (1.12)",
    "Lenient mode: an empty ResponseFor element answers nothing and is ignored.",
    "<ResponseFor/> in a new document"};
}  // namespace rules

// The XSD text used for packages of `kind`.
std::string_view SchemaText(PackageKind kind);

// Validates `xml` as a package of `kind`. Returns one EDXML-XSD finding per schema error, with the
// element's path and source line; no findings when the package conforms. When `reorder` is false
// the canonical order is required (used to check what vxpkit itself produces). In lenient mode
// the deviations of the EDXML-INTEROP-* rules above are each reported once as that rule's WARN
// and then judged as if absent (the missing child supplied, the empty ResponseFor dropped), so
// only what a receiver cannot process remains an EDXML-XSD FAIL.
std::vector<Finding> ValidateSchema(const XmlDoc& xml, PackageKind kind, bool reorder = true,
                                    Strictness strictness = Strictness::kStrict);

// The EDXML-INTEROP-* rules (these five, and those of the rule engine), for the catalogue.
std::vector<RuleInfo> InteropSchemaRules();

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_SCHEMA_H_
