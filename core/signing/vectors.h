// The signature vector corpus (vectors/signatures/): for both profiles a valid vector and one
// vector per defect, each with an .expect.json naming the expected verdict, rule IDs, clause and
// pinned verification time.
//
// Generation is a pure function of the test PKI files: the same keys give byte-for-byte the same
// corpus (RSA PKCS#1 v1.5 signatures are deterministic, signing times are pinned, qpdf writes a
// deterministic /ID), which a test checks against the committed files.
#ifndef VXP_CORE_SIGNING_VECTORS_H_
#define VXP_CORE_SIGNING_VECTORS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/finding.h"
#include "core/common/result.h"

namespace vxp::signing {

struct SignatureVector {
  std::string name;                   // file name, e.g. "env-expired.xml", "pdf-truncated.pdf"
  std::string profile;                // "envelope", "pdf" or "package"
  std::string defect;                 // one line: what is wrong ("none" for valid vectors)
  Verdict verdict = Verdict::kPass;   // what `vxpkit verify` must answer
  std::vector<std::string> rule_ids;  // exactly these DSIG rule IDs, sorted
  std::string bytes;
};

// Builds every vector from `keys` (file name → bytes, as test_pki::Generate() returns them or as
// read from vectors/keys/). Errors name the missing key or the failing signature step.
Result<std::vector<SignatureVector>> GenerateSignatureVectors(
    const std::map<std::string, std::string>& keys);

// The .expect.json text of a vector (stable field order, trailing newline).
std::string ExpectJson(const SignatureVector& vector);

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_VECTORS_H_
