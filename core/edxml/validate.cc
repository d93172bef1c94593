#include "core/edxml/validate.h"

#include <algorithm>

#include "core/agency/agency_id.h"
#include "core/edxml/parse.h"
#include "core/edxml/schema.h"
#include "core/edxml/text_form.h"
#include "core/lifecycle/lifecycle.h"

namespace vxp::edxml {

std::string_view ToString(DetectedKind kind) {
  switch (kind) {
    case DetectedKind::kDocument:
      return "document";
    case DetectedKind::kStatus:
      return "status";
    case DetectedKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

ValidateOptions ReceiverOptions(std::optional<Date> today) {
  ValidateOptions o;
  o.rules.today = today;
  o.rules.strictness = Strictness::kLenient;
  o.rules.identifiers = Strictness::kStrict;
  o.rules.relay_traces_lenient = true;
  return o;
}

Judgement Validate(std::string_view bytes, const ValidateOptions& options) {
  auto parsed = ParsePackage(bytes, options.limits);
  if (!parsed) {
    Judgement out;
    out.findings.push_back(std::move(parsed.error()));
    out.verdict = Worst(out.findings);
    return out;
  }
  Judgement out = Judge(*parsed, options);
  out.package = std::move(parsed->package);
  return out;
}

Judgement Judge(const ParsedPackage& parsed, const ValidateOptions& options) {
  Judgement out;
  const PackageKind kind = parsed.package.kind();
  out.kind = kind == PackageKind::kStatus ? DetectedKind::kStatus : DetectedKind::kDocument;
  out.findings = parsed.findings;
  for (Finding& f : ValidateSchema(parsed.xml, kind, true, options.rules.strictness)) {
    out.findings.push_back(std::move(f));
  }
  for (Finding& f : CheckRules(parsed.package, options.rules, &parsed.xml)) {
    out.findings.push_back(std::move(f));
  }
  for (Finding& f : CheckTextForm(parsed.xml)) out.findings.push_back(std::move(f));
  std::stable_sort(
      out.findings.begin(), out.findings.end(),
      [](const Finding& a, const Finding& b) { return a.location.line < b.location.line; });
  out.verdict = Worst(out.findings);
  return out;
}

std::vector<RuleInfo> AllRules() {
  std::vector<RuleInfo> out = {rules::kXmlSize,       rules::kXmlUtf8,      rules::kXmlDtd,
                               rules::kXmlWellFormed, rules::kXmlElements,  rules::kXmlDepth,
                               rules::kXmlAttributes, rules::kXmlNamespace, rules::kRoot,
                               rules::kLegacyEdoc,    rules::kLegacyGovn,   rules::kUnqualified,
                               rules::kOrder,         rules::kXsd};
  for (const RuleInfo& r : InteropSchemaRules()) out.push_back(r);
  for (const RuleInfo& r : PackageRules()) out.push_back(r);
  out.push_back(rules::kTextNfc);
  for (const RuleInfo& r : agency::rules::kAll) out.push_back(r);
  for (const RuleInfo& r : lifecycle::rules::kAll) out.push_back(r);
  return out;
}

}  // namespace vxp::edxml
