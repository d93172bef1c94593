// result.json: the one writer and the one reader of the result model (result_model.h), schema
// "vxpkit-result/1" (docs/result-schema.md). Also the JSON form of a finding every other output
// uses (`vxpkit validate --json`, the Python module), and the UTF-8 rules evidence follows.
// Pure functions; thread-safe.
#ifndef VXP_RESULTS_JSON_H_
#define VXP_RESULTS_JSON_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/common/finding.h"
#include "core/common/result.h"
#include "results/result_model.h"

namespace vxp::results {

// {"rule_id","level","verdict","message","location","line","expected","actual"}.
boost::json::object FindingJson(const Finding& finding);

// result.json's text (compact, ending in a newline). Every string that is not valid UTF-8 (text
// the SUT sent, quoted in a finding or a step) is written as its ISO-8859-1 reading.
std::string ToJson(const RunRecord& run);

// Reads result.json's text back into the model; ToJson(*ReadRunRecord(ToJson(r))) == ToJson(r).
// Errors "report.input": not JSON, another schema (named), or a field missing or of the wrong
// type (its path named, e.g. "scenarios[3].verdict").
Result<RunRecord> ReadRunRecord(std::string_view result_json);

// ---- UTF-8 in evidence.
// Whether `bytes` are valid UTF-8.
bool IsUtf8(std::string_view bytes);
// ISO-8859-1 bytes as UTF-8 text: each byte becomes the code point of its value, so the exact
// bytes come back by writing each code point as one byte. (The Java SDK sends header values this
// way: the low byte of each character.)
std::string Latin1ToUtf8(std::string_view bytes);
// Replaces every string in `v` that is not valid UTF-8 by its ISO-8859-1 reading.
void MakeUtf8(boost::json::value& v);

}  // namespace vxp::results

#endif  // VXP_RESULTS_JSON_H_
