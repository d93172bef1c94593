// Signature verifications per second, `vxpkit verify`'s path, for 10 KB and 1 MB packages
// (envelope: structure checks + xmlsec digest and RSA + chain, revocation and key usage) and
// signed PDFs of the same sizes, next to the bare cost measured in the same run: one RSA-2048
// verification plus SHA-256 over the same bytes, via OpenSSL directly. A program, not a test.
//   build/bench/signing_bench [--quick]
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "bench/bench_util.h"
#include "core/signing/envelope.h"
#include "core/signing/pdf.h"
#include "core/signing/test_pki.h"
#include "core/signing/trust.h"
#include "tests/support/data_files.h"

namespace {

using vxp::bench::TimeIt;
namespace signing = vxp::signing;

// One RSA-2048 PKCS#1 v1.5 verification with SHA-256 over `bytes`: the floor any verifier pays.
struct Bare {
  EVP_PKEY* key = nullptr;
  std::string signature;

  explicit Bare(const std::string& key_pem, const std::string& bytes) {
    BIO* bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
    key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t n = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(ctx, nullptr, &n, reinterpret_cast<const unsigned char*>(bytes.data()),
                   bytes.size());
    signature.resize(n);
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &n,
                   reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    EVP_MD_CTX_free(ctx);
  }
  ~Bare() { EVP_PKEY_free(key); }

  void Verify(const std::string& bytes) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key);
    int ok = EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                              signature.size(),
                              reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    EVP_MD_CTX_free(ctx);
    if (ok != 1) std::abort();
  }
};

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const double budget = quick ? 0.2 : 1.5;
  auto keys = vxp::testing::SlurpDirectory(std::string(VXP_SOURCE_DIR) + "/vectors/keys");
  auto credential = *signing::test_pki::CredentialFor(keys, "agency-g22");
  const signing::VerifyOptions at{nullptr, *signing::ParseTime(signing::test_pki::kPinnedTime)};

  std::printf("%-16s %12s %14s %14s %9s\n", "input", "bytes", "bare verify/s", "vxpkit verify/s",
              "ratio");
  for (size_t size : {size_t{10} << 10, size_t{1} << 20}) {
    std::string package = *signing::SignEnvelope(vxp::bench::Package(size), credential);
    std::vector<std::string> lines(size / 60, std::string(50, 'x'));
    std::string pdf =
        *signing::SignPdf(signing::MakeTestPdf(lines), credential, {.signing_time = at.at});
    for (auto [kind, bytes] : {std::pair{"envelope", &package}, std::pair{"pdf", &pdf}}) {
      Bare bare(credential.key_pem, *bytes);
      double t_bare = TimeIt([&] { bare.Verify(*bytes); }, budget);
      double t_full = TimeIt(
          [&] {
            bool clean = std::string_view(kind) == "pdf"
                             ? signing::VerifyPdf(*bytes, at).findings.empty()
                             : signing::VerifyEnvelope(*bytes, at).findings.empty();
            if (!clean) std::abort();  // the bench must verify a good signature
          },
          budget);
      std::string label = std::string(kind) + " " + vxp::bench::SizeLabel(size);
      std::printf("%-16s %12zu %14.0f %14.0f %8.2fx\n", label.c_str(), bytes->size(), 1 / t_bare,
                  1 / t_full, t_bare / t_full);
    }
  }
  std::printf(
      "bare = one RSA-2048 verify + SHA-256 over the same bytes (OpenSSL EVP_DigestVerify);\n"
      "ratio = vxpkit verifications/s / bare verifications/s\n");
  return 0;
}
