// ZIP archives in attachments. The VNPT library wraps attachments other than pdf/doc/docx/xls/
// xlsx/zip in a one-entry ZIP, and the live hub may zip a PDF in transit (application/zip), so a
// receiver must look inside (edxml.md §6). Reading is bounded: the bytes are untrusted.
//
// In memory only (libarchive over a buffer); pure functions; thread-safe.
#ifndef VXP_CORE_EDXML_ZIP_H_
#define VXP_CORE_EDXML_ZIP_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace vxp::edxml {

struct ZipEntry {
  std::string name;
  std::string bytes;
};

struct ZipLimits {
  size_t max_entries = 64;
  size_t max_total_bytes = size_t{100} << 20;  // uncompressed, all entries (edxml.md §6 decision)
};

// Whether `bytes` start like a ZIP archive (a local file header, "PK\3\4").
bool LooksLikeZip(std::string_view bytes);

// The files of a ZIP archive, in archive order (directories skipped). Errors "edxml.zip": not a
// readable ZIP (with libarchive's reason), more entries or more uncompressed bytes than `limits`
// allow (a ZIP bomb stops there, nothing more is inflated), an encrypted entry.
Result<std::vector<ZipEntry>> ReadZip(std::string_view bytes, const ZipLimits& limits = {});

// A ZIP archive holding `bytes` as one deflated file `name`, as the VNPT library writes one.
// Error "edxml.zip" when libarchive refuses.
Result<std::string> ZipOne(std::string_view name, std::string_view bytes);

// A ZIP archive of `entries` (names may hold '/'), in that order, every date the epoch so that the
// same files give the same bytes. Error "edxml.zip" when libarchive refuses.
Result<std::string> Zip(const std::vector<ZipEntry>& entries);

}  // namespace vxp::edxml

#endif  // VXP_CORE_EDXML_ZIP_H_
