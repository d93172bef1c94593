#include "core/signing/envelope.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <memory>

#include "core/edxml/base64.h"
#include "core/edxml/model.h"
#include "core/edxml/xml_doc.h"
#include "core/signing/chain.h"
#include "core/signing/ossl.h"
#include "core/signing/xmlsec_init.h"

namespace vxp::signing {
namespace {

using ossl::KeyPtr;
using ossl::X509Ptr;

constexpr std::string_view kDsig = edxml::kXmlDsigNamespace;
constexpr std::string_view kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
constexpr std::string_view kMisspelledExcC14n = "http://www.w3.org/TR/xml-exc-c14n#";
constexpr std::string_view kC14nMethods[] = {
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
};
constexpr std::string_view kRsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
constexpr std::string_view kSignatureMethods[] = {
    kRsaSha1,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
};
constexpr std::string_view kSha1 = "http://www.w3.org/2000/09/xmldsig#sha1";
constexpr std::string_view kDigestMethods[] = {
    kSha1,
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
};

template <size_t N>
bool OneOf(std::string_view value, const std::string_view (&set)[N]) {
  for (std::string_view s : set) {
    if (s == value) return true;
  }
  return false;
}

struct LibxmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using LibxmlDoc = std::unique_ptr<xmlDoc, LibxmlDocFree>;
struct DsigCtxFree {
  void operator()(xmlSecDSigCtx* ctx) const { xmlSecDSigCtxDestroy(ctx); }
};
using DsigCtx = std::unique_ptr<xmlSecDSigCtx, DsigCtxFree>;

// libxml2 re-reads bytes that LoadXml already accepted (no DOCTYPE, so nothing to expand or
// fetch); NONET and no entity substitution as a second line of defence.
LibxmlDoc ParseLibxml(std::string_view bytes) {
  QuietLibxml();
  return LibxmlDoc(
      xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "package.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

xmlNode* ChildElement(xmlNode* parent, std::string_view local, std::string_view ns) {
  for (xmlNode* c = parent != nullptr ? parent->children : nullptr; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (local != reinterpret_cast<const char*>(c->name)) continue;
    std::string_view c_ns =
        c->ns != nullptr ? reinterpret_cast<const char*>(c->ns->href) : std::string_view();
    if (c_ns == ns) return c;
  }
  return nullptr;
}

const xmlChar* X(std::string_view s) { return reinterpret_cast<const xmlChar*>(s.data()); }

// An xmlsec key holding `key` (a new reference is taken).
xmlSecKeyPtr MakeXmlsecKey(EVP_PKEY* key) {
  if (key == nullptr) return nullptr;
  EVP_PKEY_up_ref(key);
  xmlSecKeyDataPtr data = xmlSecOpenSSLEvpKeyAdopt(key);
  if (data == nullptr) {
    EVP_PKEY_free(key);
    return nullptr;
  }
  xmlSecKeyPtr out = xmlSecKeyCreate();
  if (out == nullptr || xmlSecKeySetValue(out, data) < 0) {
    xmlSecKeyDataDestroy(data);
    if (out != nullptr) xmlSecKeyDestroy(out);
    return nullptr;
  }
  return out;
}

void RegisterIds(xmlDoc* doc) {
  static const xmlChar* kIds[] = {BAD_CAST "Id", BAD_CAST "ID", BAD_CAST "id", nullptr};
  xmlSecAddIDs(doc, xmlDocGetRootElement(doc), kIds);
}

std::string Text(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

}  // namespace

Result<std::string> SignEnvelope(std::string_view package, const Credential& credential,
                                 const EnvelopeOptions& options) {
  std::string init_error;
  if (!InitXmlsec(&init_error)) return MakeError("signing.xmlsec", init_error);
  auto loaded = edxml::LoadXml(package);
  if (!loaded) {
    return MakeError("signing.input", "the package does not load (" + loaded.error().rule_id +
                                          "): " + loaded.error().message);
  }
  auto signer = LoadSigner(credential);
  if (!signer) return tl::unexpected(signer.error());
  if (!options.include_chain) signer->chain.clear();

  LibxmlDoc doc = ParseLibxml(package);
  if (!doc) return MakeError("signing.input", "libxml2 cannot parse the package");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  xmlNode* header = ChildElement(ChildElement(root, "edXMLEnvelope", edxml::kNamespace),
                                 "edXMLHeader", edxml::kNamespace);
  if (header == nullptr) {
    return MakeError("signing.input",
                     "no /edXML/edXMLEnvelope/edXMLHeader in the edXML namespace to sign");
  }
  if (ChildElement(header, "Signature", kDsig) != nullptr ||
      ChildElement(header, "Signature", edxml::kNamespace) != nullptr) {
    return MakeError("signing.input", "the package is already signed (edXMLHeader/Signature)");
  }

  xmlSecTransformId c14n =
      options.c14n == C14n::kExclusive ? xmlSecTransformExclC14NId : xmlSecTransformInclC14NId;
  bool sha1 = options.digest == DigestAlg::kSha1;
  xmlNode* sig = xmlSecTmplSignatureCreate(
      doc.get(), c14n, sha1 ? xmlSecTransformRsaSha1Id : xmlSecTransformRsaSha256Id, nullptr);
  if (sig == nullptr) return MakeError("signing.xmlsec", "cannot create the Signature template");
  xmlAddChild(header, sig);
  std::string uri = options.reference_id.empty() ? "" : "#" + options.reference_id;
  xmlNode* ref = xmlSecTmplSignatureAddReference(
      sig, sha1 ? xmlSecTransformSha1Id : xmlSecTransformSha256Id, nullptr, X(uri), nullptr);
  // An Id reference signs an element, not the document: no enveloped transform (it would cut the
  // element out once wrapped inside the Signature).
  bool enveloped = options.reference_id.empty();
  if (ref == nullptr ||
      (enveloped && xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) == nullptr) ||
      xmlSecTmplReferenceAddTransform(ref, c14n) == nullptr) {
    return MakeError("signing.xmlsec", "cannot build the Reference: " + TakeXmlsecErrors());
  }
  if (!options.reference_id.empty()) RegisterIds(doc.get());

  DsigCtx ctx(xmlSecDSigCtxCreate(nullptr));
  ctx->signKey = MakeXmlsecKey(signer->key.get());
  if (ctx->signKey == nullptr || xmlSecDSigCtxSign(ctx.get(), sig) < 0) {
    return MakeError("signing.xmlsec", "xmlsec could not sign: " + TakeXmlsecErrors());
  }
  // KeyInfo is outside SignedInfo and, with URI="" and the enveloped transform, outside the
  // signed content, so it is written after signing, exactly as the profile wants it.
  xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(sig, nullptr);
  xmlNode* x509_data = key_info != nullptr ? xmlSecTmplKeyInfoAddX509Data(key_info) : nullptr;
  if (x509_data == nullptr) return MakeError("signing.xmlsec", "cannot add KeyInfo/X509Data");
  std::vector<X509*> certs{signer->cert.get()};
  for (auto& c : signer->chain) certs.push_back(c.get());
  for (X509* c : certs) {
    xmlNode* node = xmlSecAddChild(x509_data, BAD_CAST "X509Certificate", xmlSecDSigNs);
    std::string b64 = edxml::EncodeBase64(ossl::ToDer(c));
    xmlNodeSetContent(node, X(b64));
  }
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc.get(), &out, &size, "UTF-8");
  std::string result(reinterpret_cast<char*>(out), size > 0 ? static_cast<size_t>(size) : 0);
  xmlFree(out);
  TakeXmlsecErrors();
  return result;
}

EnvelopeVerification VerifyEnvelope(std::string_view package, const VerifyOptions& options) {
  EnvelopeVerification result;
  const TrustStore& trust = options.trust != nullptr ? *options.trust : TrustStore::TestPki();
  // Most packages carry no envelope signature: a byte search spares them a second parse (the
  // caller has usually parsed them already). A chance match inside base64 only costs the parse.
  if (package.find("Signature") == std::string_view::npos) return result;
  auto loaded = edxml::LoadXml(package);
  if (!loaded) {
    result.findings.push_back(loaded.error());
    return result;
  }
  const edxml::XmlDoc& xml = *loaded;
  constexpr Profile kP = Profile::kEnvelope;

  // Every Signature element, in document order, by namespace.
  std::vector<pugi::xml_node> standard, vnpt;
  std::vector<pugi::xml_node> stack{xml.Root().node};
  while (!stack.empty()) {
    pugi::xml_node n = stack.back();
    stack.pop_back();
    edxml::XmlNode v = xml.View(n);
    if (v.local == "Signature") {
      (v.ns == kDsig ? standard : vnpt).push_back(n);
      continue;  // never look for signatures inside signatures
    }
    std::vector<pugi::xml_node> kids;
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element) kids.push_back(c);
    }
    stack.insert(stack.end(), kids.rbegin(), kids.rend());
  }
  result.present = !standard.empty() || !vnpt.empty();
  auto loc = [&](pugi::xml_node n) { return Location{xml.PathOf(n), xml.Line(n)}; };

  for (pugi::xml_node n : vnpt) {
    result.findings.push_back(SigFinding(
        kP, rules::kEnvVnptForm, loc(n),
        "this Signature is in the namespace '" + std::string(xml.View(n).ns) +
            "' (the VNPT library's form), not in the XML-DSig namespace, so it cannot be "
            "verified; sign with the XML-DSig namespace, RSA-SHA256 and exclusive C14N",
        std::string(kDsig), std::string(xml.View(n).ns)));
  }
  if (standard.empty()) return result;

  auto in_header = [&](pugi::xml_node n) {
    edxml::XmlNode parent = xml.View(n.parent());
    edxml::XmlNode envelope = parent ? xml.View(parent.node.parent()) : edxml::XmlNode{};
    return parent.local == "edXMLHeader" && parent.ns == edxml::kNamespace && envelope &&
           envelope.local == "edXMLEnvelope" && envelope.node.parent() == xml.Root().node;
  };
  for (size_t i = 0; i < standard.size(); ++i) {
    if (i > 0) {
      result.findings.push_back(SigFinding(kP, rules::kEnvPlacement, loc(standard[i]),
                                           "a second XML-DSig Signature; a package carries at "
                                           "most one envelope signature",
                                           "one Signature", std::to_string(standard.size())));
    } else if (!in_header(standard[i])) {
      result.findings.push_back(
          SigFinding(kP, rules::kEnvPlacement, loc(standard[i]),
                     "the envelope signature must be a child of /edXML/edXMLEnvelope/edXMLHeader",
                     "/edXML/edXMLEnvelope/edXMLHeader/Signature", xml.PathOf(standard[i])));
    }
  }

  pugi::xml_node sig = standard.front();
  // Wrapped content: edXML elements anywhere inside the Signature.
  for (const pugi::xpath_node& found : sig.select_nodes(".//*")) {
    pugi::xml_node n = found.node();
    if (xml.View(n).ns == edxml::kNamespace) {
      result.findings.push_back(SigFinding(
          kP, rules::kEnvWrapped, loc(n),
          "the Signature carries edXML content (" + std::string(xml.View(n).local) +
              "): signed content moved or duplicated into the signature is a wrapping attack",
          "no edXML element inside Signature", xml.PathOf(n)));
      break;
    }
  }

  auto child = [&](pugi::xml_node parent, std::string_view local) {
    for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      edxml::XmlNode v = xml.View(c);
      if (v.local == local && v.ns == kDsig) return c;
    }
    return pugi::xml_node();
  };
  auto children = [&](pugi::xml_node parent, std::string_view local) {
    std::vector<pugi::xml_node> out;
    for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      edxml::XmlNode v = xml.View(c);
      if (v.local == local && v.ns == kDsig) out.push_back(c);
    }
    return out;
  };

  pugi::xml_node signed_info = child(sig, "SignedInfo");
  pugi::xml_node value = child(sig, "SignatureValue");
  if (!signed_info || !value) {
    result.findings.push_back(SigFinding(
        kP, rules::kEnvStructure, loc(sig),
        std::string("the Signature has no ") + (!signed_info ? "SignedInfo" : "SignatureValue"),
        "SignedInfo and SignatureValue", "missing"));
    return result;
  }
  bool algorithms_ok = true;
  bool weak = false;
  std::string c14n = child(signed_info, "CanonicalizationMethod").attribute("Algorithm").value();
  std::string method = child(signed_info, "SignatureMethod").attribute("Algorithm").value();
  if (c14n == kMisspelledExcC14n) {
    result.findings.push_back(SigFinding(
        kP, rules::kEnvVnptForm, loc(signed_info),
        "CanonicalizationMethod is the VNPT library's mis-spelled exclusive C14N URI; the "
        "signature cannot be verified as XML-DSig",
        "http://www.w3.org/2001/10/xml-exc-c14n#", c14n));
    return result;
  }
  if (!OneOf(c14n, kC14nMethods)) {
    algorithms_ok = false;
    result.findings.push_back(SigFinding(kP, rules::kEnvAlgorithm, loc(signed_info),
                                         "CanonicalizationMethod '" + c14n + "' is not allowed",
                                         "C14N 1.0 or exclusive C14N", c14n));
  }
  if (!OneOf(method, kSignatureMethods)) {
    algorithms_ok = false;
    result.findings.push_back(SigFinding(kP, rules::kEnvAlgorithm, loc(signed_info),
                                         "SignatureMethod '" + method + "' is not allowed",
                                         "rsa-sha256", method));
  } else if (method == kRsaSha1) {
    weak = true;
  }
  std::vector<pugi::xml_node> references = children(signed_info, "Reference");
  bool id_reference = false;
  if (references.size() != 1) {
    result.findings.push_back(SigFinding(
        kP, rules::kEnvScope, loc(signed_info),
        "SignedInfo has " + std::to_string(references.size()) +
            " References; the profile signs the whole package with exactly one, URI=\"\"",
        "1 Reference", std::to_string(references.size())));
  }
  for (pugi::xml_node ref : references) {
    pugi::xml_attribute uri = ref.attribute("URI");
    bool enveloped = false;
    for (pugi::xml_node t : children(child(ref, "Transforms"), "Transform")) {
      std::string_view alg = t.attribute("Algorithm").value();
      if (alg == kEnveloped) {
        enveloped = true;
      } else if (!OneOf(alg, kC14nMethods)) {
        algorithms_ok = false;
        result.findings.push_back(SigFinding(kP, rules::kEnvAlgorithm, loc(t),
                                             "Transform '" + std::string(alg) +
                                                 "' is not allowed (only enveloped-signature "
                                                 "and canonicalisation)",
                                             "enveloped-signature, C14N", std::string(alg)));
      }
    }
    std::string digest = child(ref, "DigestMethod").attribute("Algorithm").value();
    if (!OneOf(digest, kDigestMethods)) {
      algorithms_ok = false;
      result.findings.push_back(SigFinding(kP, rules::kEnvAlgorithm, loc(ref),
                                           "DigestMethod '" + digest + "' is not allowed", "sha256",
                                           digest));
    } else if (digest == kSha1) {
      weak = true;
    }
    if (!uri || std::string_view(uri.value()) != "" || !enveloped) {
      std::string actual = !uri ? "no URI attribute" : "URI=\"" + std::string(uri.value()) + "\"";
      if (!enveloped) actual += " without the enveloped-signature transform";
      if (uri && uri.value()[0] == '#') id_reference = true;
      if (uri && uri.value()[0] != '#' && uri.value()[0] != '\0') algorithms_ok = false;
      result.findings.push_back(
          SigFinding(kP, rules::kEnvScope, loc(ref),
                     "the Reference does not cover the whole package as received (" + actual +
                         "); content outside what it signs can be changed or moved undetected",
                     "URI=\"\" with the enveloped-signature transform", actual));
    }
  }
  if (weak) {
    result.findings.push_back(SigFinding(
        kP, rules::kWeakAlg, loc(signed_info),
        "the signature uses SHA-1 (" + method + "), which is no longer collision-resistant",
        "rsa-sha256 and sha256", "SHA-1"));
  }

  // The certificates of KeyInfo; the signer is the one that issued none of the others.
  std::vector<X509Ptr> certs;
  pugi::xml_node key_info = child(sig, "KeyInfo");
  for (pugi::xml_node data : children(key_info, "X509Data")) {
    for (pugi::xml_node c : children(data, "X509Certificate")) {
      std::string text = Text(c);
      std::erase_if(text,
                    [](char ch) { return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t'; });
      auto der = edxml::DecodeBase64ToString(text);
      auto cert = der ? ossl::ParseCertificate(*der) : tl::unexpected(der.error());
      if (!cert) {
        result.findings.push_back(
            SigFinding(kP, rules::kEnvKeyInfo, loc(c),
                       "an X509Certificate does not decode: " + cert.error().message,
                       "a base64 DER certificate", "undecodable"));
        continue;
      }
      certs.push_back(std::move(*cert));
    }
  }
  X509* signer = nullptr;
  for (auto& c : certs) {
    bool issues_another = false;
    for (auto& other : certs) {
      if (other != c && X509_check_issued(c.get(), other.get()) == X509_V_OK) issues_another = true;
    }
    if (!issues_another) {
      signer = c.get();
      break;
    }
  }
  if (signer == nullptr) {
    if (certs.empty()) {
      result.findings.push_back(SigFinding(kP, rules::kEnvKeyInfo, loc(key_info ? key_info : sig),
                                           "KeyInfo carries no X509Certificate, so the signer "
                                           "cannot be identified",
                                           "KeyInfo/X509Data/X509Certificate", "none"));
    }
    return result;
  }
  result.signer = ossl::NameOf(X509_get_subject_name(signer));
  if (X509_get0_pubkey(signer) == nullptr) {
    ossl::TakeErrors();
    result.findings.push_back(SigFinding(
        kP, rules::kEnvKeyInfo, loc(key_info ? key_info : sig),
        "the public key of the KeyInfo certificate " + Describe(signer) + " cannot be read",
        "an RSA public key", "unreadable key"));
    return result;
  }
  if (!algorithms_ok) return result;

  // Digest and signature value, by xmlsec, over a libxml2 tree of the same bytes.
  std::string init_error;
  if (!InitXmlsec(&init_error)) {
    Finding f = SigFinding(kP, rules::kEnvStructure, loc(sig), "cannot verify: " + init_error);
    f.verdict = Verdict::kError;
    result.findings.push_back(std::move(f));
    return result;
  }
  LibxmlDoc doc = ParseLibxml(package);
  xmlNode* sig_node =
      doc ? xmlSecFindNode(xmlDocGetRootElement(doc.get()), xmlSecNodeSignature, xmlSecDSigNs)
          : nullptr;
  if (sig_node == nullptr) {
    result.findings.push_back(
        SigFinding(kP, rules::kEnvStructure, loc(sig), "libxml2 cannot read the signed package"));
    return result;
  }
  if (id_reference) RegisterIds(doc.get());
  DsigCtx ctx(xmlSecDSigCtxCreate(nullptr));
  ctx->enabledReferenceUris = static_cast<xmlSecTransformUriType>(
      xmlSecTransformUriTypeEmpty | xmlSecTransformUriTypeSameDocument);
  for (xmlSecTransformId id :
       {xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId, xmlSecTransformExclC14NId,
        xmlSecTransformExclC14NWithCommentsId, xmlSecTransformEnvelopedId, xmlSecTransformSha1Id,
        xmlSecTransformSha256Id, xmlSecTransformSha384Id, xmlSecTransformSha512Id}) {
    xmlSecDSigCtxEnableReferenceTransform(ctx.get(), id);
  }
  for (xmlSecTransformId id :
       {xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId, xmlSecTransformExclC14NId,
        xmlSecTransformExclC14NWithCommentsId, xmlSecTransformRsaSha1Id, xmlSecTransformRsaSha256Id,
        xmlSecTransformRsaSha384Id, xmlSecTransformRsaSha512Id, xmlSecTransformSha1Id,
        xmlSecTransformSha256Id, xmlSecTransformSha384Id, xmlSecTransformSha512Id}) {
    xmlSecDSigCtxEnableSignatureTransform(ctx.get(), id);
  }
  // The key comes from the KeyInfo certificate chosen above; xmlsec does not read KeyInfo.
  ctx->signKey = MakeXmlsecKey(X509_get0_pubkey(signer));
  TakeXmlsecErrors();
  if (ctx->signKey == nullptr || xmlSecDSigCtxVerify(ctx.get(), sig_node) < 0) {
    result.findings.push_back(SigFinding(kP, rules::kEnvStructure, loc(sig),
                                         "the signature cannot be processed: " + TakeXmlsecErrors(),
                                         "a processable XML-DSig signature", "xmlsec error"));
    return result;
  }
  TakeXmlsecErrors();
  if (ctx->status != xmlSecDSigStatusSucceeded) {
    bool digest_failed = false;
    xmlSecSize n = xmlSecPtrListGetSize(&ctx->signedInfoReferences);
    for (xmlSecSize i = 0; i < n; ++i) {
      auto* ref = static_cast<xmlSecDSigReferenceCtxPtr>(
          xmlSecPtrListGetItem(&ctx->signedInfoReferences, i));
      if (ref != nullptr && ref->status != xmlSecDSigStatusSucceeded) digest_failed = true;
    }
    if (digest_failed) {
      result.findings.push_back(SigFinding(
          kP, rules::kDigest, loc(references.empty() ? signed_info : references.front()),
          "the DigestValue does not match the package as received: the package was changed after "
          "it was signed",
          "digest of the received package", "different digest"));
    } else {
      result.findings.push_back(SigFinding(
          kP, rules::kValue, loc(value),
          "the SignatureValue does not verify with the KeyInfo certificate " + Describe(signer) +
              ": the value was altered or that certificate is not the signer's",
          "a valid RSA signature over SignedInfo", "invalid"));
    }
  }
  std::vector<X509*> extra;
  for (auto& c : certs) {
    if (c.get() != signer) extra.push_back(c.get());
  }
  auto chain = CheckSigner(kP, loc(sig), signer, extra, trust, options.at);
  result.findings.insert(result.findings.end(), chain.begin(), chain.end());
  return result;
}

}  // namespace vxp::signing
