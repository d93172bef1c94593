// Judging one package file: load (safety and well-formedness), parse, schema, rules.
// Signatures are judged by the signing layer, not here. Pure function of the bytes and options;
// thread-safe.
#ifndef VXP_CORE_EDXML_VALIDATE_H_
#define VXP_CORE_EDXML_VALIDATE_H_

#include <optional>
#include <string_view>
#include <vector>

#include "core/common/finding.h"
#include "core/edxml/model.h"
#include "core/edxml/parse.h"
#include "core/edxml/rules.h"
#include "core/edxml/xml_doc.h"

namespace vxp::edxml {

struct ValidateOptions {
  ParseLimits limits;
  RuleOptions rules;
};

// How a conforming receiver judges a document the hub delivered (the reference agency's
// judgement, and the harness's check that a package it sends is acceptable or not): interop
// (lenient) for what re-serialisation and relays produce — EDXML-INTEROP-* deviations and the
// identifiers of TraceHeaders hubs append are WARN — and the standard for the identifiers the
// sender wrote itself.
ValidateOptions ReceiverOptions(std::optional<Date> today);

enum class DetectedKind { kDocument, kStatus, kUnknown };
std::string_view ToString(DetectedKind kind);  // "document", "status", "unknown"

struct Judgement {
  DetectedKind kind = DetectedKind::kUnknown;
  Verdict verdict = Verdict::kPass;  // PASS, WARN or FAIL (ERROR only for a fault of vxpkit)
  std::vector<Finding> findings;     // in source-line order
  std::optional<Package> package;    // the parsed model, when the bytes were an edXML package
};

// Judges `bytes`. Never fails and never throws: bytes that are not XML, hostile XML and files that
// are not edXML come back as findings (kind "unknown"), not as errors.
Judgement Validate(std::string_view bytes, const ValidateOptions& options = {});
// The same judgement of a package already parsed with ParsePackage (so that a caller that has
// parsed it — the hub, the harness's observer — does not parse again). The parse limits of
// `options` are not used; `package` of the result is left empty (the caller has it).
Judgement Judge(const ParsedPackage& parsed, const ValidateOptions& options = {});

// Every rule vxpkit's core can report (XML safety, structure, schema, package rules, agency
// identifiers, lifecycle), in catalogue order. IDs are unique.
std::vector<RuleInfo> AllRules();

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_VALIDATE_H_
