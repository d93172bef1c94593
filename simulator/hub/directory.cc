#include "simulator/hub/directory.h"

#include <algorithm>
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

namespace {

std::string Digits(int n, int width) {
  std::string s = std::to_string(n);
  return std::string(static_cast<size_t>(std::max(0, width - static_cast<int>(s.size()))), '0') + s;
}

}  // namespace

std::vector<Agency> NationalDirectory(size_t count) {
  constexpr int kLevel2 = 40, kLevel3 = 8;
  std::vector<std::string> tops;
  for (int i = 1; i <= 30; ++i) tops.push_back("G" + Digits(i, 2));
  for (int i = 1; i <= 63; ++i) tops.push_back("H" + Digits(i, 2));
  std::vector<Agency> out;
  auto add = [&](std::string code, const std::string& pcode, int level, std::string name,
                 const std::string& top) {
    if (out.size() >= count) return false;
    Agency a;
    a.id = static_cast<std::int64_t>(out.size()) + 1;
    a.mail = "vanthu." + code + "@mock.gov.vn";
    a.code = std::move(code);
    a.pcode = pcode;
    a.level = level;
    a.name = std::move(name);
    a.system_id = "sys." + top;
    out.push_back(std::move(a));
    return true;
  };
  std::map<std::string, std::int64_t> ids;
  for (const std::string& top : tops) {
    add("000.00.00." + top, "", 1, (top[0] == 'G' ? "Bộ, ngành " : "Tỉnh, thành phố ") + top, top);
  }
  for (const std::string& top : tops) {
    for (int n = 1; n <= kLevel2; ++n) {
      add("000.00." + Digits(n, 2) + "." + top, "000.00.00." + top, 2,
          "Sở, ban số " + Digits(n, 2) + " – " + top, top);
    }
  }
  std::vector<size_t> level3;
  for (const std::string& top : tops) {
    for (int n = 1; n <= kLevel2; ++n) {
      for (int m = 1; m <= kLevel3; ++m) {
        std::string tail = Digits(m, 2) + "." + Digits(n, 2) + "." + top;
        if (add("000." + tail, "000.00." + Digits(n, 2) + "." + top, 3, "Đơn vị cấp 3 số " + tail,
                top)) {
          level3.push_back(out.size() - 1);
        }
      }
    }
  }
  for (size_t t = 0; !level3.empty() && out.size() < count && t / level3.size() < 999; ++t) {
    const Agency& parent = out[level3[t % level3.size()]];
    std::string code = Digits(static_cast<int>(t / level3.size()) + 1, 3) + parent.code.substr(3);
    std::string pcode = parent.code, top = parent.code.substr(parent.code.size() - 3);
    add(code, pcode, 4, "Đơn vị cấp 4 " + code, top);
  }
  for (Agency& a : out) ids.emplace(a.code, a.id);
  for (Agency& a : out) a.pid = a.pcode.empty() ? 0 : ids[a.pcode];
  return out;
}

std::string DirectoryTsv(const std::vector<Agency>& agencies) {
  std::string out = "# code\tparent\tlevel\tname\tmail\n";
  for (const Agency& a : agencies) {
    out += a.code + "\t" + a.pcode + "\t" + std::to_string(a.level) + "\t" + a.name + "\t" +
           a.mail + "\n";
  }
  return out;
}

}  // namespace vxp::hub
