#include "service/certificate.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <boost/json.hpp>
#include <cstdio>
#include <memory>
#include <mutex>

#include "core/signing/pdf.h"
#include "results/result_model.h"

namespace vxp::service {
namespace {

namespace json = boost::json;

// Reads typed members of a JSON object, remembering the first that is missing or mistyped.
class Reader {
 public:
  explicit Reader(std::string what) : what_(std::move(what)) {}
  std::string Str(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (v != nullptr && v->is_string()) return std::string(v->get_string());
    Fail(key, "a string");
    return "";
  }
  std::int64_t Int(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (v != nullptr && v->is_int64()) return v->get_int64();
    if (v != nullptr && v->is_uint64() && v->get_uint64() <= INT64_MAX) {
      return static_cast<std::int64_t>(v->get_uint64());
    }
    Fail(key, "an integer");
    return 0;
  }
  const json::object& Obj(const json::object& o, std::string_view key) {
    static const json::object kEmpty;
    const json::value* v = o.if_contains(key);
    if (v != nullptr && v->is_object()) return v->get_object();
    Fail(key, "an object");
    return kEmpty;
  }
  const json::array& Arr(const json::object& o, std::string_view key) {
    static const json::array kEmpty;
    const json::value* v = o.if_contains(key);
    if (v != nullptr && v->is_array()) return v->get_array();
    Fail(key, "a list");
    return kEmpty;
  }
  std::vector<std::string> Strings(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    for (const json::value& v : Arr(o, key)) {
      if (!v.is_string()) {
        Fail(key, "a list of strings");
        break;
      }
      out.emplace_back(v.get_string());
    }
    return out;
  }
  void Fail(std::string_view key, std::string_view want) {
    if (error_.empty())
      error_ = "'" + std::string(key) + "' is missing or not " + std::string(want);
  }
  Result<void> Done() const {
    if (error_.empty()) return {};
    return MakeError("certificate.format", what_ + ": " + error_);
  }

 private:
  std::string what_;
  std::string error_;
};

Result<json::object> ParseObject(std::string_view text, std::string_view schema,
                                 const std::string& what) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return MakeError("certificate.format", what + " is not JSON: " + ec.message());
  if (!v.is_object()) return MakeError("certificate.format", what + " is not a JSON object");
  const json::value* s = v.as_object().if_contains("schema");
  if (s == nullptr || !s->is_string() || s->get_string() != schema) {
    return MakeError("certificate.format",
                     what + " is not of schema \"" + std::string(schema) + "\"");
  }
  return std::move(v.as_object());
}

json::array StringArray(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

// The capability as the certificate says it, in both languages.
std::string CapabilityWords(const std::string& c) {
  static const std::map<std::string, std::string> kVi = {
      {"receive", "nhận văn bản"}, {"send", "gửi văn bản"}, {"revoke", "thu hồi"},
      {"update", "cập nhật"},      {"replace", "thay thế"}, {"recall", "lấy lại"}};
  auto it = kVi.find(c);
  return it == kVi.end() ? c : it->second + " / " + c;
}

// Text for pango markup: valid UTF-8 (a byte that is not becomes U+FFFD), escaped.
std::string Escape(const std::string& text) {
  gchar* valid = g_utf8_make_valid(text.c_str(), static_cast<gssize>(text.size()));
  gchar* e = g_markup_escape_text(valid, -1);
  std::string out(e);
  g_free(e);
  g_free(valid);
  return out;
}

// At most `bytes` of `text`, cut at a character's start, with "…" when cut.
std::string Clip(const std::string& text, size_t bytes) {
  if (text.size() <= bytes) return text;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  return text.substr(0, bytes) + "…";
}

struct PdfBytes {
  std::string out;
};
cairo_status_t WriteTo(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<PdfBytes*>(closure)->out.append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Draws `markup` at (x, y), `width` points wide, in `size` points; the height it took.
double Text(cairo_t* cr, double x, double y, double width, const std::string& markup, double size,
            bool bold = false, PangoAlignment align = PANGO_ALIGN_LEFT) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* font = pango_font_description_from_string("DejaVu Sans");
  pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(layout, font);
  pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout, align);
  pango_layout_set_markup(layout, markup.c_str(), -1);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  pango_font_description_free(font);
  g_object_unref(layout);
  return static_cast<double>(h) / PANGO_SCALE;
}

// The QR code of `text` (libqrencode, error correction M) as squares, `size` points wide with
// its quiet zone of four modules, its top left corner at (x, y).
Result<void> DrawQr(cairo_t* cr, const std::string& text, double x, double y, double size) {
  if (text.empty()) return {};  // nothing to lead to
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!qr) return MakeError("certificate.pdf", "libqrencode cannot encode the verification URL");
  const int modules = qr->width + 8;
  const double m = size / modules;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, size, size);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int row = 0; row < qr->width; ++row) {
    for (int col = 0; col < qr->width; ++col) {
      if (qr->data[row * qr->width + col] & 1) {
        cairo_rectangle(cr, x + (col + 4) * m, y + (row + 4) * m, m, m);
      }
    }
  }
  cairo_fill(cr);
  return {};
}

}  // namespace

std::string CertificateDay(Millis ms) { return results::IsoUtc(ms).substr(0, 10); }

std::string CertificateNumber(std::int64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "VXP-C-%06lld", static_cast<long long>(id));
  return buf;
}

std::string CertificateJson(const CertificateFacts& f) {
  json::object vectors;
  for (const auto& [name, sha] : f.vectors) vectors[name] = sha;
  json::object counts;
  for (const auto& [verdict, n] : f.counts) counts[verdict] = n;
  json::array waivers;
  for (const WaiverFact& w : f.waivers) {
    waivers.push_back(json::object{
        {"scenario", w.scenario}, {"verdict", w.verdict}, {"reason", w.reason}, {"by", w.by}});
  }
  json::object o{
      {"schema", kCertificateSchema},
      {"id", f.id},
      {"number", f.number},
      {"office", f.office},
      {"vendor", f.vendor},
      {"system",
       {{"name", f.system},
        {"product", f.product},
        {"version", f.product_version},
        {"claims", StringArray(f.claims)},
        {"control", f.control}}},
      {"suite", {{"name", "vxpkit"}, {"version", f.suite_version}, {"vectors", vectors}}},
      {"run",
       {{"id", f.run_id},
        {"plan", f.plan},
        {"profile", f.profile},
        {"started", results::IsoUtc(f.run_started)},
        {"started_ms", f.run_started},
        {"finished", results::IsoUtc(f.run_finished)},
        {"finished_ms", f.run_finished},
        {"verdict", f.run_verdict},
        {"counts", counts}}},
      {"waivers", waivers},
      {"decision",
       {{"certifier", f.certifier},
        {"comments", f.comments},
        {"issued", results::IsoUtc(f.issued)},
        {"issued_ms", f.issued},
        {"valid_until", results::IsoUtc(f.valid_until)},
        {"valid_until_ms", f.valid_until}}},
      {"verify_url", f.verify_url},
      {"pdf_sha256", f.pdf_sha256}};
  return json::serialize(o) + "\n";
}

Result<CertificateFacts> ReadCertificateJson(std::string_view text) {
  auto parsed = ParseObject(text, kCertificateSchema, "the certificate");
  if (!parsed) return tl::unexpected(parsed.error());
  const json::object& o = *parsed;
  Reader r("the certificate");
  CertificateFacts f;
  f.id = r.Int(o, "id");
  f.number = r.Str(o, "number");
  f.office = r.Str(o, "office");
  f.vendor = r.Str(o, "vendor");
  const json::object& sys = r.Obj(o, "system");
  f.system = r.Str(sys, "name");
  f.product = r.Str(sys, "product");
  f.product_version = r.Str(sys, "version");
  f.claims = r.Strings(sys, "claims");
  f.control = r.Str(sys, "control");
  const json::object& suite = r.Obj(o, "suite");
  f.suite_version = r.Str(suite, "version");
  for (const auto& kv : r.Obj(suite, "vectors")) {
    if (!kv.value().is_string())
      r.Fail(kv.key(), "a SHA-256");
    else
      f.vectors[std::string(kv.key())] = std::string(kv.value().get_string());
  }
  const json::object& run = r.Obj(o, "run");
  f.run_id = r.Int(run, "id");
  f.plan = r.Str(run, "plan");
  f.profile = r.Str(run, "profile");
  f.run_started = r.Int(run, "started_ms");
  f.run_finished = r.Int(run, "finished_ms");
  f.run_verdict = r.Str(run, "verdict");
  for (const auto& kv : r.Obj(run, "counts")) {
    if (!kv.value().is_int64())
      r.Fail(kv.key(), "a count");
    else
      f.counts[std::string(kv.key())] = static_cast<int>(kv.value().get_int64());
  }
  for (const json::value& v : r.Arr(o, "waivers")) {
    if (!v.is_object()) {
      r.Fail("waivers", "a list of objects");
      break;
    }
    const json::object& w = v.get_object();
    f.waivers.push_back(
        {r.Str(w, "scenario"), r.Str(w, "verdict"), r.Str(w, "reason"), r.Str(w, "by")});
  }
  const json::object& d = r.Obj(o, "decision");
  f.certifier = r.Str(d, "certifier");
  f.comments = r.Str(d, "comments");
  f.issued = r.Int(d, "issued_ms");
  f.valid_until = r.Int(d, "valid_until_ms");
  f.verify_url = r.Str(o, "verify_url");
  f.pdf_sha256 = r.Str(o, "pdf_sha256");
  if (auto done = r.Done(); !done) return tl::unexpected(done.error());
  return f;
}

Result<std::string> CertificatePdf(const CertificateFacts& f) {
  // Fontconfig and pango's font maps are shared: one certificate is drawn at a time.
  static std::mutex mu;
  std::lock_guard lock(mu);
  constexpr double kWidth = 595.276, kHeight = 841.89, kMargin = 48;
  PdfBytes bytes;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(WriteTo, &bytes, kWidth, kHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                 ("Certificate " + f.number).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, f.office.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                 ("vxpkit " + f.suite_version).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                 results::IsoUtc(f.issued).substr(0, 19).c_str());
  cairo_t* cr = cairo_create(surface);
  const double inner = kWidth - 2 * kMargin;

  // A border, the office, the title.
  cairo_set_source_rgb(cr, 0.55, 0.1, 0.1);
  cairo_set_line_width(cr, 2);
  cairo_rectangle(cr, 24, 24, kWidth - 48, kHeight - 48);
  cairo_stroke(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  double y = 44;
  y += Text(cr, kMargin, y, inner, Escape(f.office), 11, true, PANGO_ALIGN_CENTER) + 10;
  cairo_set_source_rgb(cr, 0.55, 0.1, 0.1);
  y +=
      Text(cr, kMargin, y, inner, "GIẤY CHỨNG NHẬN KIỂM THỬ PHÙ HỢP", 19, true, PANGO_ALIGN_CENTER);
  y += Text(cr, kMargin, y, inner, "CERTIFICATE OF CONFORMANCE", 14, true, PANGO_ALIGN_CENTER) + 4;
  cairo_set_source_rgb(cr, 0, 0, 0);
  y += Text(cr, kMargin, y, inner,
            "Trục liên thông văn bản quốc gia · gói tin edXML (QCVN 102:2016)\n"
            "National document interconnection hub · edXML packages (QCVN 102:2016)",
            8.5, false, PANGO_ALIGN_CENTER) +
       8;
  y += Text(cr, kMargin, y, inner, "Số / No. <b>" + Escape(f.number) + "</b>", 11, false,
            PANGO_ALIGN_CENTER) +
       12;

  // The facts, a label in both languages beside each value.
  std::string claims;
  for (const std::string& c : f.claims) claims += (claims.empty() ? "" : "; ") + CapabilityWords(c);
  if (claims.empty()) claims = "—";
  std::string counts;
  for (Verdict v : results::kVerdictOrder) {  // in the reports' order
    auto it = f.counts.find(std::string(ToString(v)));
    if (it != f.counts.end() && it->second > 0) {
      counts += (counts.empty() ? "" : ", ") + it->first + " " + std::to_string(it->second);
    }
  }
  std::string waivers;
  constexpr size_t kShownWaivers = 8;  // the page holds this many; the JSON has every one
  for (size_t i = 0; i < f.waivers.size() && i < kShownWaivers; ++i) {
    const WaiverFact& w = f.waivers[i];
    const std::string reason = Clip(w.reason, 240);
    waivers += (waivers.empty() ? "" : "\n") + w.scenario + " (" + w.verdict + "): " + reason +
               " — " + w.by;
  }
  if (f.waivers.size() > kShownWaivers) {
    waivers += "\n+ " + std::to_string(f.waivers.size() - kShownWaivers) +
               " more: every waiver is in the signed JSON";
  }
  if (waivers.empty()) waivers = "không có / none";
  std::string vectors;
  for (const auto& [name, sha] : f.vectors) {
    if (name == "conformance/catalogue" || name == "conformance/requirements.csv") {
      vectors += (vectors.empty() ? "" : "\n") + name + " " + sha.substr(0, 32) + "…";
    }
  }
  vectors +=
      "\n+ " + std::to_string(f.vectors.size()) + " vectors, every SHA-256 in the signed JSON";
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"Đơn vị / Vendor", f.vendor},
      {"Hệ thống / System", f.system},
      {"Sản phẩm, phiên bản / Product, version", f.product + " " + f.product_version},
      {"Năng lực công bố / Claimed capabilities", claims},
      {"Điều khiển / Control", f.control == "driver" ? "API điều khiển kiểm thử / test-driver API"
                               : f.control == "operator" ? "người vận hành / operator"
                                                         : "không có / none"},
      {"Kế hoạch / Plan", f.plan + " (profile " + f.profile + ")"},
      {"Bộ kiểm thử / Test suite", "vxpkit " + f.suite_version + "\n" + vectors},
      {"Lượt chạy / Run", "#" + std::to_string(f.run_id) + ", " + results::IsoUtc(f.run_started) +
                              " – " + results::IsoUtc(f.run_finished)},
      {"Kết quả / Verdicts",
       f.run_verdict + ": " + counts +
           (f.waivers.empty() ? "" : "; miễn trừ / waived " + std::to_string(f.waivers.size()))},
      {"Miễn trừ / Waivers", waivers},
      {"Người chứng nhận / Certifier",
       f.certifier + (f.comments.empty() ? "" : "\n" + Clip(f.comments, 400))},
      {"Hiệu lực / Valid", CertificateDay(f.issued) + " – " + CertificateDay(f.valid_until)},
  };
  const double label_w = 170;
  for (const auto& [label, value] : rows) {
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    double lh = Text(cr, kMargin, y, label_w - 8, Escape(label), 8.5);
    cairo_set_source_rgb(cr, 0, 0, 0);
    double vh = Text(cr, kMargin + label_w, y, inner - label_w, Escape(value), 9.5);
    y += std::max(lh, vh) + 7;
  }

  // The verification URL and its QR code.
  const double qr = 118;
  y = std::max(y + 6, kHeight - 48 - qr - 40);
  if (auto drawn = DrawQr(cr, f.verify_url, kMargin, y, qr); !drawn) {
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return tl::unexpected(drawn.error());
  }
  Text(cr, kMargin + qr + 12, y + 10, inner - qr - 12,
       "Tra cứu tình trạng (còn hiệu lực, hết hạn, bị thu hồi) / Check its status (valid, "
       "expired, revoked):\n<b>" +
           Escape(f.verify_url) +
           "</b>\n\nBản JSON của giấy chứng nhận được ký số (CMS) bởi đơn vị cấp; kiểm tra bằng / "
           "The certificate's JSON is signed (CMS) by the office; check it with:\n"
           "vxpkit verify-certificate certificate.json --trust office-ca.pem",
       8.5);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return MakeError("certificate.pdf",
                     std::string("cairo cannot write the PDF: ") + cairo_status_to_string(status));
  }
  return std::move(bytes.out);
}

Result<IssuedCertificate> IssueCertificate(CertificateFacts facts,
                                           const signing::Credential& office) {
  auto drawn = CertificatePdf(facts);
  if (!drawn) return tl::unexpected(drawn.error());
  // The PDF is signed too (a CMS signature over its /ByteRange, as documents on the hub are), so
  // a PDF reader shows who issued it.
  signing::PdfSignOptions pdf_options;
  pdf_options.signing_time = facts.issued / 1000;
  auto pdf = signing::SignPdf(*drawn, office, pdf_options);
  if (!pdf) return tl::unexpected(pdf.error());
  facts.pdf_sha256 = signing::Sha256Hex(*pdf);
  IssuedCertificate out;
  out.json = CertificateJson(facts);
  auto signature = signing::SignDetached(out.json, office, facts.issued / 1000);
  if (!signature) return tl::unexpected(signature.error());
  out.signature = std::move(*signature);
  out.pdf = std::move(*pdf);
  return out;
}

std::string CertificateStatus(Millis valid_until, Millis revoked, Millis now) {
  if (revoked != 0) return "revoked";
  if (now > valid_until) return "expired";
  return "valid";
}

std::string RegisterJson(const RegisterFacts& r) {
  json::array list;
  for (const RegisterEntry& e : r.certificates) {
    list.push_back(json::object{
        {"id", e.id},
        {"number", e.number},
        {"vendor", e.vendor},
        {"system", e.system},
        {"product", e.product},
        {"version", e.product_version},
        {"issued", results::IsoUtc(e.issued)},
        {"issued_ms", e.issued},
        {"valid_until", results::IsoUtc(e.valid_until)},
        {"valid_until_ms", e.valid_until},
        {"status", e.status},
        {"revoked", e.revoked != 0 ? json::value(results::IsoUtc(e.revoked)) : json::value()},
        {"revoked_ms", e.revoked},
        {"revoked_reason", e.revoked_reason}});
  }
  json::object o{{"schema", kRegisterSchema},
                 {"office", r.office},
                 {"generated", results::IsoUtc(r.generated)},
                 {"generated_ms", r.generated},
                 {"certificates", list}};
  return json::serialize(o) + "\n";
}

Result<RegisterFacts> ReadRegisterJson(std::string_view text) {
  auto parsed = ParseObject(text, kRegisterSchema, "the register");
  if (!parsed) return tl::unexpected(parsed.error());
  Reader r("the register");
  RegisterFacts out;
  out.office = r.Str(*parsed, "office");
  out.generated = r.Int(*parsed, "generated_ms");
  for (const json::value& v : r.Arr(*parsed, "certificates")) {
    if (!v.is_object()) {
      r.Fail("certificates", "a list of objects");
      break;
    }
    const json::object& c = v.get_object();
    RegisterEntry e;
    e.id = r.Int(c, "id");
    e.number = r.Str(c, "number");
    e.vendor = r.Str(c, "vendor");
    e.system = r.Str(c, "system");
    e.product = r.Str(c, "product");
    e.product_version = r.Str(c, "version");
    e.issued = r.Int(c, "issued_ms");
    e.valid_until = r.Int(c, "valid_until_ms");
    e.status = r.Str(c, "status");
    e.revoked = r.Int(c, "revoked_ms");
    e.revoked_reason = r.Str(c, "revoked_reason");
    out.certificates.push_back(std::move(e));
  }
  if (auto done = r.Done(); !done) return tl::unexpected(done.error());
  return out;
}

Result<CertificateCheck> VerifyCertificate(std::string_view json_text, std::string_view signature,
                                           std::string_view trust_pem, Millis now,
                                           const std::optional<RegisterCopy>& register_copy,
                                           const std::optional<std::string>& pdf) {
  CertificateCheck out;
  auto signer = signing::VerifyDetached(json_text, signature, trust_pem);
  if (!signer) {
    if (signer.error().code == "signing.key") return tl::unexpected(signer.error());
    out.problems.push_back({"altered", signer.error().message});
  } else {
    out.signer = *signer;
    if (!signer->trusted) {
      out.problems.push_back(
          {"untrusted",
           "signed by " + signer->subject + ", which is not trusted: " + signer->untrusted_reason});
    }
  }
  auto facts = ReadCertificateJson(json_text);
  if (!facts) {
    if (signer) out.problems.push_back({"altered", facts.error().message});
    return out;
  }
  out.facts = *facts;
  if (now > facts->valid_until) {
    out.problems.push_back({"expired", "valid until " + results::IsoUtc(facts->valid_until) +
                                           "; now is " + results::IsoUtc(now)});
  } else if (now < facts->issued) {
    out.problems.push_back({"not yet valid", "issued " + results::IsoUtc(facts->issued) +
                                                 "; now is " + results::IsoUtc(now)});
  }
  if (pdf) {
    const std::string sha = signing::Sha256Hex(*pdf);
    if (sha != facts->pdf_sha256) {
      out.problems.push_back({"pdf altered", "the PDF's SHA-256 is " + sha +
                                                 "; the certificate names " + facts->pdf_sha256});
    }
  }
  if (register_copy) {
    auto reg_signer =
        signing::VerifyDetached(register_copy->json, register_copy->signature, trust_pem);
    auto reg = ReadRegisterJson(register_copy->json);
    if (!reg_signer || !reg_signer->trusted || !reg) {
      out.problems.push_back(
          {"register", !reg_signer ? "the register is altered: " + reg_signer.error().message
                       : !reg_signer->trusted
                           ? "the register's signer is not trusted: " + reg_signer->untrusted_reason
                           : reg.error().message});
    } else {
      out.register_generated = reg->generated;
      const RegisterEntry* found = nullptr;
      for (const RegisterEntry& e : reg->certificates) {
        if (e.id == facts->id && e.number == facts->number) found = &e;
      }
      if (found == nullptr) {
        out.problems.push_back({"unregistered", "the register of " +
                                                    results::IsoUtc(reg->generated) +
                                                    " does not list " + facts->number});
      } else if (found->revoked != 0) {
        out.problems.push_back({"revoked", "revoked " + results::IsoUtc(found->revoked) + ": " +
                                               found->revoked_reason});
      }
    }
  }
  return out;
}

}  // namespace vxp::service
