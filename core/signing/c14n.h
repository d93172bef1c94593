// Internal to core/signing: Canonical XML 1.0 and Exclusive XML Canonicalization 1.0, both
// without comments, over a pugixml tree — the two document subsets an envelope signature of the
// profile needs: the whole document less the Signature element (URI="" with the
// enveloped-signature transform) and the SignedInfo element alone.
//
// It exists for speed: the signature path would otherwise parse every package a second time
// with libxml2 and canonicalise it through xmlsec. libxml2's C14N (as xmlsec runs it) stays the
// reference: tests and a fuzz target require byte-identical output on every input this accepts,
// and VerifyEnvelope uses this only to confirm a signature as valid (a mismatch goes to xmlsec).
//
// The tree must come from ParseFaithful: whitespace-only text and processing instructions are
// kept, as C14N needs them. Canonicalize refuses (returns false, having perhaps written part of
// the output) what it does not implement rather than guess: processing instructions, a relative
// or unusual namespace URI, an undeclared prefix, xml:* attributes an apex would inherit.
// Pure; thread-safe.
#ifndef VXP_CORE_SIGNING_C14N_H_
#define VXP_CORE_SIGNING_C14N_H_

#include <functional>
#include <optional>
#include <pugixml.hpp>
#include <string_view>

namespace vxp::signing::c14n {

enum class Mode { kInclusive, kExclusive };

// Parses `bytes` keeping everything C14N sees. False when pugixml refuses them, and for anything
// pugixml accepts or reads differently from libxml2, so that a document this path calls signed
// is one libxml2 (and so xmlsec) would read the same: a character reference to a character XML
// does not allow, bytes that are not UTF-8 of XML characters, an entity other than the five
// predefined ones, a control character, "]]>" (and so CDATA), an XML declaration other than the
// plainest, a processing instruction, a comment holding "--", text beside the document element,
// names other than ASCII ones, '<' in an attribute value, a duplicate attribute, an undeclared
// prefix, a namespace URI that is not a plain http(s) or urn one. Those documents are left to
// libxml2 and xmlsec.
bool ParseFaithful(std::string_view bytes, pugi::xml_document* doc);

// Whether `doc`, the tree edxml::LoadXml built from `bytes` (it keeps whitespace-only text, not
// comments or processing instructions), is the tree ParseFaithful would build, so that it can be
// canonicalised without parsing the package again: the same checks, and neither a processing
// instruction nor a comment (one with "--" inside is one libxml2 refuses) in the bytes.
bool FaithfulAsLoaded(std::string_view bytes, const pugi::xml_document& doc);

// The namespace of `element`, from the declarations in scope ("" for none); nullopt if its
// prefix is undeclared.
std::optional<std::string_view> NamespaceOf(pugi::xml_node element);

// The name of `element` without its prefix.
std::string_view LocalName(pugi::xml_node element);

// The first element below `node`, in document order, named `local` in namespace `ns`; an empty
// node when there is none.
pugi::xml_node FirstElement(pugi::xml_node node, std::string_view local, std::string_view ns);

// Which nodes are canonicalised: the whole document but the subtree at `excluded`, or only the
// subtree at `apex` (an element).
struct Subset {
  pugi::xml_node excluded;
  pugi::xml_node apex;
};

// Writes the canonical form of `subset` of `doc` to `sink`, in pieces. False if the document
// holds something this implementation does not handle (see above).
bool Canonicalize(const pugi::xml_document& doc, Subset subset, Mode mode,
                  const std::function<void(std::string_view)>& sink);

}  // namespace vxp::signing::c14n

#endif  // VXP_CORE_SIGNING_C14N_H_
