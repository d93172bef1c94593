#include "core/edxml/relay.h"

#include <pugixml.hpp>
#include <sstream>
#include <vector>

#include "core/edxml/base64.h"
#include "core/edxml/model.h"
#include "core/edxml/zip.h"

namespace vxp::edxml {
namespace {

constexpr std::string_view kDsig = "http://www.w3.org/2000/09/xmldsig#";

std::string_view Local(pugi::xml_node n) {
  std::string_view name = n.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view Prefix(pugi::xml_node n) {
  std::string_view name = n.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? std::string_view() : name.substr(0, colon);
}

pugi::xml_node Child(pugi::xml_node parent, std::string_view local) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && Local(c) == local) return c;
  }
  return {};
}

// The namespace URI of element `n` (its prefix resolved through the ancestors' declarations).
std::string NamespaceOf(pugi::xml_node n) {
  std::string attr = Prefix(n).empty() ? "xmlns" : "xmlns:" + std::string(Prefix(n));
  for (pugi::xml_node p = n; p; p = p.parent()) {
    if (pugi::xml_attribute a = p.attribute(attr.c_str())) return a.value();
  }
  return "";
}

// A new element named like its siblings (same prefix as `like`).
std::string NameLike(pugi::xml_node like, std::string_view local) {
  std::string_view prefix = Prefix(like);
  return prefix.empty() ? std::string(local) : std::string(prefix) + ":" + std::string(local);
}

void MoveToNamespace(pugi::xml_node n, bool top) {
  std::string local(Local(n));
  n.set_name(local.c_str());
  std::vector<pugi::xml_attribute> declarations;
  for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
    std::string_view name = a.name();
    if (name == "xmlns" || (name.starts_with("xmlns:") && a.value() == kDsig)) {
      declarations.push_back(a);
    }
  }
  for (pugi::xml_attribute a : declarations) n.remove_attribute(a);
  if (top) n.prepend_attribute("xmlns") = std::string(kNamespace).c_str();
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) MoveToNamespace(c, false);
  }
}

void Reorder(pugi::xml_node header) {
  if (pugi::xml_node id = Child(header, "DocumentId")) header.prepend_move(id);
  pugi::xml_node signer = Child(header, "SignerInfo");
  if (!signer) return;
  pugi::xml_node content = Child(header, "Content");
  if (content) header.insert_move_after(content, signer);
  if (pugi::xml_node subject = Child(header, "Subject")) header.insert_move_after(subject, signer);
}

// Each where the canonical order has it, so only emptiness differs.
void EmptyElements(pugi::xml_node header) {
  pugi::xml_node like = Child(header, "Subject");
  auto add_after = [&](std::string_view local, std::string_view after) {
    if (Child(header, local)) return;
    std::string name = NameLike(like ? like : header, local);
    if (pugi::xml_node anchor = Child(header, after)) {
      header.insert_child_after(name.c_str(), anchor);
    }
  };
  add_after("Content", "Subject");
  add_after("DueDate", "SignerInfo");
  if (!Child(header, "ResponseFor")) {
    std::string name = NameLike(like ? like : header, "ResponseFor");
    pugi::xml_node before = Child(header, "SteeringType");
    if (!before) before = Child(header, "DocumentId");
    if (before) header.insert_child_before(name.c_str(), before);
  }
}

Result<bool> ZipPdfs(pugi::xml_node root, pugi::xml_node envelope) {
  pugi::xml_node encoded = Child(root, "AttachmentEncoded");
  pugi::xml_node manifest;
  if (pugi::xml_node body = Child(envelope, "edXMLBody")) manifest = Child(body, "edXMLManifest");
  for (pugi::xml_node a = encoded.first_child(); a; a = a.next_sibling()) {
    if (a.type() != pugi::node_element || Local(a) != "Attachment") continue;
    pugi::xml_node text = Child(a, "ContentTransferEncoded");
    auto content = DecodeBase64ToString(text.text().get());
    if (!content || !content->starts_with("%PDF-")) continue;
    pugi::xml_node name_node = Child(a, "AttachmentName");
    std::string name = name_node ? name_node.text().get() : "van-ban.pdf";
    auto zip = ZipOne(name, *content);
    if (!zip) return tl::unexpected(zip.error());
    text.text().set(EncodeBase64(*zip).c_str());
    if (name_node) name_node.text().set((name + ".zip").c_str());
    for (std::string_view field : {"ContentType", "MimeType", "Format"}) {
      if (pugi::xml_node f = Child(a, field)) f.text().set("application/zip");
    }
    std::string cid = Child(a, "ContentId").text().get();
    if (cid.starts_with("cid:")) cid = cid.substr(4);
    for (pugi::xml_node r = manifest.first_child(); r; r = r.next_sibling()) {
      if (r.type() != pugi::node_element || Local(r) != "Reference") continue;
      std::string rcid = Child(r, "ContentId").text().get();
      if (rcid.starts_with("cid:")) rcid = rcid.substr(4);
      if (rcid != cid) continue;
      if (pugi::xml_node f = Child(r, "ContentType")) f.text().set("application/zip");
      if (pugi::xml_node f = Child(r, "AttachmentName")) f.text().set((name + ".zip").c_str());
    }
  }
  return true;
}

}  // namespace

std::string RelayShape::Describe() const {
  std::string out;
  auto add = [&](bool on, std::string_view what) {
    if (on) out += (out.empty() ? "" : ", ") + std::string(what);
  };
  add(reorder, "MessageHeader reordered (DocumentId first, Subject after SignerInfo)");
  add(empty_elements, "empty optional elements (<DueDate/>, <ResponseFor/>, <Content/>)");
  add(vnpt_signature, "the Signature in the edXML namespace (VNPT form)");
  add(zip_pdf, "the PDF inside a ZIP (application/zip)");
  add(!trace_organ_id.empty(), "a TraceHeader appended by the hub (" + trace_organ_id + ")");
  return out.empty() ? "unchanged" : out;
}

Result<std::string> Relay(std::string_view bytes, const RelayShape& shape) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed =
      doc.load_buffer(bytes.data(), bytes.size(), pugi::parse_default & ~pugi::parse_doctype);
  pugi::xml_node root = doc.document_element();
  if (!parsed || Local(root) != "edXML" || NamespaceOf(root) != kNamespace) {
    return MakeError("edxml.relay", "not an edXML package");
  }
  pugi::xml_node envelope = Child(root, "edXMLEnvelope");
  pugi::xml_node header_block = Child(envelope, "edXMLHeader");
  pugi::xml_node header = Child(header_block, "MessageHeader");
  if (!header || Child(header, "StatusCode")) {
    return MakeError("edxml.relay",
                     "not an edXML document package (a status, or no MessageHeader)");
  }
  if (shape.reorder) Reorder(header);
  if (shape.empty_elements) EmptyElements(header);
  if (shape.vnpt_signature) {
    for (pugi::xml_node c = header_block.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element && Local(c) == "Signature" && NamespaceOf(c) == kDsig) {
        MoveToNamespace(c, true);
      }
    }
  }
  if (shape.zip_pdf) {
    if (auto z = ZipPdfs(root, envelope); !z) {
      return MakeError("edxml.relay", "zipping an attachment: " + z.error().message);
    }
  }
  if (!shape.trace_organ_id.empty()) {
    pugi::xml_node list = Child(header_block, "TraceHeaderList");
    if (!list)
      list = header_block.insert_child_after(NameLike(header, "TraceHeaderList").c_str(), header);
    pugi::xml_node business = Child(list, "Bussiness");
    pugi::xml_node trace =
        business ? list.insert_child_before(NameLike(header, "TraceHeader").c_str(), business)
                 : list.append_child(NameLike(header, "TraceHeader").c_str());
    trace.append_child(NameLike(header, "OrganId").c_str())
        .text()
        .set(shape.trace_organ_id.c_str());
    trace.append_child(NameLike(header, "Timestamp").c_str())
        .text()
        .set(shape.trace_timestamp.c_str());
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace vxp::edxml
