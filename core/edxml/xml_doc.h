// Safe loading of untrusted XML bytes into a namespace-resolved pugixml tree.
//
// LoadXml refuses, with a finding naming the rule, anything the suite does not parse: input over
// the size limit, bytes that are not UTF-8 (or a declaration naming another encoding), a DOCTYPE
// (so no entity declaration, expansion or external reference is ever processed), malformed XML,
// nesting deeper than the limit, an element with too many attributes, and prefixes that are not
// declared. Nothing here fetches anything or expands any entity.
//
// An XmlDoc owns its pugixml document; XmlNode handles point into it and are valid while the
// XmlDoc lives. XmlDoc is movable, not copyable; const methods are safe to call from several
// threads at once.
#ifndef VXP_CORE_EDXML_XML_DOC_H_
#define VXP_CORE_EDXML_XML_DOC_H_

#include <cstddef>
#include <memory>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <unordered_map>
#include <vector>

#include "core/common/finding.h"
#include "core/common/utf8.h"

namespace vxp::edxml {

// Limits on what LoadXml accepts. Every limit is a setting: the defaults fit any real package.
struct ParseLimits {
  // Whole package. The simulator's per-package limit defaults to 100 MiB (edxml.md §6 decision).
  size_t max_bytes = size_t{100} << 20;
  int max_depth = 64;       // element nesting; real packages nest fewer than 10 levels
  int max_attributes = 64;  // per element, namespace declarations included
  // Elements in the whole package, counted before any tree is built. A real package has tens to
  // a few thousand (an envelope, one To per recipient, a few elements per attachment); 100,000
  // leaves two orders of magnitude and caps the tree at about 20 MB, where 20 MB of `<x/>`
  // (five million elements) would take gigabytes.
  size_t max_elements = 100'000;
};

namespace rules {
inline constexpr RuleInfo kXmlSize{
    "EDXML-XML-SIZE", Level::kMust,
    "vxpkit decision: package size limit, 100 MiB by default (docs/validate.md, --max-bytes)",
    "A package is no larger than the configured limit (default "
    "100 MiB).",
    "a 150 MiB package"};
inline constexpr RuleInfo kXmlUtf8{"EDXML-XML-UTF8", Level::kMust,
                                   "QCVN 102:2016/BTTTT §1 (UTF-8 encoding)",
                                   "A package is encoded in UTF-8 and says so if it declares an "
                                   "encoding.",
                                   "<?xml version=\"1.0\" encoding=\"windows-1258\"?>"};
inline constexpr RuleInfo kXmlWellFormed{"EDXML-XML-WELLFORMED", Level::kMust,
                                         "XML 1.0 §2.1; QCVN 102:2016/BTTTT §1",
                                         "A package is well-formed XML.", "<Subject>unclosed"};
inline constexpr RuleInfo kXmlDtd{
    "EDXML-XML-DTD", Level::kMust,
    "vxpkit security policy: no DTD, no entity expansion (docs/validate.md)",
    "A package has no DOCTYPE: no entity declarations, no entity "
    "expansion, no external references.",
    "<!DOCTYPE edXML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"};
inline constexpr RuleInfo kXmlDepth{
    "EDXML-XML-DEPTH", Level::kMust,
    "vxpkit security policy: nesting depth limit (docs/validate.md, --max-depth)",
    "Elements nest no deeper than the configured limit "
    "(default 64).",
    "10,000 nested elements"};
inline constexpr RuleInfo kXmlAttributes{
    "EDXML-XML-ATTRS", Level::kMust,
    "vxpkit security policy: attribute count limit (docs/validate.md, --max-attributes)",
    "An element carries no more attributes than the "
    "configured limit (default 64).",
    "an element with 100,000 attributes"};
inline constexpr RuleInfo kXmlElements{
    "EDXML-XML-ELEMENTS", Level::kMust,
    "vxpkit security policy: element count limit (docs/validate.md, --max-elements)",
    "A package holds no more elements than the configured limit (default 100,000).",
    "20 MB of <x/>: five million elements"};
inline constexpr RuleInfo kXmlNamespace{
    "EDXML-XML-NAMESPACE", Level::kMust, "Namespaces in XML 1.0 §5",
    "Every prefix used is declared.", "xlink:href without xmlns:xlink"};
}  // namespace rules

// An element with its resolved namespace URI and local name.
struct XmlNode {
  pugi::xml_node node;
  std::string_view ns;     // "" when the element is in no namespace
  std::string_view local;  // name without prefix
  explicit operator bool() const { return static_cast<bool>(node); }
};

class XmlDoc {
 public:
  XmlDoc(XmlDoc&&) noexcept;
  XmlDoc& operator=(XmlDoc&&) noexcept;
  ~XmlDoc();

  XmlNode Root() const;  // the document element
  // The resolved view of any element of this document.
  XmlNode View(pugi::xml_node element) const;
  // Element children of `parent`, in document order, resolved.
  std::vector<XmlNode> Children(pugi::xml_node parent) const;
  // 1-based source line of an element (0 if unknown).
  int Line(pugi::xml_node node) const;
  // "/edXML/edXMLEnvelope/…/To[2]": local names; an index only where same-name siblings repeat.
  std::string PathOf(pugi::xml_node node) const;
  // The source line of the element at `path` (in PathOf form; "[1]" may be omitted). When no
  // element is at `path`, the line of its nearest existing ancestor; 0 if none.
  int LineOfPath(std::string_view path) const;
  // Whether an element exists at `path` (PathOf form; "[1]" may be omitted).
  bool Exists(std::string_view path) const;
  // In-scope namespace declarations of `element` (prefix → URI; "" is the default namespace).
  std::vector<std::pair<std::string, std::string>> InScopeNamespaces(pugi::xml_node element) const;
  // The XML declaration's encoding attribute, or "" when absent.
  std::string_view DeclaredEncoding() const;
  // Keeps the parsed tree and its buffer alive, so that a view of a node's text outlives this
  // object (SharedText).
  std::shared_ptr<const void> Keeper() const { return impl_; }
  // The pugixml tree itself. It keeps whitespace-only text between elements (C14N needs it, so
  // the signature check digests this tree instead of parsing the package again) and holds no
  // comments and no processing instructions. Read an element's text with ElementText.
  const pugi::xml_document& Tree() const;

 private:
  friend tl::expected<XmlDoc, Finding> LoadXml(std::string_view bytes, const ParseLimits& limits);
  XmlDoc();
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// The text of an element as the edXML layer reads it: its first text or CDATA child that is not
// whitespace-only text ("" when none), so that the whitespace LoadXml keeps between elements
// never stands for a value.
std::string_view ElementText(pugi::xml_node element);

// Whether `text` is only XML whitespace (space, tab, CR, LF), or empty.
bool XmlSpaceOnly(std::string_view text);

// Loads `bytes`. On success the document is well-formed, namespace-resolved and within the
// limits. On failure returns one finding whose rule is one of EDXML-XML-SIZE, -UTF8, -DTD,
// -ELEMENTS, -WELLFORMED, -DEPTH, -ATTRS or -NAMESPACE, with the line where the problem is. The
// element count is checked by a scan of the bytes before the tree is built, so memory stays
// bounded by the limits whatever the input.
tl::expected<XmlDoc, Finding> LoadXml(std::string_view bytes, const ParseLimits& limits = {});

// The EDXML-XML-SIZE finding for a package of `size` bytes over `limit`, for callers that refuse
// an oversized file before reading it.
Finding OversizeFinding(size_t size, size_t limit);

// The byte offset of the start tag that takes `bytes` over `limit` elements, or npos when it has
// no more than `limit`. Counts '<' that opens a start tag, outside comments, CDATA sections and
// processing instructions: exactly the elements of a well-formed document.
size_t FindElementOverLimit(std::string_view bytes, size_t limit);

// core/common/utf8.h, named here too for the parsers that have always called it from here.
using vxp::FindInvalidUtf8;

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_XML_DOC_H_
