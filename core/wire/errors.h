// The simulator's error catalogue (hub-api.md §3 decision): every refusal the hub can answer, with
// a stable ErrorCode and a plain-language ErrorDesc (unaccented Vietnamese as the live hub writes
// it, then English). docs/hub-errors.md is generated from this table and checked against it.
// Codes are permanent: never renumber, retire instead.
#ifndef VXP_CORE_WIRE_ERRORS_H_
#define VXP_CORE_WIRE_ERRORS_H_

#include <span>
#include <string_view>

namespace vxp::wire {

struct HubError {
  std::string_view code;  // ErrorCode, e.g. "1003"
  std::string_view name;  // stable symbolic name, e.g. "AUTH_BAD_HMAC"
  std::string_view desc;  // ErrorDesc prefix; a detail may follow after ": "
  std::string_view when;  // one line for the catalogue: when the hub answers this
};

namespace errors {
inline constexpr HubError kMissingHeader{
    "1001", "AUTH_MISSING_HEADER", "Thieu tham so xac thuc (missing authentication header)",
    "XroadVnpt-systemid, -timestamp, -sign-header or -hash-header is absent"};
inline constexpr HubError kUnknownSystem{"1002", "AUTH_UNKNOWN_SYSTEM",
                                         "He thong chua dang ky (unknown systemid)",
                                         "no system with that systemid is registered on the hub"};
inline constexpr HubError kBadHmac{
    "1003", "AUTH_BAD_HMAC", "Sai chu ky (hash-header is not the HMAC-SHA256 of sign-header)",
    "XroadVnpt-hash-header differs from HMAC-SHA256(secret, XroadVnpt-sign-header as sent). "
    "When a signed header holds non-ASCII bytes the detail names it: the Java SDK signs the "
    "UTF-8 text but sends each character's low byte (ISO-8859-1), so Vietnamese text in a header "
    "(updateStatus `description`) never verifies; write such values without diacritics"};
inline constexpr HubError kSignHeaderMalformed{
    "1004", "AUTH_SIGN_HEADER_MALFORMED",
    "sign-header khong hop le (sign-header is not a JSON object of XroadVnpt-* strings)",
    "XroadVnpt-sign-header does not parse, or disagrees with XroadVnpt-sign-header-key"};
inline constexpr HubError kSignHeaderMismatch{
    "1005", "AUTH_SIGN_HEADER_MISMATCH",
    "Tham so khong khop voi sign-header (a signed header differs from the one sent)",
    "a key of the sign-header is missing from the request headers or has another value"};
inline constexpr HubError kBadTimestamp{
    "1006", "AUTH_BAD_TIMESTAMP",
    "timestamp khong hop le (timestamp is not ddMMyyyy'T'HHmmss'+'SSSS)",
    "XroadVnpt-timestamp does not parse"};
inline constexpr HubError kStaleTimestamp{
    "1007", "AUTH_STALE_TIMESTAMP", "timestamp qua han (timestamp outside the allowed clock skew)",
    "the timestamp differs from the hub's clock by more than the configured skew read in every "
    "accepted zone (UTC+7 and, by default, the hub host's zone: `utcOffsetMinutes`); the detail "
    "gives the skew in each"};
inline constexpr HubError kForeignFrom{
    "1008", "AUTH_FOREIGN_FROM", "Don vi gui khong dung voi ma da dang ky (from is not yours)",
    "the from header names an agency that is not registered to the calling system"};
inline constexpr HubError kReplay{
    "1009", "AUTH_REPLAY",
    "Yeu cau da duoc gui truoc do (replayed request: these signed headers were already used)",
    "the same XroadVnpt-hash-header was accepted before within its freshness window: for "
    "updateStatus, registerAgency and deleteAgency, or on another operation than the first time. "
    "A repeated sendEdoc is answered with its first DocId instead and stored once; reads may "
    "repeat"};
inline constexpr HubError kUnknownOperation{"2001", "UNKNOWN_OPERATION",
                                            "Chuc nang khong ton tai (unknown operation)",
                                            "the last path segment is not an operation of the API"};
inline constexpr HubError kBadParameter{
    "2002", "BAD_PARAMETER", "Tham so khong hop le (bad parameter)",
    "servicetype is not eDoc, messagetype not edoc/status, or a required parameter is missing"};
inline constexpr HubError kUnknownDocId{"2003", "UNKNOWN_DOCID",
                                        "Khong tim thay van ban (unknown docId)",
                                        "no message with that docId is addressed to the system"};
inline constexpr HubError kHashFileMismatch{
    "2004", "HASH_FILE_MISMATCH", "hash-file khong khop (hash-file is not the SHA-256 of the body)",
    "XroadVnpt-hash-file differs from the SHA-256 of the package (padded or unpadded hex)"};
inline constexpr HubError kPackageTooLarge{"2005", "PACKAGE_TOO_LARGE",
                                           "Goi tin qua lon (package over the size limit)",
                                           "the body exceeds the hub's package limit"};
inline constexpr HubError kPackageMalformed{
    "2006", "PACKAGE_MALFORMED", "Goi tin khong dung dinh dang edXML (not an edXML package)",
    "the body is not XML, is hostile XML, or is not an edXML document or status"};
inline constexpr HubError kPackageInvalid{
    "2007", "PACKAGE_INVALID", "Goi tin khong hop le (package breaks a MUST rule)",
    "submit policy 'reject': the package fails schema or rule validation"};
inline constexpr HubError kUnknownRecipient{
    "2008", "UNKNOWN_RECIPIENT", "Don vi nhan khong ton tai (unknown recipient)",
    "a recipient in MessageHeader/To (or ResponseFor) is not in the agency directory"};
inline constexpr HubError kNoRecipient{"2009", "NO_RECIPIENT",
                                       "Khong co don vi nhan (no recipient)",
                                       "the package names no recipient"};
inline constexpr HubError kFromMismatch{
    "2010", "FROM_MISMATCH",
    "Don vi gui khong khop voi goi tin (from header differs from the package's sender)",
    "the from header differs from MessageHeader/From (or the status sender)"};
inline constexpr HubError kBadStatus{"2011", "BAD_STATUS",
                                     "Trang thai khong hop le (status is not done/fail/processing)",
                                     "updateStatus with another status value"};
inline constexpr HubError kAgencyExists{"2012", "AGENCY_EXISTS",
                                        "Don vi da ton tai (agency already registered)",
                                        "registerAgency with a code already in the directory"};
inline constexpr HubError kUnknownAgency{"2013", "UNKNOWN_AGENCY",
                                         "Don vi khong ton tai (unknown agency)",
                                         "deleteAgency with a code not registered to the system"};
inline constexpr HubError kStatusFinal{
    "2014", "STATUS_FINAL",
    "Trang thai da ket thuc (the item was already acknowledged done or fail)",
    "updateStatus processing after done or fail, done after fail, or fail after done: an "
    "acknowledgement is final (done after done is answered OK and changes nothing)"};
inline constexpr HubError kForeignParameter{
    "2015", "PARAMETER_NOT_FOR_OPERATION",
    "Tham so khong thuoc chuc nang nay (a signed parameter belongs to another operation)",
    "a signed XroadVnpt-* parameter of another operation is present (e.g. status on getEdoc): "
    "signed headers made for one operation are not accepted by another"};
inline constexpr HubError kBadMethod{
    "2016", "BAD_METHOD", "Phuong thuc HTTP khong dung (wrong HTTP method for the operation)",
    "the request's HTTP method is not the operation's (GET for downloadEdoc, POST for the "
    "others); answered with HTTP 405"};
inline constexpr HubError kBadTransferEncoding{
    "2017", "BAD_TRANSFER_ENCODING",
    "Transfer-Encoding khong ho tro (only plain chunked is accepted)",
    "a Transfer-Encoding other than chunked alone (gzip, a list of codings); answered with "
    "HTTP 501 before the body is read"};
inline constexpr HubError kInjectedFault{
    "5001", "INJECTED_FAULT", "Loi gia lap (fault injected by the simulator)",
    "a fault profile asked for an error response on this operation"};
inline constexpr HubError kInternal{"5002", "INTERNAL", "Loi he thong (internal error)",
                                    "the simulator's store failed; nothing was accepted"};
inline constexpr HubError kBusy{
    "5003", "BUSY", "He thong dang ban, thu lai sau (hub busy: retry later)",
    "the bodies in flight would exceed the hub's memory budget (`bodyBudgetBytes`), or every "
    "connection slot (`maxConnections`) is in use by requests in progress; answered with HTTP "
    "503 and Retry-After before the body is read, nothing was stored"};
}  // namespace errors

// Every error, in catalogue order. Codes and names are unique.
std::span<const HubError> AllErrors();

}  // namespace vxp::wire

#endif  // VXP_CORE_WIRE_ERRORS_H_
