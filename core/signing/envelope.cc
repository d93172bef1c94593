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
#include "core/signing/c14n.h"
#include "core/signing/chain.h"
#include "core/signing/envelope_value.h"
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

namespace {

// The steps of VerifyEnvelope over one loaded package; each adds its findings to `result`.
class EnvelopeCheck {
 public:
  explicit EnvelopeCheck(const edxml::XmlDoc& xml) : xml_(xml) {}

  EnvelopeVerification result;

  // The envelope Signature to verify: records every Signature (VNPT-form ones as findings) and
  // where it is; a null node when there is no XML-DSig Signature.
  pugi::xml_node FindSignature() {
    // Every Signature element, in document order, by namespace.
    std::vector<pugi::xml_node> standard, vnpt;
    std::vector<pugi::xml_node> stack{xml_.Root().node};
    while (!stack.empty()) {
      pugi::xml_node n = stack.back();
      stack.pop_back();
      edxml::XmlNode v = xml_.View(n);
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

    for (pugi::xml_node n : vnpt) {
      result.findings.push_back(SigFinding(
          kP, rules::kEnvVnptForm, loc(n),
          "this Signature is in the namespace '" + std::string(xml_.View(n).ns) +
              "' (the VNPT library's form), not in the XML-DSig namespace, so it cannot be "
              "verified; sign with the XML-DSig namespace, RSA-SHA256 and exclusive C14N",
          std::string(kDsig), std::string(xml_.View(n).ns)));
    }
    if (standard.empty()) return {};

    CheckPlacement(standard);
    CheckNotWrapping(standard.front());
    return standard.front();
  }

  // SignedInfo: canonicalisation, algorithms, one Reference to the whole package. False when the
  // signature cannot be verified as XML-DSig at all (missing parts, the VNPT C14N URI).
  bool CheckSignedInfo(pugi::xml_node sig) {
    signed_info_ = child(sig, "SignedInfo");
    value_ = child(sig, "SignatureValue");
    if (!signed_info_ || !value_) {
      result.findings.push_back(SigFinding(
          kP, rules::kEnvStructure, loc(sig),
          std::string("the Signature has no ") + (!signed_info_ ? "SignedInfo" : "SignatureValue"),
          "SignedInfo and SignatureValue", "missing"));
      return false;
    }
    bool weak = false;
    std::string c14n = child(signed_info_, "CanonicalizationMethod").attribute("Algorithm").value();
    std::string method = child(signed_info_, "SignatureMethod").attribute("Algorithm").value();
    if (c14n == kMisspelledExcC14n) {
      result.findings.push_back(SigFinding(
          kP, rules::kEnvVnptForm, loc(signed_info_),
          "CanonicalizationMethod is the VNPT library's mis-spelled exclusive C14N URI; the "
          "signature cannot be verified as XML-DSig",
          "http://www.w3.org/2001/10/xml-exc-c14n#", c14n));
      return false;
    }
    if (!OneOf(c14n, kC14nMethods)) {
      algorithms_ok_ = false;
      result.findings.push_back(SigFinding(kP, rules::kEnvAlgorithm, loc(signed_info_),
                                           "CanonicalizationMethod '" + c14n + "' is not allowed",
                                           "C14N 1.0 or exclusive C14N", c14n));
    }
    if (!OneOf(method, kSignatureMethods)) {
      algorithms_ok_ = false;
      result.findings.push_back(SigFinding(kP, rules::kEnvAlgorithm, loc(signed_info_),
                                           "SignatureMethod '" + method + "' is not allowed",
                                           "rsa-sha256", method));
    } else if (method == kRsaSha1) {
      weak = true;
    }
    references_ = children(signed_info_, "Reference");
    if (references_.size() != 1) {
      result.findings.push_back(SigFinding(
          kP, rules::kEnvScope, loc(signed_info_),
          "SignedInfo has " + std::to_string(references_.size()) +
              " References; the profile signs the whole package with exactly one, URI=\"\"",
          "1 Reference", std::to_string(references_.size())));
    }
    for (pugi::xml_node ref : references_) {
      pugi::xml_attribute uri = ref.attribute("URI");
      bool enveloped = false;
      for (pugi::xml_node t : children(child(ref, "Transforms"), "Transform")) {
        std::string_view alg = t.attribute("Algorithm").value();
        if (alg == kEnveloped) {
          enveloped = true;
        } else if (!OneOf(alg, kC14nMethods)) {
          algorithms_ok_ = false;
          result.findings.push_back(SigFinding(kP, rules::kEnvAlgorithm, loc(t),
                                               "Transform '" + std::string(alg) +
                                                   "' is not allowed (only enveloped-signature "
                                                   "and canonicalisation)",
                                               "enveloped-signature, C14N", std::string(alg)));
        }
      }
      std::string digest = child(ref, "DigestMethod").attribute("Algorithm").value();
      if (!OneOf(digest, kDigestMethods)) {
        algorithms_ok_ = false;
        result.findings.push_back(SigFinding(kP, rules::kEnvAlgorithm, loc(ref),
                                             "DigestMethod '" + digest + "' is not allowed",
                                             "sha256", digest));
      } else if (digest == kSha1) {
        weak = true;
      }
      if (!uri || std::string_view(uri.value()) != "" || !enveloped) {
        std::string actual = !uri ? "no URI attribute" : "URI=\"" + std::string(uri.value()) + "\"";
        if (!enveloped) actual += " without the enveloped-signature transform";
        if (uri && uri.value()[0] == '#') id_reference_ = true;
        if (uri && uri.value()[0] != '#' && uri.value()[0] != '\0') algorithms_ok_ = false;
        result.findings.push_back(
            SigFinding(kP, rules::kEnvScope, loc(ref),
                       "the Reference does not cover the whole package as received (" + actual +
                           "); content outside what it signs can be changed or moved undetected",
                       "URI=\"\" with the enveloped-signature transform", actual));
      }
    }
    if (weak) {
      result.findings.push_back(SigFinding(
          kP, rules::kWeakAlg, loc(signed_info_),
          "the signature uses SHA-1 (" + method + "), which is no longer collision-resistant",
          "rsa-sha256 and sha256", "SHA-1"));
    }

    return true;
  }

  // The certificates of KeyInfo and the signer among them (the one that issued none of the
  // others); nullptr, with a finding, when there is none or its key cannot be read.
  X509* FindSigner(pugi::xml_node sig) {
    pugi::xml_node key_info = child(sig, "KeyInfo");
    for (pugi::xml_node data : children(key_info, "X509Data")) {
      for (pugi::xml_node c : children(data, "X509Certificate")) {
        std::string text = Text(c);
        std::erase_if(text,
                      [](char ch) { return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t'; });
        auto cert = ossl::ParseCertificateCached("base64:" + text,
                                                 [&] { return edxml::DecodeBase64ToString(text); });
        if (!cert) {
          result.findings.push_back(
              SigFinding(kP, rules::kEnvKeyInfo, loc(c),
                         "an X509Certificate does not decode: " + cert.error().message,
                         "a base64 DER certificate", "undecodable"));
          continue;
        }
        certs_.push_back(std::move(*cert));
      }
    }
    X509* signer = nullptr;
    for (auto& c : certs_) {
      bool issues_another = false;
      for (auto& other : certs_) {
        if (other != c && X509_check_issued(c.get(), other.get()) == X509_V_OK)
          issues_another = true;
      }
      if (!issues_another) {
        signer = c.get();
        break;
      }
    }
    if (signer == nullptr) {
      if (certs_.empty()) {
        result.findings.push_back(SigFinding(kP, rules::kEnvKeyInfo, loc(key_info ? key_info : sig),
                                             "KeyInfo carries no X509Certificate, so the signer "
                                             "cannot be identified",
                                             "KeyInfo/X509Data/X509Certificate", "none"));
      }
      return nullptr;
    }
    result.signer = ossl::NameOf(X509_get_subject_name(signer));
    if (X509_get0_pubkey(signer) == nullptr) {
      ossl::TakeErrors();
      result.findings.push_back(SigFinding(
          kP, rules::kEnvKeyInfo, loc(key_info ? key_info : sig),
          "the public key of the KeyInfo certificate " + Describe(signer) + " cannot be read",
          "an RSA public key", "unreadable key"));
      return nullptr;
    }
    return signer;
  }

  // Digest and signature value, by xmlsec, over a libxml2 tree of the same bytes.
  void VerifyValue(std::string_view package, pugi::xml_node sig, X509* signer) {
    std::string init_error;
    if (!InitXmlsec(&init_error)) {
      Finding f = SigFinding(kP, rules::kEnvStructure, loc(sig), "cannot verify: " + init_error);
      f.verdict = Verdict::kError;
      result.findings.push_back(std::move(f));
      return;
    }
    // The profile's own shape first, directly; xmlsec for anything else and to classify failures.
    if (!id_reference_) {
      EVP_PKEY* key = X509_get0_pubkey(signer);
      // The tree already loaded when it is the one C14N needs; otherwise a faithful parse.
      ValueVerdict fast = c14n::FaithfulAsLoaded(package, xml_.Tree())
                              ? VerifyProfileValue(xml_.Tree(), key)
                              : VerifyProfileValue(package, key);
      if (fast == ValueVerdict::kValid) return;
    }
    LibxmlDoc doc = ParseLibxml(package);
    xmlNode* sig_node =
        doc ? xmlSecFindNode(xmlDocGetRootElement(doc.get()), xmlSecNodeSignature, xmlSecDSigNs)
            : nullptr;
    if (sig_node == nullptr) {
      result.findings.push_back(
          SigFinding(kP, rules::kEnvStructure, loc(sig), "libxml2 cannot read the signed package"));
      return;
    }
    if (id_reference_) RegisterIds(doc.get());
    DsigCtx ctx(xmlSecDSigCtxCreate(nullptr));
    ctx->enabledReferenceUris = static_cast<xmlSecTransformUriType>(
        xmlSecTransformUriTypeEmpty | xmlSecTransformUriTypeSameDocument);
    for (xmlSecTransformId id :
         {xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId,
          xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId,
          xmlSecTransformEnvelopedId, xmlSecTransformSha1Id, xmlSecTransformSha256Id,
          xmlSecTransformSha384Id, xmlSecTransformSha512Id}) {
      xmlSecDSigCtxEnableReferenceTransform(ctx.get(), id);
    }
    for (xmlSecTransformId id :
         {xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId,
          xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId,
          xmlSecTransformRsaSha1Id, xmlSecTransformRsaSha256Id, xmlSecTransformRsaSha384Id,
          xmlSecTransformRsaSha512Id, xmlSecTransformSha1Id, xmlSecTransformSha256Id,
          xmlSecTransformSha384Id, xmlSecTransformSha512Id}) {
      xmlSecDSigCtxEnableSignatureTransform(ctx.get(), id);
    }
    // The key comes from the KeyInfo certificate chosen above; xmlsec does not read KeyInfo.
    ctx->signKey = MakeXmlsecKey(X509_get0_pubkey(signer));
    TakeXmlsecErrors();
    if (ctx->signKey == nullptr || xmlSecDSigCtxVerify(ctx.get(), sig_node) < 0) {
      result.findings.push_back(
          SigFinding(kP, rules::kEnvStructure, loc(sig),
                     "the signature cannot be processed: " + TakeXmlsecErrors(),
                     "a processable XML-DSig signature", "xmlsec error"));
      return;
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
            kP, rules::kDigest, loc(references_.empty() ? signed_info_ : references_.front()),
            "the DigestValue does not match the package as received: the package was changed after "
            "it was signed",
            "digest of the received package", "different digest"));
      } else {
        result.findings.push_back(SigFinding(
            kP, rules::kValue, loc(value_),
            "the SignatureValue does not verify with the KeyInfo certificate " + Describe(signer) +
                ": the value was altered or that certificate is not the signer's",
            "a valid RSA signature over SignedInfo", "invalid"));
      }
    }
  }

  // The KeyInfo certificates other than the signer's (the chain it sent).
  std::vector<X509*> Others(X509* signer) const {
    std::vector<X509*> extra;
    for (const auto& c : certs_) {
      if (c.get() != signer) extra.push_back(c.get());
    }
    return extra;
  }

  bool algorithms_ok() const { return algorithms_ok_; }
  Location loc(pugi::xml_node n) const { return Location{xml_.PathOf(n), xml_.Line(n)}; }

 private:
  static constexpr Profile kP = Profile::kEnvelope;

  void CheckPlacement(const std::vector<pugi::xml_node>& standard) {
    auto in_header = [&](pugi::xml_node n) {
      edxml::XmlNode parent = xml_.View(n.parent());
      edxml::XmlNode envelope = parent ? xml_.View(parent.node.parent()) : edxml::XmlNode{};
      return parent.local == "edXMLHeader" && parent.ns == edxml::kNamespace && envelope &&
             envelope.local == "edXMLEnvelope" && envelope.node.parent() == xml_.Root().node;
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
                       "/edXML/edXMLEnvelope/edXMLHeader/Signature", xml_.PathOf(standard[i])));
      }
    }
  }

  // Wrapped content: edXML elements anywhere inside the Signature.
  void CheckNotWrapping(pugi::xml_node sig) {
    for (const pugi::xpath_node& found : sig.select_nodes(".//*")) {
      pugi::xml_node n = found.node();
      if (xml_.View(n).ns == edxml::kNamespace) {
        result.findings.push_back(SigFinding(
            kP, rules::kEnvWrapped, loc(n),
            "the Signature carries edXML content (" + std::string(xml_.View(n).local) +
                "): signed content moved or duplicated into the signature is a wrapping attack",
            "no edXML element inside Signature", xml_.PathOf(n)));
        break;
      }
    }
  }

  // The XML-DSig child (or children) of `parent` named `local`.
  pugi::xml_node child(pugi::xml_node parent, std::string_view local) const {
    for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      edxml::XmlNode v = xml_.View(c);
      if (v.local == local && v.ns == kDsig) return c;
    }
    return pugi::xml_node();
  }
  std::vector<pugi::xml_node> children(pugi::xml_node parent, std::string_view local) const {
    std::vector<pugi::xml_node> out;
    for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      edxml::XmlNode v = xml_.View(c);
      if (v.local == local && v.ns == kDsig) out.push_back(c);
    }
    return out;
  }

  const edxml::XmlDoc& xml_;
  pugi::xml_node signed_info_, value_;
  std::vector<pugi::xml_node> references_;
  std::vector<X509Ptr> certs_;
  bool algorithms_ok_ = true;
  bool id_reference_ = false;
};

}  // namespace

EnvelopeVerification VerifyEnvelope(std::string_view package, const VerifyOptions& options) {
  EnvelopeVerification none;
  // Most packages carry no envelope signature: a byte search spares them a second parse (the
  // caller has usually parsed them already). A chance match inside base64 only costs the parse.
  if (package.find("Signature") == std::string_view::npos) return none;
  auto loaded = edxml::LoadXml(package);
  if (!loaded) {
    none.findings.push_back(loaded.error());
    return none;
  }
  return VerifyEnvelope(package, *loaded, options);
}

EnvelopeVerification VerifyEnvelope(std::string_view package, const edxml::XmlDoc& loaded,
                                    const VerifyOptions& options) {
  const TrustStore& trust = options.trust != nullptr ? *options.trust : TrustStore::TestPki();
  if (package.find("Signature") == std::string_view::npos) return {};
  EnvelopeCheck check(loaded);
  pugi::xml_node sig = check.FindSignature();
  if (!sig || !check.CheckSignedInfo(sig)) return std::move(check.result);
  X509* signer = check.FindSigner(sig);
  if (signer == nullptr || !check.algorithms_ok()) return std::move(check.result);
  check.VerifyValue(package, sig, signer);
  auto chain = CheckSigner(Profile::kEnvelope, check.loc(sig), signer, check.Others(signer), trust,
                           options.at);
  check.result.findings.insert(check.result.findings.end(), chain.begin(), chain.end());
  return std::move(check.result);
}

}  // namespace vxp::signing
