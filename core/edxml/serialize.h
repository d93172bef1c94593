// Serialising the package model to the canonical form vxpkit produces.
//
// Canonical form: UTF-8 with an XML declaration, the root `<edXML>` declaring the edXML namespace
// as default and as prefix `edXML`, the envelope's elements prefixed `edXML:`, AttachmentEncoded
// unprefixed (as the VNPT library writes it), children in the order of the suite's XSD, two-space
// indentation, optional elements only when present. Re-serialising changes whitespace inside a
// Signature element and so breaks an envelope signature, as the live hub does (hub-api.md §5).
// ParsePackage(Serialize(p)) == p for every model value p whose texts are valid XML character data
// without carriage returns, and whose signature_xml is standalone XML without whitespace-only text.
#ifndef VXP_CORE_EDXML_SERIALIZE_H_
#define VXP_CORE_EDXML_SERIALIZE_H_

#include <string>

#include "core/common/result.h"
#include "core/edxml/model.h"

namespace vxp::edxml {

// Returns the package bytes, or Error{"edxml.signature-xml", …} when signature_xml is not
// well-formed XML.
Result<std::string> Serialize(const Package& package);

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_SERIALIZE_H_
