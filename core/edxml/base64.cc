#include "core/edxml/base64.h"

#include <array>

namespace vxp::edxml {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kInvalid = 0xFF;
constexpr uint8_t kSpace = 0xFE;

constexpr std::array<uint8_t, 256> MakeTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = kInvalid;
  for (uint8_t i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = i;
  t[' '] = t['\t'] = t['\r'] = t['\n'] = kSpace;
  return t;
}
constexpr std::array<uint8_t, 256> kTable = MakeTable();

}  // namespace

tl::expected<size_t, Base64Problem> DecodeBase64(
    std::string_view text, const std::function<void(std::string_view)>& sink) {
  constexpr size_t kChunk = 48 * 1024;
  std::string buffer;
  if (sink) buffer.reserve(kChunk + 3);
  size_t total = 0;
  uint32_t quad = 0;
  int have = 0;     // sextets in `quad`
  int padding = 0;  // '=' seen
  size_t i = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  for (; i < text.size(); ++i) {
    // Fast path: whole groups of four alphabet characters at a group boundary (the common case:
    // one unbroken base64 line). Anything else — spaces, padding, bad bytes — takes the careful
    // path below, one character at a time.
    if (have == 0) {
      while (i + 4 <= text.size()) {
        uint8_t a = kTable[s[i]], b = kTable[s[i + 1]], c = kTable[s[i + 2]], d = kTable[s[i + 3]];
        if ((a | b | c | d) & 0xC0) break;
        uint32_t v = (uint32_t{a} << 18) | (uint32_t{b} << 12) | (uint32_t{c} << 6) | d;
        if (sink) {
          char out[3] = {static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                         static_cast<char>(v)};
          buffer.append(out, 3);
          if (buffer.size() >= kChunk) {
            sink(buffer);
            buffer.clear();
          }
        }
        total += 3;
        i += 4;
      }
      if (i >= text.size()) break;
    }
    uint8_t c = static_cast<uint8_t>(text[i]);
    uint8_t v = kTable[c];
    if (v == kSpace) continue;
    if (c == '=') {
      if (have < 2) return tl::unexpected(Base64Problem{i, "'=' padding too early in a group"});
      ++padding;
      if (have + padding > 4) return tl::unexpected(Base64Problem{i, "too much '=' padding"});
      continue;
    }
    if (v == kInvalid) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      return tl::unexpected(Base64Problem{i, std::string("byte ") + hex + " is not base64"});
    }
    if (padding) return tl::unexpected(Base64Problem{i, "data after '=' padding"});
    quad = (quad << 6) | v;
    if (++have == 4) {
      char out[3] = {static_cast<char>(quad >> 16), static_cast<char>(quad >> 8),
                     static_cast<char>(quad)};
      if (sink) buffer.append(out, 3);
      total += 3;
      quad = 0;
      have = 0;
      if (sink && buffer.size() >= kChunk) {
        sink(buffer);
        buffer.clear();
      }
    }
  }
  if (have + padding != 0 && have + padding != 4) {
    return tl::unexpected(Base64Problem{text.size(), "the text ends in the middle of a group"});
  }
  if (have == 1) return tl::unexpected(Base64Problem{text.size(), "a lone sextet at the end"});
  if (have >= 2) {
    // Bits that do not belong to a full output byte must be zero (canonical encoding).
    int bytes = have - 1;
    uint32_t bits = quad << (6 * (4 - have));
    if ((have == 2 && (bits & 0xFFFF)) || (have == 3 && (bits & 0xFF))) {
      return tl::unexpected(Base64Problem{text.size(), "non-zero bits in the final group"});
    }
    char out[2] = {static_cast<char>(bits >> 16), static_cast<char>(bits >> 8)};
    if (sink) buffer.append(out, static_cast<size_t>(bytes));
    total += static_cast<size_t>(bytes);
  }
  if (sink && !buffer.empty()) sink(buffer);
  return total;
}

Result<std::string> DecodeBase64ToString(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  auto r = DecodeBase64(text, [&](std::string_view chunk) { out.append(chunk); });
  if (!r) {
    return MakeError("edxml.base64",
                     r.error().reason + " at offset " + std::to_string(r.error().offset));
  }
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t v = at(i) << 16;
    if (rest == 2) v |= at(i + 1) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace vxp::edxml
