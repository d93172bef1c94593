#include "core/edxml/rules.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/agency/agency_id.h"
#include "core/edxml/base64.h"
#include "core/lifecycle/lifecycle.h"

namespace vxp::edxml {
namespace rules {
namespace {
constexpr std::string_view kHdr = "QCVN 102:2016/BTTTT §2";
constexpr std::string_view kLen =
    "QCVN 102:2016/BTTTT §2 length table (observed: as a provincial validator copies it)";
}  // namespace

// Organisations (From, To).
inline constexpr RuleInfo kOrgName{"EDXML-ORG-NAME", Level::kMust, kHdr,
                                   "An Organization (From, To) has a non-empty OrganName.",
                                   "<OrganName/>"};
inline constexpr RuleInfo kOrgEmail{"EDXML-ORG-EMAIL", Level::kShould, kHdr,
                                    "An Organization's Email, when given, is an e-mail address.",
                                    "<Email>vanthu at tayninh</Email>"};
inline constexpr RuleInfo kOrgLength{"EDXML-ORG-LENGTH", Level::kShould, kLen,
                                     "Organization fields respect the standard's lengths "
                                     "(OrganizationInCharge, OrganName ≤200, OrganAdd ≤250, "
                                     "Email ≤100, Telephone ≤20, Fax ≤20).",
                                     "an OrganName of 300 characters"};
// MessageHeader of a document.
inline constexpr RuleInfo kToDuplicate{"EDXML-HDR-1.2-TO-DUP", Level::kMust,
                                       "QCVN 102:2016/BTTTT §2 (1.2)",
                                       "Each addressee appears once in To (no duplicate OrganId).",
                                       "two <To> with OrganId 000.00.00.H41"};
inline constexpr RuleInfo kCode{"EDXML-HDR-1.3-CODE", Level::kMust, kHdr,
                                "Code has a non-empty CodeNumber and CodeNotation.",
                                "<CodeNotation/>"};
inline constexpr RuleInfo kCodeLength{"EDXML-HDR-1.3-LENGTH", Level::kShould, kLen,
                                      "CodeNumber ≤11 and CodeNotation ≤30 characters.",
                                      "a 40-character CodeNotation"};
inline constexpr RuleInfo kPromulgationDate{
    "EDXML-HDR-1.4-DATE", Level::kMust, "QCVN 102:2016/BTTTT §2 (1.4)",
    "PromulgationDate is a real date written yyyy/MM/dd.", "2026-11-21, or 2026/02/30"};
inline constexpr RuleInfo kFuture{
    "EDXML-HDR-1.4-FUTURE", Level::kMust, "QCVN 102:2016/BTTTT §2 (1.4)",
    "PromulgationDate is not after the day the package is judged.", "a PromulgationDate next year"};
inline constexpr RuleInfo kPlaceLength{"EDXML-HDR-1.4-LENGTH", Level::kShould, kLen,
                                       "Place ≤50 characters.", "a 60-character Place"};
inline constexpr RuleInfo kType{"EDXML-HDR-1.5-TYPE", Level::kMust, kHdr,
                                "DocumentType/Type is 1 or 2 and TypeDetail is an integer.",
                                "<Type>5</Type>"};
inline constexpr RuleInfo kTypeLength{"EDXML-HDR-1.5-LENGTH", Level::kShould, kLen,
                                      "TypeName ≤100 characters.", "a 120-character TypeName"};
inline constexpr RuleInfo kSubject{"EDXML-HDR-1.6-SUBJECT", Level::kMust, kHdr,
                                   "Subject (trích yếu) is not empty.", "<Subject> </Subject>"};
inline constexpr RuleInfo kSubjectLength{"EDXML-HDR-1.6-LENGTH", Level::kShould, kLen,
                                         "Subject ≤500 characters.", "a 600-character Subject"};
inline constexpr RuleInfo kContentLength{"EDXML-HDR-1.7-LENGTH", Level::kShould, kLen,
                                         "Content ≤500 characters.", "a 600-character Content"};
inline constexpr RuleInfo kSigner{"EDXML-HDR-1.8-SIGNER", Level::kMust, kHdr,
                                  "SignerInfo names the signer (FullName not empty).",
                                  "<FullName/>"};
inline constexpr RuleInfo kSignerLength{"EDXML-HDR-1.8-LENGTH", Level::kShould, kLen,
                                        "Competence ≤100, Position ≤100, FullName ≤50 characters.",
                                        "a 70-character FullName"};
inline constexpr RuleInfo kDueDate{"EDXML-HDR-1.9-DUEDATE", Level::kMust, kHdr,
                                   "DueDate, when given, is a real date written yyyy/MM/dd.",
                                   "<DueDate>31/12/2026</DueDate>"};
inline constexpr RuleInfo kToPlacesLength{"EDXML-HDR-1.10-LENGTH", Level::kShould, kLen,
                                          "Each ToPlaces/Place ≤150 characters.",
                                          "a 200-character Place"};
inline constexpr RuleInfo kPriority{"EDXML-HDR-1.11-PRIORITY", Level::kMust,
                                    "QCVN 102:2016/BTTTT §2 (1.11)",
                                    "Priority is 0 (thường), 1 (khẩn), 2 (thượng khẩn), "
                                    "3 (hỏa tốc) or 4 (hỏa tốc hẹn giờ).",
                                    "<Priority>7</Priority>"};
inline constexpr RuleInfo kAmounts{"EDXML-HDR-1.11-AMOUNTS", Level::kMust, kHdr,
                                   "PromulgationAmount is a non-negative integer and PageAmount "
                                   "an unsigned 16-bit integer.",
                                   "<PageAmount>70000</PageAmount>"};
inline constexpr RuleInfo kDirection{"EDXML-HDR-1.11-DIRECTION", Level::kMust, kHdr,
                                     "Direction is a boolean (true, false, 1 or 0).",
                                     "<Direction>yes</Direction>"};
inline constexpr RuleInfo kOtherLength{"EDXML-HDR-1.11-LENGTH", Level::kShould, kLen,
                                       "SphereOfPromulgation ≤100, TyperNotation ≤10, "
                                       "Appendix ≤250 characters.",
                                       "a 20-character TyperNotation"};
inline constexpr RuleInfo kResponseFor{"EDXML-HDR-1.12-RESPONSEFOR", Level::kMust, kHdr,
                                       "A ResponseFor names the document answered: a DocumentId "
                                       "and a PromulgationDate written yyyy/MM/dd.",
                                       "<ResponseFor> with an empty DocumentId"};
inline constexpr RuleInfo kSteering{
    "EDXML-HDR-1.13-STEERING", Level::kMust,
    "QCVN 102:2016/BTTTT §2 (1.13); vxpkit decision: 0..3 accepted (public sources disagree)",
    "SteeringType is an integer in the configured range "
    "(default 0-3).",
    "<SteeringType>9</SteeringType>"};
inline constexpr RuleInfo kDocId{"EDXML-HDR-1.14-DOCID", Level::kMust,
                                 "QCVN 102:2016/BTTTT §2 (1.14); vxpkit decision: the composite "
                                 "form is a SHOULD (live traffic carries UUIDs)",
                                 "DocumentId is not empty.", "<DocumentId/>"};
inline constexpr RuleInfo kDocIdForm{"EDXML-HDR-1.14-DOCID-FORM", Level::kShould,
                                     "QCVN 102:2016/BTTTT §2 (1.14); vxpkit decision: the "
                                     "composite form is a SHOULD (live traffic carries UUIDs)",
                                     "DocumentId has the composite form "
                                     "IssuerOrganId,yyyy/MM/dd,Number/Notation.",
                                     "a UUID DocumentId"};
inline constexpr RuleInfo kDocIdConsistent{"EDXML-HDR-1.14-DOCID-CONSISTENT", Level::kShould,
                                           "QCVN 102:2016/BTTTT §2 (1.14)",
                                           "A composite DocumentId agrees with From/OrganId, "
                                           "PromulgationDate and Code.",
                                           "000.00.00.G22,2015/09/30,1/X while From is H53"};
// TraceHeaderList and Bussiness.
inline constexpr RuleInfo kTracePresent{"EDXML-TRACE-3-PRESENT", Level::kShould,
                                        "QCVN 102:2016/BTTTT §3 (TraceHeaderList, Bussiness)",
                                        "A document carries a TraceHeaderList with the sender's "
                                        "TraceHeader.",
                                        "a document without TraceHeaderList"};
inline constexpr RuleInfo kTraceTimestamp{
    "EDXML-TRACE-3-TIMESTAMP", Level::kMust, "QCVN 102:2016/BTTTT §3 (TraceHeaderList, Bussiness)",
    "TraceHeader/Timestamp is written yyyy/MM/dd HH:mm:ss.", "2026-11-21T08:00:00"};
inline constexpr RuleInfo kBusinessType{"EDXML-BUS-3-TYPE", Level::kMust,
                                        "QCVN 102:2016/BTTTT §3 (TraceHeaderList, Bussiness)",
                                        "BussinessDocType is 0 (new), 1 (revoke), 2 (update) or "
                                        "3 (replace).",
                                        "<BussinessDocType>4</BussinessDocType>"};
inline constexpr RuleInfo kBusinessTarget{
    "EDXML-BUS-3-TARGET", Level::kMust,
    "QCVN 102:2016/BTTTT §3 (Bussiness); Decision 28/2018/QĐ-TTg (revoke, update, replace)",
    "A revoke, update or replace names the earlier document "
    "in Bussiness/DocumentId.",
    "BussinessDocType 1 without DocumentId"};
inline constexpr RuleInfo kRevoke{
    "EDXML-BUS-3-REVOKE", Level::kMust,
    "QCVN 102:2016/BTTTT §3 (Bussiness); Decision 28/2018/QĐ-TTg (revoke, update, replace)",
    "A revoke (1) also carries a ResponseFor pointing at the revoked "
    "document.",
    "a revoke without ResponseFor"};
inline constexpr RuleInfo kUpdate{
    "EDXML-BUS-3-UPDATE", Level::kMust,
    "QCVN 102:2016/BTTTT §3 (Bussiness); Decision 28/2018/QĐ-TTg (revoke, update, replace)",
    "An update (2) carries BussinessDocumentInfo: DocumentInfo and "
    "DocumentReceiver 0/1, and when recipients changed a "
    "ReceiverList whose ReceiverType is 0 or 1.",
    "an update without BussinessDocumentInfo"};
inline constexpr RuleInfo kReplace{
    "EDXML-BUS-3-REPLACE", Level::kMust,
    "QCVN 102:2016/BTTTT §3 (Bussiness); Decision 28/2018/QĐ-TTg (revoke, update, replace)",
    "A replace (3) carries a ReplacementInfoList: each "
    "ReplacementInfo has a DocumentId and at least one OrganId.",
    "a replace without ReplacementInfoList"};
inline constexpr RuleInfo kPaper{"EDXML-BUS-3-PAPER", Level::kMust,
                                 "QCVN 102:2016/BTTTT §3 (TraceHeaderList, Bussiness)",
                                 "Paper is 0 or 1.", "<Paper>yes</Paper>"};
inline constexpr RuleInfo kBusinessReason{"EDXML-BUS-3-REASON", Level::kShould,
                                          "QCVN 102:2016/BTTTT §3 (TraceHeaderList, Bussiness)",
                                          "A revoke, update or replace gives its reason in "
                                          "BussinessDocReason.",
                                          "a revoke without BussinessDocReason"};
// Status packages.
inline constexpr RuleInfo kStatusCode{
    "EDXML-4-STATUS-CODE", Level::kMust, "QCVN 102:2016/BTTTT §4 (status message)",
    "StatusCode is one of 01-06, 13, 15, 16 (two digits).", "<StatusCode>3</StatusCode>"};
inline constexpr RuleInfo kStatusReason{
    "EDXML-4-STATUS-REASON", Level::kMust,
    "QCVN 102:2016/BTTTT §4 (Description: the reason for 02, 13, 16)",
    "A status 02, 13 or 16 gives its reason in Description.", "02 without Description"};
inline constexpr RuleInfo kStatusTimestamp{
    "EDXML-4-STATUS-TIMESTAMP", Level::kMust, "QCVN 102:2016/BTTTT §4 (status message)",
    "Timestamp is written yyyy/MM/dd HH:mm:ss.", "<Timestamp>21/11/2026 08:00</Timestamp>"};
inline constexpr RuleInfo kStatusResponseFor{"EDXML-4-STATUS-RESPONSEFOR", Level::kMust,
                                             "QCVN 102:2016/BTTTT §4 (status message)",
                                             "ResponseFor names the original document: a "
                                             "DocumentId and a PromulgationDate yyyy/MM/dd.",
                                             "an empty ResponseFor/DocumentId"};
inline constexpr RuleInfo kStatusCodeForm{
    "EDXML-4-STATUS-CODE-FORM", Level::kShould, "QCVN 102:2016/BTTTT §4 (status message)",
    "ResponseFor/Code is written Number/Notation.", "<Code>7816</Code>"};
inline constexpr RuleInfo kStatusExtra{"EDXML-4-STATUS-EXTRA", Level::kMust,
                                       "QCVN 102:2016/BTTTT §1, §4 (status message)",
                                       "A status package has no body, attachments, "
                                       "TraceHeaderList or signature.",
                                       "a status with AttachmentEncoded"};
// Attachments.
inline constexpr RuleInfo kMatch{"EDXML-ATT-6-MATCH", Level::kMust,
                                 "QCVN 102:2016/BTTTT §6 (attachments)",
                                 "Every manifest Reference matches exactly one Attachment by "
                                 "ContentId (after removing cid:).",
                                 "a Reference cid:file2 with no Attachment file2"};
inline constexpr RuleInfo kOrphan{
    "EDXML-ATT-6-ORPHAN", Level::kShould, "QCVN 102:2016/BTTTT §6 (attachments)",
    "Every Attachment is listed in the manifest.", "an Attachment no Reference names"};
inline constexpr RuleInfo kBase64{
    "EDXML-ATT-6-BASE64", Level::kMust, "QCVN 102:2016/BTTTT §6 (attachments)",
    "Every ContentTransferEncoded decodes as base64.", "ContentTransferEncoded containing '%'"};
inline constexpr RuleInfo kCid{
    "EDXML-ATT-6-CID", Level::kShould, "QCVN 102:2016/BTTTT §6 (attachments)",
    "A Reference's ContentId is written cid:<id>.", "<ContentId>file1</ContentId> in a Reference"};
inline constexpr RuleInfo kAttachmentName{
    "EDXML-ATT-6-NAME", Level::kMust, "QCVN 102:2016/BTTTT §6 (attachments)",
    "Every Attachment has a non-empty AttachmentName.", "an Attachment without AttachmentName"};
inline constexpr RuleInfo kManifestVersion{"EDXML-ATT-6-VERSION", Level::kShould,
                                           "QCVN 102:2016/BTTTT §1 (package and namespace)",
                                           "edXMLManifest has version=\"1.0\".", "<edXMLManifest>"};
inline constexpr RuleInfo kHref{"EDXML-ATT-6-HREF", Level::kShould,
                                "QCVN 102:2016/BTTTT §6 (attachments)",
                                "A Reference's xlink:href, when given, equals its ContentId.",
                                "xlink:href=\"cid:a\" with ContentId cid:b"};

// Interop (lenient) mode: deviations a receiver can process (live-hub downloads, the VNPT
// library's packages). Strict mode judges the same package by the rules above.
inline constexpr RuleInfo kInteropEmpty{
    "EDXML-INTEROP-EMPTY-ELEMENT", Level::kShould,
    "observed: live hub (VNPT library re-serialisation writes empty optional elements)",
    "Lenient mode: an empty optional element (DueDate, Priority, PromulgationAmount, PageAmount, "
    "Direction, SteeringType) says nothing and is ignored.",
    "<DueDate/>"};
inline constexpr RuleInfo kInteropRevokeTarget{
    "EDXML-INTEROP-REVOKE-TARGET", Level::kShould,
    "observed: VNPT library revoke sample; QCVN 102:2016/BTTTT §3 (Bussiness)",
    "Lenient mode: a revoke that names its target only in ResponseFor (no Bussiness/DocumentId) "
    "still says which document it revokes.",
    "BussinessDocType 1 with ResponseFor/DocumentId and no Bussiness/DocumentId"};

inline constexpr RuleInfo kAll[] = {kOrgName,
                                    kOrgEmail,
                                    kOrgLength,
                                    kToDuplicate,
                                    kCode,
                                    kCodeLength,
                                    kPromulgationDate,
                                    kFuture,
                                    kPlaceLength,
                                    kType,
                                    kTypeLength,
                                    kSubject,
                                    kSubjectLength,
                                    kContentLength,
                                    kSigner,
                                    kSignerLength,
                                    kDueDate,
                                    kToPlacesLength,
                                    kPriority,
                                    kAmounts,
                                    kDirection,
                                    kOtherLength,
                                    kResponseFor,
                                    kSteering,
                                    kDocId,
                                    kDocIdForm,
                                    kDocIdConsistent,
                                    kTracePresent,
                                    kTraceTimestamp,
                                    kBusinessType,
                                    kBusinessTarget,
                                    kRevoke,
                                    kUpdate,
                                    kReplace,
                                    kPaper,
                                    kBusinessReason,
                                    kStatusCode,
                                    kStatusReason,
                                    kStatusTimestamp,
                                    kStatusResponseFor,
                                    kStatusCodeForm,
                                    kStatusExtra,
                                    kMatch,
                                    kOrphan,
                                    kBase64,
                                    kCid,
                                    kAttachmentName,
                                    kManifestVersion,
                                    kHref,
                                    kInteropEmpty,
                                    kInteropRevokeTarget};
}  // namespace rules

namespace {

constexpr std::string_view kMH = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader";
constexpr std::string_view kTrace = "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList";
constexpr std::string_view kManifestPath = "/edXML/edXMLEnvelope/edXMLBody/edXMLManifest";
constexpr std::string_view kAttachments = "/edXML/AttachmentEncoded";

// "name" for a single element, "name[i]" (1-based) when there are several.
std::string Step(std::string_view name, size_t index, size_t count) {
  std::string s(name);
  if (count > 1) s += "[" + std::to_string(index + 1) + "]";
  return s;
}

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

std::optional<long long> Integer(std::string_view s) {
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

bool LooksLikeEmail(std::string_view s) {
  size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view domain = s.substr(at + 1);
  size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size() &&
         std::none_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

class Checker {
 public:
  Checker(const RuleOptions& options, const XmlDoc* xml) : options_(options), xml_(xml) {}

  std::vector<Finding> Take() { return std::move(out_); }

  // True when the package was parsed from XML and has no element at `path`: a missing required
  // element is reported once, by the schema (EDXML-XSD), not again by the rule on its value.
  bool Absent(const std::string& path) const { return xml_ && !xml_->Exists(path); }

  // Lenient mode: an empty optional element is an interop WARN and is not judged further.
  bool EmptyOptional(const std::string& path, std::string_view value) {
    if (options_.strictness != Strictness::kLenient || !Blank(value)) return false;
    Add(rules::kInteropEmpty, path,
        path.substr(path.rfind('/') + 1) + " is empty; ignored in lenient mode",
        "a value, or no element", "(empty)");
    return true;
  }

  // A required leaf that must not be blank.
  void NonEmpty(const RuleInfo& rule, const std::string& path, std::string_view value,
                std::string_view what, std::string expected) {
    if (!Blank(value) || Absent(path)) return;
    Add(rule, path, std::string(what) + " is empty", std::move(expected), "(empty)");
  }

  void Add(const RuleInfo& rule, const std::string& path, std::string message,
           std::string expected = {}, std::string actual = {}) {
    int line = xml_ ? xml_->LineOfPath(path) : 0;
    out_.push_back(MakeFinding(rule, {path, line}, std::move(message), std::move(expected),
                               std::move(actual), options_.strictness));
  }

  void Agency(std::string_view id, const std::string& path, bool relayed = false) {
    if (Absent(path)) return;
    int line = xml_ ? xml_->LineOfPath(path) : 0;
    Strictness mode = relayed && options_.relay_traces_lenient
                          ? Strictness::kLenient
                          : options_.identifiers.value_or(options_.strictness);
    for (Finding& f : agency::Check(id, {path, line}, mode)) {
      out_.push_back(std::move(f));
    }
  }

  void Length(const RuleInfo& rule, const std::string& path, std::string_view value, size_t max) {
    if (size_t n = CodePoints(value); n > max) {
      Add(rule, path,
          path.substr(path.rfind('/') + 1) + " is " + std::to_string(n) +
              " characters long; the standard allows " + std::to_string(max),
          "≤ " + std::to_string(max) + " characters", std::to_string(n) + " characters");
    }
  }
  void Length(const RuleInfo& rule, const std::string& path, const OptText& value, size_t max) {
    if (value) Length(rule, path, std::string_view(*value), max);
  }
  void Length(const RuleInfo& rule, const std::string& path, const std::string& value, size_t max) {
    Length(rule, path, std::string_view(value), max);
  }

  void Date(const RuleInfo& rule, const std::string& path, std::string_view value) {
    if (!ParseEdxmlDate(value) && !Absent(path)) {
      Add(rule, path, "'" + std::string(value) + "' " + WhyNotEdxmlDate(value),
          "yyyy/MM/dd, a real calendar date", std::string(value));
    }
  }

  void Timestamp(const RuleInfo& rule, const std::string& path, std::string_view value) {
    if (!ParseEdxmlTimestamp(value) && !Absent(path)) {
      Add(rule, path, "'" + std::string(value) + "' " + WhyNotEdxmlTimestamp(value),
          "yyyy/MM/dd HH:mm:ss", std::string(value));
    }
  }

  void OneOf(const RuleInfo& rule, const std::string& path, std::string_view value,
             std::initializer_list<std::string_view> allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end() || Absent(path)) return;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    Add(rule, path,
        path.substr(path.rfind('/') + 1) + " is '" + std::string(value) + "'; allowed: " + list,
        list, std::string(value));
  }

  void Organization(const edxml::Organization& o, const std::string& path) {
    Agency(o.organ_id, path + "/OrganId");
    NonEmpty(rules::kOrgName, path + "/OrganName", o.organ_name, "OrganName", "the agency's name");
    if (o.email && !o.email->empty() && !LooksLikeEmail(*o.email)) {
      Add(rules::kOrgEmail, path + "/Email", "'" + *o.email + "' is not an e-mail address",
          "name@domain.vn", *o.email);
    }
    Length(rules::kOrgLength, path + "/OrganizationInCharge", o.organization_in_charge, 200);
    Length(rules::kOrgLength, path + "/OrganName", o.organ_name, 200);
    Length(rules::kOrgLength, path + "/OrganAdd", o.organ_add, 250);
    Length(rules::kOrgLength, path + "/Email", o.email, 100);
    Length(rules::kOrgLength, path + "/Telephone", o.telephone, 20);
    Length(rules::kOrgLength, path + "/Fax", o.fax, 20);
  }

  void Document(const Package& p, const DocumentHeader& d) {
    const std::string mh(kMH);
    Organization(d.from, mh + "/From");
    std::set<std::string> seen;
    for (size_t i = 0; i < d.to.size(); ++i) {
      std::string path = mh + "/" + Step("To", i, d.to.size());
      Organization(d.to[i], path);
      if (!seen.insert(d.to[i].organ_id).second) {
        Add(rules::kToDuplicate, path + "/OrganId",
            "addressee " + d.to[i].organ_id + " is listed more than once in To",
            "each OrganId once", d.to[i].organ_id);
      }
    }
    NonEmpty(rules::kCode, mh + "/Code/CodeNumber", d.code.code_number, "CodeNumber (số)",
             "e.g. 7816");
    NonEmpty(rules::kCode, mh + "/Code/CodeNotation", d.code.code_notation,
             "CodeNotation (ký hiệu)", "e.g. VPCP-TTĐT");
    Length(rules::kCodeLength, mh + "/Code/CodeNumber", d.code.code_number, 11);
    Length(rules::kCodeLength, mh + "/Code/CodeNotation", d.code.code_notation, 30);
    const std::string& pdate = d.promulgation_info.promulgation_date;
    Date(rules::kPromulgationDate, mh + "/PromulgationInfo/PromulgationDate", pdate);
    if (auto date = ParseEdxmlDate(pdate); date && options_.today && *date > *options_.today) {
      Add(rules::kFuture, mh + "/PromulgationInfo/PromulgationDate",
          "PromulgationDate " + pdate + " is after today (" + FormatEdxmlDate(*options_.today) +
              ")",
          "on or before " + FormatEdxmlDate(*options_.today), pdate);
    }
    Length(rules::kPlaceLength, mh + "/PromulgationInfo/Place", d.promulgation_info.place, 50);
    OneOf(rules::kType, mh + "/DocumentType/Type", d.document_type.type, {"1", "2"});
    if (!Integer(d.document_type.type_detail) && !Absent(mh + "/DocumentType/TypeDetail")) {
      Add(rules::kType, mh + "/DocumentType/TypeDetail",
          "TypeDetail '" + d.document_type.type_detail + "' is not an integer", "an integer",
          d.document_type.type_detail);
    }
    Length(rules::kTypeLength, mh + "/DocumentType/TypeName", d.document_type.type_name, 100);
    NonEmpty(rules::kSubject, mh + "/Subject", d.subject, "Subject (trích yếu)",
             "a summary of the document");
    Length(rules::kSubjectLength, mh + "/Subject", d.subject, 500);
    Length(rules::kContentLength, mh + "/Content", d.content, 500);
    NonEmpty(rules::kSigner, mh + "/SignerInfo/FullName", d.signer_info.full_name,
             "SignerInfo/FullName", "the signer's full name");
    Length(rules::kSignerLength, mh + "/SignerInfo/Competence", d.signer_info.competence, 100);
    Length(rules::kSignerLength, mh + "/SignerInfo/Position", d.signer_info.position, 100);
    Length(rules::kSignerLength, mh + "/SignerInfo/FullName", d.signer_info.full_name, 50);
    if (d.due_date && !EmptyOptional(mh + "/DueDate", *d.due_date)) {
      Date(rules::kDueDate, mh + "/DueDate", *d.due_date);
    }
    if (d.to_places) {
      for (size_t i = 0; i < d.to_places->size(); ++i) {
        Length(rules::kToPlacesLength, mh + "/ToPlaces/" + Step("Place", i, d.to_places->size()),
               (*d.to_places)[i], 150);
      }
    }
    if (d.other_info) OtherInfo(*d.other_info, mh + "/OtherInfo");
    for (size_t i = 0; i < d.response_for.size(); ++i) {
      const auto& r = d.response_for[i];
      bool empty =
          Blank(r.organ_id) && Blank(r.code) && Blank(r.promulgation_date) && Blank(r.document_id);
      // Lenient: the schema step reported it (EDXML-INTEROP-EMPTY-RESPONSEFOR) and dropped it.
      if (empty && options_.strictness == Strictness::kLenient) continue;
      std::string path = mh + "/" + Step("ResponseFor", i, d.response_for.size());
      Agency(r.organ_id, path + "/OrganId");
      NonEmpty(rules::kResponseFor, path + "/DocumentId", r.document_id, "ResponseFor/DocumentId",
               "the DocumentId of the document answered");
      Date(rules::kResponseFor, path + "/PromulgationDate", r.promulgation_date);
    }
    if (d.steering_type && !EmptyOptional(mh + "/SteeringType", *d.steering_type)) {
      auto v = Integer(*d.steering_type);
      if (!v || *v < options_.steering_min || *v > options_.steering_max) {
        std::string range =
            std::to_string(options_.steering_min) + "-" + std::to_string(options_.steering_max);
        Add(rules::kSteering, mh + "/SteeringType",
            "SteeringType '" + *d.steering_type + "' is not an integer in " + range,
            "an integer in " + range, *d.steering_type);
      }
    }
    DocumentId(d, mh + "/DocumentId");
    Trace(p, d);
    Attachments(p);
  }

  void OtherInfo(const edxml::OtherInfo& o, const std::string& path) {
    if (o.priority && !EmptyOptional(path + "/Priority", *o.priority))
      OneOf(rules::kPriority, path + "/Priority", *o.priority, {"0", "1", "2", "3", "4"});
    if (o.promulgation_amount &&
        !EmptyOptional(path + "/PromulgationAmount", *o.promulgation_amount)) {
      auto v = Integer(*o.promulgation_amount);
      if (!v || *v < 0) {
        Add(rules::kAmounts, path + "/PromulgationAmount",
            "PromulgationAmount '" + *o.promulgation_amount + "' is not a non-negative integer",
            "an integer ≥ 0", *o.promulgation_amount);
      }
    }
    if (o.page_amount && !EmptyOptional(path + "/PageAmount", *o.page_amount)) {
      auto v = Integer(*o.page_amount);
      if (!v || *v < 0 || *v > 65535) {
        Add(rules::kAmounts, path + "/PageAmount",
            "PageAmount '" + *o.page_amount + "' is not an integer in 0-65535",
            "an integer in 0-65535", *o.page_amount);
      }
    }
    if (o.direction && !EmptyOptional(path + "/Direction", *o.direction))
      OneOf(rules::kDirection, path + "/Direction", *o.direction, {"true", "false", "1", "0"});
    Length(rules::kOtherLength, path + "/SphereOfPromulgation", o.sphere_of_promulgation, 100);
    Length(rules::kOtherLength, path + "/TyperNotation", o.typer_notation, 10);
    if (o.appendixes) {
      for (size_t i = 0; i < o.appendixes->size(); ++i) {
        Length(rules::kOtherLength,
               path + "/Appendixes/" + Step("Appendix", i, o.appendixes->size()),
               (*o.appendixes)[i], 250);
      }
    }
  }

  void DocumentId(const DocumentHeader& d, const std::string& path) {
    const std::string& id = d.document_id;
    if (Blank(id)) {
      NonEmpty(rules::kDocId, path, id, "DocumentId", "a DocumentId unique for the sender");
      return;
    }
    // IssuerOrganId,yyyy/MM/dd,Number/Notation
    size_t c1 = id.find(',');
    size_t c2 = c1 == std::string::npos ? c1 : id.find(',', c1 + 1);
    bool composite = c2 != std::string::npos && id.find(',', c2 + 1) == std::string::npos;
    std::string_view issuer, date, code;
    if (composite) {
      std::string_view v(id);
      issuer = v.substr(0, c1);
      date = v.substr(c1 + 1, c2 - c1 - 1);
      code = v.substr(c2 + 1);
      composite =
          !issuer.empty() && ParseEdxmlDate(date) && code.find('/') != std::string_view::npos;
    }
    if (!composite) {
      Add(rules::kDocIdForm, path,
          "DocumentId '" + id + "' is not of the form IssuerOrganId,yyyy/MM/dd,Number/Notation",
          "e.g. 000.00.00.G22,2015/09/30,7816/VPCP-TTĐT", id);
      return;
    }
    // Compared only with parts that are themselves valid, so that one mistake (say, a bad
    // PromulgationDate) is reported once, by its own rule.
    std::string want_code = d.code.code_number + "/" + d.code.code_notation;
    const std::string& pdate = d.promulgation_info.promulgation_date;
    if (issuer != d.from.organ_id || (ParseEdxmlDate(pdate) && date != pdate) ||
        code != want_code) {
      std::string want =
          d.from.organ_id + "," + d.promulgation_info.promulgation_date + "," + want_code;
      Add(rules::kDocIdConsistent, path,
          "DocumentId '" + id + "' does not agree with From/OrganId, PromulgationDate and Code",
          want, id);
    }
  }

  void Trace(const Package& p, const DocumentHeader& d) {
    const std::string trace(kTrace);
    if (!p.trace_header_list || p.trace_header_list->trace_headers.empty()) {
      Add(rules::kTracePresent, trace, "the document carries no TraceHeader",
          "TraceHeaderList/TraceHeader with the sender's OrganId and Timestamp", "(none)");
    }
    if (!p.trace_header_list) return;
    const auto& headers = p.trace_header_list->trace_headers;
    for (size_t i = 0; i < headers.size(); ++i) {
      std::string path = trace + "/" + Step("TraceHeader", i, headers.size());
      if (headers[i].organ_id) Agency(*headers[i].organ_id, path + "/OrganId", i > 0);
      Timestamp(rules::kTraceTimestamp, path + "/Timestamp", headers[i].timestamp);
    }
    if (p.trace_header_list->business) Business(*p.trace_header_list->business, d);
  }

  void Business(const edxml::Business& b, const DocumentHeader& d) {
    const std::string path = std::string(kTrace) + "/Bussiness";
    OneOf(rules::kBusinessType, path + "/BussinessDocType", b.business_doc_type,
          {"0", "1", "2", "3"});
    if (b.paper) OneOf(rules::kPaper, path + "/Paper", *b.paper, {"0", "1"});
    const std::string& type = b.business_doc_type;
    if (type != "1" && type != "2" && type != "3") return;
    static constexpr std::string_view kNames[] = {"", "revoke", "update", "replace"};
    const std::string name(kNames[type[0] - '0']);
    if ((!b.document_id || Blank(*b.document_id)) && type == "1" &&
        options_.strictness == Strictness::kLenient) {
      // The VNPT library's revoke names its target only in ResponseFor.
      auto named = std::find_if(d.response_for.begin(), d.response_for.end(),
                                [](const auto& r) { return !Blank(r.document_id); });
      if (named != d.response_for.end()) {
        Add(rules::kInteropRevokeTarget, path,
            "the revoke names its target only in ResponseFor (" + named->document_id +
                "); Bussiness/DocumentId is missing",
            "Bussiness/DocumentId = ResponseFor/DocumentId", "(none)");
        if (!b.business_doc_reason || Blank(*b.business_doc_reason)) {
          Add(rules::kBusinessReason, path + "/BussinessDocReason",
              "a " + name + " gives no reason", "a BussinessDocReason", "(none)");
        }
        return;
      }
    }
    if (!b.document_id || Blank(*b.document_id)) {
      Add(rules::kBusinessTarget, path + "/DocumentId",
          "a " + name + " (BussinessDocType " + type + ") does not name the document it acts on",
          "Bussiness/DocumentId of the earlier document", "(none)");
    }
    if (!b.business_doc_reason || Blank(*b.business_doc_reason)) {
      Add(rules::kBusinessReason, path + "/BussinessDocReason", "a " + name + " gives no reason",
          "a BussinessDocReason", "(none)");
    }
    if (type == "1") {
      bool points = std::any_of(d.response_for.begin(), d.response_for.end(), [&](const auto& r) {
        return b.document_id && r.document_id == *b.document_id;
      });
      if (!points) {
        Add(rules::kRevoke, std::string(kMH) + "/ResponseFor",
            "a revoke has no ResponseFor pointing at the revoked document" +
                (b.document_id ? " " + *b.document_id : std::string()),
            "ResponseFor/DocumentId = Bussiness/DocumentId", "(none)");
      }
    } else if (type == "2") {
      Update(b, path);
    } else {
      Replace(b, path);
    }
  }

  void Update(const edxml::Business& b, const std::string& path) {
    const std::string info_path = path + "/BussinessDocumentInfo";
    if (!b.business_document_info) {
      Add(rules::kUpdate, info_path, "an update (BussinessDocType 2) has no BussinessDocumentInfo",
          "BussinessDocumentInfo with DocumentInfo and DocumentReceiver", "(none)");
      return;
    }
    const auto& info = *b.business_document_info;
    OneOf(rules::kUpdate, info_path + "/DocumentInfo", info.document_info, {"0", "1"});
    OneOf(rules::kUpdate, info_path + "/DocumentReceiver", info.document_receiver, {"0", "1"});
    const size_t n = info.receiver_list ? info.receiver_list->size() : 0;
    if (info.document_receiver == "1" && n == 0) {
      Add(rules::kUpdate, info_path + "/ReceiverList",
          "DocumentReceiver is 1 (recipients changed) but no Receiver is listed",
          "ReceiverList/Receiver for each added or removed recipient", "(none)");
    }
    for (size_t i = 0; i < n; ++i) {
      const auto& r = (*info.receiver_list)[i];
      std::string rp = info_path + "/ReceiverList/" + Step("Receiver", i, n);
      Agency(r.organ_id, rp + "/OrganId");
      OneOf(rules::kUpdate, rp + "/ReceiverType", r.receiver_type, {"0", "1"});
    }
  }

  void Replace(const edxml::Business& b, const std::string& path) {
    const std::string list_path = path + "/ReplacementInfoList";
    if (!b.replacement_info_list || b.replacement_info_list->empty()) {
      Add(rules::kReplace, list_path,
          "a replace (BussinessDocType 3) has no ReplacementInfoList/ReplacementInfo",
          "ReplacementInfo with DocumentId and OrganIdList", "(none)");
      return;
    }
    const auto& list = *b.replacement_info_list;
    for (size_t i = 0; i < list.size(); ++i) {
      std::string rp = list_path + "/" + Step("ReplacementInfo", i, list.size());
      NonEmpty(rules::kReplace, rp + "/DocumentId", list[i].document_id,
               "ReplacementInfo/DocumentId", "the replaced document's DocumentId");
      if (list[i].organ_ids.empty()) {
        Add(rules::kReplace, rp + "/OrganIdList", "ReplacementInfo lists no OrganId",
            "at least one OrganId", "(none)");
      }
      for (size_t k = 0; k < list[i].organ_ids.size(); ++k) {
        Agency(list[i].organ_ids[k],
               rp + "/OrganIdList/" + Step("OrganId", k, list[i].organ_ids.size()));
      }
    }
  }

  void Status(const Package& p, const StatusHeader& s) {
    const std::string mh(kMH);
    Organization(s.from, mh + "/From");
    const std::string rf = mh + "/ResponseFor";
    Agency(s.response_for.organ_id, rf + "/OrganId");
    NonEmpty(rules::kStatusResponseFor, rf + "/DocumentId", s.response_for.document_id,
             "ResponseFor/DocumentId", "the DocumentId of the original document");
    Date(rules::kStatusResponseFor, rf + "/PromulgationDate", s.response_for.promulgation_date);
    if (s.response_for.code.find('/') == std::string::npos && !Absent(rf + "/Code")) {
      Add(rules::kStatusCodeForm, rf + "/Code",
          "ResponseFor/Code '" + s.response_for.code + "' is not written Number/Notation",
          "e.g. 7816/VPCP-TTĐT", s.response_for.code);
    }
    if (!lifecycle::IsKnownCode(s.status_code)) {
      Add(rules::kStatusCode, mh + "/StatusCode",
          "StatusCode '" + s.status_code + "' is not a status code of the standard",
          "one of 01-06, 13, 15, 16", s.status_code);
    } else if (lifecycle::RequiresReason(s.status_code) &&
               (!s.description || Blank(*s.description))) {
      Add(rules::kStatusReason, mh + "/Description",
          std::string(lifecycle::Describe(s.status_code)) + " requires a reason in Description",
          "a non-empty Description", "(none)");
    }
    Timestamp(rules::kStatusTimestamp, mh + "/Timestamp", s.timestamp);
    std::vector<std::string> extra;
    if (p.manifest) extra.push_back("edXMLBody");
    if (!p.attachments.empty()) extra.push_back("AttachmentEncoded");
    if (p.trace_header_list) extra.push_back("TraceHeaderList");
    if (p.signature_xml) extra.push_back("Signature");
    for (const auto& e : extra) {
      std::string path = e == "AttachmentEncoded" ? std::string(kAttachments)
                         : e == "edXMLBody"       ? "/edXML/edXMLEnvelope/edXMLBody"
                                                  : "/edXML/edXMLEnvelope/edXMLHeader/" + e;
      Add(rules::kStatusExtra, path, "a status package carries " + e, "MessageHeader only", e);
    }
  }

  void Attachments(const Package& p) {
    const std::string manifest(kManifestPath);
    const std::string att(kAttachments);
    const size_t na = p.attachments.size();
    std::vector<int> referenced(na, 0);
    if (p.manifest) {
      if (p.manifest->version != "1.0") {
        Add(rules::kManifestVersion, manifest + "/@version",
            "edXMLManifest version is " +
                (p.manifest->version ? "'" + *p.manifest->version + "'" : std::string("absent")),
            "1.0", p.manifest->version.value_or("(absent)"));
      }
      const auto& refs = p.manifest->references;
      for (size_t i = 0; i < refs.size(); ++i) {
        std::string path = manifest + "/" + Step("Reference", i, refs.size());
        std::string_view cid = StripCid(refs[i].content_id);
        if (!refs[i].content_id.starts_with("cid:")) {
          Add(rules::kCid, path + "/ContentId",
              "Reference ContentId '" + refs[i].content_id + "' lacks the cid: prefix",
              "cid:" + std::string(cid), refs[i].content_id);
        }
        if (refs[i].href && *refs[i].href != refs[i].content_id && StripCid(*refs[i].href) != cid) {
          Add(rules::kHref, path,
              "xlink:href '" + *refs[i].href + "' differs from ContentId '" + refs[i].content_id +
                  "'",
              refs[i].content_id, *refs[i].href);
        }
        int matches = 0;
        for (size_t k = 0; k < na; ++k) {
          if (StripCid(p.attachments[k].content_id) == cid) {
            ++matches;
            ++referenced[k];
          }
        }
        if (matches != 1) {
          Add(rules::kMatch, path + "/ContentId",
              "Reference " + refs[i].content_id + " matches " + std::to_string(matches) +
                  " attachments",
              "exactly one Attachment with ContentId " + std::string(cid),
              std::to_string(matches) + " attachments");
        }
      }
    }
    for (size_t k = 0; k < na; ++k) {
      const Attachment& a = p.attachments[k];
      std::string path = att + "/" + Step("Attachment", k, na);
      if (referenced[k] == 0) {
        Add(rules::kOrphan, path + "/ContentId",
            "Attachment " + a.content_id + " is not listed in the manifest",
            "a manifest Reference for it", "(unreferenced)");
      }
      if (!a.attachment_name || Blank(*a.attachment_name)) {
        Add(rules::kAttachmentName, path + "/AttachmentName",
            "Attachment " + a.content_id + " has no AttachmentName", "a file name", "(none)");
      }
      if (auto r = DecodeBase64(a.content_base64); !r) {
        Add(rules::kBase64, path + "/ContentTransferEncoded",
            "Attachment " + a.content_id + " does not decode as base64: " + r.error().reason +
                " at character " + std::to_string(r.error().offset),
            "base64 (RFC 4648)", r.error().reason);
      }
    }
  }

 private:
  const RuleOptions& options_;
  const XmlDoc* xml_;
  std::vector<Finding> out_;
};

}  // namespace

std::span<const RuleInfo> PackageRules() { return rules::kAll; }

std::vector<Finding> CheckRules(const Package& package, const RuleOptions& options,
                                const XmlDoc* xml) {
  Checker c(options, xml);
  if (const DocumentHeader* d = package.document()) {
    c.Document(package, *d);
  } else {
    c.Status(package, *package.status());
  }
  return c.Take();
}

}  // namespace vxp::edxml
