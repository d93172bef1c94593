// `vxpkit sign`, `vxpkit verify` and `vxpkit vectors`: the signature profiles of edxml.md §7 and
// the test PKI and vector corpus behind them.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/common/clock.h"
#include "core/signing/envelope.h"
#include "core/signing/pdf.h"
#include "core/signing/test_pki.h"
#include "core/signing/vectors.h"
#include "core/signing/verify.h"

namespace vxp::cli {
namespace {

namespace fs = std::filesystem;

struct SignArgs {
  std::string key, cert, chain, in, out, c14n = "exclusive", signing_time;
  bool pdf = false;
};

int Sign(const SignArgs& args) {
  auto key = ReadFile(args.key);
  auto cert = key ? ReadFile(args.cert) : key;
  auto chain = cert && !args.chain.empty() ? ReadFile(args.chain) : Result<std::string>("");
  auto input = chain ? ReadFile(args.in) : chain;
  for (const auto* r : {&key, &cert, &chain, &input}) {
    if (!*r) {
      std::cerr << "vxpkit: " << r->error().message << "\n";
      return 2;
    }
  }
  signing::Credential credential{*key, *cert, *chain};
  Result<std::string> out;
  if (args.pdf) {
    signing::PdfSignOptions options;
    auto when = args.signing_time.empty() ? Result<std::int64_t>(SystemMillis() / 1000)
                                          : signing::ParseTime(args.signing_time);
    if (!when) {
      std::cerr << "vxpkit: --signing-time: " << when.error().message << "\n";
      return 2;
    }
    options.signing_time = *when;
    out = signing::SignPdf(*input, credential, options);
  } else {
    signing::EnvelopeOptions options;
    options.c14n = args.c14n == "inclusive" ? signing::C14n::kInclusive : signing::C14n::kExclusive;
    out = signing::SignEnvelope(*input, credential, options);
  }
  if (!out) {
    std::cerr << "vxpkit: cannot sign " << args.in << ": " << out.error().message << "\n";
    return 2;
  }
  if (auto w = WriteFile(args.out, *out); !w) {
    std::cerr << "vxpkit: " << w.error().message << "\n";
    return 2;
  }
  std::cerr << "signed " << args.in << " -> " << args.out << " ("
            << (args.pdf ? "CMS detached over /ByteRange" : "XML-DSig envelope in edXMLHeader")
            << ")\n";
  return 0;
}

struct VerifyArgs {
  std::vector<std::string> files;
  bool json = false;
  bool allow_unsigned_pdf = false;
  TrustArgs trust;
};

int Verify(VerifyArgs& args) {
  args.trust.require_signed_pdf = !args.allow_unsigned_pdf;
  auto policy = args.trust.Resolve();
  if (!policy) {
    std::cerr << "vxpkit: " << policy.error().message << "\n";
    return 2;
  }
  int code = 0;
  for (const std::string& file : args.files) {
    auto bytes = ReadFile(file, size_t{100} << 20);
    if (!bytes) {
      std::cerr << "vxpkit: " << bytes.error().message << "\n";
      code = 2;
      continue;
    }
    signing::FileVerification v = signing::VerifyFile(*bytes, *policy);
    if (args.json) {
      boost::json::array signers;
      for (const auto& s : v.check.signers) signers.push_back(boost::json::string(s));
      std::cout << boost::json::serialize(
                       boost::json::object{{"file", file},
                                           {"kind", v.kind},
                                           {"verdict", ToString(v.verdict)},
                                           {"signers", std::move(signers)},
                                           {"findings", FindingsJson(v.check.findings)}})
                << "\n";
    } else {
      std::cout << file << ": " << v.kind << " — " << ToString(v.verdict);
      if (!v.check.signers.empty()) {
        std::cout << " (signed by ";
        for (size_t i = 0; i < v.check.signers.size(); ++i) {
          std::cout << (i ? "; " : "") << v.check.signers[i];
        }
        std::cout << ")";
      }
      std::cout << "\n";
      for (const Finding& f : v.check.findings) PrintFinding(file, f, std::cout);
    }
    if (v.verdict == Verdict::kFail && code == 0) code = 1;
  }
  return code;
}

struct VectorsArgs {
  std::string keys = "vectors/keys";
  std::string out = "vectors/signatures";
  bool regenerate_keys = false;
};

int Vectors(const VectorsArgs& args) {
  if (args.regenerate_keys) {
    auto pki = signing::test_pki::Generate();
    if (!pki) {
      std::cerr << "vxpkit: " << pki.error().message << "\n";
      return 2;
    }
    for (const auto& [name, bytes] : *pki) {
      if (auto w = WriteFile((fs::path(args.keys) / name).string(), bytes); !w) {
        std::cerr << "vxpkit: " << w.error().message << "\n";
        return 2;
      }
    }
    std::cerr << "wrote " << pki->size() << " test PKI files to " << args.keys
              << " (rebuild vxpkit so its built-in trust anchors match)\n";
  }
  auto keys = ReadDirectory(args.keys);
  if (!keys) {
    std::cerr << "vxpkit: " << keys.error().message << "\n";
    return 2;
  }
  auto vectors = signing::GenerateSignatureVectors(*keys);
  if (!vectors) {
    std::cerr << "vxpkit: cannot build the vectors from " << args.keys << ": "
              << vectors.error().message << "\n";
    return 2;
  }
  for (const signing::SignatureVector& v : *vectors) {
    fs::path file = fs::path(args.out) / v.name;
    fs::path expect = file;
    expect.replace_extension(".expect.json");
    for (const auto& [path, bytes] :
         {std::pair{file, v.bytes}, std::pair{expect, signing::ExpectJson(v)}}) {
      if (auto w = WriteFile(path.string(), bytes); !w) {
        std::cerr << "vxpkit: " << w.error().message << "\n";
        return 2;
      }
    }
  }
  std::cerr << "wrote " << vectors->size() << " signature vectors (and their .expect.json) to "
            << args.out << "\n";
  return 0;
}

}  // namespace

void RegisterSigning(CLI::App& app, int* exit_code) {
  auto sign = std::make_shared<SignArgs>();
  CLI::App* s = app.add_subcommand("sign", "Sign an edXML package (envelope) or a PDF (--pdf)");
  s->footer(
      "Envelope (default): adds an enveloped XML-DSig Signature to edXMLHeader — Reference\n"
      "URI=\"\", RSA-SHA256, exclusive C14N (--c14n inclusive for C14N 1.0), and the\n"
      "certificate and --chain in KeyInfo/X509Data.\n"
      "--pdf: adds a signature field to the first page and a CMS detached signature\n"
      "(adbe.pkcs7.detached, SHA-256, signingTime) over the file's /ByteRange.\n\n"
      "Examples (test PKI):\n"
      "  vxpkit sign --key vectors/keys/agency-g22.key --cert vectors/keys/agency-g22.crt \\\n"
      "      --chain vectors/keys/intermediate-ca.crt package.xml signed.xml\n"
      "  vxpkit sign --pdf --key K --cert C --chain CH document.pdf signed.pdf");
  s->add_option("--key", sign->key, "Signer's private key (PEM)")
      ->required()
      ->check(CLI::ExistingFile);
  s->add_option("--cert", sign->cert, "Signer's certificate (PEM)")
      ->required()
      ->check(CLI::ExistingFile);
  s->add_option("--chain", sign->chain, "CA certificates completing the chain (PEM)")
      ->check(CLI::ExistingFile);
  s->add_flag("--pdf", sign->pdf, "Sign a PDF instead of an edXML package");
  s->add_option("--c14n", sign->c14n, "Envelope canonicalisation")
      ->check(CLI::IsMember({"exclusive", "inclusive"}))
      ->capture_default_str();
  s->add_option("--signing-time", sign->signing_time,
                "PDF signingTime, e.g. 2026-11-20T10:00:00Z (default: now)");
  s->add_option("in", sign->in, "File to sign")->required()->check(CLI::ExistingFile);
  s->add_option("out", sign->out, "Where to write the signed file")->required();
  s->callback([sign, exit_code] { *exit_code = Sign(*sign); });

  auto verify = std::make_shared<VerifyArgs>();
  CLI::App* v = app.add_subcommand("verify", "Verify the signatures of packages and PDFs");
  v->footer(
      "A PDF is verified as a signed PDF; anything else as an edXML package: its envelope\n"
      "signature (when present) and every PDF attachment. Each problem is a finding with its\n"
      "DSIG-* rule ID (vxpkit rules | grep DSIG). A file with no signature at all is DSIG-NONE.\n"
      "Exit 0 when no file fails, 1 when any does, 2 on a usage or I/O error.\n\n"
      "Examples:\n"
      "  vxpkit verify --at 2026-11-20T10:00:00Z vectors/signatures/*.pdf\n"
      "  vxpkit verify --trust /etc/vxpkit/ca --crl ca.crl --json signed.xml");
  v->add_option("files", verify->files, "Files to verify")->required()->check(CLI::ExistingFile);
  v->add_flag("--json", verify->json,
              "One JSON object per file and line: {file, kind, verdict, signers[], findings[]}");
  v->add_flag("--allow-unsigned-pdf", verify->allow_unsigned_pdf,
              "Do not fail PDF attachments that carry no signature");
  verify->trust.Add(v);
  v->callback([verify, exit_code] { *exit_code = Verify(*verify); });

  auto vectors = std::make_shared<VectorsArgs>();
  CLI::App* g = app.add_subcommand("vectors", "Regenerate the signature vector corpus");
  g->footer(
      "Builds vectors/signatures/ from the committed test PKI in vectors/keys/: a valid vector\n"
      "and one per defect for both profiles, each with its .expect.json. The same keys give\n"
      "byte-for-byte the same corpus. --regenerate-keys first makes a new test PKI (new keys;\n"
      "rebuild vxpkit afterwards, its built-in trust anchors come from vectors/keys/).");
  g->add_option("--keys", vectors->keys, "Test PKI directory")->capture_default_str();
  g->add_option("--out", vectors->out, "Where to write the vectors")->capture_default_str();
  g->add_flag("--regenerate-keys", vectors->regenerate_keys, "Generate a new test PKI first");
  g->callback([vectors, exit_code] { *exit_code = Vectors(*vectors); });
}

}  // namespace vxp::cli
