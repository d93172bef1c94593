#include "core/signing/test_pki.h"

#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <optional>

#include "core/signing/ossl.h"
#include "core/signing/trust.h"

namespace vxp::embedded {
extern const std::string_view test_agency_g22_key, test_agency_g22_crt, test_agency_h53_key,
    test_agency_h53_crt, test_agency_expired_key, test_agency_expired_crt, test_agency_revoked_key,
    test_agency_revoked_crt, test_agency_untrusted_key, test_agency_untrusted_crt,
    test_agency_wrong_key_usage_key, test_agency_wrong_key_usage_crt, test_intermediate_ca_crt;
}  // namespace vxp::embedded

namespace vxp::signing::test_pki {
namespace {

struct Spec {
  std::string_view name;
  std::string_view purpose;
  std::string_view issuer;  // name of the issuing entry; empty = self-signed
  std::string_view common_name;
  std::string_view organization;
  std::string_view agency_id;  // carried in the subject's UID attribute
  int bits;
  bool sha1;
  std::string_view not_before;
  std::string_view not_after;
  std::string_view key_usage;
  bool ca;
  long serial;
};

constexpr std::string_view kGoodFrom = "2025-01-01", kGoodTo = "2045-01-01";
constexpr std::string_view kSigning = "critical,digitalSignature,nonRepudiation";
constexpr std::string_view kCaUsage = "critical,keyCertSign,cRLSign";
constexpr std::string_view kG22 = "Văn phòng Chính phủ";
constexpr std::string_view kRevokedOn = "2026-01-01";

const Spec kSpecs[] = {
    {"root-ca", "trust anchor: mock Government root CA (stands in for Ban Cơ yếu Chính phủ)", "",
     "vxpkit Mock Government Root CA", "vxpkit test PKI", "", 2048, false, "2020-01-01",
     "2060-01-01", kCaUsage, true, 1},
    {"intermediate-ca", "intermediate CA that issues the agency certificates", "root-ca",
     "vxpkit Mock Government Signing CA", "vxpkit test PKI", "", 2048, false, "2020-01-01",
     "2055-01-01", kCaUsage, true, 2},
    {"untrusted-root-ca", "a root CA nobody trusts (issues agency-untrusted)", "",
     "vxpkit Untrusted Root CA", "vxpkit test PKI (untrusted)", "", 2048, false, "2020-01-01",
     "2060-01-01", kCaUsage, true, 3},
    {"agency-g22", "good signer: Văn phòng Chính phủ, 000.00.00.G22", "intermediate-ca", kG22, kG22,
     "000.00.00.G22", 2048, false, kGoodFrom, kGoodTo, kSigning, false, 1001},
    {"agency-h53", "good signer: UBND tỉnh Tây Ninh, 000.00.00.H53", "intermediate-ca",
     "UBND tỉnh Tây Ninh", "UBND tỉnh Tây Ninh", "000.00.00.H53", 2048, false, kGoodFrom, kGoodTo,
     kSigning, false, 1002},
    {"agency-expired", "defect: expired (valid 2019-01-01 to 2021-01-01)", "intermediate-ca", kG22,
     kG22, "000.00.00.G22", 2048, false, "2019-01-01", "2021-01-01", kSigning, false, 1003},
    {"agency-not-yet-valid", "defect: not yet valid (valid from 2040-01-01)", "intermediate-ca",
     kG22, kG22, "000.00.00.G22", 2048, false, "2040-01-01", "2050-01-01", kSigning, false, 1004},
    {"agency-revoked", "defect: revoked on 2026-01-01 (listed in intermediate-ca.crl)",
     "intermediate-ca", kG22, kG22, "000.00.00.G22", 2048, false, kGoodFrom, kGoodTo, kSigning,
     false, 1005},
    {"agency-wrong-key-usage", "defect: keyUsage keyEncipherment only (not for signing)",
     "intermediate-ca", kG22, kG22, "000.00.00.G22", 2048, false, kGoodFrom, kGoodTo,
     "critical,keyEncipherment", false, 1006},
    {"agency-untrusted", "defect: issued by untrusted-root-ca", "untrusted-root-ca", kG22, kG22,
     "000.00.00.G22", 2048, false, kGoodFrom, kGoodTo, kSigning, false, 1007},
    {"agency-rsa1024", "defect: RSA-1024 key", "intermediate-ca", kG22, kG22, "000.00.00.G22", 1024,
     false, kGoodFrom, kGoodTo, kSigning, false, 1008},
    {"agency-sha1", "defect: certificate signed with SHA-1", "intermediate-ca", kG22, kG22,
     "000.00.00.G22", 2048, true, kGoodFrom, kGoodTo, kSigning, false, 1009},
    {"agency-self-signed", "defect: self-signed", "", kG22, kG22, "000.00.00.G22", 2048, false,
     kGoodFrom, kGoodTo, kSigning, false, 1010},
};

const Spec* Find(std::string_view name) {
  for (const Spec& s : kSpecs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

ossl::X509Ptr MakeCert(const Spec& spec, EVP_PKEY* key, X509* issuer_cert, EVP_PKEY* issuer_key) {
  ossl::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), spec.serial);
  X509_NAME* name = X509_get_subject_name(cert.get());
  auto add = [&](const char* field, std::string_view value) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value.data()),
                               static_cast<int>(value.size()), -1, 0);
  };
  add("C", "VN");
  add("O", spec.organization);
  if (!spec.agency_id.empty()) add("UID", spec.agency_id);
  add("CN", spec.common_name);
  X509_set_issuer_name(cert.get(),
                       issuer_cert != nullptr ? X509_get_subject_name(issuer_cert) : name);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), *ParseTime(spec.not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), *ParseTime(spec.not_after));
  X509_set_pubkey(cert.get(), key);

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer_cert != nullptr ? issuer_cert : cert.get(), cert.get(), nullptr,
                 nullptr, 0);
  auto ext = [&](int nid, std::string value) {
    if (X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str())) {
      X509_add_ext(cert.get(), e, -1);
      X509_EXTENSION_free(e);
    }
  };
  ext(NID_basic_constraints,
      spec.ca ? (spec.name == "intermediate-ca" ? "critical,CA:TRUE,pathlen:0" : "critical,CA:TRUE")
              : "critical,CA:FALSE");
  ext(NID_key_usage, std::string(spec.key_usage));
  ext(NID_subject_key_identifier, "hash");
  if (issuer_cert != nullptr) ext(NID_authority_key_identifier, "keyid:always");
  X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key,
            spec.sha1 ? EVP_sha1() : EVP_sha256());
  return cert;
}

ossl::CrlPtr MakeCrl(X509* ca, EVP_PKEY* ca_key, const std::vector<long>& revoked_serials) {
  ossl::CrlPtr crl(X509_CRL_new());
  X509_CRL_set_version(crl.get(), 1);
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca));
  ASN1_TIME* t = ASN1_TIME_new();
  ASN1_TIME_set(t, *ParseTime("2026-01-01"));
  X509_CRL_set1_lastUpdate(crl.get(), t);
  ASN1_TIME_set(t, *ParseTime("2045-01-01"));
  X509_CRL_set1_nextUpdate(crl.get(), t);
  for (long serial : revoked_serials) {
    X509_REVOKED* r = X509_REVOKED_new();
    ASN1_INTEGER* s = ASN1_INTEGER_new();
    ASN1_INTEGER_set(s, serial);
    X509_REVOKED_set_serialNumber(r, s);
    ASN1_TIME_set(t, *ParseTime(kRevokedOn));
    X509_REVOKED_set_revocationDate(r, t);
    X509_CRL_add0_revoked(crl.get(), r);
    ASN1_INTEGER_free(s);
  }
  ASN1_TIME_free(t);
  X509_CRL_sort(crl.get());
  X509_CRL_sign(crl.get(), ca_key, EVP_sha256());
  return crl;
}

}  // namespace

const std::vector<Entry>& Entries() {
  static const std::vector<Entry> entries = [] {
    std::vector<Entry> out;
    for (const Spec& s : kSpecs) out.push_back({s.name, s.purpose});
    return out;
  }();
  return entries;
}

Result<std::map<std::string, std::string>> Generate() {
  std::map<std::string, std::string> files;
  std::map<std::string_view, std::pair<ossl::KeyPtr, ossl::X509Ptr>> made;
  std::string table;
  for (const Spec& spec : kSpecs) {
    ossl::KeyPtr key(EVP_RSA_gen(static_cast<unsigned>(spec.bits)));
    if (!key) return MakeError("signing.pki", "RSA key generation failed: " + ossl::TakeErrors());
    X509* issuer_cert = nullptr;
    EVP_PKEY* issuer_key = nullptr;
    if (!spec.issuer.empty()) {
      auto& issuer = made.at(spec.issuer);
      issuer_key = issuer.first.get();
      issuer_cert = issuer.second.get();
    }
    ossl::X509Ptr cert = MakeCert(spec, key.get(), issuer_cert, issuer_key);
    if (!cert) return MakeError("signing.pki", "certificate failed: " + ossl::TakeErrors());
    files[std::string(spec.name) + ".key"] = ossl::ToPem(key.get());
    files[std::string(spec.name) + ".crt"] = ossl::ToPem(cert.get());
    table += "| `" + std::string(spec.name) + ".crt` | " + std::string(spec.purpose) + " | " +
             std::to_string(spec.bits) + (spec.sha1 ? " / SHA-1" : " / SHA-256") + " | " +
             std::string(spec.not_before) + " – " + std::string(spec.not_after) + " | `" +
             ossl::Fingerprint(cert.get()) + "` |\n";
    made.emplace(spec.name, std::make_pair(std::move(key), std::move(cert)));
  }
  auto& root = made.at("root-ca");
  auto& intermediate = made.at("intermediate-ca");
  files["root-ca.crl"] = ossl::ToPem(MakeCrl(root.second.get(), root.first.get(), {}).get());
  files["intermediate-ca.crl"] = ossl::ToPem(
      MakeCrl(intermediate.second.get(), intermediate.first.get(), {Find("agency-revoked")->serial})
          .get());
  files["README.md"] =
      "# vxpkit test PKI\n\n"
      "Generated by `vxpkit vectors --regenerate-keys` (core/signing/test_pki.cc). **Test material "
      "only: the private keys are public.** Every verification in vxpkit pins its time (vectors: " +
      std::string(kPinnedTime) +
      "), so nothing here expires under the suite.\n\n"
      "Subjects carry the agency identifier in the UID attribute. Each `<name>.key` is the "
      "certificate's RSA private key (PKCS#8 PEM, unencrypted).\n\n"
      "| File | What it is | RSA bits / signed with | Validity | SHA-256 fingerprint |\n"
      "|---|---|---|---|---|\n" +
      table +
      "\nCRLs (thisUpdate 2026-01-01, nextUpdate 2045-01-01):\n\n"
      "- `root-ca.crl`: the root's CRL, empty (the intermediate CA is not revoked).\n"
      "- `intermediate-ca.crl`: lists `agency-revoked` (serial 1005), revoked " +
      std::string(kRevokedOn) +
      ".\n\nTrust anchor: `root-ca.crt`. Chain for agency certificates: `intermediate-ca.crt`.\n";
  return files;
}

Result<Credential> CredentialFor(const std::map<std::string, std::string>& files,
                                 std::string_view name) {
  const Spec* spec = Find(name);
  auto key = files.find(std::string(name) + ".key");
  auto cert = files.find(std::string(name) + ".crt");
  if (spec == nullptr || key == files.end() || cert == files.end()) {
    return MakeError("signing.pki", "no test credential named '" + std::string(name) + "'");
  }
  Credential out{key->second, cert->second, {}};
  if (spec->issuer == "intermediate-ca") {
    auto chain = files.find("intermediate-ca.crt");
    if (chain == files.end()) return MakeError("signing.pki", "intermediate-ca.crt is missing");
    out.chain_pem = chain->second;
  }
  return out;
}

Result<Credential> BuiltInCredential(std::string_view name) {
  std::map<std::string, std::string> files{
      {"agency-g22.key", std::string(embedded::test_agency_g22_key)},
      {"agency-g22.crt", std::string(embedded::test_agency_g22_crt)},
      {"agency-h53.key", std::string(embedded::test_agency_h53_key)},
      {"agency-h53.crt", std::string(embedded::test_agency_h53_crt)},
      {"agency-expired.key", std::string(embedded::test_agency_expired_key)},
      {"agency-expired.crt", std::string(embedded::test_agency_expired_crt)},
      {"agency-revoked.key", std::string(embedded::test_agency_revoked_key)},
      {"agency-revoked.crt", std::string(embedded::test_agency_revoked_crt)},
      {"agency-untrusted.key", std::string(embedded::test_agency_untrusted_key)},
      {"agency-untrusted.crt", std::string(embedded::test_agency_untrusted_crt)},
      {"agency-wrong-key-usage.key", std::string(embedded::test_agency_wrong_key_usage_key)},
      {"agency-wrong-key-usage.crt", std::string(embedded::test_agency_wrong_key_usage_crt)},
      {"intermediate-ca.crt", std::string(embedded::test_intermediate_ca_crt)}};
  if (!files.contains(std::string(name) + ".key")) {
    return MakeError("signing.pki", "no built-in credential named '" + std::string(name) +
                                        "' (agency-g22, agency-h53, agency-expired, "
                                        "agency-revoked, agency-untrusted, "
                                        "agency-wrong-key-usage)");
  }
  return CredentialFor(files, name);
}

}  // namespace vxp::signing::test_pki
