#include "core/signing/c14n.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "core/common/utf8.h"
#include "core/edxml/xml_doc.h"

namespace vxp::signing::c14n {
namespace {

constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

// A character reference's code point is a Char of XML 1.0 §2.2.
bool IsXmlChar(unsigned long c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// The reference at bytes[at] ('&') is one the two parsers agree on; its length in *length.
bool KnownReference(std::string_view bytes, size_t at, size_t* length) {
  size_t end = bytes.find(';', at);
  if (end == std::string_view::npos || end - at > 12) return false;
  std::string_view ref = bytes.substr(at + 1, end - at - 1);
  *length = end - at + 1;
  if (ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos") return true;
  if (ref.size() < 2 || ref[0] != '#') return false;
  bool hex = ref[1] == 'x';
  std::string_view digits = ref.substr(hex ? 2 : 1);
  if (digits.empty()) return false;
  unsigned long value = 0;
  for (char c : digits) {
    int d = c >= '0' && c <= '9'          ? c - '0'
            : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
            : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : -1;
    if (d < 0) return false;
    value = value * (hex ? 16 : 10) + static_cast<unsigned long>(d);
  }
  return IsXmlChar(value);
}

bool UriChar(char c, std::string_view extra = {}) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~/!$()*+,;=:@").find(c) != std::string_view::npos ||
         extra.find(c) != std::string_view::npos;
}

// A namespace URI that libxml2 accepts as absolute and that C14N writes unchanged (no & or
// quotes): http(s)://host[:port][/path][?query][#fragment] or urn:..., of plain URI characters
// (no percent-escapes). Anything else is left to libxml2, which refuses some of it.
bool PlainAbsoluteUri(std::string_view uri) {
  std::string_view rest;
  if (uri.starts_with("urn:")) {
    rest = uri.substr(4);
    if (rest.empty()) return false;
  } else {
    if (uri.starts_with("http://")) {
      rest = uri.substr(7);
    } else if (uri.starts_with("https://")) {
      rest = uri.substr(8);
    } else {
      return false;
    }
    size_t host = 0;
    while (host < rest.size() &&
           (UriChar(rest[host]) && rest[host] != '/' && rest[host] != ':' && rest[host] != '@' &&
            rest[host] != '!' && rest[host] != '$' && rest[host] != '(' && rest[host] != ')' &&
            rest[host] != '*' && rest[host] != '+' && rest[host] != ',' && rest[host] != ';' &&
            rest[host] != '=' && rest[host] != '~')) {
      ++host;
    }
    if (host == 0) return false;
    rest.remove_prefix(host);
    if (rest.starts_with(":")) {
      size_t digits = 1;
      while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
      if (digits == 1) return false;
      rest.remove_prefix(digits);
    }
    if (!rest.empty() && rest[0] != '/' && rest[0] != '?' && rest[0] != '#') return false;
  }
  size_t hash = rest.find('#');
  for (size_t i = 0; i < rest.size(); ++i) {
    if (i == hash) continue;
    if (!UriChar(rest[i], "?")) return false;
  }
  return true;
}

// An ASCII XML name: a letter or _ then letters, digits, ., - or _ (libxml2 accepts more, but
// nothing a package needs).
bool PlainName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '.' || c == '-'))) return false;
  }
  return true;
}

// A qualified name: PlainName, or PlainName:PlainName.
bool PlainQName(std::string_view qname) {
  size_t colon = qname.find(':');
  if (colon == std::string_view::npos) return PlainName(qname);
  return PlainName(qname.substr(0, colon)) && PlainName(qname.substr(colon + 1));
}

// The XML declaration, when there is one, in its plainest form: version 1.0, encoding UTF-8 if
// named, standalone yes or no if given, either quotes, spaces around '='.
bool PlainDeclaration(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (!bytes.starts_with("<?xml")) return true;
  std::string_view s = bytes.substr(5);
  auto space = [&] {
    size_t n = 0;
    while (n < s.size() && (s[n] == ' ' || s[n] == '\t' || s[n] == '\r' || s[n] == '\n')) ++n;
    s.remove_prefix(n);
    return n > 0;
  };
  auto pseudo = [&](std::string_view name, auto value_ok) {
    std::string_view saved = s;
    if (!space() || !s.starts_with(name)) {
      s = saved;
      return false;
    }
    s.remove_prefix(name.size());
    space();
    if (!s.starts_with("=")) return false;
    s.remove_prefix(1);
    space();
    if (s.empty() || (s[0] != '"' && s[0] != '\'')) return false;
    size_t end = s.find(s[0], 1);
    if (end == std::string_view::npos || !value_ok(s.substr(1, end - 1))) return false;
    s.remove_prefix(end + 1);
    return true;
  };
  if (!pseudo("version", [](std::string_view v) { return v == "1.0"; })) return false;
  pseudo("encoding", [](std::string_view v) {
    return v.size() == 5 && (v[0] | 0x20) == 'u' && (v[1] | 0x20) == 't' && (v[2] | 0x20) == 'f' &&
           v[3] == '-' && v[4] == '8';
  });
  pseudo("standalone", [](std::string_view v) { return v == "yes" || v == "no"; });
  space();
  return s.starts_with("?>");
}

struct Ns {
  std::string_view prefix;  // "" for the default namespace
  std::string_view uri;     // "" for an undeclared default namespace
};

// The binding of `prefix` in `scope` (latest first); nullptr if unbound.
const Ns* Lookup(const std::vector<Ns>& scope, std::string_view prefix) {
  for (auto it = scope.rbegin(); it != scope.rend(); ++it) {
    if (it->prefix == prefix) return &*it;
  }
  return nullptr;
}

std::string_view PrefixOf(std::string_view qname) {
  size_t colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
}
std::string_view LocalOf(std::string_view qname) {
  size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// A namespace declaration attribute: its prefix in *prefix ("" for xmlns=).
bool IsDeclaration(std::string_view name, std::string_view* prefix) {
  if (name == "xmlns") {
    *prefix = "";
    return true;
  }
  if (name.starts_with("xmlns:")) {
    *prefix = name.substr(6);
    return true;
  }
  return false;
}

// Pushes the namespace declarations of `e` onto `scope`. False for one this does not handle: the
// xml or xmlns prefix declared, a prefix undeclared (xmlns:p=""), a prefix that is not a plain
// name, a URI that is not PlainAbsoluteUri (xmlns="" undeclaring the default is fine).
bool PushDeclarations(pugi::xml_node e, std::vector<Ns>* scope) {
  for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
    std::string_view prefix;
    if (!IsDeclaration(a.name(), &prefix)) continue;
    std::string_view uri = a.value();
    if (prefix == "xml" || prefix == "xmlns" || (!prefix.empty() && !PlainName(prefix)) ||
        (prefix.empty() ? !uri.empty() && !PlainAbsoluteUri(uri) : !PlainAbsoluteUri(uri))) {
      return false;
    }
    scope->push_back({prefix, uri});
  }
  return true;
}

class Canonicalizer {
 public:
  Canonicalizer(Mode mode, pugi::xml_node excluded,
                const std::function<void(std::string_view)>& sink)
      : mode_(mode), excluded_(excluded), sink_(sink) {}

  ~Canonicalizer() { Flush(); }

  // `scope`: the namespaces in scope at the parent of `e`; `rendered`: those output by the
  // ancestors that were output (latest first).
  bool Element(pugi::xml_node e, std::vector<Ns>& scope, std::vector<Ns>& rendered) {
    size_t scope_mark = scope.size(), rendered_mark = rendered.size();
    if (!PushDeclarations(e, &scope)) return false;

    // Namespaces to output, then attributes, each in canonical order.
    std::vector<Ns> out_ns;
    auto consider = [&](std::string_view prefix) {
      const Ns* bound = Lookup(scope, prefix);
      std::string_view uri = bound != nullptr ? bound->uri : std::string_view();
      const Ns* shown = Lookup(rendered, prefix);
      if (uri.empty() && prefix.empty()) {
        // xmlns="" only to undo a default namespace an output ancestor declared.
        if (shown == nullptr || shown->uri.empty()) return;
      } else if (shown != nullptr && shown->uri == uri) {
        return;
      }
      for (const Ns& n : out_ns) {
        if (n.prefix == prefix) return;
      }
      out_ns.push_back({prefix, uri});
    };
    std::string_view name = e.name();
    if (mode_ == Mode::kInclusive) {
      for (auto it = scope.rbegin(); it != scope.rend(); ++it) consider(it->prefix);
    } else {
      std::string_view prefix = PrefixOf(name);
      if (!prefix.empty() && Lookup(scope, prefix) == nullptr) return false;
      consider(prefix);
    }
    struct Attr {
      std::string_view uri, local, qname, value;
    };
    std::vector<Attr> attrs;
    for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
      std::string_view prefix, qname = a.name();
      if (IsDeclaration(qname, &prefix)) continue;
      prefix = PrefixOf(qname);
      std::string_view uri;
      if (prefix == "xml") {
        uri = kXmlNamespace;
      } else if (!prefix.empty()) {
        const Ns* bound = Lookup(scope, prefix);
        if (bound == nullptr) return false;
        uri = bound->uri;
        if (mode_ == Mode::kExclusive) consider(prefix);
      }
      attrs.push_back({uri, LocalOf(qname), qname, a.value()});
    }
    if (mode_ == Mode::kInclusive && PrefixOf(name) != "" &&
        Lookup(scope, PrefixOf(name)) == nullptr) {
      return false;
    }
    std::sort(out_ns.begin(), out_ns.end(),
              [](const Ns& a, const Ns& b) { return a.prefix < b.prefix; });
    std::sort(attrs.begin(), attrs.end(), [](const Attr& a, const Attr& b) {
      return a.uri != b.uri ? a.uri < b.uri : a.local < b.local;
    });

    Put("<");
    Put(name);
    for (const Ns& n : out_ns) {
      Put(n.prefix.empty() ? " xmlns" : " xmlns:");
      Put(n.prefix);
      Put("=\"");
      Put(n.uri);  // PlainAbsoluteUri: nothing to escape
      Put("\"");
      rendered.push_back(n);
    }
    for (const Attr& a : attrs) {
      Put(" ");
      Put(a.qname);
      Put("=\"");
      Escape(a.value, true);
      Put("\"");
    }
    Put(">");
    for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
      if (c == excluded_) continue;
      switch (c.type()) {
        case pugi::node_element:
          if (!Element(c, scope, rendered)) return false;
          break;
        case pugi::node_pcdata:
        case pugi::node_cdata:
          Escape(c.value(), false);
          break;
        case pugi::node_comment:
          break;
        default:  // processing instructions and anything else: not implemented
          return false;
      }
    }
    Put("</");
    Put(name);
    Put(">");
    scope.resize(scope_mark);
    rendered.resize(rendered_mark);
    return true;
  }

 private:
  void Put(std::string_view s) {
    if (s.size() >= kBuffer) {
      Flush();
      sink_(s);
      return;
    }
    buffer_.append(s);
    if (buffer_.size() >= kBuffer) Flush();
  }
  void Flush() {
    if (!buffer_.empty()) sink_(buffer_);
    buffer_.clear();
  }

  // Text: &, <, > and CR escaped; attribute values: &, <, ", TAB, LF and CR.
  void Escape(std::string_view s, bool attribute) {
    // pugixml's values end in NUL (ParseFaithful refused any NUL inside), so strcspn may scan.
    const char* specials = attribute ? "&<\"\t\n\r" : "&<>\r";
    while (!s.empty()) {
      size_t plain = std::min(s.size(), std::strcspn(s.data(), specials));
      Put(s.substr(0, plain));
      if (plain == s.size()) break;
      switch (s[plain]) {
        case '&':
          Put("&amp;");
          break;
        case '<':
          Put("&lt;");
          break;
        case '>':
          Put("&gt;");
          break;
        case '"':
          Put("&quot;");
          break;
        case '\t':
          Put("&#x9;");
          break;
        case '\n':
          Put("&#xA;");
          break;
        default:
          Put("&#xD;");
          break;
      }
      s.remove_prefix(plain + 1);
    }
  }

  static constexpr size_t kBuffer = 16 << 10;
  const Mode mode_;
  const pugi::xml_node excluded_;
  const std::function<void(std::string_view)>& sink_;
  std::string buffer_;
};

}  // namespace

namespace {

// Whether `comment` is one libxml2 accepts: no "--" inside, not ending in '-'.
bool PlainComment(std::string_view comment) {
  return comment.find("--") == std::string_view::npos && !comment.ends_with("-");
}

// Checks `e` and its descendants for what pugixml accepts and libxml2 does not (see
// ParseFaithful); `scope` holds the declarations in scope at its parent.
bool PlainElement(pugi::xml_node e, std::vector<Ns>& scope) {
  size_t mark = scope.size();
  if (!PlainQName(e.name()) || !PushDeclarations(e, &scope)) return false;
  auto bound = [&](std::string_view qname) {
    std::string_view prefix = PrefixOf(qname);
    return prefix.empty() || prefix == "xml" || Lookup(scope, prefix) != nullptr;
  };
  if (!bound(e.name())) return false;
  std::vector<std::pair<std::string_view, std::string_view>> names;  // (namespace, local)
  for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
    std::string_view qname = a.name(), prefix, value = a.value();
    if (!PlainQName(qname) || value.find('<') != std::string_view::npos) return false;
    if (IsDeclaration(qname, &prefix)) {
      names.emplace_back("xmlns", qname);
      continue;
    }
    if (!bound(qname)) return false;
    prefix = PrefixOf(qname);
    std::string_view ns = prefix.empty()    ? std::string_view()
                          : prefix == "xml" ? kXmlNamespace
                                            : Lookup(scope, prefix)->uri;
    names.emplace_back(ns, LocalOf(qname));
  }
  std::sort(names.begin(), names.end());
  if (std::adjacent_find(names.begin(), names.end()) != names.end()) return false;
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
    switch (c.type()) {
      case pugi::node_element:
        if (!PlainElement(c, scope)) return false;
        break;
      case pugi::node_pcdata:
        break;
      case pugi::node_comment:
        if (!PlainComment(c.value())) return false;
        break;
      default:  // CDATA, processing instructions
        return false;
    }
  }
  scope.resize(mark);
  return true;
}

bool ControlCharacter(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

// Whether `bytes` hold a control character other than TAB, LF and CR; eight bytes at a time.
bool HasControlCharacter(std::string_view bytes) {
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, bytes.data() + i, 8);
    // A high bit for each byte below 0x20 (exact for bytes below 0x80; others never set it).
    if (((x - kOnes * 0x20) & ~x & kHigh) == 0) continue;
    for (size_t j = i; j < i + 8; ++j) {
      if (ControlCharacter(static_cast<unsigned char>(bytes[j]))) return true;
    }
  }
  for (; i < bytes.size(); ++i) {
    if (ControlCharacter(static_cast<unsigned char>(bytes[i]))) return true;
  }
  return false;
}

// pugixml silently drops text outside the document element, which libxml2 refuses: only
// whitespace, the declaration and comments may stand before it, and whitespace and comments
// after it.
bool NothingOutside(std::string_view bytes, const pugi::xml_document& doc) {
  pugi::xml_node root = doc.document_element();
  auto name_at = static_cast<size_t>(root.offset_debug());
  if (name_at == 0 || name_at > bytes.size()) return false;
  const size_t start = bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  size_t pos = start;
  while (true) {  // the prolog; a declaration only at the very start
    pos = std::min(bytes.find_first_not_of(" \t\r\n", pos), bytes.size());
    if (pos == name_at - 1) break;
    std::string_view rest = bytes.substr(pos);
    if (rest.starts_with("<?xml") && pos != start) return false;
    size_t end = rest.starts_with("<?xml")  ? rest.find("?>")
                 : rest.starts_with("<!--") ? rest.find("-->")
                                            : std::string_view::npos;
    if (end == std::string_view::npos || pos + end >= name_at) return false;
    pos += end + (rest[1] == '?' ? 2 : 3);
  }
  // Where the document element ends: after its last end tag, or its start tag when it has no
  // content (<a/> or <a></a>).
  size_t limit = bytes.size();
  for (pugi::xml_node n = root.next_sibling(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_comment) {
      limit = std::min(limit, static_cast<size_t>(n.offset_debug()) - 4);
      break;
    }
  }
  std::string name = root.name();
  size_t end;
  if (root.first_child()) {
    end = bytes.rfind("</" + name, limit);
    if (end == std::string_view::npos || end < name_at) return false;
    end = bytes.find('>', end);
  } else {
    char quote = 0;
    for (end = name_at; end < bytes.size(); ++end) {
      char c = bytes[end];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    if (end >= bytes.size()) return false;
    if (bytes[end - 1] != '/') {
      std::string close = "</" + name;
      if (bytes.compare(end + 1, close.size(), close) != 0) return false;
      end = bytes.find('>', end + 1);
    }
  }
  if (end == std::string_view::npos || end >= limit ||
      !edxml::XmlSpaceOnly(bytes.substr(end + 1, limit - end - 1))) {
    return false;
  }
  // The comments after it, separated by whitespace only.
  pos = limit;
  for (pugi::xml_node n = root.next_sibling(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_pcdata) continue;
    if (n.type() != pugi::node_comment) return false;
    size_t close = bytes.find("-->", static_cast<size_t>(n.offset_debug()));
    if (close == std::string_view::npos) return false;
    pugi::xml_node next = n.next_sibling();
    while (next && next.type() == pugi::node_pcdata) next = next.next_sibling();
    size_t upto = next ? static_cast<size_t>(next.offset_debug()) - 4 : bytes.size();
    if (upto < close + 3 || !edxml::XmlSpaceOnly(bytes.substr(close + 3, upto - close - 3)))
      return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> NamespaceOf(pugi::xml_node element) {
  std::string_view prefix = PrefixOf(element.name());
  std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (pugi::xml_node n = element; n && n.type() == pugi::node_element; n = n.parent()) {
    if (pugi::xml_attribute a = n.attribute(attr.c_str())) return std::string_view(a.value());
  }
  if (prefix.empty()) return std::string_view();
  return std::nullopt;
}

std::string_view LocalName(pugi::xml_node element) { return LocalOf(element.name()); }

pugi::xml_node FirstElement(pugi::xml_node node, std::string_view local, std::string_view ns) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (LocalName(c) == local && NamespaceOf(c) == ns) return c;
    if (pugi::xml_node found = FirstElement(c, local, ns)) return found;
  }
  return {};
}

namespace {

// ParseFaithful's checks of the bytes alone.
bool FaithfulBytes(std::string_view bytes) {
  // UTF-8 of XML characters only: no invalid sequence, no control character but TAB, LF and
  // CR, no U+FFFE or U+FFFF.
  if (FindInvalidUtf8(bytes) != std::string_view::npos || HasControlCharacter(bytes) ||
      bytes.find("\xEF\xBF\xBE") != std::string_view::npos ||
      bytes.find("\xEF\xBF\xBF") != std::string_view::npos || !PlainDeclaration(bytes) ||
      bytes.find("]]>") != std::string_view::npos) {
    return false;
  }
  for (size_t i = bytes.find('&'); i != std::string_view::npos; i = bytes.find('&', i + 1)) {
    size_t length = 0;
    if (!KnownReference(bytes, i, &length)) return false;
  }
  return true;
}

// ParseFaithful's checks of the tree parsed from `bytes`.
bool FaithfulTree(std::string_view bytes, const pugi::xml_document& doc) {
  // The document: an optional declaration first, comments, whitespace and one element.
  int elements = 0;
  for (pugi::xml_node n : doc.children()) {
    switch (n.type()) {
      case pugi::node_declaration:
        if (n != doc.first_child()) return false;
        break;
      case pugi::node_comment:
        if (!PlainComment(n.value())) return false;
        break;
      case pugi::node_pcdata:
        for (const char* p = n.value(); *p != 0; ++p) {
          if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') return false;
        }
        break;
      case pugi::node_element: {
        std::vector<Ns> scope;
        if (++elements > 1 || !PlainElement(n, scope)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return elements == 1 && NothingOutside(bytes, doc);
}

}  // namespace

bool ParseFaithful(std::string_view bytes, pugi::xml_document* doc) {
  if (!FaithfulBytes(bytes)) return false;
  constexpr unsigned kFlags = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol |
                              pugi::parse_wconv_attribute | pugi::parse_ws_pcdata | pugi::parse_pi |
                              pugi::parse_comments | pugi::parse_declaration | pugi::parse_doctype;
  pugi::xml_parse_result parsed =
      doc->load_buffer(bytes.data(), bytes.size(), kFlags, pugi::encoding_utf8);
  return parsed && FaithfulTree(bytes, *doc);
}

bool FaithfulAsLoaded(std::string_view bytes, const pugi::xml_document& doc) {
  // Without CDATA ("]]>" is refused) and with no '<' in attribute values (PlainElement), every
  // "<?" and "<!--" in the bytes is markup: only the declaration may be there.
  const size_t start = bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  const size_t pi = bytes.find("<?");
  const bool declaration = pi == start && bytes.substr(start).starts_with("<?xml");
  if ((pi != std::string_view::npos && !declaration) ||
      (declaration && bytes.find("<?", pi + 2) != std::string_view::npos) ||
      bytes.find("<!--") != std::string_view::npos) {
    return false;
  }
  return FaithfulBytes(bytes) && FaithfulTree(bytes, doc);
}

bool Canonicalize(const pugi::xml_document& doc, Subset subset, Mode mode,
                  const std::function<void(std::string_view)>& sink) {
  Canonicalizer c(mode, subset.excluded, sink);
  std::vector<Ns> scope, rendered;
  if (subset.apex) {
    // The apex's ancestors are not output: their namespace declarations are in scope (and,
    // inclusively, rendered on the apex); xml:* attributes they carry would be inherited.
    std::vector<pugi::xml_node> ancestors;
    for (pugi::xml_node a = subset.apex.parent(); a && a.type() == pugi::node_element;
         a = a.parent()) {
      ancestors.push_back(a);
    }
    for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) {
      for (pugi::xml_attribute a = it->first_attribute(); a; a = a.next_attribute()) {
        if (std::string_view(a.name()).starts_with("xml:") && mode == Mode::kInclusive) {
          return false;
        }
      }
      if (!PushDeclarations(*it, &scope)) return false;
    }
    return c.Element(subset.apex, scope, rendered);
  }
  // The whole document: the document element only (no PI is implemented, comments are not
  // output, and text outside the document element is not part of the data model).
  for (pugi::xml_node n : doc.children()) {
    if (n.type() == pugi::node_pi) return false;
  }
  pugi::xml_node root = doc.document_element();
  if (root == subset.excluded) return true;
  return c.Element(root, scope, rendered);
}

}  // namespace vxp::signing::c14n
