// conformance/requirements.csv: RFC 4180 CSV (fields may be double-quoted, "" inside quotes).
#include <sstream>

#include "conformance/common.h"

namespace vxp::conformance {
namespace {

// Splits one record; false when a quote is not closed.
bool SplitRecord(std::string_view line, std::vector<std::string>* fields) {
  fields->clear();
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields->push_back(std::move(field));
      field.clear();
    } else {
      field += c;
    }
  }
  fields->push_back(std::move(field));
  return !quoted;
}

}  // namespace

Result<std::vector<harness::Requirement>> ParseRequirements(std::string_view csv) {
  std::vector<harness::Requirement> out;
  std::vector<std::string> f;
  int line_no = 0;
  while (!csv.empty()) {
    size_t nl = csv.find('\n');
    std::string_view line = csv.substr(0, nl);
    csv = nl == std::string_view::npos ? std::string_view() : csv.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto error = [&](const std::string& what) {
      return MakeError("conformance.requirements",
                       "requirements.csv line " + std::to_string(line_no) + ": " + what);
    };
    if (!SplitRecord(line, &f)) return error("a quoted field is not closed");
    if (f.size() != 6) return error("6 fields expected, found " + std::to_string(f.size()));
    if (line_no == 1) {
      if (f[0] != "id" || f[5] != "not_tested") return error("the header is not the expected one");
      continue;
    }
    harness::Requirement r;
    r.id = f[0];
    if (f[1] == "MUST") {
      r.level = Level::kMust;
    } else if (f[1] == "SHOULD") {
      r.level = Level::kShould;
    } else if (f[1] == "MAY") {
      r.level = Level::kMay;
    } else {
      return error("level '" + f[1] + "' is not MUST, SHOULD or MAY");
    }
    r.source = f[2];
    r.summary = f[3];
    std::istringstream ids(f[4]);
    for (std::string id; ids >> id;) r.tested_by.push_back(id);
    r.not_tested = f[5];
    if (r.id.empty() || r.summary.empty()) return error("id and summary are required");
    if (r.tested_by.empty() == r.not_tested.empty()) {
      return error(r.id + ": give either tested_by or a not_tested reason, not both or neither");
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace vxp::conformance
