// For tests and the c14n fuzz target only (not linked into vxpkit): the same document subset
// canonicalised by libxml2's
// C14N (the reference, as xmlsec runs it: a visibility callback, no comments) and by vxpkit's
// own (c14n.h), so that any difference on any input is caught; and xmlsec's own verdict on a
// signature, for comparison with envelope_value.h's.
#ifndef VXP_CORE_SIGNING_C14N_REFERENCE_H_
#define VXP_CORE_SIGNING_C14N_REFERENCE_H_

#include <openssl/evp.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/signing/c14n.h"

namespace vxp::signing::c14n {

struct BothForms {
  bool found = false;                 // the subset's element exists (in vxpkit's parse)
  std::optional<std::string> libxml;  // nullopt: libxml2 could not parse or canonicalise
  std::optional<std::string> own;     // nullopt: vxpkit's refused (ParseFaithful or Canonicalize)
};

// The subset is the whole document less the first element (document order) named `local` in
// namespace `ns` when `exclude`, or that element alone otherwise; the whole document when `local`
// is empty.
BothForms CanonicalizeBoth(std::string_view bytes, bool exclude, std::string_view local,
                           std::string_view ns, Mode mode);

// xmlsec's verdict on the digest and value of the first XML-DSig Signature of `bytes` with `key`
// (Reference URI="" or same-document): true when both verify, false when either does not,
// nullopt when xmlsec cannot process the signature at all.
std::optional<bool> XmlsecVerifies(std::string_view bytes, EVP_PKEY* key);

}  // namespace vxp::signing::c14n

#endif  // VXP_CORE_SIGNING_C14N_REFERENCE_H_
