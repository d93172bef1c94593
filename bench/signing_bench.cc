// Signature verifications per second, `vxpkit verify`'s path, for 10 KB and 1 MB packages
// (envelope: structure checks, digest and RSA, chain, revocation and key usage) and signed PDFs of
// the same sizes, next to what is measured in the same run:
//   bare    one RSA-2048 verification plus SHA-256 over the same bytes, via OpenSSL directly;
//   xmlsec  the xmlsec library's own in-process verify of the envelope (libxml2 parse, then
//           xmlSecDSigCtxVerify with the key given: no structure, chain or revocation checks);
//   JDK     javax.xml.crypto, warm, in a JVM (bench/jdk/EnvelopeVerify.java; Reference and
//           SignatureValue only), when `java` is installed.
// Verification state that persists between calls (the certificate and chain caches) is what a
// hub or harness has after its first package; the figures are for that steady state. A program,
// not a test.
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
#include "core/signing/c14n_reference.h"
#include "core/signing/envelope.h"
#include "core/signing/ossl.h"
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

// The JDK's verifications/s of `package` (0 when java is not installed or fails).
double JdkRate(const std::string& package, double seconds) {
  std::filesystem::path file = std::filesystem::temp_directory_path() / "vxpkit-bench-package.xml";
  std::ofstream(file, std::ios::binary) << package;
  std::string command = "java " + std::string(VXP_SOURCE_DIR) + "/bench/jdk/EnvelopeVerify.java " +
                        file.string() + " " + std::to_string(seconds) + " 2>/dev/null";
  double rate = 0;
  if (FILE* out = popen(command.c_str(), "r")) {
    if (std::fscanf(out, "%lf", &rate) != 1) rate = 0;
    pclose(out);
  }
  std::filesystem::remove(file);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const double budget = quick ? 0.2 : 1.5;
  auto keys = vxp::testing::SlurpDirectory(std::string(VXP_SOURCE_DIR) + "/vectors/keys");
  auto credential = *signing::test_pki::CredentialFor(keys, "agency-g22");
  const signing::VerifyOptions at{nullptr, *signing::ParseTime(signing::test_pki::kPinnedTime)};

  struct Peer {
    std::string input, name;
    double rate, vxpkit;
  };
  std::vector<Peer> peers;
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
      if (std::string_view(kind) != "envelope") continue;
      auto cert = *signing::ossl::ParseCertificate(credential.cert_pem);
      EVP_PKEY* key = X509_get0_pubkey(cert.get());
      double t_xmlsec = TimeIt(
          [&] {
            if (signing::c14n::XmlsecVerifies(*bytes, key) != true) std::abort();
          },
          budget);
      peers.push_back({label, "xmlsec in-process", 1 / t_xmlsec, 1 / t_full});
      if (double jdk = JdkRate(*bytes, budget); jdk > 0) {
        peers.push_back({label, "JDK javax.xml.crypto", jdk, 1 / t_full});
      } else {
        peers.push_back({label, "JDK (java not installed)", 0, 1 / t_full});
      }
    }
  }
  std::printf("\n%-16s %-26s %12s %14s %9s\n", "input", "peer", "peer/s", "vxpkit/s",
              "vxpkit÷peer");
  for (const Peer& p : peers) {
    std::printf("%-16s %-26s %12.0f %14.0f %8.2fx\n", p.input.c_str(), p.name.c_str(), p.rate,
                p.vxpkit, p.rate > 0 ? p.vxpkit / p.rate : 0);
  }
  std::printf(
      "bare = one RSA-2048 verify + SHA-256 over the same bytes (OpenSSL EVP_DigestVerify);\n"
      "ratio = vxpkit verifications/s / bare verifications/s\n"
      "peers verify the same envelope bytes; vxpkit's figure also includes the chain and structure "
      "checks they skip\n");
  return 0;
}
