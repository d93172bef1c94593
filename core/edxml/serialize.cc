#include "core/edxml/serialize.h"

#include <pugixml.hpp>
#include <sstream>

namespace vxp::edxml {
namespace {

// Appends elements named `<prefix><name>`.
class Writer {
 public:
  explicit Writer(std::string prefix) : prefix_(std::move(prefix)) {}

  pugi::xml_node Add(pugi::xml_node parent, std::string_view name) const {
    return parent.append_child((prefix_ + std::string(name)).c_str());
  }
  void Text(pugi::xml_node parent, std::string_view name, std::string_view value) const {
    Add(parent, name).text().set(value.data(), value.size());
  }
  void Opt(pugi::xml_node parent, std::string_view name, const OptText& value) const {
    if (value) Text(parent, name, *value);
  }
  void List(pugi::xml_node parent, std::string_view list, std::string_view item,
            const std::optional<std::vector<std::string>>& values) const {
    if (!values) return;
    pugi::xml_node l = Add(parent, list);
    for (const auto& v : *values) Text(l, item, v);
  }

  void Organization(pugi::xml_node parent, std::string_view name,
                    const edxml::Organization& o) const {
    pugi::xml_node n = Add(parent, name);
    Text(n, "OrganId", o.organ_id);
    Opt(n, "OrganizationInCharge", o.organization_in_charge);
    Text(n, "OrganName", o.organ_name);
    Opt(n, "OrganAdd", o.organ_add);
    Opt(n, "Email", o.email);
    Opt(n, "Telephone", o.telephone);
    Opt(n, "Fax", o.fax);
    Opt(n, "Website", o.website);
  }

  void ResponseFor(pugi::xml_node parent, const edxml::ResponseFor& r) const {
    pugi::xml_node n = Add(parent, "ResponseFor");
    Text(n, "OrganId", r.organ_id);
    Text(n, "Code", r.code);
    Text(n, "PromulgationDate", r.promulgation_date);
    Text(n, "DocumentId", r.document_id);
  }

  void StaffInfo(pugi::xml_node parent, const std::optional<edxml::StaffInfo>& s) const {
    if (!s) return;
    pugi::xml_node n = Add(parent, "StaffInfo");
    Opt(n, "Department", s->department);
    Opt(n, "Staff", s->staff);
    Opt(n, "Email", s->email);
    Opt(n, "Mobile", s->mobile);
  }

  void Document(pugi::xml_node h, const DocumentHeader& d) const {
    Organization(h, "From", d.from);
    for (const auto& t : d.to) Organization(h, "To", t);
    pugi::xml_node code = Add(h, "Code");
    Text(code, "CodeNumber", d.code.code_number);
    Text(code, "CodeNotation", d.code.code_notation);
    pugi::xml_node pi = Add(h, "PromulgationInfo");
    Text(pi, "Place", d.promulgation_info.place);
    Text(pi, "PromulgationDate", d.promulgation_info.promulgation_date);
    pugi::xml_node dt = Add(h, "DocumentType");
    Text(dt, "Type", d.document_type.type);
    Text(dt, "TypeDetail", d.document_type.type_detail);
    Text(dt, "TypeName", d.document_type.type_name);
    Text(h, "Subject", d.subject);
    Opt(h, "Content", d.content);
    pugi::xml_node si = Add(h, "SignerInfo");
    Text(si, "Competence", d.signer_info.competence);
    Text(si, "Position", d.signer_info.position);
    Text(si, "FullName", d.signer_info.full_name);
    Opt(h, "DueDate", d.due_date);
    List(h, "ToPlaces", "Place", d.to_places);
    if (const auto& o = d.other_info) {
      pugi::xml_node n = Add(h, "OtherInfo");
      Opt(n, "Priority", o->priority);
      Opt(n, "SphereOfPromulgation", o->sphere_of_promulgation);
      Opt(n, "TyperNotation", o->typer_notation);
      Opt(n, "PromulgationAmount", o->promulgation_amount);
      Opt(n, "PageAmount", o->page_amount);
      List(n, "Appendixes", "Appendix", o->appendixes);
      Opt(n, "Direction", o->direction);
    }
    for (const auto& r : d.response_for) ResponseFor(h, r);
    Opt(h, "SteeringType", d.steering_type);
    Text(h, "DocumentId", d.document_id);
  }

  void Status(pugi::xml_node h, const StatusHeader& s) const {
    Organization(h, "From", s.from);
    ResponseFor(h, s.response_for);
    StaffInfo(h, s.staff_info);
    Text(h, "StatusCode", s.status_code);
    Opt(h, "Description", s.description);
    Text(h, "Timestamp", s.timestamp);
  }

  void Trace(pugi::xml_node header, const TraceHeaderList& t) const {
    pugi::xml_node n = Add(header, "TraceHeaderList");
    for (const auto& th : t.trace_headers) {
      pugi::xml_node e = Add(n, "TraceHeader");
      Opt(e, "OrganId", th.organ_id);
      Text(e, "Timestamp", th.timestamp);
    }
    if (!t.business) return;
    const Business& b = *t.business;
    pugi::xml_node bn = Add(n, "Bussiness");
    Text(bn, "BussinessDocType", b.business_doc_type);
    Opt(bn, "DocumentId", b.document_id);
    Opt(bn, "BussinessDocReason", b.business_doc_reason);
    Opt(bn, "Paper", b.paper);
    StaffInfo(bn, b.staff_info);
    if (const auto& info = b.business_document_info) {
      pugi::xml_node in = Add(bn, "BussinessDocumentInfo");
      Text(in, "DocumentInfo", info->document_info);
      Text(in, "DocumentReceiver", info->document_receiver);
      if (info->receiver_list) {
        pugi::xml_node rl = Add(in, "ReceiverList");
        for (const auto& r : *info->receiver_list) {
          pugi::xml_node rn = Add(rl, "Receiver");
          Text(rn, "OrganId", r.organ_id);
          Text(rn, "ReceiverType", r.receiver_type);
        }
      }
    }
    if (const auto& list = b.replacement_info_list) {
      pugi::xml_node ln = Add(bn, "ReplacementInfoList");
      for (const auto& r : *list) {
        pugi::xml_node rn = Add(ln, "ReplacementInfo");
        Text(rn, "DocumentId", r.document_id);
        pugi::xml_node ol = Add(rn, "OrganIdList");
        for (const auto& id : r.organ_ids) Text(ol, "OrganId", id);
      }
    }
  }

 private:
  std::string prefix_;
};

}  // namespace

Result<std::string> Serialize(const Package& package) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("edXML");
  const std::string ns(kNamespace);
  root.append_attribute("xmlns") = ns.c_str();
  root.append_attribute("xmlns:edXML") = ns.c_str();
  const Writer w("edXML:");

  pugi::xml_node envelope = w.Add(root, "edXMLEnvelope");
  pugi::xml_node header = w.Add(envelope, "edXMLHeader");
  pugi::xml_node mh = w.Add(header, "MessageHeader");
  if (const DocumentHeader* d = package.document()) {
    w.Document(mh, *d);
  } else {
    w.Status(mh, *package.status());
  }
  if (package.trace_header_list) w.Trace(header, *package.trace_header_list);
  if (package.signature_xml) {
    pugi::xml_document sig;
    if (!sig.load_buffer(package.signature_xml->data(), package.signature_xml->size(),
                         pugi::parse_default, pugi::encoding_utf8) ||
        !sig.document_element()) {
      return MakeError("edxml.signature-xml",
                       "the Signature XML kept in the model is not "
                       "well-formed and cannot be written");
    }
    header.append_copy(sig.document_element());
  }
  if (const auto& m = package.manifest) {
    pugi::xml_node body = w.Add(envelope, "edXMLBody");
    pugi::xml_node mn = w.Add(body, "edXMLManifest");
    if (m->version) mn.append_attribute("version") = m->version->c_str();
    bool xlink = false;
    for (const auto& r : m->references) {
      pugi::xml_node rn = w.Add(mn, "Reference");
      if (r.href) {
        rn.append_attribute("xlink:href") = r.href->c_str();
        xlink = true;
      }
      w.Text(rn, "ContentId", r.content_id);
      w.Opt(rn, "ContentType", r.content_type);
      w.Opt(rn, "Description", r.description);
      w.Opt(rn, "AttachmentName", r.attachment_name);
    }
    if (xlink) root.append_attribute("xmlns:xlink") = std::string(kXlinkNamespace).c_str();
  }
  if (!package.attachments.empty()) {
    const Writer plain("");
    pugi::xml_node encoded = plain.Add(root, "AttachmentEncoded");
    for (const auto& a : package.attachments) {
      pugi::xml_node an = plain.Add(encoded, "Attachment");
      plain.Text(an, "ContentId", a.content_id);
      plain.Opt(an, "AttachmentName", a.attachment_name);
      plain.Opt(an, "Description", a.description);
      plain.Opt(an, "MimeType", a.mime_type);
      plain.Opt(an, "Format", a.format);
      plain.Opt(an, "ContentType", a.content_type);
      plain.Text(an, "ContentTransferEncoded", a.content_base64);
    }
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out.str();
}

std::string_view StripCid(std::string_view content_id) {
  if (content_id.starts_with("cid:")) content_id.remove_prefix(4);
  return content_id;
}

}  // namespace vxp::edxml
