// The envelope signature profile (edxml.md §7 (2)): an enveloped XML-DSig signature in
// edXMLHeader, Reference URI="" with the enveloped-signature transform, RSA-SHA256, exclusive
// C14N (C14N 1.0 on request), KeyInfo/X509Data with the certificate chain. Signing and
// verification use xmlsec1 on OpenSSL.
//
// Pure functions of their arguments; thread-safe (xmlsec is initialised once, on first use).
#ifndef VXP_CORE_SIGNING_ENVELOPE_H_
#define VXP_CORE_SIGNING_ENVELOPE_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/common/finding.h"
#include "core/common/result.h"
#include "core/edxml/xml_doc.h"
#include "core/signing/test_pki.h"
#include "core/signing/trust.h"

namespace vxp::signing {

enum class C14n { kExclusive, kInclusive };
enum class DigestAlg { kSha256, kSha1 };

struct EnvelopeOptions {
  C14n c14n = C14n::kExclusive;
  DigestAlg digest = DigestAlg::kSha256;  // kSha1: rsa-sha1 and sha1 (weak-algorithm vectors)
  // Empty: Reference URI="" (the profile). Otherwise the Reference points at the element whose
  // Id attribute has this value — not the profile; vxpkit uses it only to build wrapping vectors.
  std::string reference_id;
  bool include_chain = true;  // X509Data carries chain_pem's certificates after the signer's
};

// Signs an edXML package: returns the package with the Signature appended to edXMLHeader.
// Errors: "signing.input" (not XML, no edXMLHeader, already signed), "signing.key" (key or
// certificate unreadable, or not a pair), "signing.xmlsec" (xmlsec failed; message says why).
Result<std::string> SignEnvelope(std::string_view package, const Credential& credential,
                                 const EnvelopeOptions& options = {});

struct EnvelopeVerification {
  bool present = false;           // any Signature element (either namespace) was found
  std::vector<Finding> findings;  // DSIG-ENV-* (or EDXML-XML-* when the bytes do not load)
  std::string signer;             // the signer certificate's subject, when one was found
};

// Verifies the envelope signature of `package` as received: placement, scope (the Reference
// must cover the whole package), wrapped content, algorithms, digest and signature value with the
// KeyInfo certificate, then that certificate's chain, validity, revocation and key usage at
// options.at. A package without a Signature gives present=false and no findings; the VNPT form
// (Signature in the edXML namespace) is recognised and reported as DSIG-ENV-VNPT-FORM, not
// verified.
EnvelopeVerification VerifyEnvelope(std::string_view package, const VerifyOptions& options);
// The same over `loaded`, the tree edxml::LoadXml built from `package` (ParsePackage's), so that
// the package is parsed once for validation and signature alike: a 100 MiB package is then held
// once more, not three times more.
EnvelopeVerification VerifyEnvelope(std::string_view package, const edxml::XmlDoc& loaded,
                                    const VerifyOptions& options);

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_ENVELOPE_H_
