#include "core/edxml/schema.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "core/edxml/layout.h"

namespace vxp::embedded {
extern const std::string_view document_xsd;
extern const std::string_view status_xsd;
}  // namespace vxp::embedded

namespace vxp::edxml {
namespace {

constexpr size_t kMaxTextInTree = 256;  // ContentTransferEncoded beyond this is cut

constexpr std::string_view kEdxmlRootOrder[] = {"edXMLEnvelope", "AttachmentEncoded"};
constexpr std::string_view kEnvelopeOrder[] = {"edXMLHeader", "edXMLBody"};
constexpr std::string_view kHeaderOrder[] = {"MessageHeader", "TraceHeaderList", "Signature"};
constexpr std::string_view kTraceOrder[] = {"TraceHeader", "Bussiness"};

std::span<const std::string_view> OrderFor(std::string_view parent, PackageKind kind) {
  if (parent == "edXML") return kEdxmlRootOrder;
  if (parent == "edXMLEnvelope") return kEnvelopeOrder;
  if (parent == "edXMLHeader") return kHeaderOrder;
  if (parent == "TraceHeaderList") return kTraceOrder;
  if (parent == "MessageHeader") {
    return kind == PackageKind::kStatus ? std::span<const std::string_view>(kStatusHeaderOrder)
                                        : std::span<const std::string_view>(kDocumentHeaderOrder);
  }
  return {};
}

// Compiled schemas, built once per process from the embedded text. libxml2 allows concurrent
// validation with one compiled schema and one validation context per thread.
struct CompiledSchema {
  xmlSchemaPtr schema = nullptr;
  std::string error;
};

CompiledSchema Compile(std::string_view text) {
  CompiledSchema out;
  xmlSchemaParserCtxtPtr ctxt =
      xmlSchemaNewMemParserCtxt(text.data(), static_cast<int>(text.size()));
  out.schema = xmlSchemaParse(ctxt);
  xmlSchemaFreeParserCtxt(ctxt);
  if (!out.schema) out.error = "the embedded XSD does not compile";
  return out;
}

const CompiledSchema& SchemaFor(PackageKind kind) {
  static const CompiledSchema document = Compile(embedded::document_xsd);
  static const CompiledSchema status = Compile(embedded::status_xsd);
  return kind == PackageKind::kStatus ? status : document;
}

struct DocDeleter {
  void operator()(xmlDocPtr d) const { xmlFreeDoc(d); }
};

class TreeBuilder {
 public:
  TreeBuilder(const XmlDoc& xml, PackageKind kind, bool reorder)
      : xml_(xml), kind_(kind), reorder_(reorder) {}

  std::unique_ptr<xmlDoc, DocDeleter> Build() {
    std::unique_ptr<xmlDoc, DocDeleter> doc(xmlNewDoc(BAD_CAST "1.0"));
    XmlNode root = xml_.Root();
    xmlNodePtr r =
        xmlNewDocNode(doc.get(), nullptr, BAD_CAST std::string(root.local).c_str(), nullptr);
    xmlDocSetRootElement(doc.get(), r);
    root_ = r;
    Fill(r, root);
    return doc;
  }

 private:
  xmlNsPtr NsFor(std::string_view uri) {
    std::string u(uri.empty() ? kNamespace : uri);
    for (auto& [known, ns] : namespaces_) {
      if (known == u) return ns;
    }
    std::string prefix = "n" + std::to_string(namespaces_.size());
    xmlNsPtr ns = xmlNewNs(root_, BAD_CAST u.c_str(), BAD_CAST prefix.c_str());
    namespaces_.emplace_back(u, ns);
    return ns;
  }

  // Builds `out` as a copy of element `in`: namespace, attributes, text, children (recursion is
  // bounded by LoadXml's depth limit).
  void Fill(xmlNodePtr out, const XmlNode& in) {
    xmlSetNs(out, NsFor(in.ns));
    out->_private = in.node.internal_object();
    for (pugi::xml_attribute a : in.node.attributes()) {
      std::string_view name = a.name();
      if (name == "xmlns" || name.starts_with("xmlns:")) continue;
      if (size_t colon = name.find(':'); colon != std::string_view::npos) {
        // Prefixed attribute: resolve its namespace from the in-scope declarations.
        std::string prefix(name.substr(0, colon));
        for (const auto& [p, uri] : xml_.InScopeNamespaces(in.node)) {
          if (p == prefix) {
            xmlNewNsProp(out, NsFor(uri), BAD_CAST std::string(name.substr(colon + 1)).c_str(),
                         BAD_CAST a.value());
          }
        }
      } else {
        xmlNewProp(out, BAD_CAST a.name(), BAD_CAST a.value());
      }
    }
    for (pugi::xml_node c = in.node.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_pcdata && c.type() != pugi::node_cdata) continue;
      std::string_view text = c.value();
      // Whitespace-only text between elements is in the tree for C14N; the schema never saw it.
      if (c.type() == pugi::node_pcdata && XmlSpaceOnly(text)) continue;
      if (in.local == "ContentTransferEncoded" && text.size() > kMaxTextInTree) {
        size_t cut = kMaxTextInTree;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        text = text.substr(0, cut);
      }
      xmlNodeAddContentLen(out, BAD_CAST text.data(), static_cast<int>(text.size()));
    }
    std::vector<XmlNode> children = xml_.Children(in.node);
    if (reorder_) {
      std::span<const std::string_view> order = OrderFor(in.local, kind_);
      if (!order.empty()) {
        std::stable_sort(children.begin(), children.end(), [&](const XmlNode& a, const XmlNode& b) {
          auto rank = [&](const XmlNode& n) {
            int i = CanonicalIndex(order, n.local);
            return i < 0 ? static_cast<int>(order.size()) : i;
          };
          return rank(a) < rank(b);
        });
      }
    }
    for (const XmlNode& c : children) {
      xmlNodePtr child = xmlNewChild(out, nullptr, BAD_CAST std::string(c.local).c_str(), nullptr);
      Fill(child, c);
    }
  }

  const XmlDoc& xml_;
  PackageKind kind_;
  bool reorder_;
  xmlNodePtr root_ = nullptr;
  std::vector<std::pair<std::string, xmlNsPtr>> namespaces_;
};

// Lenient mode: supplies the children a receiver can do without and drops empty ResponseFor
// elements in the tree built for the XSD, recording each deviation as its interop WARN.
class InteropRepair {
 public:
  InteropRepair(const XmlDoc& xml, std::vector<Finding>* out) : xml_(xml), out_(out) {}

  void Walk(xmlNodePtr node) {
    for (xmlNodePtr c = node->children; c != nullptr;) {
      xmlNodePtr next = c->next;
      if (c->type == XML_ELEMENT_NODE) {
        if (!Visit(c)) Walk(c);
      }
      c = next;
    }
  }

 private:
  // True when `node` was removed.
  bool Visit(xmlNodePtr node) {
    std::string_view name = reinterpret_cast<const char*>(node->name);
    std::string_view parent =
        node->parent && node->parent->name ? reinterpret_cast<const char*>(node->parent->name) : "";
    if (parent != "MessageHeader") return false;
    if (name == "From" || name == "To") {
      Supply(node, {"OrganName"}, rules::kInteropOrgName, "?");
    } else if (name == "SignerInfo") {
      Supply(node, {"Competence", "Position"}, rules::kInteropSigner, "");
    } else if (name == "DocumentType") {
      Supply(node, {"TypeDetail"}, rules::kInteropTypeDetail, "0");
    } else if (name == "PromulgationInfo") {
      Supply(node, {"Place"}, rules::kInteropPlace, "");
    } else if (name == "ResponseFor" && Empty(node)) {
      Report(node, rules::kInteropEmptyResponseFor,
             "an empty ResponseFor names no document; ignored in lenient mode",
             "a ResponseFor with OrganId, Code, PromulgationDate and DocumentId, or none",
             "<ResponseFor/>");
      xmlUnlinkNode(node);
      xmlFreeNode(node);
      return true;
    }
    return false;
  }

  static bool Empty(xmlNodePtr node) {
    for (xmlNodePtr c = node->children; c != nullptr; c = c->next) {
      if (c->type == XML_ELEMENT_NODE) {
        if (!Empty(c)) return false;
      } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        for (const xmlChar* t = c->content; t && *t; ++t) {
          if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\n') return false;
        }
      }
    }
    return true;
  }

  void Supply(xmlNodePtr node, std::initializer_list<std::string_view> children,
              const RuleInfo& rule, const char* text) {
    std::string missing;
    for (std::string_view child : children) {
      bool present = false;
      for (xmlNodePtr c = node->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && child == reinterpret_cast<const char*>(c->name)) {
          present = true;
        }
      }
      if (present) continue;
      xmlNodePtr added =
          xmlNewChild(node, node->ns, BAD_CAST std::string(child).c_str(), BAD_CAST text);
      added->_private = nullptr;
      missing += (missing.empty() ? "" : " and ") + std::string(child);
    }
    if (missing.empty()) return;
    std::string name = reinterpret_cast<const char*>(node->name);
    Report(node, rule,
           name + " has no " + missing + ": the standard requires it, a receiver can do without",
           name + "/" + missing, "(absent)");
  }

  void Report(xmlNodePtr node, const RuleInfo& rule, std::string message, std::string expected,
              std::string actual) {
    Location where{"/", 0};
    pugi::xml_node source(static_cast<pugi::xml_node_struct*>(node->_private));
    if (source) where = {xml_.PathOf(source), xml_.Line(source)};
    out_->push_back(MakeFinding(rule, where, std::move(message), std::move(expected),
                                std::move(actual), Strictness::kLenient));
    out_->back().verdict = Verdict::kWarn;
  }

  const XmlDoc& xml_;
  std::vector<Finding>* out_;
};

struct ErrorSink {
  const XmlDoc* xml;
  std::vector<Finding>* out;
};

std::string CleanMessage(std::string message) {
  // libxml2 writes names as {namespace}local; the namespace is always edXML's, so drop it.
  for (std::string ns = "{" + std::string(kNamespace) + "}";;) {
    size_t at = message.find(ns);
    if (at == std::string::npos) break;
    message.erase(at, ns.size());
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

void OnSchemaError(void* ctx, xmlErrorPtr error) {
  auto* sink = static_cast<ErrorSink*>(ctx);
  Location where{"/", 0};
  if (error->node) {
    auto* node = static_cast<xmlNodePtr>(error->node);
    pugi::xml_node source(static_cast<pugi::xml_node_struct*>(node->_private));
    if (source) where = {sink->xml->PathOf(source), sink->xml->Line(source)};
  }
  std::string message = CleanMessage(error->message ? error->message : "schema error");
  sink->out->push_back(MakeFinding(rules::kXsd, where, "schema: " + message,
                                   "a structure allowed by the edXML schema", message));
}

}  // namespace

std::string_view SchemaText(PackageKind kind) {
  return kind == PackageKind::kStatus ? embedded::status_xsd : embedded::document_xsd;
}

std::vector<RuleInfo> InteropSchemaRules() {
  return {rules::kInteropOrgName, rules::kInteropSigner, rules::kInteropTypeDetail,
          rules::kInteropPlace, rules::kInteropEmptyResponseFor};
}

std::vector<Finding> ValidateSchema(const XmlDoc& xml, PackageKind kind, bool reorder,
                                    Strictness strictness) {
  std::vector<Finding> out;
  const CompiledSchema& schema = SchemaFor(kind);
  if (!schema.schema) {
    out.push_back(MakeFinding(rules::kXsd, {"/", 0}, schema.error));
    out.back().verdict = Verdict::kError;  // a fault of vxpkit, not of the package
    return out;
  }
  auto tree = TreeBuilder(xml, kind, reorder).Build();
  if (strictness == Strictness::kLenient) {
    InteropRepair(xml, &out).Walk(xmlDocGetRootElement(tree.get()));
  }
  xmlSchemaValidCtxtPtr ctxt = xmlSchemaNewValidCtxt(schema.schema);
  ErrorSink sink{&xml, &out};
  xmlSchemaSetValidStructuredErrors(ctxt, OnSchemaError, &sink);
  xmlSchemaValidateDoc(ctxt, tree.get());
  xmlSchemaFreeValidCtxt(ctxt);
  return out;
}

}  // namespace vxp::edxml
