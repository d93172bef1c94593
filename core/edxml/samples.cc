#include "core/edxml/samples.h"

#include "core/edxml/base64.h"

namespace vxp::edxml::samples {
namespace {

Organization Agency(std::string_view id) {
  Organization o;
  o.organ_id = std::string(id);
  if (id == kSender) {
    o.organ_name = "Văn phòng Chính phủ";
    o.organ_add = "16 Lê Hồng Phong, Ba Đình, Hà Nội";
    o.email = "vanthu@chinhphu.vn";
    o.telephone = "0804 3458";
  } else {
    o.organ_name = "Ủy ban nhân dân tỉnh Tây Ninh";
    o.organ_add = "83 Phạm Tung, Phường 3, Tây Ninh";
    o.email = "vanthu@tayninh.gov.vn";
  }
  return o;
}

constexpr std::string_view kPdf =
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

}  // namespace

Package Document(std::string_view attachment) {
  DocumentHeader d;
  d.from = Agency(kSender);
  d.to.push_back(Agency(kRecipient));
  d.code = Code{"7816", "VPCP-TTĐT"};
  d.promulgation_info = PromulgationInfo{"Hà Nội", std::string(kDate)};
  d.document_type = DocumentType{"1", "2", "Công văn"};
  d.subject = "V/v triển khai kết nối, liên thông văn bản điện tử";
  d.content = "Đề nghị các cơ quan triển khai kết nối trước ngày 31/12/2026.";
  d.signer_info = SignerInfo{"KT. BỘ TRƯỞNG, CHỦ NHIỆM", "Phó Chủ nhiệm", "Nguyễn Văn A"};
  d.due_date = "2026/12/31";
  d.to_places = std::vector<std::string>{"Như trên", "Lưu: VT, TTĐT"};
  d.other_info = OtherInfo{"1", "Cơ quan nhà nước", "TTĐT", "5", "2", std::nullopt, "false"};
  d.steering_type = "1";
  d.document_id = std::string(kDocumentId);

  Package p;
  p.header = std::move(d);
  p.trace_header_list =
      TraceHeaderList{{TraceHeader{std::string(kSender), "2026/11/20 08:30:00"}}, std::nullopt};
  p.manifest = Manifest{"1.0",
                        {Reference{"cid:file1", "application/pdf", "Văn bản chính",
                                   "7816-VPCP-TTDT.pdf", std::nullopt}}};
  p.attachments.push_back(Attachment{"file1", "7816-VPCP-TTDT.pdf", "Văn bản chính",
                                     "application/pdf", "pdf", std::nullopt,
                                     EncodeBase64(attachment.empty() ? kPdf : attachment)});
  return p;
}

Package BusinessDocument(int business_type) {
  Package p = Document();
  if (business_type == 0) return p;
  DocumentHeader& d = *p.document();
  d.code = Code{"7901", "VPCP-TTĐT"};
  d.promulgation_info.promulgation_date = "2026/11/21";
  d.document_id = "000.00.00.G22,2026/11/21,7901/VPCP-TTĐT";
  Business b;
  b.business_doc_type = std::to_string(business_type);
  b.document_id = std::string(kDocumentId);
  b.paper = "0";
  b.staff_info = StaffInfo{"Văn thư", "Trần Thị B", "vanthu@chinhphu.vn", "0912345678"};
  switch (business_type) {
    case 1:
      b.business_doc_reason = "Thu hồi do ban hành nhầm";
      d.response_for.push_back(ResponseFor{std::string(kSender), "7816/VPCP-TTĐT",
                                           std::string(kDate), std::string(kDocumentId)});
      break;
    case 2:
      b.business_doc_reason = "Cập nhật nơi nhận";
      b.business_document_info =
          BusinessDocumentInfo{"0", "1", std::vector<Receiver>{Receiver{"000.00.00.H41", "1"}}};
      break;
    default:
      b.business_doc_reason = "Thay thế văn bản có sai sót";
      b.replacement_info_list = std::vector<ReplacementInfo>{
          ReplacementInfo{std::string(kDocumentId), {std::string(kRecipient)}}};
      break;
  }
  p.trace_header_list->business = std::move(b);
  return p;
}

Package Status(std::string_view code) {
  const bool from_sender = code == "13";
  StatusHeader s;
  s.from = Agency(from_sender ? kSender : kRecipient);
  s.response_for = ResponseFor{std::string(from_sender ? kRecipient : kSender), "7816/VPCP-TTĐT",
                               std::string(kDate), std::string(kDocumentId)};
  s.staff_info = StaffInfo{"Văn thư", "Lê Văn C", "vanthu@tayninh.gov.vn", "0987654321"};
  s.status_code = std::string(code);
  if (code == "02") s.description = "Văn bản không có chữ ký số hợp lệ";
  if (code == "13") s.description = "Gửi nhầm nơi nhận";
  if (code == "16") s.description = "Văn bản đã được xử lý xong";
  s.timestamp = "2026/11/20 09:00:00";
  Package p;
  p.header = std::move(s);
  return p;
}

}  // namespace vxp::edxml::samples
