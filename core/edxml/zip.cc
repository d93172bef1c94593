#include "core/edxml/zip.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace vxp::edxml {
namespace {

struct ReadCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriteCloser {
  void operator()(archive* a) const { archive_write_free(a); }
};

std::string Reason(archive* a) {
  const char* s = archive_error_string(a);
  return s != nullptr ? s : "unknown libarchive error";
}

}  // namespace

bool LooksLikeZip(std::string_view bytes) {
  return bytes.starts_with(std::string_view("PK\3\4", 4));
}

Result<std::vector<ZipEntry>> ReadZip(std::string_view bytes, const ZipLimits& limits) {
  std::unique_ptr<archive, ReadCloser> a(archive_read_new());
  archive_read_support_format_zip(a.get());
  archive_read_support_filter_none(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    return MakeError("edxml.zip", "not a readable ZIP archive: " + Reason(a.get()));
  }
  std::vector<ZipEntry> out;
  size_t total = 0;
  archive_entry* entry = nullptr;
  for (;;) {
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      return MakeError("edxml.zip", "a ZIP entry header does not read: " + Reason(a.get()));
    }
    if (archive_entry_filetype(entry) == AE_IFDIR) continue;
    if (archive_entry_is_encrypted(entry)) {
      return MakeError("edxml.zip", "the ZIP entry is encrypted");
    }
    if (out.size() == limits.max_entries) {
      return MakeError("edxml.zip", "the ZIP archive has more than " +
                                        std::to_string(limits.max_entries) + " entries");
    }
    ZipEntry e;
    const char* name = archive_entry_pathname(entry);
    e.name = name != nullptr ? name : "";
    char buf[64 * 1024];
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), buf, sizeof buf);
      if (n == 0) break;
      if (n < 0)
        return MakeError("edxml.zip", "'" + e.name + "' does not inflate: " + Reason(a.get()));
      total += static_cast<size_t>(n);
      if (total > limits.max_total_bytes) {
        return MakeError("edxml.zip", "the ZIP archive inflates to more than " +
                                          std::to_string(limits.max_total_bytes) + " bytes");
      }
      e.bytes.append(buf, static_cast<size_t>(n));
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::string> ZipOne(std::string_view name, std::string_view bytes) {
  return Zip({ZipEntry{std::string(name), std::string(bytes)}});
}

Result<std::string> Zip(const std::vector<ZipEntry>& entries) {
  std::unique_ptr<archive, WriteCloser> a(archive_write_new());
  archive_write_set_format_zip(a.get());
  std::string out;
  auto write = [](archive*, void* client, const void* data, size_t n) -> la_ssize_t {
    static_cast<std::string*>(client)->append(static_cast<const char*>(data), n);
    return static_cast<la_ssize_t>(n);
  };
  archive_write_set_bytes_per_block(a.get(), 0);
  if (archive_write_open(a.get(), &out, nullptr, write, nullptr) != ARCHIVE_OK) {
    return MakeError("edxml.zip", "cannot start a ZIP archive: " + Reason(a.get()));
  }
  for (const ZipEntry& e : entries) {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(),
                                                                   archive_entry_free);
    archive_entry_set_pathname(entry.get(), e.name.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(e.bytes.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_mtime(entry.get(), 0, 0);  // reproducible bytes
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(a.get(), e.bytes.data(), e.bytes.size()) !=
            static_cast<la_ssize_t>(e.bytes.size())) {
      return MakeError("edxml.zip",
                       "cannot write " + e.name + " into the ZIP archive: " + Reason(a.get()));
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    return MakeError("edxml.zip", "cannot write the ZIP archive: " + Reason(a.get()));
  }
  return out;
}

}  // namespace vxp::edxml
