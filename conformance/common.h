// Steps the scenarios share: sending a package and waiting for the SUT's answer, judging a
// rejection or an acceptance, building business documents, asking the SUT to send. Each records
// its findings (with the requirement it checks) and steps in the Context; each returns whether
// the scenario can go on.
#ifndef VXP_CONFORMANCE_COMMON_H_
#define VXP_CONFORMANCE_COMMON_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/edxml/model.h"
#include "core/edxml/relay.h"
#include "core/edxml/validate.h"
#include "harness/context.h"
#include "harness/scenario.h"

namespace vxp::conformance {

using harness::Context;
using harness::Delivered;
using harness::Scenario;

// How a conforming receiver judges `bytes` (edxml::ReceiverOptions, signatures at the test PKI's
// pinned time, signed PDFs required): what the reference agency does, and what the scenarios
// check their own packages against before sending them.
edxml::Judgement ReceiverJudgement(const Context& ctx, std::string_view bytes);

// What the SUT has said so far about documents, in plain words: "01 → 000.00.00.G22 about
// '…'; 03 …", or "no status at all" — the `actual` of a missed answer.
std::string Seen(const Context& ctx);

// Why the SUT's delivery `d` (hub status `status`) is not acknowledged, in plain words: the hub
// refused its updateStatus (with each refusal's ErrorCode and reason), or it never sent one.
std::string NotAcknowledged(const Context& ctx, const Delivered& d, std::string_view status);

// When the SUT answered, but not about `document_id` to `to` (another document in
// ResponseFor/DocumentId, another party, or a status the hub refused), says so status by status;
// "" when the SUT sent no such status. A missed answer's `actual` then names the real cause.
std::string MissedAnswer(const Context& ctx, std::string_view document_id, std::string_view to);

// Waits (deadline "fetch") until the SUT fetched `d`. A miss is API-FETCH.
bool AwaitFetch(Context& ctx, const Delivered& d, std::string_view what);
// Waits (deadline "ack", waiting for `what`) until the SUT acknowledged `d` (done or fail). True
// when it did; `status` is the delivery's status as last seen ("" when it was never seen). A miss
// is recorded by the caller.
bool AwaitAcknowledged(Context& ctx, const Delivered& d, std::string_view what,
                       std::string& status);

// Waits until one of `codes` about `document_id` reached `to`. True when one did.
bool AwaitCode(Context& ctx, std::string_view document_id, std::string_view to,
               const std::vector<std::string>& codes, std::string_view deadline,
               std::chrono::milliseconds budget);

// Sends a valid new document and expects it accepted: fetched (fetch), 01 (arrived), then 03
// (answer), with no 02. Returns the DocumentId when it was accepted. With `shape` (bytes shaped
// as the live hub delivers them, described in plain words) the bytes are placed in the SUT's
// queue as relayed, and a 02 fails RECV-PRODUCTION-SHAPES naming the shape.
std::optional<std::string> ExpectAccepted(Context& ctx, const std::string& name,
                                          const edxml::Package& package,
                                          const std::string& bytes = "",
                                          const std::string& shape = "");

// Delivers `package` (a valid document from peer(0)) to the SUT shaped as the live hub delivers it
// (edxml::Relay with `shape`, placed in the SUT's queue) and expects it accepted like any valid
// document: fetched, 01, then 03. A 02 fails RECV-PRODUCTION-SHAPES naming the shape and the
// SUT's reason. First checks that a conforming receiver accepts the shaped bytes (ERROR
// otherwise: a defect of vxpkit). `bytes` replaces the package's own serialisation when given.
// `what` names a shape the sender chose (e.g. "a UUID DocumentId") besides the relay's changes.
void ExpectProductionShapeAccepted(Context& ctx, const std::string& name,
                                   const edxml::Package& package, const edxml::RelayShape& shape,
                                   const std::string& bytes = "", const std::string& what = "");

// Sends `bytes` (a document from peer(0) with DocumentId `document_id`) that breaks `rule`, and
// expects it rejected: 02 with a reason within fetch + arrived + answer, never 03, nothing after
// 02 within the quiet window. First checks with the core that the package really breaks `rule`
// (ERROR otherwise: a defect of vxpkit, not of the SUT). `requirement` is what a 03 breaks. The
// last step of a scenario: the quiet window lingers (Context::Linger).
void ExpectRejected(Context& ctx, const std::string& name, const std::string& bytes,
                    const std::string& document_id, const std::string& rule,
                    const std::string& requirement);
// ExpectRejected in two halves, for a scenario that sends several such packages one after
// another and then watches one quiet window for all of them (each package's window is then the
// rest of the scenario, never shorter): SendRejected checks, sends and waits for the answer as
// ExpectRejected does, and is true when one came (02 or 03); after the window, JudgeRejected
// judges that answer (no 03, a reason with the 02).
bool SendRejected(Context& ctx, const std::string& name, const std::string& bytes,
                  const std::string& document_id, const std::string& rule,
                  const std::string& requirement);
void JudgeRejected(Context& ctx, const std::string& document_id, const std::string& rule,
                   const std::string& requirement);

// A package that is not readable as a QCVN 102:2016 document, placed in the SUT's queue: it must
// be acknowledged "fail", or answered 02 with a reason; never 03, never silently "done".
void ExpectUnreadable(Context& ctx, const std::string& name, const std::string& bytes);

// A new, valid document (Context::NewDocument) whose PromulgationDate is written 2026-11-21 instead
// of 2026/11/21: it breaks EDXML-HDR-1.4-DATE and nothing else.
edxml::Package BadDateDocument(Context& ctx);

// Sends `package` (a document from peer(0)) and waits for the fetch, then for 02 or 03 to the
// sender (arrived + answer). A miss is recorded against `requirement`, expecting `expected`.
// True when an answer came.
bool SendAndAwaitAnswer(Context& ctx, const std::string& name, const edxml::Package& package,
                        const std::string& requirement, const std::string& expected);

// Feeds the statuses the hub accepted from the SUT about `document_id` (only those going to `to`,
// unless it is "") to the lifecycle judge and records its findings (only those of `rule`, unless
// it is ""). Returns the codes judged, in order, separated by spaces.
std::string JudgeLifecycle(Context& ctx, const std::string& document_id, std::string_view to,
                           std::string_view rule);

// How many times `code` occurs in `codes`.
int CountOf(const std::vector<std::string>& codes, std::string_view code);

// Puts the hub faults `specs` (faults.h form) in force for the rest of the scenario, sends a valid
// document and expects it answered 01 and 03 exactly once within fetch + arrived + answer plus
// three times the hub latency. A document never answered is API-RETRY; one answered more than
// once is `once_requirement`.
void ExpectAnsweredOnceDespite(Context& ctx, const std::vector<std::string>& specs,
                               const std::string& once_requirement);

// A test PDF showing `lines`, signed at the test PKI's pinned time with the built-in credential
// `credential` (test_pki::BuiltInCredential). "" after recording an ERROR.
std::string PdfSignedBy(Context& ctx, std::string_view credential,
                        const std::vector<std::string>& lines);
// A new document from peer(0) whose attachment is `pdf`; rejected by the SUT for `rule`.
void ExpectPdfRejected(Context& ctx, const std::string& name, const std::string& pdf,
                       const std::string& rule);
// `package` signed (XML-DSig envelope) with the built-in agency-g22 credential.
std::string SignedEnvelope(Context& ctx, const edxml::Package& package);

// A revoke (1), update (2) or replace (3) document from peer(0) acting on `original`.
edxml::Package RequestDocument(Context& ctx, int type, const edxml::Package& original,
                               const std::string& reason);

// Sends `original`, waits for it to be accepted, then sends `request` (from RequestDocument) and
// expects 01 then 15 or 16 (16 with a reason) about the request; for a revoke answered 15, also
// that nothing about the original follows in the quiet window.
void ExpectRequestAnswered(Context& ctx, int type);

// After the SUT agreed (`agreed`, a 15) to a recall or revoke of `document_id`, lets the quiet
// window pass and fails LIFE-CANCELLED for every 04, 05 or 06 about that document that follows the
// 15 (edxml.md §8.3), then records what the SUT said. `request` names what was agreed to
// ("recall", "revoke") in the message. The last step of a scenario: the window lingers
// (Context::Linger).
void ExpectNothingAfterCancel(Context& ctx, const std::string& document_id,
                              const harness::SutStatus& agreed, std::string_view request);

// Asks the SUT (driver or operator) to send a new document to `to` and waits (deadline
// "outbound") for the package at the hub, accepted or refused. nullopt after recording the miss
// against `requirement`.
std::optional<harness::SutPackage> AskToSend(Context& ctx, const std::vector<std::string>& to,
                                             const std::string& requirement);

// The hub's status deliveries to the SUT's agency created since `since` (ms): items it must fetch
// and acknowledge.
std::vector<hub::Delivery> StatusItemsToSut(Context& ctx, wire::Millis since);

// The catalogue, in run order (the sanity scenario first), and the requirements registry
// (conformance/requirements.csv).
const std::vector<Scenario>& Catalogue();
const std::vector<harness::Requirement>& Requirements();
// Parses requirements CSV text (header id,level,source,summary,tested_by,not_tested; fields may
// be double-quoted; tested_by separates IDs with spaces). Error "conformance.requirements" naming
// the line.
Result<std::vector<harness::Requirement>> ParseRequirements(std::string_view csv);

}  // namespace vxp::conformance

#endif  // VXP_CONFORMANCE_COMMON_H_
