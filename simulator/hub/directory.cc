#include "simulator/hub/directory.h"

#include <charconv>
#include <cstdlib>
#include <map>
#include <string>

#include "core/agency/agency_id.h"

namespace vxp::embedded {
extern const std::string_view directory_tsv;
}  // namespace vxp::embedded

namespace vxp::hub {

Result<std::vector<Agency>> ParseDirectory(std::string_view text) {
  std::vector<Agency> out;
  std::map<std::string, std::int64_t, std::less<>> ids;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto fail = [&](const std::string& what) {
      return MakeError("directory.line", "line " + std::to_string(line_no) + ": " + what);
    };
    std::vector<std::string_view> cols;
    for (size_t start = 0;;) {
      size_t tab = line.find('\t', start);
      cols.push_back(line.substr(start, tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (cols.size() != 5) {
      return fail(
          "expected 5 tab-separated columns (code, parent code, level, name, mail), found " +
          std::to_string(cols.size()));
    }
    Agency a;
    a.code = std::string(cols[0]);
    if (!agency::ParseStrict(a.code)) {
      return fail("'" + a.code + "' is not an agency identifier of the form 000.00.00.H53");
    }
    if (ids.contains(a.code)) return fail("'" + a.code + "' appears twice");
    a.pcode = std::string(cols[1]);
    if (!a.pcode.empty()) {
      auto parent = ids.find(a.pcode);
      if (parent == ids.end()) {
        return fail("parent '" + a.pcode + "' is not listed before '" + a.code + "'");
      }
      a.pid = parent->second;
    }
    auto [p, ec] = std::from_chars(cols[2].data(), cols[2].data() + cols[2].size(), a.level);
    if (ec != std::errc() || p != cols[2].data() + cols[2].size() || a.level < 1 || a.level > 4) {
      return fail("level '" + std::string(cols[2]) + "' is not 1, 2, 3 or 4");
    }
    a.name = std::string(cols[3]);
    if (a.name.empty()) return fail("'" + a.code + "' has no name");
    a.mail = std::string(cols[4]);
    a.id = static_cast<std::int64_t>(out.size()) + 1;
    ids.emplace(a.code, a.id);
    out.push_back(std::move(a));
  }
  return out;
}

const std::vector<Agency>& DefaultDirectory() {
  static const std::vector<Agency> directory = [] {
    auto parsed = ParseDirectory(embedded::directory_tsv);
    // The file is part of the build and tested; a broken one is a build defect.
    if (!parsed) std::abort();
    return *parsed;
  }();
  return directory;
}

}  // namespace vxp::hub
