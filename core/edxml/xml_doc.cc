#include "core/edxml/xml_doc.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>

#include "core/common/text.h"

namespace vxp::edxml {
namespace {

constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

struct NsName {
  std::string_view ns;
  std::string_view local;
};

std::pair<std::string_view, std::string_view> SplitQName(std::string_view qname) {
  size_t colon = qname.find(':');
  if (colon == std::string_view::npos) return {{}, qname};
  return {qname.substr(0, colon), qname.substr(colon + 1)};
}

pugi::xml_node FirstElementChild(pugi::xml_node n) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) return c;
  }
  return {};
}

pugi::xml_node NextElementSibling(pugi::xml_node n) {
  for (pugi::xml_node c = n.next_sibling(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) return c;
  }
  return {};
}

}  // namespace

struct XmlDoc::Impl {
  pugi::xml_document doc;
  std::vector<size_t> line_starts;  // byte offset of the start of each line
  std::unordered_map<const void*, NsName> names;

  int LineAt(ptrdiff_t offset) const {
    if (offset < 0) return 0;
    auto it = std::upper_bound(line_starts.begin(), line_starts.end(), static_cast<size_t>(offset));
    return static_cast<int>(it - line_starts.begin());
  }
  NsName NameOf(pugi::xml_node n) const {
    auto it = names.find(n.internal_object());
    if (it != names.end()) return it->second;
    return {{}, SplitQName(n.name()).second};
  }
};

XmlDoc::XmlDoc() : impl_(std::make_shared<Impl>()) {}
XmlDoc::XmlDoc(XmlDoc&&) noexcept = default;
XmlDoc& XmlDoc::operator=(XmlDoc&&) noexcept = default;
XmlDoc::~XmlDoc() = default;

XmlNode XmlDoc::View(pugi::xml_node element) const {
  NsName n = impl_->NameOf(element);
  return XmlNode{element, n.ns, n.local};
}

XmlNode XmlDoc::Root() const { return View(impl_->doc.document_element()); }

std::vector<XmlNode> XmlDoc::Children(pugi::xml_node parent) const {
  std::vector<XmlNode> out;
  for (pugi::xml_node c = FirstElementChild(parent); c; c = NextElementSibling(c)) {
    out.push_back(View(c));
  }
  return out;
}

int XmlDoc::Line(pugi::xml_node node) const { return impl_->LineAt(node.offset_debug()); }

std::string XmlDoc::PathOf(pugi::xml_node node) const {
  std::vector<std::string> steps;
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    std::string_view local = impl_->NameOf(n).local;
    int index = 0;
    int same = 0;
    for (pugi::xml_node s = FirstElementChild(n.parent()); s; s = NextElementSibling(s)) {
      if (impl_->NameOf(s).local == local) {
        ++same;
        if (s == n) index = same;
      }
    }
    std::string step(local);
    if (same > 1) step += "[" + std::to_string(index) + "]";
    steps.push_back(std::move(step));
  }
  std::string path;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) path += "/" + *it;
  return path;
}

namespace {

// Follows `path` from the document; returns the deepest element reached and whether all of the
// path was found.
std::pair<pugi::xml_node, bool> Follow(const XmlDoc& xml, pugi::xml_node document,
                                       std::string_view path) {
  pugi::xml_node cur = document;
  pugi::xml_node deepest;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') ++pos;
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view step = path.substr(pos, end - pos);
    pos = end;
    if (step.empty()) continue;
    if (step.starts_with('@')) return {deepest, pos >= path.size()};  // attribute: its element
    int index = 1;
    if (size_t lb = step.find('['); lb != std::string_view::npos) {
      index = std::atoi(std::string(step.substr(lb + 1)).c_str());
      step = step.substr(0, lb);
    }
    pugi::xml_node found;
    int seen = 0;
    for (pugi::xml_node c = FirstElementChild(cur); c; c = NextElementSibling(c)) {
      if (xml.View(c).local == step && ++seen == index) {
        found = c;
        break;
      }
    }
    if (!found) return {deepest, false};
    cur = deepest = found;
  }
  return {deepest, true};
}

}  // namespace

int XmlDoc::LineOfPath(std::string_view path) const {
  pugi::xml_node n = Follow(*this, impl_->doc, path).first;
  return n ? Line(n) : 0;
}

bool XmlDoc::Exists(std::string_view path) const { return Follow(*this, impl_->doc, path).second; }

std::vector<std::pair<std::string, std::string>> XmlDoc::InScopeNamespaces(
    pugi::xml_node element) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (pugi::xml_node n = element; n && n.type() == pugi::node_element; n = n.parent()) {
    for (pugi::xml_attribute a : n.attributes()) {
      std::string_view name = a.name();
      std::string prefix;
      if (name == "xmlns") {
        prefix = "";
      } else if (name.starts_with("xmlns:")) {
        prefix = std::string(name.substr(6));
      } else {
        continue;
      }
      bool shadowed =
          std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.first == prefix; });
      if (!shadowed) out.emplace_back(prefix, a.value());
    }
  }
  return out;
}

const pugi::xml_document& XmlDoc::Tree() const { return impl_->doc; }

bool XmlSpaceOnly(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view ElementText(pugi::xml_node element) {
  for (pugi::xml_node c = element.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_cdata) return c.value();
    if (c.type() == pugi::node_pcdata && !XmlSpaceOnly(c.value())) return c.value();
  }
  return {};
}

std::string_view XmlDoc::DeclaredEncoding() const {
  for (pugi::xml_node n : impl_->doc.children()) {
    if (n.type() == pugi::node_declaration) return n.attribute("encoding").value();
  }
  return {};
}

Finding OversizeFinding(size_t size, size_t limit) {
  return MakeFinding(rules::kXmlSize, {"/", 0},
                     "the package is " + std::to_string(size) + " bytes, over the limit of " +
                         std::to_string(limit) + " bytes",
                     "at most " + std::to_string(limit) + " bytes", std::to_string(size));
}

size_t FindElementOverLimit(std::string_view bytes, size_t limit) {
  constexpr size_t npos = std::string_view::npos;
  size_t count = 0;
  size_t i = 0;
  // Skips from `i` past the next `end`; npos when it never comes (the parser will say so).
  auto skip_past = [&](std::string_view end) {
    size_t at = bytes.find(end, i);
    return at == npos ? npos : at + end.size();
  };
  while ((i = bytes.find('<', i)) != npos && i + 1 < bytes.size()) {
    char next = bytes[i + 1];
    if (next == '!') {
      if (bytes.substr(i, 4) == "<!--") {
        i = skip_past("-->");
      } else if (bytes.substr(i, 9) == "<![CDATA[") {
        i = skip_past("]]>");
      } else {
        ++i;
      }
    } else if (next == '?') {
      i = skip_past("?>");
    } else {
      if (next != '/' && ++count > limit) return i;
      ++i;
    }
    if (i == npos) break;
  }
  return npos;
}

namespace {

// A file that is not XML at all: UTF-16, empty, or not starting with markup (a PDF, a ZIP, a JSON
// body…), said plainly instead of as a parser position. nullopt when it may be XML.
std::optional<Finding> NotXml(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return (MakeFinding(rules::kXmlUtf8, {"/", 1},
                        "the file is UTF-16 (it starts with a UTF-16 byte order mark); "
                        "packages must be UTF-8",
                        "UTF-8", "UTF-16"));
  }
  std::string_view body = bytes.starts_with("\xEF\xBB\xBF") ? bytes.substr(3) : bytes;
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || body[first] != '<') {
    std::string start(body.substr(first == std::string_view::npos ? 0 : first, 16));
    for (char& c : start) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '.';
    }
    return (MakeFinding(rules::kXmlWellFormed, {"/", 1},
                        first == std::string_view::npos
                            ? std::string("the file is empty: it is not an XML package")
                            : "the file is not XML: it starts with '" + start + "'",
                        "an XML document starting with '<'", start.empty() ? "(empty)" : start));
  }
  return std::nullopt;
}

// One iterative pass over the tree from `root`: the depth and attribute limits, and every
// element's namespace resolved into `names`. The first violation, or nullopt.
std::optional<Finding> ResolveNames(pugi::xml_node root, const ParseLimits& limits,
                                    const std::function<int(pugi::xml_node)>& line,
                                    std::unordered_map<const void*, NsName>* names) {
  struct Binding {
    std::string_view prefix;
    std::string_view uri;
    int depth;
  };
  std::vector<Binding> scope = {{"xml", kXmlNs, 0}};
  auto resolve = [&](std::string_view prefix) -> const std::string_view* {
    for (auto it = scope.rbegin(); it != scope.rend(); ++it) {
      if (it->prefix == prefix) return &it->uri;
    }
    return nullptr;
  };
  pugi::xml_node cur = root;
  int depth = 1;
  while (cur) {
    if (depth > limits.max_depth) {
      return (MakeFinding(
          rules::kXmlDepth, {"/", line(cur)},
          "elements nest deeper than the limit of " + std::to_string(limits.max_depth),
          "depth ≤ " + std::to_string(limits.max_depth), "depth " + std::to_string(depth)));
    }
    int attributes = 0;
    for (pugi::xml_attribute a : cur.attributes()) {
      if (++attributes > limits.max_attributes) {
        return (MakeFinding(rules::kXmlAttributes, {"/", line(cur)},
                            std::string("element <") + cur.name() + "> has more than " +
                                std::to_string(limits.max_attributes) + " attributes",
                            "≤ " + std::to_string(limits.max_attributes) + " attributes", "more"));
      }
      std::string_view name = a.name();
      if (name == "xmlns") {
        scope.push_back({"", a.value(), depth});
      } else if (name.starts_with("xmlns:")) {
        scope.push_back({name.substr(6), a.value(), depth});
      }
    }
    auto [prefix, local] = SplitQName(cur.name());
    const std::string_view* uri = resolve(prefix);
    if (!uri && !prefix.empty()) {
      return (MakeFinding(
          rules::kXmlNamespace, {"/", line(cur)},
          "prefix '" + std::string(prefix) + "' of element <" + cur.name() + "> is not declared",
          "xmlns:" + std::string(prefix) + "=\"…\"", "undeclared"));
    }
    for (pugi::xml_attribute a : cur.attributes()) {
      auto [apfx, alocal] = SplitQName(a.name());
      if (!apfx.empty() && apfx != "xmlns" && !resolve(apfx)) {
        return (MakeFinding(rules::kXmlNamespace, {"/", line(cur)},
                            "prefix '" + std::string(apfx) + "' of attribute " + a.name() +
                                " on <" + cur.name() + "> is not declared",
                            "xmlns:" + std::string(apfx) + "=\"…\"", "undeclared"));
      }
    }
    (*names)[cur.internal_object()] = NsName{uri ? *uri : std::string_view{}, local};

    if (pugi::xml_node child = FirstElementChild(cur)) {
      cur = child;
      ++depth;
      continue;
    }
    while (cur) {
      while (!scope.empty() && scope.back().depth >= depth) scope.pop_back();
      if (pugi::xml_node sibling = NextElementSibling(cur)) {
        cur = sibling;
        break;
      }
      cur = cur.parent();
      if (--depth == 0) cur = {};
    }
  }
  return std::nullopt;
}

}  // namespace

tl::expected<XmlDoc, Finding> LoadXml(std::string_view bytes, const ParseLimits& limits) {
  using tl::unexpected;
  if (bytes.size() > limits.max_bytes) {
    return unexpected(OversizeFinding(bytes.size(), limits.max_bytes));
  }
  if (auto f = NotXml(bytes)) return unexpected(std::move(*f));
  XmlDoc out;
  XmlDoc::Impl& impl = *out.impl_;
  impl.line_starts.push_back(0);
  for (const char* p = bytes.data();
       (p = static_cast<const char*>(std::memchr(p, '\n', bytes.data() + bytes.size() - p)));) {
    ++p;
    impl.line_starts.push_back(static_cast<size_t>(p - bytes.data()));
  }
  auto at_offset = [&](ptrdiff_t offset) { return Location{"/", impl.LineAt(offset)}; };

  if (size_t bad = FindInvalidUtf8(bytes); bad != std::string_view::npos) {
    return unexpected(MakeFinding(rules::kXmlUtf8, at_offset(static_cast<ptrdiff_t>(bad)),
                                  "byte " + std::to_string(bad) +
                                      " starts an invalid UTF-8 "
                                      "sequence; packages must be UTF-8",
                                  "UTF-8", "invalid byte sequence"));
  }

  if (size_t over = FindElementOverLimit(bytes, limits.max_elements);
      over != std::string_view::npos) {
    return unexpected(
        MakeFinding(rules::kXmlElements, at_offset(static_cast<ptrdiff_t>(over)),
                    "the package holds more than " + std::to_string(limits.max_elements) +
                        " elements (the limit); it was refused before building its tree",
                    "≤ " + std::to_string(limits.max_elements) + " elements", "more"));
  }

  constexpr unsigned kFlags =
      pugi::parse_default | pugi::parse_declaration | pugi::parse_doctype | pugi::parse_ws_pcdata;
  pugi::xml_parse_result parsed =
      impl.doc.load_buffer(bytes.data(), bytes.size(), kFlags, pugi::encoding_utf8);
  // A DOCTYPE is refused before anything else is judged, even in a malformed document.
  for (pugi::xml_node n : impl.doc.children()) {
    if (n.type() == pugi::node_doctype) {
      return unexpected(MakeFinding(
          rules::kXmlDtd, at_offset(n.offset_debug()),
          "the package contains a DOCTYPE; DTDs, entity declarations and external references "
          "are refused",
          "no <!DOCTYPE …>", "<!DOCTYPE …>"));
    }
  }
  if (!parsed) {
    return unexpected(MakeFinding(rules::kXmlWellFormed, at_offset(parsed.offset),
                                  std::string("the package is not well-formed XML: ") +
                                      parsed.description() + " (byte " +
                                      std::to_string(parsed.offset) + ")",
                                  "well-formed XML", parsed.description()));
  }
  if (!impl.doc.document_element()) {
    return unexpected(MakeFinding(rules::kXmlWellFormed, {"/", 1},
                                  "the file contains no XML element", "a root element", "(none)"));
  }
  if (std::string enc = AsciiLower(out.DeclaredEncoding());
      !enc.empty() && enc != "utf-8" && enc != "utf8") {
    return unexpected(MakeFinding(rules::kXmlUtf8, {"/", 1},
                                  "the XML declaration names encoding '" +
                                      std::string(out.DeclaredEncoding()) +
                                      "'; packages must be UTF-8",
                                  "encoding=\"UTF-8\"", std::string(out.DeclaredEncoding())));
  }

  auto line = [&out](pugi::xml_node n) { return out.Line(n); };
  if (auto f = ResolveNames(impl.doc.document_element(), limits, line, &impl.names)) {
    return unexpected(std::move(*f));
  }
  return out;
}

}  // namespace vxp::edxml
