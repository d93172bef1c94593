#include "core/agency/agency_id.h"

#include <cstdio>

#include "core/common/text.h"

namespace vxp::agency {

std::string AgencyId::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d.%02d.%02d.%c%02d", level4, level3, level2, group, level1);
  return buf;
}

std::optional<AgencyId> ParseStrict(std::string_view text) {
  if (text.size() != 13 || text[3] != '.' || text[6] != '.' || text[9] != '.') return std::nullopt;
  if (text[10] < 'A' || text[10] > 'Z') return std::nullopt;
  auto v = FixedDigits(text, 0, 3);
  auto z = FixedDigits(text, 4, 2);
  auto y = FixedDigits(text, 7, 2);
  auto x = FixedDigits(text, 11, 2);
  if (!v || !z || !y || !x) return std::nullopt;
  AgencyId id{text[10], *x, *y, *z, *v};
  const int levels[] = {id.level1, id.level2, id.level3, id.level4};
  for (int i = 1; i < 4; ++i) {
    if (levels[i] != 0) id.depth = i + 1;
  }
  for (int i = 1; i < id.depth; ++i) {
    if (levels[i] == 0) id.has_gap = true;
  }
  return id;
}

std::string_view GroupName(char group) {
  switch (group) {
    case 'G':
      return "ministries and government bodies";
    case 'H':
      return "provinces and centrally run cities";
    default:
      return "other state group";
  }
}

std::vector<Finding> Check(std::string_view text, const Location& where, Strictness strictness) {
  std::vector<Finding> out;
  if (text.empty()) {
    out.push_back(MakeFinding(rules::kEmpty, where, "the agency identifier is empty",
                              "an identifier such as 000.00.00.H53", "(empty)"));
    return out;
  }
  auto id = ParseStrict(text);
  if (!id) {
    out.push_back(
        MakeFinding(rules::kFormat, where,
                    "agency identifier '" + std::string(text) +
                        "' is not of the form V1V2V3.Z1Z2.Y1Y2.MX1X2 (e.g. 000.00.00.H53)",
                    "13 characters: 3 digits, '.', 2 digits, '.', 2 digits, '.', an upper-case "
                    "letter, 2 digits",
                    std::string(text), strictness));
    return out;
  }
  if (id->has_gap) {
    out.push_back(MakeFinding(rules::kGap, where,
                              "agency identifier '" + std::string(text) +
                                  "' has a non-zero level to the left of a zero level",
                              "levels filled from level 1 leftwards", std::string(text)));
  }
  return out;
}

}  // namespace vxp::agency
