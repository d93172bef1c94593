// Fuzz target for everything that reads untrusted package bytes: LoadXml (safety limits,
// namespaces), ParsePackage, the schema tree builder, the rules, base64 — through Validate — and
// the serialiser on whatever parsed. Any crash, hang, sanitizer report or a package that does not
// survive Serialize → ParsePackage is a bug.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/edxml/parse.h"
#include "core/edxml/serialize.h"
#include "core/edxml/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  vxp::edxml::ValidateOptions options;
  options.limits.max_bytes = 1 << 20;
  options.rules.today = vxp::Date{2026, 11, 21};
  vxp::edxml::Judgement j = vxp::edxml::Validate(bytes, options);
  if (j.package) {
    auto out = vxp::edxml::Serialize(*j.package);
    if (out) {
      auto again = vxp::edxml::ParsePackage(*out);
      if (!again) std::abort();  // what vxpkit writes, vxpkit must read
    }
  }
  return 0;
}
