// The form of the text in a package: Vietnamese written in precomposed Unicode (NFC), as
// TCVN 6909:2001 writes it. The same word in decomposed form (NFD: "ê" as "e" + U+0302) looks
// identical but does not match it in search, sorting, de-duplication or a registry's lookup.
// Pure; thread-safe.
#ifndef VXP_CORE_EDXML_TEXT_FORM_H_
#define VXP_CORE_EDXML_TEXT_FORM_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/common/finding.h"
#include "core/edxml/xml_doc.h"

namespace vxp::edxml {
namespace rules {
inline constexpr RuleInfo kTextNfc{
    "EDXML-TEXT-NFC", Level::kShould,
    "TCVN 6909:2001 (Vietnamese in precomposed Unicode); Decision 72/2002/QĐ-TTg (TCVN 6909:2001 "
    "for state documents)",
    "Text is in Unicode Normalization Form C: each Vietnamese letter is one precomposed character "
    "('ề' is U+1EC1, not 'e' followed by U+0302 and U+0300).",
    "<Subject> with 'Về' written as 'Ve' U+0302 U+0300 (NFD)"};
}  // namespace rules

// Where `utf8` stops being NFC: the byte offset of the first character that NFC would change
// (a combining mark that composes with what precedes it, or a character NFC replaces), or
// std::string_view::npos when the text is NFC. Text that is not valid UTF-8 counts as NFC here
// (EDXML-XML-UTF8 judges it).
size_t FirstNonNfc(std::string_view utf8);

// `utf8` in Normalization Form D (decomposed), as some systems write Vietnamese (the
// decomposed-vietnamese fault profile of the mock agency). Text that is not UTF-8 comes back
// unchanged.
std::string ToNfd(std::string_view utf8);

// One WARN finding per element whose text or attribute value is not NFC (at most 20), naming the
// element, its line, the characters as written and as NFC would write them.
std::vector<Finding> CheckTextForm(const XmlDoc& xml);

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_TEXT_FORM_H_
