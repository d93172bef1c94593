// Fuzz target for what the hub's `reserialize` relay mode and every receiver read from untrusted
// bytes: the ZIP reader (libarchive over a buffer, bounded: a bomb must stop at the limit) and
// the relay transformer (pugixml over a SUT's package). Any crash, hang or sanitizer report is a
// bug; so is a ZIP read that returns more bytes than its limit allows.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/edxml/relay.h"
#include "core/edxml/zip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  vxp::edxml::ZipLimits limits{.max_entries = 8, .max_total_bytes = 4 << 20};
  if (auto entries = vxp::edxml::ReadZip(bytes, limits)) {
    size_t total = 0;
    for (const auto& e : *entries) total += e.bytes.size();
    if (entries->size() > limits.max_entries || total > limits.max_total_bytes) std::abort();
  }
  auto relayed = vxp::edxml::Relay(
      bytes, vxp::edxml::RelayShape::LiveHub("000.00.00.G22", "2026/11/20 08:30:05"));
  (void)relayed;
  return 0;
}
