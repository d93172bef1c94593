// Fuzz target for vxpkit's own C14N (core/signing/c14n.h), differential: on any input it accepts,
// its canonical form of each subset the signature path uses (the whole document, the document
// less the Signature, SignedInfo alone), in both modes, must be byte-identical to libxml2's, and
// libxml2 must accept the input too. A difference is a bug that could let an altered package pass
// as signed; so is a crash, a hang or a sanitizer report. And when c14n::FaithfulAsLoaded lets the
// signature check reuse edxml::LoadXml's tree, ParseFaithful must accept the input too and both
// trees must canonicalise the document less its Signature identically.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/edxml/model.h"
#include "core/edxml/xml_doc.h"
#include "core/signing/c14n.h"
#include "core/signing/c14n_reference.h"

namespace {

std::optional<std::string> LessSignature(const pugi::xml_document& doc,
                                         vxp::signing::c14n::Mode mode) {
  namespace c14n = vxp::signing::c14n;
  std::string out;
  pugi::xml_node sig = c14n::FirstElement(doc, "Signature", vxp::edxml::kXmlDsigNamespace);
  if (!c14n::Canonicalize(doc, {.excluded = sig}, mode, [&](std::string_view b) { out += b; })) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (256 << 10)) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  using vxp::signing::c14n::Mode;
  struct Subset {
    bool exclude;
    std::string_view local, ns;
  };
  constexpr Subset kSubsets[] = {{true, "", ""},
                                 {true, "Signature", vxp::edxml::kXmlDsigNamespace},
                                 {false, "SignedInfo", vxp::edxml::kXmlDsigNamespace}};
  for (Mode mode : {Mode::kInclusive, Mode::kExclusive}) {
    for (const Subset& s : kSubsets) {
      auto both = vxp::signing::c14n::CanonicalizeBoth(bytes, s.exclude, s.local, s.ns, mode);
      if (both.own && (!both.libxml || *both.own != *both.libxml)) std::abort();
    }
  }
  auto loaded = vxp::edxml::LoadXml(bytes);
  if (loaded && vxp::signing::c14n::FaithfulAsLoaded(bytes, loaded->Tree())) {
    pugi::xml_document faithful;
    if (!vxp::signing::c14n::ParseFaithful(bytes, &faithful)) std::abort();
    for (Mode mode : {Mode::kInclusive, Mode::kExclusive}) {
      if (LessSignature(loaded->Tree(), mode) != LessSignature(faithful, mode)) std::abort();
    }
  }
  return 0;
}
