// Internal to core/signing: the digest and SignatureValue of an envelope signature of the
// profile's exact shape (edxml.md §7 (2)), checked over one pugixml parse with vxpkit's own C14N
// (c14n.h) and OpenSSL, instead of a libxml2 parse and xmlsec's general transform engine, which
// cost several times more.
//
// The shape: SignedInfo with CanonicalizationMethod C14N 1.0 or exclusive C14N (without comments,
// no InclusiveNamespaces), SignatureMethod rsa-sha1/256/384/512, exactly one Reference with
// URI="" whose Transforms are the enveloped-signature transform then one of those C14N methods,
// DigestMethod sha1/256/384/512, and an RSA key. Anything else is kNotProfileShape. On
// kNotProfileShape and kInvalid alike VerifyEnvelope asks xmlsec, whose verdict and classification
// of a failure (digest or value) stay the reference: this path can only confirm a signature as
// valid, never condemn one. Tests check that both agree on every signature vector.
//
// What is digested is exactly xmlsec's node set for URI="" plus the enveloped transform: every
// node of the document except comments and the Signature element's subtree.
#ifndef VXP_CORE_SIGNING_ENVELOPE_VALUE_H_
#define VXP_CORE_SIGNING_ENVELOPE_VALUE_H_

#include <openssl/evp.h>

#include <pugixml.hpp>
#include <string_view>

namespace vxp::signing {

enum class ValueVerdict { kValid, kInvalid, kNotProfileShape };

// Verifies the first XML-DSig Signature element of `package` (in document order, as xmlsec
// finds it) with `key`. Thread-safe.
ValueVerdict VerifyProfileValue(std::string_view package, EVP_PKEY* key);
// The same over a tree already parsed as c14n::ParseFaithful parses (or one that
// c14n::FaithfulAsLoaded accepts), so the package is not parsed again.
ValueVerdict VerifyProfileValue(const pugi::xml_document& doc, EVP_PKEY* key);

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_ENVELOPE_VALUE_H_
