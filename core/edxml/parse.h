// Parsing edXML packages from bytes into the model.
//
// Namespace-aware (elements match by namespace and local name, whatever the prefix), order-
// insensitive (children are found by name), and safe (LoadXml's limits and refusals apply).
// Elements the model does not know are ignored here; the schema check reports them.
#ifndef VXP_CORE_EDXML_PARSE_H_
#define VXP_CORE_EDXML_PARSE_H_

#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "core/common/finding.h"
#include "core/edxml/model.h"
#include "core/edxml/xml_doc.h"

namespace vxp::edxml {

namespace rules {
inline constexpr RuleInfo kRoot{"EDXML-1-ROOT", Level::kMust,
                                "QCVN 102:2016/BTTTT §1 (root and namespace)",
                                "The root element is edXML in the namespace "
                                "http://www.mic.gov.vn/TBT/QCVN_102_2016.",
                                "<html>…</html>, or <edXML> with no namespace"};
inline constexpr RuleInfo kLegacyEdoc{
    "EDXML-9-LEGACY-EDOC", Level::kMust,
    "observed: provincial hubs before QCVN 102:2016 (not an edXML package)",
    "A package is edXML (QCVN 102:2016), not the older "
    "e-doc.vn SOAP format.",
    "a SOAP envelope in http://www.e-doc.vn/Schema/"};
inline constexpr RuleInfo kLegacyGovn{
    "EDXML-9-LEGACY-GOVN", Level::kMust,
    "observed: provincial hubs before QCVN 102:2016 (not an edXML package)",
    "A package is edXML (QCVN 102:2016), not the early "
    "go.vn EdXMLEnvelope form.",
    "<EdXMLEnvelope xmlns=\"http://www.go.vn/eDoc\">"};
inline constexpr RuleInfo kUnqualified{"EDXML-1-UNQUALIFIED", Level::kShould,
                                       "QCVN 102:2016/BTTTT §1 (package and namespace)",
                                       "Elements of a package are in the edXML namespace; "
                                       "elements in no namespace are accepted as edXML but "
                                       "warned about.",
                                       "<AttachmentEncoded xmlns=\"\">"};
inline constexpr RuleInfo kOrder{"EDXML-1-ORDER", Level::kShould,
                                 "observed: VNPT library and live hub reorder elements; vxpkit "
                                 "decision: any order accepted, a warning (docs/validate.md)",
                                 "MessageHeader children appear in the canonical order of the "
                                 "suite's schema (any order is accepted).",
                                 "DocumentId before From"};
}  // namespace rules

// A parsed package with the tree it came from (for source lines) and the non-fatal findings
// made while reading it (EDXML-1-UNQUALIFIED, EDXML-1-ORDER).
struct ParsedPackage {
  Package package;
  XmlDoc xml;
  std::vector<Finding> findings;
};

// Parses `bytes`. Fails with one finding when the bytes are not loadable XML (the EDXML-XML-*
// rules of xml_doc.h), are an older format (EDXML-9-LEGACY-*) or are not an edXML package at all
// (EDXML-1-ROOT). A package whose MessageHeader has a StatusCode is a status package; any other
// edXML package is a document package, whatever is missing from it.
tl::expected<ParsedPackage, Finding> ParsePackage(std::string_view bytes,
                                                  const ParseLimits& limits = {});

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_PARSE_H_
