#include "core/signing/envelope_value.h"

#include <openssl/rsa.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/edxml/base64.h"
#include "core/edxml/model.h"
#include "core/signing/c14n.h"
#include "core/signing/ossl.h"

namespace vxp::signing {
namespace {

constexpr std::string_view kDsig = edxml::kXmlDsigNamespace;
constexpr std::string_view kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

std::optional<c14n::Mode> C14nMode(std::string_view uri) {
  if (uri == "http://www.w3.org/2001/10/xml-exc-c14n#") return c14n::Mode::kExclusive;
  if (uri == "http://www.w3.org/TR/2001/REC-xml-c14n-20010315") return c14n::Mode::kInclusive;
  return std::nullopt;
}

// The digests, fetched once (an implicit fetch per call takes the provider store's locks), by
// the XML-DSig URIs that name them: as DigestMethod, and as RSA SignatureMethod.
struct DigestUris {
  const char* name;
  std::string_view digest_uri, rsa_uri;
  const EVP_MD* md;
};
const std::array<DigestUris, 4>& Digests() {
  static const std::array<DigestUris, 4> kDigests = [] {
    std::array<DigestUris, 4> d{{
        {"SHA1", "http://www.w3.org/2000/09/xmldsig#sha1",
         "http://www.w3.org/2000/09/xmldsig#rsa-sha1", nullptr},
        {"SHA256", "http://www.w3.org/2001/04/xmlenc#sha256",
         "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", nullptr},
        {"SHA384", "http://www.w3.org/2001/04/xmldsig-more#sha384",
         "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", nullptr},
        {"SHA512", "http://www.w3.org/2001/04/xmlenc#sha512",
         "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", nullptr},
    }};
    for (DigestUris& u : d) u.md = EVP_MD_fetch(nullptr, u.name, nullptr);
    return d;
  }();
  return kDigests;
}

const EVP_MD* DigestMethod(std::string_view uri) {
  for (const DigestUris& d : Digests()) {
    if (d.digest_uri == uri) return d.md;
  }
  return nullptr;
}

const EVP_MD* RsaMethod(std::string_view uri) {
  for (const DigestUris& d : Digests()) {
    if (d.rsa_uri == uri) return d.md;
  }
  return nullptr;
}

bool IsDsig(pugi::xml_node n, std::string_view local) {
  return n.type() == pugi::node_element && c14n::LocalName(n) == local &&
         c14n::NamespaceOf(n) == kDsig;
}

// The element children of `parent`; false if any other child is not whitespace or a comment.
bool Elements(pugi::xml_node parent, std::vector<pugi::xml_node>* out) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) {
      out->push_back(c);
    } else if (c.type() == pugi::node_pcdata) {
      for (const char* p = c.value(); *p != 0; ++p) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') return false;
      }
    } else if (c.type() != pugi::node_comment) {
      return false;
    }
  }
  return true;
}

// The Algorithm attribute of a method element that has no element children; "" otherwise.
std::string_view Algorithm(pugi::xml_node n) {
  std::vector<pugi::xml_node> kids;
  if (!Elements(n, &kids) || !kids.empty()) return "";
  return n.attribute("Algorithm").value();
}

// The decoded base64 text content of `n` (whitespace allowed); nullopt if it does not decode.
std::optional<std::string> Base64Content(pugi::xml_node n) {
  std::string value;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_pcdata && c.type() != pugi::node_comment) return std::nullopt;
    if (c.type() == pugi::node_pcdata) value += c.value();
  }
  std::erase_if(value, [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
  auto decoded = edxml::DecodeBase64ToString(value);
  if (!decoded) return std::nullopt;
  return std::move(*decoded);
}

}  // namespace

ValueVerdict VerifyProfileValue(std::string_view package, EVP_PKEY* key) {
  pugi::xml_document doc;
  if (!c14n::ParseFaithful(package, &doc)) return ValueVerdict::kNotProfileShape;
  return VerifyProfileValue(doc, key);
}

ValueVerdict VerifyProfileValue(const pugi::xml_document& doc, EVP_PKEY* key) {
  constexpr ValueVerdict kOther = ValueVerdict::kNotProfileShape;
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) return kOther;
  pugi::xml_node signature = c14n::FirstElement(doc, "Signature", kDsig);
  std::vector<pugi::xml_node> parts, info, ref, transforms;
  if (!signature || !Elements(signature, &parts) || parts.size() < 2 ||
      !IsDsig(parts[0], "SignedInfo") || !IsDsig(parts[1], "SignatureValue")) {
    return kOther;
  }
  pugi::xml_node signed_info = parts[0];
  if (!Elements(signed_info, &info) || info.size() != 3 ||
      !IsDsig(info[0], "CanonicalizationMethod") || !IsDsig(info[1], "SignatureMethod") ||
      !IsDsig(info[2], "Reference")) {
    return kOther;
  }
  std::optional<c14n::Mode> info_mode = C14nMode(Algorithm(info[0]));
  const EVP_MD* sign_md = RsaMethod(Algorithm(info[1]));
  pugi::xml_attribute uri = info[2].attribute("URI");
  if (!info_mode || sign_md == nullptr || !uri || *uri.value() != 0 || !Elements(info[2], &ref) ||
      ref.size() != 3 || !IsDsig(ref[0], "Transforms") || !IsDsig(ref[1], "DigestMethod") ||
      !IsDsig(ref[2], "DigestValue") || !Elements(ref[0], &transforms) || transforms.size() != 2 ||
      !IsDsig(transforms[0], "Transform") || !IsDsig(transforms[1], "Transform") ||
      Algorithm(transforms[0]) != kEnveloped) {
    return kOther;
  }
  std::optional<c14n::Mode> doc_mode = C14nMode(Algorithm(transforms[1]));
  const EVP_MD* digest_md = DigestMethod(Algorithm(ref[1]));
  auto claimed = Base64Content(ref[2]);
  auto value = Base64Content(parts[1]);
  if (!doc_mode || digest_md == nullptr || !claimed || !value) return kOther;

  // The document less the Signature, digested as it is canonicalised.
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  bool fed = true;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), digest_md, nullptr) != 1 ||
      !c14n::Canonicalize(doc, {.excluded = signature}, *doc_mode,
                          [&](std::string_view bytes) {
                            fed =
                                fed && EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) == 1;
                          }) ||
      !fed || EVP_DigestFinal_ex(ctx.get(), digest, &n) != 1) {
    ossl::TakeErrors();
    return kOther;
  }
  if (std::string_view(reinterpret_cast<char*>(digest), n) != *claimed) {
    return ValueVerdict::kInvalid;
  }
  // SignedInfo, verified as it is canonicalised.
  ossl::MdCtxPtr verify(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;
  if (!verify || EVP_DigestVerifyInit(verify.get(), &pkey_ctx, sign_md, nullptr, key) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PADDING) != 1 ||
      !c14n::Canonicalize(doc, {.apex = signed_info}, *info_mode,
                          [&](std::string_view bytes) {
                            fed = fed && EVP_DigestVerifyUpdate(verify.get(), bytes.data(),
                                                                bytes.size()) == 1;
                          }) ||
      !fed) {
    ossl::TakeErrors();
    return kOther;
  }
  int ok = EVP_DigestVerifyFinal(
      verify.get(), reinterpret_cast<const unsigned char*>(value->data()), value->size());
  ossl::TakeErrors();
  return ok == 1 ? ValueVerdict::kValid : ValueVerdict::kInvalid;
}

}  // namespace vxp::signing
