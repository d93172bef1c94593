#include "core/edxml/parse.h"

#include <sstream>
#include <unordered_set>

#include "core/edxml/layout.h"

namespace vxp::edxml {
namespace {

constexpr std::string_view kEdocNsPrefix = "http://www.e-doc.vn/Schema/";
constexpr std::string_view kGovnNs = "http://www.go.vn/eDoc";

// Reads model values from the resolved tree, matching (namespace, local name). Elements in no
// namespace are read as edXML and noted once (EDXML-1-UNQUALIFIED).
class Reader {
 public:
  explicit Reader(const XmlDoc& xml) : xml_(xml) {}

  bool IsEdxml(const XmlNode& n) {
    if (n.ns == kNamespace) return true;
    if (!n.ns.empty()) return false;
    if (unqualified_.empty()) first_unqualified_ = n.node;
    unqualified_.insert(n.node.internal_object());
    return true;
  }

  // Lookups walk the siblings in place: they run dozens of times per package, so they build no
  // list of children.
  XmlNode Child(pugi::xml_node parent, std::string_view name) {
    for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
      if (n.type() != pugi::node_element) continue;
      XmlNode c = xml_.View(n);
      if (c.local == name && IsEdxml(c)) return c;
    }
    return {};
  }

  std::vector<XmlNode> All(pugi::xml_node parent, std::string_view name) {
    std::vector<XmlNode> out;
    for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
      if (n.type() != pugi::node_element) continue;
      XmlNode c = xml_.View(n);
      if (c.local == name && IsEdxml(c)) out.push_back(c);
    }
    return out;
  }

  static Text TextOf(const XmlNode& n) { return n ? Text(ElementText(n.node)) : Text(); }
  Text Req(pugi::xml_node parent, std::string_view name) { return TextOf(Child(parent, name)); }
  // A payload's text: a large one is a view of the document's buffer (kept alive), not a copy.
  SharedText Payload(pugi::xml_node parent, std::string_view name) {
    constexpr size_t kViewFrom = 64 * 1024;
    XmlNode c = Child(parent, name);
    std::string_view text = c ? ElementText(c.node) : std::string_view();
    if (text.size() < kViewFrom) return SharedText(std::string(text));
    return SharedText(xml_.Keeper(), text);
  }
  OptText Opt(pugi::xml_node parent, std::string_view name) {
    XmlNode c = Child(parent, name);
    return c ? OptText(TextOf(c)) : std::nullopt;
  }
  std::vector<Text> Texts(pugi::xml_node parent, std::string_view name) {
    std::vector<Text> out;
    for (const XmlNode& c : All(parent, name)) out.push_back(TextOf(c));
    return out;
  }
  std::optional<std::vector<Text>> OptList(pugi::xml_node parent, std::string_view list,
                                           std::string_view item) {
    XmlNode l = Child(parent, list);
    if (!l) return std::nullopt;
    return Texts(l.node, item);
  }

  Organization ReadOrganization(pugi::xml_node n) {
    return Organization{Req(n, "OrganId"),   Opt(n, "OrganizationInCharge"),
                        Req(n, "OrganName"), Opt(n, "OrganAdd"),
                        Opt(n, "Email"),     Opt(n, "Telephone"),
                        Opt(n, "Fax"),       Opt(n, "Website")};
  }

  ResponseFor ReadResponseFor(pugi::xml_node n) {
    return ResponseFor{Req(n, "OrganId"), Req(n, "Code"), Req(n, "PromulgationDate"),
                       Req(n, "DocumentId")};
  }

  std::optional<StaffInfo> ReadStaffInfo(pugi::xml_node parent) {
    XmlNode s = Child(parent, "StaffInfo");
    if (!s) return std::nullopt;
    return StaffInfo{Opt(s.node, "Department"), Opt(s.node, "Staff"), Opt(s.node, "Email"),
                     Opt(s.node, "Mobile")};
  }

  DocumentHeader ReadDocumentHeader(pugi::xml_node h) {
    DocumentHeader d;
    d.from = ReadOrganization(Child(h, "From").node);
    for (const XmlNode& t : All(h, "To")) d.to.push_back(ReadOrganization(t.node));
    pugi::xml_node code = Child(h, "Code").node;
    d.code = Code{Req(code, "CodeNumber"), Req(code, "CodeNotation")};
    pugi::xml_node pi = Child(h, "PromulgationInfo").node;
    d.promulgation_info = PromulgationInfo{Req(pi, "Place"), Req(pi, "PromulgationDate")};
    pugi::xml_node dt = Child(h, "DocumentType").node;
    d.document_type = DocumentType{Req(dt, "Type"), Req(dt, "TypeDetail"), Req(dt, "TypeName")};
    d.subject = Req(h, "Subject");
    d.content = Opt(h, "Content");
    pugi::xml_node si = Child(h, "SignerInfo").node;
    d.signer_info = SignerInfo{Req(si, "Competence"), Req(si, "Position"), Req(si, "FullName")};
    d.due_date = Opt(h, "DueDate");
    d.to_places = OptList(h, "ToPlaces", "Place");
    if (XmlNode oi = Child(h, "OtherInfo")) {
      pugi::xml_node o = oi.node;
      d.other_info = OtherInfo{Opt(o, "Priority"),      Opt(o, "SphereOfPromulgation"),
                               Opt(o, "TyperNotation"), Opt(o, "PromulgationAmount"),
                               Opt(o, "PageAmount"),    OptList(o, "Appendixes", "Appendix"),
                               Opt(o, "Direction")};
    }
    for (const XmlNode& r : All(h, "ResponseFor"))
      d.response_for.push_back(ReadResponseFor(r.node));
    d.steering_type = Opt(h, "SteeringType");
    d.document_id = Req(h, "DocumentId");
    return d;
  }

  StatusHeader ReadStatusHeader(pugi::xml_node h) {
    StatusHeader s;
    s.from = ReadOrganization(Child(h, "From").node);
    s.response_for = ReadResponseFor(Child(h, "ResponseFor").node);
    s.staff_info = ReadStaffInfo(h);
    s.status_code = Req(h, "StatusCode");
    s.description = Opt(h, "Description");
    s.timestamp = Req(h, "Timestamp");
    return s;
  }

  TraceHeaderList ReadTraceHeaderList(pugi::xml_node n) {
    TraceHeaderList list;
    for (const XmlNode& t : All(n, "TraceHeader")) {
      list.trace_headers.push_back(TraceHeader{Opt(t.node, "OrganId"), Req(t.node, "Timestamp")});
    }
    if (XmlNode b = Child(n, "Bussiness")) {
      Business bus;
      pugi::xml_node bn = b.node;
      bus.business_doc_type = Req(bn, "BussinessDocType");
      bus.document_id = Opt(bn, "DocumentId");
      bus.business_doc_reason = Opt(bn, "BussinessDocReason");
      bus.paper = Opt(bn, "Paper");
      bus.staff_info = ReadStaffInfo(bn);
      if (XmlNode info = Child(bn, "BussinessDocumentInfo")) {
        BusinessDocumentInfo bi{Req(info.node, "DocumentInfo"), Req(info.node, "DocumentReceiver"),
                                std::nullopt};
        if (XmlNode rl = Child(info.node, "ReceiverList")) {
          bi.receiver_list.emplace();
          for (const XmlNode& r : All(rl.node, "Receiver")) {
            bi.receiver_list->push_back(
                Receiver{Req(r.node, "OrganId"), Req(r.node, "ReceiverType")});
          }
        }
        bus.business_document_info = std::move(bi);
      }
      if (XmlNode rl = Child(bn, "ReplacementInfoList")) {
        bus.replacement_info_list.emplace();
        for (const XmlNode& r : All(rl.node, "ReplacementInfo")) {
          ReplacementInfo ri{Req(r.node, "DocumentId"), {}};
          if (XmlNode ol = Child(r.node, "OrganIdList")) ri.organ_ids = Texts(ol.node, "OrganId");
          bus.replacement_info_list->push_back(std::move(ri));
        }
      }
      list.business = std::move(bus);
    }
    return list;
  }

  Manifest ReadManifest(pugi::xml_node m) {
    Manifest out;
    if (pugi::xml_attribute v = m.attribute("version")) out.version = v.value();
    for (const XmlNode& r : All(m, "Reference")) {
      Reference ref{Req(r.node, "ContentId"), Opt(r.node, "ContentType"),
                    Opt(r.node, "Description"), Opt(r.node, "AttachmentName"), std::nullopt};
      for (pugi::xml_attribute a : r.node.attributes()) {
        std::string_view name = a.name();
        if (name == "href" || name.ends_with(":href")) ref.href = a.value();
      }
      out.references.push_back(std::move(ref));
    }
    return out;
  }

  Attachment ReadAttachment(pugi::xml_node a) {
    return Attachment{Req(a, "ContentId"),
                      Opt(a, "AttachmentName"),
                      Opt(a, "Description"),
                      Opt(a, "MimeType"),
                      Opt(a, "Format"),
                      Opt(a, "ContentType"),
                      Payload(a, "ContentTransferEncoded")};
  }

  // The element as standalone XML: the in-scope namespace declarations of the prefixes used
  // inside it (and of the default namespace, when an unprefixed element uses it) are copied onto
  // it, so the text parses on its own and does not depend on where it stood.
  std::string StandaloneXml(pugi::xml_node element) {
    std::unordered_set<std::string> used;
    for (pugi::xml_node n = element; n;) {
      std::string_view name = n.name();
      size_t colon = name.find(':');
      used.insert(colon == std::string_view::npos ? std::string()
                                                  : std::string(name.substr(0, colon)));
      for (pugi::xml_attribute a : n.attributes()) {
        std::string_view an = a.name();
        if (size_t c = an.find(':'); c != std::string_view::npos && !an.starts_with("xmlns")) {
          used.insert(std::string(an.substr(0, c)));
        }
      }
      // Iterative pre-order walk of the element subtree.
      pugi::xml_node next = n.first_child();
      while (next && next.type() != pugi::node_element) next = next.next_sibling();
      if (!next) {
        for (pugi::xml_node up = n; up && up != element && !next; up = up.parent()) {
          for (next = up.next_sibling(); next && next.type() != pugi::node_element;) {
            next = next.next_sibling();
          }
        }
      }
      n = next;
    }
    pugi::xml_document tmp;
    pugi::xml_node copy = tmp.append_copy(element);
    DropWhitespaceText(copy);
    for (const auto& [prefix, uri] : xml_.InScopeNamespaces(element)) {
      if (!used.contains(prefix)) continue;
      std::string name = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
      if (!copy.attribute(name.c_str())) copy.append_attribute(name.c_str()) = uri.c_str();
    }
    std::ostringstream out;
    tmp.save(out, "", pugi::format_raw | pugi::format_no_declaration);
    return out.str();
  }

  // Removes the whitespace-only text LoadXml keeps between elements (for C14N) from a copy, so
  // the standalone text reads as it always has.
  static void DropWhitespaceText(pugi::xml_node n) {
    for (pugi::xml_node c = n.first_child(); c;) {
      pugi::xml_node next = c.next_sibling();
      if (c.type() == pugi::node_element) {
        DropWhitespaceText(c);
      } else if (c.type() == pugi::node_pcdata && XmlSpaceOnly(c.value())) {
        n.remove_child(c);
      }
      c = next;
    }
  }

  void AddFindings(std::vector<Finding>& out) {
    if (!unqualified_.empty()) {
      out.push_back(MakeFinding(
          rules::kUnqualified, {xml_.PathOf(first_unqualified_), xml_.Line(first_unqualified_)},
          std::to_string(unqualified_.size()) + " element(s) are in no namespace, starting with <" +
              first_unqualified_.name() + ">; they were read as edXML",
          std::string("elements in ") + std::string(kNamespace), "no namespace"));
    }
  }

 private:
  const XmlDoc& xml_;
  std::unordered_set<const void*> unqualified_;
  pugi::xml_node first_unqualified_;
};

// Finds an element in the first `levels` levels below and including `n` whose namespace starts
// with `ns_prefix`.
bool HasNamespaceNear(const XmlDoc& xml, pugi::xml_node n, std::string_view ns_prefix, int levels) {
  if (xml.View(n).ns.starts_with(ns_prefix)) return true;
  if (levels == 0) return false;
  for (const XmlNode& c : xml.Children(n)) {
    if (HasNamespaceNear(xml, c.node, ns_prefix, levels - 1)) return true;
  }
  return false;
}

void CheckOrder(const XmlDoc& xml, const XmlNode& header, std::span<const std::string_view> order,
                std::vector<Finding>& out) {
  int last = -1;
  std::string last_name;
  for (const XmlNode& c : xml.Children(header.node)) {
    int index = CanonicalIndex(order, c.local);
    if (index < 0) continue;  // unknown elements: the schema reports them
    if (index < last) {
      out.push_back(MakeFinding(rules::kOrder, {xml.PathOf(c.node), xml.Line(c.node)},
                                "MessageHeader child <" + std::string(c.local) + "> comes after <" +
                                    last_name +
                                    ">; accepted, but the canonical order puts it first",
                                "canonical order", std::string(c.local) + " after " + last_name));
      return;  // one finding says it; the rest would repeat it
    }
    last = index;
    last_name = c.local;
  }
}

}  // namespace

tl::expected<ParsedPackage, Finding> ParsePackage(std::string_view bytes,
                                                  const ParseLimits& limits) {
  auto loaded = LoadXml(bytes, limits);
  if (!loaded) return tl::unexpected(std::move(loaded.error()));
  XmlDoc& xml = *loaded;
  XmlNode root = xml.Root();
  Location at_root{"/" + std::string(root.local), xml.Line(root.node)};

  if (HasNamespaceNear(xml, root.node, kEdocNsPrefix, 3)) {
    return tl::unexpected(MakeFinding(rules::kLegacyEdoc, at_root,
                                      "this is the older e-doc.vn SOAP format, not edXML "
                                      "(QCVN 102:2016)",
                                      "edXML", "e-doc.vn SOAP envelope"));
  }
  if (root.ns == kGovnNs || root.local == "EdXMLEnvelope") {
    return tl::unexpected(MakeFinding(rules::kLegacyGovn, at_root,
                                      "this is the early go.vn EdXMLEnvelope form, not edXML "
                                      "(QCVN 102:2016)",
                                      "edXML", "go.vn EdXMLEnvelope"));
  }
  if (root.local != "edXML" || root.ns != kNamespace) {
    std::string actual =
        "<" + std::string(root.local) + ">" +
        (root.ns.empty() ? " in no namespace" : " in namespace " + std::string(root.ns));
    return tl::unexpected(MakeFinding(rules::kRoot, at_root,
                                      "not an edXML package: the root element is " + actual,
                                      "<edXML> in " + std::string(kNamespace), actual));
  }

  ParsedPackage out{Package{}, std::move(xml), {}};
  const XmlDoc& doc = out.xml;
  Reader r(doc);
  pugi::xml_node envelope = r.Child(root.node, "edXMLEnvelope").node;
  pugi::xml_node header = r.Child(envelope, "edXMLHeader").node;
  XmlNode message_header = r.Child(header, "MessageHeader");
  Package& p = out.package;

  if (message_header && r.Child(message_header.node, "StatusCode")) {
    p.header = r.ReadStatusHeader(message_header.node);
    CheckOrder(doc, message_header, kStatusHeaderOrder, out.findings);
  } else {
    p.header = r.ReadDocumentHeader(message_header.node);
    if (message_header) CheckOrder(doc, message_header, kDocumentHeaderOrder, out.findings);
  }
  if (XmlNode trace = r.Child(header, "TraceHeaderList")) {
    p.trace_header_list = r.ReadTraceHeaderList(trace.node);
  }
  if (header) {
    for (const XmlNode& c : doc.Children(header)) {
      if (c.local == "Signature" && (c.ns == kXmlDsigNamespace || c.ns == kNamespace)) {
        p.signature_xml = r.StandaloneXml(c.node);
        break;
      }
    }
  }
  pugi::xml_node body = r.Child(envelope, "edXMLBody").node;
  if (XmlNode manifest = r.Child(body, "edXMLManifest")) p.manifest = r.ReadManifest(manifest.node);
  if (XmlNode encoded = r.Child(root.node, "AttachmentEncoded")) {
    for (const XmlNode& a : r.All(encoded.node, "Attachment")) {
      p.attachments.push_back(r.ReadAttachment(a.node));
    }
  }
  r.AddFindings(out.findings);
  return out;
}

}  // namespace vxp::edxml
