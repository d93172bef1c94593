#include "core/edxml/text_form.h"

#include <unicode/normalizer2.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <pugixml.hpp>

namespace vxp::edxml {
namespace {

constexpr size_t kMaxFindings = 20;

// Whether every byte is below 0x80: eight at a time, as base64 attachments are megabytes of it.
bool Ascii(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  std::uint64_t high = 0;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    high |= word;
  }
  for (; n > 0; ++p, --n) high |= static_cast<unsigned char>(*p);
  return (high & 0x8080808080808080ULL) == 0;
}

const UNormalizer2* Nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfc = unorm2_getNFCInstance(&status);
  return U_SUCCESS(status) ? nfc : nullptr;
}

std::u16string ToUtf16(std::string_view utf8, bool* ok) {
  std::u16string out(utf8.size(), u'\0');
  int32_t length = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strFromUTF8(reinterpret_cast<UChar*>(out.data()), static_cast<int32_t>(out.size()), &length,
                utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  *ok = U_SUCCESS(status);
  out.resize(*ok ? static_cast<size_t>(length) : 0);
  return out;
}

std::string ToUtf8(std::u16string_view utf16) {
  std::string out(utf16.size() * 3, '\0');
  int32_t length = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &length,
              reinterpret_cast<const UChar*>(utf16.data()), static_cast<int32_t>(utf16.size()),
              &status);
  out.resize(U_SUCCESS(status) ? static_cast<size_t>(length) : 0);
  return out;
}

// "e U+0302 U+0300": each code point, a letter as itself and a combining mark by its number.
std::string Spelled(std::u16string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    UChar32 c;
    U16_NEXT(text.data(), i, text.size(), c);
    if (!out.empty()) out += ' ';
    if (c < 0x80 || u_charType(c) != U_NON_SPACING_MARK) {
      char16_t units[2];
      size_t n = 0;
      U16_APPEND_UNSAFE(units, n, c);
      out += ToUtf8(std::u16string_view(units, n));
    } else {
      char hex[16];
      std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
      out += hex;
    }
  }
  return out;
}

// NFC works segment by segment: a segment starts at a character with a boundary before it and
// runs to the next one (a base letter and its combining marks). The end of the segment at `at`.
size_t SegmentEnd(const UNormalizer2* nfc, std::u16string_view text, size_t at) {
  size_t i = at;
  UChar32 c;
  U16_NEXT(text.data(), i, text.size(), c);
  while (i < text.size()) {
    size_t next = i;
    U16_NEXT(text.data(), next, text.size(), c);
    if (unorm2_hasBoundaryBefore(nfc, c)) break;
    i = next;
  }
  return i;
}

std::u16string Normalized(const UNormalizer2* nfc, std::u16string_view text) {
  std::u16string out(text.size() * 3 + 4, u'\0');
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = unorm2_normalize(
      nfc, reinterpret_cast<const UChar*>(text.data()), static_cast<int32_t>(text.size()),
      reinterpret_cast<UChar*>(out.data()), static_cast<int32_t>(out.size()), &status);
  out.resize(U_SUCCESS(status) ? static_cast<size_t>(n) : 0);
  return out;
}

// The first segment NFC writes otherwise: [begin, end) in UTF-16 units, or begin == npos.
std::pair<size_t, size_t> FirstChanged(const UNormalizer2* nfc, std::u16string_view text) {
  for (size_t b = 0; b < text.size();) {
    size_t e = SegmentEnd(nfc, text, b);
    std::u16string_view segment = text.substr(b, e - b);
    if (Normalized(nfc, segment) != segment) return {b, e};
    b = e;
  }
  return {std::u16string_view::npos, 0};
}

}  // namespace

size_t FirstNonNfc(std::string_view utf8) {
  if (Ascii(utf8)) return std::string_view::npos;
  // Most text is NFC: decided on the UTF-8 as it is, without converting it.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc8 = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string_view::npos;
  bool normalized = nfc8->isNormalizedUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), status);
  if (U_FAILURE(status) || normalized) return std::string_view::npos;
  const UNormalizer2* nfc = Nfc();
  bool ok = false;
  std::u16string text = ToUtf16(utf8, &ok);
  if (nfc == nullptr || !ok) return std::string_view::npos;
  auto [begin, end] = FirstChanged(nfc, text);
  if (begin == std::u16string_view::npos) return std::string_view::npos;
  return ToUtf8(std::u16string_view(text).substr(0, begin)).size();
}

std::string ToNfd(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfd = unorm2_getNFDInstance(&status);
  bool ok = false;
  std::u16string text = ToUtf16(utf8, &ok);
  if (U_FAILURE(status) || !ok) return std::string(utf8);
  std::u16string out(text.size() * 4 + 4, u'\0');
  int32_t n = unorm2_normalize(
      nfd, reinterpret_cast<const UChar*>(text.data()), static_cast<int32_t>(text.size()),
      reinterpret_cast<UChar*>(out.data()), static_cast<int32_t>(out.size()), &status);
  if (U_FAILURE(status)) return std::string(utf8);
  return ToUtf8(std::u16string_view(out).substr(0, static_cast<size_t>(n)));
}

std::vector<Finding> CheckTextForm(const XmlDoc& xml) {
  std::vector<Finding> out;
  const UNormalizer2* nfc = Nfc();
  if (nfc == nullptr) return out;
  auto judge = [&](pugi::xml_node element, std::string_view where, std::string_view text) {
    if (out.size() >= kMaxFindings) return;
    size_t at = FirstNonNfc(text);
    if (at == std::string_view::npos) return;
    bool ok = false;
    std::u16string rest = ToUtf16(text.substr(at), &ok);
    if (!ok || rest.empty()) return;
    std::u16string written = rest.substr(0, SegmentEnd(nfc, rest, 0));
    std::u16string composed = Normalized(nfc, written);
    out.push_back(MakeFinding(
        rules::kTextNfc, {xml.PathOf(element), xml.Line(element)},
        std::string(where) + " is in decomposed Unicode (NFD): '" + ToUtf8(written) +
            "' is written as " + Spelled(written) + " where TCVN 6909:2001 writes " +
            Spelled(composed) + "; the same word in NFC does not match it in search or comparison",
        "precomposed text (NFC): " + Spelled(composed), "decomposed: " + Spelled(written)));
  };
  struct Walker : pugi::xml_tree_walker {
    std::function<void(pugi::xml_node, std::string_view, std::string_view)> judge;
    bool for_each(pugi::xml_node& node) override {
      if (node.type() == pugi::node_element) {
        for (pugi::xml_attribute a : node.attributes()) {
          judge(node, "the attribute " + std::string(a.name()), a.value());
        }
      } else if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
        judge(node.parent(), "the text", node.value());
      }
      return true;
    }
  } walker;
  walker.judge = judge;
  pugi::xml_node root = xml.Root().node;
  if (root) {
    pugi::xml_node element = root;
    walker.for_each(element);
    root.traverse(walker);
  }
  return out;
}

}  // namespace vxp::edxml
