// The edXML package model (QCVN 102:2016, edxml.md §1-§6) as plain values.
//
// Every leaf is kept as the text found in the package (std::string), and optional elements as
// std::optional, so that the model can represent any package a vendor sends — invalid ones
// included — and the rules can say exactly what was found. Typed views (dates, codes) come from
// helper functions, not from the model. Attachment payloads stay base64 text and are decoded on
// demand (see base64.h), so a large package is never held decoded in memory as a whole; the
// parser does not even copy a large payload: it stays a view of the parsed document's buffer
// (SharedText). Values are copyable and comparable; no type here does I/O.
#ifndef VXP_CORE_EDXML_MODEL_H_
#define VXP_CORE_EDXML_MODEL_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vxp::edxml {

inline constexpr std::string_view kNamespace = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
inline constexpr std::string_view kXmlDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr std::string_view kXlinkNamespace = "http://www.w3.org/1999/xlink";

using Text = std::string;
using OptText = std::optional<std::string>;

// Text that is either its own or a view of a buffer it keeps alive (the parsed document's, for an
// attachment's base64: up to the package's size, not copied). Copies share the text; it is never
// changed in place (assign a new value). Reads as a std::string_view.
class SharedText {
 public:
  SharedText() = default;
  SharedText(std::string text)  // NOLINT(google-explicit-constructor): assigned as a string is
      : SharedText(std::make_shared<const std::string>(std::move(text))) {}
  SharedText(const char* text) : SharedText(std::string(text)) {}  // NOLINT: as above
  // A view of `text`, which `owner` keeps alive.
  SharedText(std::shared_ptr<const void> owner, std::string_view text)
      : owner_(std::move(owner)), view_(text) {}
  // Copies share; there is no move, so that no moved-from value is left viewing a lost owner.
  SharedText(const SharedText&) = default;
  SharedText& operator=(const SharedText&) = default;

  operator std::string_view() const { return view_; }  // NOLINT(google-explicit-constructor)
  std::string_view view() const { return view_; }
  std::string str() const { return std::string(view_); }
  size_t size() const { return view_.size(); }
  bool empty() const { return view_.empty(); }
  std::string_view::const_iterator begin() const { return view_.begin(); }
  std::string_view::const_iterator end() const { return view_.end(); }
  bool operator==(const SharedText& other) const { return view_ == other.view_; }

 private:
  explicit SharedText(std::shared_ptr<const std::string> own) : owner_(own), view_(*own) {}
  std::shared_ptr<const void> owner_;
  std::string_view view_;
};

// From, To (1.1, 1.2). OrganId and OrganName are required; the rest optional.
struct Organization {
  Text organ_id;
  OptText organization_in_charge;
  Text organ_name;
  OptText organ_add;
  OptText email;
  OptText telephone;
  OptText fax;
  OptText website;
  bool operator==(const Organization&) const = default;
};

struct Code {  // 1.3
  Text code_number;
  Text code_notation;
  bool operator==(const Code&) const = default;
};

struct PromulgationInfo {  // 1.4
  Text place;
  Text promulgation_date;  // yyyy/MM/dd
  bool operator==(const PromulgationInfo&) const = default;
};

struct DocumentType {  // 1.5
  Text type;           // "1" or "2"
  Text type_detail;    // integer
  Text type_name;      // e.g. "Công văn"
  bool operator==(const DocumentType&) const = default;
};

struct SignerInfo {  // 1.8
  Text competence;
  Text position;
  Text full_name;
  bool operator==(const SignerInfo&) const = default;
};

struct OtherInfo {   // 1.11
  OptText priority;  // 0..4
  OptText sphere_of_promulgation;
  OptText typer_notation;
  OptText promulgation_amount;
  OptText page_amount;                          // unsigned 16-bit
  std::optional<std::vector<Text>> appendixes;  // Appendixes/Appendix*
  OptText direction;                            // boolean
  bool operator==(const OtherInfo&) const = default;
};

struct ResponseFor {  // 1.12 and the status header's ResponseFor
  Text organ_id;
  Text code;  // Number/Notation
  Text promulgation_date;
  Text document_id;
  bool operator==(const ResponseFor&) const = default;
};

// MessageHeader of a document package (clauses 1.1-1.14).
struct DocumentHeader {
  Organization from;
  std::vector<Organization> to;
  Code code;
  PromulgationInfo promulgation_info;
  DocumentType document_type;
  Text subject;
  OptText content;
  SignerInfo signer_info;
  OptText due_date;
  std::optional<std::vector<Text>> to_places;  // ToPlaces/Place*
  std::optional<OtherInfo> other_info;
  std::vector<ResponseFor> response_for;
  OptText steering_type;
  Text document_id;
  bool operator==(const DocumentHeader&) const = default;
};

struct StaffInfo {
  OptText department;
  OptText staff;
  OptText email;
  OptText mobile;
  bool operator==(const StaffInfo&) const = default;
};

// MessageHeader of a status package (edxml.md §4).
struct StatusHeader {
  Organization from;
  ResponseFor response_for;
  std::optional<StaffInfo> staff_info;
  Text status_code;  // two digits
  OptText description;
  Text timestamp;  // yyyy/MM/dd HH:mm:ss
  bool operator==(const StatusHeader&) const = default;
};

struct TraceHeader {
  OptText organ_id;  // the hub sometimes appends one with only a Timestamp
  Text timestamp;
  bool operator==(const TraceHeader&) const = default;
};

struct Receiver {  // update: ReceiverList/Receiver
  Text organ_id;
  Text receiver_type;  // 0 removed, 1 added
  bool operator==(const Receiver&) const = default;
};

struct BusinessDocumentInfo {  // update (BussinessDocType 2)
  Text document_info;          // 0/1: metadata changed
  Text document_receiver;      // 0/1: recipients changed
  std::optional<std::vector<Receiver>> receiver_list;
  bool operator==(const BusinessDocumentInfo&) const = default;
};

struct ReplacementInfo {  // replace (BussinessDocType 3)
  Text document_id;
  std::vector<Text> organ_ids;  // OrganIdList/OrganId*
  bool operator==(const ReplacementInfo&) const = default;
};

// `Bussiness`, spelled as in the standard.
struct Business {
  Text business_doc_type;  // 0 new, 1 revoke, 2 update, 3 replace
  OptText document_id;     // the earlier document acted on (1/2/3)
  OptText business_doc_reason;
  OptText paper;  // 0/1
  std::optional<StaffInfo> staff_info;
  std::optional<BusinessDocumentInfo> business_document_info;
  std::optional<std::vector<ReplacementInfo>> replacement_info_list;
  bool operator==(const Business&) const = default;
};

struct TraceHeaderList {
  std::vector<TraceHeader> trace_headers;
  std::optional<Business> business;
  bool operator==(const TraceHeaderList&) const = default;
};

struct Reference {  // edXMLManifest/Reference
  Text content_id;  // cid:<id>
  OptText content_type;
  OptText description;
  OptText attachment_name;
  OptText href;  // xlink:href
  bool operator==(const Reference&) const = default;
};

struct Manifest {
  OptText version;  // @version, "1.0"
  std::vector<Reference> references;
  bool operator==(const Manifest&) const = default;
};

struct Attachment {  // AttachmentEncoded/Attachment
  Text content_id;   // with or without "cid:"
  OptText attachment_name;
  OptText description;
  OptText mime_type;
  OptText format;
  OptText content_type;
  SharedText content_base64;  // ContentTransferEncoded, as found (not decoded)
  bool operator==(const Attachment&) const = default;
};

enum class PackageKind { kDocument, kStatus };

struct Package {
  std::variant<DocumentHeader, StatusHeader> header;
  std::optional<TraceHeaderList> trace_header_list;
  // edXMLHeader/Signature as standalone XML text (in-scope namespace declarations copied onto
  // it), for the signing layer; nullopt when the package has none.
  OptText signature_xml;
  std::optional<Manifest> manifest;  // edXMLBody/edXMLManifest
  std::vector<Attachment> attachments;
  bool operator==(const Package&) const = default;

  PackageKind kind() const {
    return std::holds_alternative<StatusHeader>(header) ? PackageKind::kStatus
                                                        : PackageKind::kDocument;
  }
  const DocumentHeader* document() const { return std::get_if<DocumentHeader>(&header); }
  const StatusHeader* status() const { return std::get_if<StatusHeader>(&header); }
  DocumentHeader* document() { return std::get_if<DocumentHeader>(&header); }
  StatusHeader* status() { return std::get_if<StatusHeader>(&header); }
};

// The content id with a leading "cid:" removed (edxml.md §6 matching rule).
std::string_view StripCid(std::string_view content_id);

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_MODEL_H_
