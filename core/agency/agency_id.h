// Agency identifiers (mã định danh) of QCVN 102:2016, edxml.md §5.
//
// Form `V1V2V3.Z1Z2.Y1Y2.MX1X2`, read right to left: level 1 `MX1X2` (group letter + 2 digits),
// level 2 `Y1Y2`, level 3 `Z1Z2`, level 4 `V1V2V3`; unused lower levels are zero-filled. Pure
// functions over text; thread-safe.
#ifndef VXP_CORE_AGENCY_AGENCY_ID_H_
#define VXP_CORE_AGENCY_AGENCY_ID_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/finding.h"

namespace vxp::agency {

// A strictly conforming identifier, split into its levels.
struct AgencyId {
  char group = 0;  // level-1 group letter: 'G' ministries and government bodies, 'H' provinces…
  int level1 = 0;  // X1X2, the unit within the group (e.g. 53 in H53)
  int level2 = 0;  // Y1Y2
  int level3 = 0;  // Z1Z2
  int level4 = 0;  // V1V2V3
  // The deepest non-zero level (1..4): 1 for `000.00.00.H53`, 2 for `000.00.01.H53`.
  int depth = 1;
  // A non-zero level stands to the left of a zero level (e.g. `000.12.00.H53`).
  bool has_gap = false;

  std::string ToString() const;  // the canonical 13-character form
};

// Parses the strict form `^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$`.
// Returns nullopt when `text` is not of that form (legacy forms included).
std::optional<AgencyId> ParseStrict(std::string_view text);

// What a group letter stands for ("ministries and government bodies", "provinces and centrally
// run cities"), or "other state group" for letters the spec does not name.
std::string_view GroupName(char group);

namespace rules {
inline constexpr RuleInfo kEmpty{
    "AGENCY-5-EMPTY", Level::kMust, "QCVN 102:2016/BTTTT agency identifier (amended 2022)",
    "An agency identifier (OrganId) is present and not empty.", "<OrganId></OrganId>"};
inline constexpr RuleInfo kFormat{
    "AGENCY-5-FORMAT",
    Level::kMust,
    "QCVN 102:2016/BTTTT agency identifier (amended 2022)",
    "An agency identifier has the 13-character form V1V2V3.Z1Z2.Y1Y2.MX1X2 "
    "(regex ^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}$). In lenient mode legacy forms warn.",
    "28.22.H17 (legacy three-level form), 000.00.00.h53 (lower-case group letter)",
    /*lenient_warns=*/true};
inline constexpr RuleInfo kGap{
    "AGENCY-5-GAP", Level::kShould, "QCVN 102:2016/BTTTT agency identifier (amended 2022)",
    "Levels fill from level 1 leftwards: no non-zero level stands left of a zero level.",
    "000.12.00.H53 (level 3 set while level 2 is zero)"};
inline constexpr RuleInfo kAll[] = {kEmpty, kFormat, kGap};
}  // namespace rules

// Judges one identifier found at `where`. Returns no findings for a conforming identifier;
// otherwise AGENCY-5-EMPTY, AGENCY-5-FORMAT (WARN in lenient mode) or AGENCY-5-GAP.
std::vector<Finding> Check(std::string_view text, const Location& where, Strictness strictness);

}  // namespace vxp::agency

#endif  // VXP_CORE_AGENCY_AGENCY_ID_H_
