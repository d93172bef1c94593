#include "core/common/utf8.h"

#include <cstdint>
#include <cstring>

namespace vxp {

size_t FindInvalidUtf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    if (i + 8 <= n) {
      uint64_t chunk;
      std::memcpy(&chunk, s + i, 8);
      if ((chunk & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

std::string EscapeInvalidUtf8(std::string_view bytes) {
  size_t bad = FindInvalidUtf8(bytes);
  if (bad == std::string_view::npos) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 16);
  while (bad != std::string_view::npos) {
    out.append(bytes.substr(0, bad));
    static constexpr char kHex[] = "0123456789ABCDEF";
    auto c = static_cast<unsigned char>(bytes[bad]);
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
    bytes.remove_prefix(bad + 1);
    bad = FindInvalidUtf8(bytes);
  }
  out.append(bytes);
  return out;
}

}  // namespace vxp
