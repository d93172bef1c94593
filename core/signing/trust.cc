#include "core/signing/trust.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <map>
#include <mutex>
#include <set>

#include "core/common/bounded_cache.h"
#include "core/common/datetime.h"
#include "core/common/text.h"
#include "core/signing/chain.h"
#include "core/signing/ossl.h"

namespace vxp::embedded {
extern const std::string_view test_root_ca_crt;
extern const std::string_view test_intermediate_ca_crt;
extern const std::string_view test_root_ca_crl;
extern const std::string_view test_intermediate_ca_crl;
}  // namespace vxp::embedded

namespace vxp::signing {

struct TrustStore::Impl {
  ossl::StorePtr store{X509_STORE_new()};
  std::vector<ossl::X509Ptr> anchors;
  std::vector<ossl::X509Ptr> intermediates;
  std::vector<ossl::CrlPtr> crls;

  // Whether `crl` is signed by the key of `issuer`. Each (CRL, issuer key) pair is verified once;
  // the answer is cached, since every signature verification asks again.
  bool CrlSignedBy(X509_CRL* crl, X509* issuer) const {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_pubkey_digest(issuer, EVP_sha256(), digest, &n) != 1) return false;
    auto key = std::make_pair(crl, std::string(reinterpret_cast<char*>(digest), n));
    {
      std::lock_guard<std::mutex> lock(mu);
      if (auto it = crl_checked.find(key); it != crl_checked.end()) return it->second;
    }
    EVP_PKEY* issuer_key = X509_get0_pubkey(issuer);
    bool ok = issuer_key != nullptr && X509_CRL_verify(crl, issuer_key) == 1;
    ERR_clear_error();
    std::lock_guard<std::mutex> lock(mu);
    crl_checked.emplace(std::move(key), ok);
    return ok;
  }
  mutable std::mutex mu;
  mutable std::map<std::pair<X509_CRL*, std::string>, bool> crl_checked;

  // A chain's verdict changes with the verification time only where some certificate's validity
  // or some CRL's update or revocation dates begin or end. `times` holds those instants of the
  // store's own certificates and CRLs, t and t + 1 for each, so that every comparison
  // CheckSigner makes ("notAfter <= at", "nextUpdate < at", ...) is constant between two of them.
  std::vector<std::int64_t> times;
  // Signer and chain certificates (their SHA-256s, in order) → the interval of verification times
  // [first, second) over which CheckSigner found nothing wrong with them. Only clean verdicts are
  // kept: they carry no message, location or time, so the cached answer is exactly the computed
  // one. Findings are computed afresh every time.
  mutable BoundedCache<std::string, std::pair<std::int64_t, std::int64_t>> clean_chains{1024};
};

namespace {

void AddTime(std::vector<std::int64_t>* times, const ASN1_TIME* t) {
  if (t == nullptr) return;
  std::int64_t v = ossl::ToUnix(t);
  times->push_back(v);
  times->push_back(v + 1);
}

void AddCertTimes(std::vector<std::int64_t>* times, X509* cert) {
  AddTime(times, X509_get0_notBefore(cert));
  AddTime(times, X509_get0_notAfter(cert));
}

}  // namespace

Result<TrustStore> TrustStore::Create(std::span<const std::string> anchors,
                                      std::span<const std::string> crls,
                                      std::span<const std::string> intermediates) {
  auto impl = std::make_shared<Impl>();
  for (size_t i = 0; i < anchors.size(); ++i) {
    auto certs = ossl::ParseCertificates(anchors[i]);
    if (!certs) {
      return MakeError("signing.trust",
                       "trust anchor " + std::to_string(i + 1) + ": " + certs.error().message);
    }
    for (auto& cert : *certs) {
      X509_STORE_add_cert(impl->store.get(), cert.get());
      impl->anchors.push_back(std::move(cert));
    }
  }
  if (impl->anchors.empty()) return MakeError("signing.trust", "no trust anchor given");
  for (size_t i = 0; i < crls.size(); ++i) {
    auto crl = ossl::ParseCrl(crls[i]);
    if (!crl) {
      return MakeError("signing.trust",
                       "CRL " + std::to_string(i + 1) + ": " + crl.error().message);
    }
    impl->crls.push_back(std::move(*crl));
  }
  for (size_t i = 0; i < intermediates.size(); ++i) {
    auto certs = ossl::ParseCertificates(intermediates[i]);
    if (!certs) {
      return MakeError("signing.trust",
                       "intermediate " + std::to_string(i + 1) + ": " + certs.error().message);
    }
    for (auto& cert : *certs) impl->intermediates.push_back(std::move(cert));
  }
  for (const auto& cert : impl->anchors) AddCertTimes(&impl->times, cert.get());
  for (const auto& cert : impl->intermediates) AddCertTimes(&impl->times, cert.get());
  for (const auto& crl : impl->crls) {
    AddTime(&impl->times, X509_CRL_get0_lastUpdate(crl.get()));
    AddTime(&impl->times, X509_CRL_get0_nextUpdate(crl.get()));
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
    for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
      AddTime(&impl->times, X509_REVOKED_get0_revocationDate(sk_X509_REVOKED_value(revoked, i)));
    }
  }
  TrustStore out;
  out.impl_ = std::move(impl);
  return out;
}

Result<TrustStore> TrustStore::FromFiles(const std::map<std::string, std::string>& files,
                                         std::span<const std::string> extra_crls) {
  std::vector<std::string> anchors, intermediates;
  std::vector<std::string> crls(extra_crls.begin(), extra_crls.end());
  for (const auto& [name, bytes] : files) {
    if (name.ends_with(".crl")) {
      crls.push_back(bytes);
    } else if (name.ends_with(".crt") || name.ends_with(".pem")) {
      auto cert = ossl::ParseCertificate(bytes);
      ERR_clear_error();
      if (!cert || X509_check_ca(cert->get()) == 0) continue;  // not a CA certificate
      bool self_signed = X509_check_issued(cert->get(), cert->get()) == X509_V_OK;
      (self_signed ? anchors : intermediates).push_back(bytes);
    }
  }
  return Create(anchors, crls, intermediates);
}

const TrustStore& TrustStore::TestPki() {
  static const TrustStore store = [] {
    std::string anchors[] = {std::string(embedded::test_root_ca_crt)};
    std::string crls[] = {std::string(embedded::test_root_ca_crl),
                          std::string(embedded::test_intermediate_ca_crl)};
    std::string intermediates[] = {std::string(embedded::test_intermediate_ca_crt)};
    auto made = Create(anchors, crls, intermediates);
    if (!made) {
      std::fprintf(stderr, "vxpkit: the built-in test PKI does not load: %s\n",
                   made.error().message.c_str());
      std::abort();
    }
    return *made;
  }();
  return store;
}

std::string TrustStore::Describe() const {
  std::string out;
  for (const auto& cert : impl_->anchors) {
    if (!out.empty()) out += "; ";
    out += ossl::NameOf(X509_get_subject_name(cert.get()));
  }
  return out;
}

Result<std::int64_t> ParseTime(std::string_view text) {
  auto bad = [&] {
    return MakeError("signing.time", "'" + std::string(text) +
                                         "' is not a time; use 2026-11-20T10:00:00Z or "
                                         "2026-11-20");
  };
  auto y = FixedDigits(text, 0, 4), mo = FixedDigits(text, 5, 2), d = FixedDigits(text, 8, 2);
  if (!y || !mo || !d || text.size() < 10 || text[4] != '-' || text[7] != '-') return bad();
  DateTime t{Date{*y, *mo, *d}};
  int offset = 0;  // minutes east of UTC
  if (text.size() > 10) {
    auto h = FixedDigits(text, 11, 2), mi = FixedDigits(text, 14, 2), s = FixedDigits(text, 17, 2);
    if (!h || !mi || !s || text.size() < 20 || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':') {
      return bad();
    }
    t.hour = *h;
    t.minute = *mi;
    t.second = *s;
    std::string_view zone = text.substr(19);
    auto oh = FixedDigits(zone, 1, 2), om = FixedDigits(zone, 4, 2);
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' && oh && om) {
      offset = (zone[0] == '+' ? 1 : -1) * (*oh * 60 + *om);
    } else if (zone != "Z") {
      return bad();
    }
  }
  std::int64_t seconds = UnixSeconds(t, offset);
  if (CivilTime(seconds, offset) != t) return bad();  // 2026-13-01, 24:00:00, 31 February
  return seconds;
}

// ---------------------------------------------------------------------------------------------
// Chain judgement.

std::string Describe(X509* cert) {
  char serial[64] = "?";
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)) {
    char* dec = BN_bn2dec(bn);
    std::snprintf(serial, sizeof serial, "%s", dec);
    OPENSSL_free(dec);
    BN_free(bn);
  }
  return ossl::NameOf(X509_get_subject_name(cert)) + " (serial " + serial + ")";
}

Result<Signer> LoadSigner(const Credential& credential) {
  Signer out;
  auto key = ossl::ParsePrivateKey(credential.key_pem);
  if (!key) return tl::unexpected(key.error());
  auto cert = ossl::ParseCertificate(credential.cert_pem);
  if (!cert) return MakeError("signing.key", "certificate: " + cert.error().message);
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    ossl::TakeErrors();
    return MakeError("signing.key",
                     "the private key does not belong to the certificate " + Describe(cert->get()));
  }
  if (!credential.chain_pem.empty()) {
    auto chain = ossl::ParseCertificates(credential.chain_pem);
    if (!chain) return MakeError("signing.key", "chain: " + chain.error().message);
    out.chain = std::move(*chain);
  }
  out.key = std::move(*key);
  out.cert = std::move(*cert);
  return out;
}

Finding SigFinding(Profile profile, std::string_view id, Location location, std::string message,
                   std::string expected, std::string actual) {
  return MakeFinding(Rule(Id(profile, id)), std::move(location), std::move(message),
                     std::move(expected), std::move(actual));
}

namespace {

struct ChainError {
  int error;
  int depth;
  X509* cert;
};

int CollectErrors(int ok, X509_STORE_CTX* ctx) {
  if (ok == 0) {
    auto* errors = static_cast<std::vector<ChainError>*>(X509_STORE_CTX_get_app_data(ctx));
    errors->push_back({X509_STORE_CTX_get_error(ctx), X509_STORE_CTX_get_error_depth(ctx),
                       X509_STORE_CTX_get_current_cert(ctx)});
  }
  return 1;  // keep going: report every problem of the chain, not only the first
}

std::string Role(int depth) { return depth == 0 ? "signer's certificate" : "CA certificate"; }

}  // namespace

namespace {

std::vector<Finding> JudgeSigner(Profile profile, const Location& location, X509* signer,
                                 const std::vector<X509*>& extra, const TrustStore& trust,
                                 std::int64_t at) {
  std::vector<Finding> out;
  const TrustStore::Impl& impl = trust.impl();
  std::string when = ossl::FormatUnix(at);

  if (EVP_PKEY* key = X509_get0_pubkey(signer); key != nullptr &&
                                                EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA &&
                                                EVP_PKEY_get_bits(key) < 2048) {
    out.push_back(SigFinding(profile, rules::kCertWeakKey, location,
                             "the signer's certificate " + Describe(signer) + " has an RSA-" +
                                 std::to_string(EVP_PKEY_get_bits(key)) +
                                 " key; at least 2048 bits are required",
                             "RSA >= 2048 bits", "RSA-" + std::to_string(EVP_PKEY_get_bits(key))));
  }
  if ((X509_get_extension_flags(signer) & EXFLAG_KUSAGE) != 0 &&
      (X509_get_key_usage(signer) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0) {
    out.push_back(SigFinding(profile, rules::kCertKeyUsage, location,
                             "the signer's certificate " + Describe(signer) +
                                 " does not allow signing: its keyUsage lacks digitalSignature "
                                 "and nonRepudiation",
                             "keyUsage digitalSignature or nonRepudiation",
                             "keyUsage without either"));
  }

  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (X509* cert : extra) sk_X509_push(untrusted, cert);
  for (const auto& cert : impl.intermediates) sk_X509_push(untrusted, cert.get());
  ossl::StoreCtxPtr ctx(X509_STORE_CTX_new());
  std::vector<ChainError> errors;
  X509_STORE_CTX_init(ctx.get(), impl.store.get(), signer, untrusted);
  X509_STORE_CTX_set_app_data(ctx.get(), &errors);
  X509_STORE_CTX_set_verify_cb(ctx.get(), CollectErrors);
  X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(at));
  X509_verify_cert(ctx.get());
  ERR_clear_error();
  STACK_OF(X509)* chain = X509_STORE_CTX_get1_chain(ctx.get());

  bool chain_ok = true;
  std::set<std::pair<std::string_view, int>> seen;
  for (const ChainError& e : errors) {
    std::string_view rule;
    std::string message;
    std::string subject = e.cert != nullptr ? Describe(e.cert) : "a certificate";
    switch (e.error) {
      case X509_V_ERR_CERT_HAS_EXPIRED:
        rule = rules::kCertExpired;
        message = "the " + Role(e.depth) + " " + subject + " expired on " +
                  ossl::FormatUnix(ossl::ToUnix(X509_get0_notAfter(e.cert))) +
                  "; the signature is verified at " + when;
        break;
      case X509_V_ERR_CERT_NOT_YET_VALID:
        rule = rules::kCertNotYetValid;
        message = "the " + Role(e.depth) + " " + subject + " is valid only from " +
                  ossl::FormatUnix(ossl::ToUnix(X509_get0_notBefore(e.cert))) +
                  "; the signature is verified at " + when;
        break;
      default:
        rule = rules::kCertChain;
        chain_ok = false;
        message = "the " + Role(e.depth) + " " + subject +
                  " does not chain to a trusted CA: " + X509_verify_cert_error_string(e.error) +
                  " (trusted: " + trust.Describe() + ")";
        break;
    }
    if (!seen.insert({rule, e.depth}).second) continue;
    std::string actual =
        rule == rules::kCertChain ? X509_verify_cert_error_string(e.error) : "verified at " + when;
    out.push_back(SigFinding(
        profile, rule, location, std::move(message),
        rule == rules::kCertChain ? "a chain to a trust anchor" : "valid at the verification time",
        std::move(actual)));
  }

  int n = chain != nullptr ? sk_X509_num(chain) : 0;
  for (int i = 0; i < n; ++i) {
    X509* cert = sk_X509_value(chain, i);
    bool self_signed = X509_check_issued(cert, cert) == X509_V_OK;
    int md_nid = NID_undef;
    if (!self_signed && X509_get_signature_info(cert, &md_nid, nullptr, nullptr, nullptr) == 1 &&
        md_nid == NID_sha1) {
      out.push_back(SigFinding(profile, rules::kWeakAlg, location,
                               "the " + Role(i) + " " + Describe(cert) +
                                   " is signed with SHA-1, which is no longer collision-resistant",
                               "sha256WithRSAEncryption or stronger", "sha1WithRSAEncryption"));
    }
    if (!chain_ok || self_signed || i + 1 >= n) continue;
    X509* issuer = sk_X509_value(chain, i + 1);
    X509_CRL* crl = nullptr;
    for (const auto& candidate : impl.crls) {
      if (X509_NAME_cmp(X509_CRL_get_issuer(candidate.get()), X509_get_issuer_name(cert)) == 0 &&
          impl.CrlSignedBy(candidate.get(), issuer)) {
        crl = candidate.get();
        break;
      }
    }
    ERR_clear_error();
    if (crl == nullptr) {
      out.push_back(SigFinding(profile, rules::kRevocationUnchecked, location,
                               "no CRL of " + ossl::NameOf(X509_get_issuer_name(cert)) +
                                   " is configured, so revocation of " + Describe(cert) +
                                   " cannot be checked (give one with --crl)",
                               "a CRL signed by the issuer", "none"));
      continue;
    }
    std::int64_t next = ossl::ToUnix(X509_CRL_get0_nextUpdate(crl));
    if (next != 0 && next < at) {
      out.push_back(SigFinding(profile, rules::kRevocationUnchecked, location,
                               "the CRL of " + ossl::NameOf(X509_get_issuer_name(cert)) +
                                   " was superseded on " + ossl::FormatUnix(next) +
                                   ", before the verification time " + when,
                               "a CRL current at " + when, "nextUpdate " + ossl::FormatUnix(next)));
      continue;
    }
    X509_REVOKED* revoked = nullptr;
    if (X509_CRL_get0_by_cert(crl, &revoked, cert) == 1 && revoked != nullptr) {
      std::int64_t since = ossl::ToUnix(X509_REVOKED_get0_revocationDate(revoked));
      if (since <= at) {
        out.push_back(SigFinding(profile, rules::kCertRevoked, location,
                                 "the " + Role(i) + " " + Describe(cert) + " was revoked on " +
                                     ossl::FormatUnix(since) + ", before the verification time " +
                                     when,
                                 "not revoked", "revoked " + ossl::FormatUnix(since)));
      }
    }
  }
  if (chain != nullptr) sk_X509_pop_free(chain, X509_free);
  sk_X509_free(untrusted);
  return out;
}

// The cache key of a signer and the certificates offered with it: their SHA-256s, in order
// (the order can change which chain OpenSSL builds).
std::string ChainKey(X509* signer, const std::vector<X509*>& extra) {
  std::string key;
  for (X509* cert : extra) key += ossl::Sha256(ossl::ToDer(cert));
  return ossl::Sha256(ossl::ToDer(signer)) + key;
}

}  // namespace

std::vector<Finding> CheckSigner(Profile profile, const Location& location, X509* signer,
                                 const std::vector<X509*>& extra, const TrustStore& trust,
                                 std::int64_t at) {
  const TrustStore::Impl& impl = trust.impl();
  std::string key = ChainKey(signer, extra);
  if (auto clean = impl.clean_chains.Find(key); clean && clean->first <= at && at < clean->second) {
    return {};
  }
  std::vector<Finding> out = JudgeSigner(profile, location, signer, extra, trust, at);
  if (out.empty()) {
    // The instants where this chain's verdict may change: the store's and these certificates'.
    std::vector<std::int64_t> times = impl.times;
    AddCertTimes(&times, signer);
    for (X509* cert : extra) AddCertTimes(&times, cert);
    std::int64_t from = INT64_MIN, until = INT64_MAX;
    for (std::int64_t t : times) {
      if (t <= at) from = std::max(from, t);
      if (t > at) until = std::min(until, t);
    }
    impl.clean_chains.Insert(std::move(key), {from, until});
  }
  return out;
}

}  // namespace vxp::signing
