#include "core/signing/c14n_reference.h"

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <memory>

#include "core/signing/xmlsec_init.h"

namespace vxp::signing::c14n {
namespace {

struct Visibility {
  const xmlNode* subtree;
  bool keep;
};

int IsVisible(void* data, xmlNode* node, xmlNode* parent) {
  const auto* v = static_cast<const Visibility*>(data);
  if (node->type == XML_COMMENT_NODE) return 0;
  const xmlNode* n = node->type == XML_NAMESPACE_DECL ? parent : node;
  bool inside = false;
  for (; n != nullptr && !inside; n = n->parent) inside = n == v->subtree;
  return inside == v->keep ? 1 : 0;
}

xmlNode* FindLibxml(xmlNode* n, std::string_view local, std::string_view ns) {
  for (xmlNode* c = n != nullptr ? n->children : nullptr; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    std::string_view c_ns = c->ns != nullptr ? reinterpret_cast<const char*>(c->ns->href) : "";
    if (local == reinterpret_cast<const char*>(c->name) && c_ns == ns) return c;
    if (xmlNode* found = FindLibxml(c, local, ns)) return found;
  }
  return nullptr;
}

}  // namespace

BothForms CanonicalizeBoth(std::string_view bytes, bool exclude, std::string_view local,
                           std::string_view ns, Mode mode) {
  BothForms out;
  pugi::xml_document doc;
  if (ParseFaithful(bytes, &doc)) {
    pugi::xml_node target = local.empty() ? pugi::xml_node() : FirstElement(doc, local, ns);
    out.found = local.empty() || target;
    std::string text;
    Subset subset;
    (exclude ? subset.excluded : subset.apex) = target;
    if (out.found && Canonicalize(doc, subset, mode, [&](std::string_view s) { text += s; })) {
      out.own = std::move(text);
    }
  }
  // libxml2 only where vxpkit's canonicalised: nothing else is compared, and libxml2 would expand
  // the entities of a DOCTYPE that ParseFaithful refuses.
  if (!out.own) return out;
  QuietLibxml();
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> libxml(
      xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "c14n.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
      xmlFreeDoc);
  if (!libxml) return out;
  xmlNode* target =
      local.empty() ? nullptr : FindLibxml(reinterpret_cast<xmlNode*>(libxml.get()), local, ns);
  if (target == nullptr && !local.empty()) return out;
  Visibility visibility{target, !exclude};
  xmlOutputBuffer* buffer = xmlAllocOutputBuffer(nullptr);
  if (buffer == nullptr) return out;
  int written = xmlC14NExecute(libxml.get(), IsVisible, &visibility,
                               mode == Mode::kExclusive ? XML_C14N_EXCLUSIVE_1_0 : XML_C14N_1_0,
                               nullptr, 0, buffer);
  if (written >= 0) {
    const xmlChar* content = xmlOutputBufferGetContent(buffer);
    out.libxml =
        std::string(reinterpret_cast<const char*>(content), xmlOutputBufferGetSize(buffer));
  }
  xmlOutputBufferClose(buffer);
  return out;
}

std::optional<bool> XmlsecVerifies(std::string_view bytes, EVP_PKEY* key) {
  std::string error;
  if (!InitXmlsec(&error)) return std::nullopt;
  QuietLibxml();
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "package.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
      xmlFreeDoc);
  xmlNode* sig =
      doc ? xmlSecFindNode(xmlDocGetRootElement(doc.get()), xmlSecNodeSignature, xmlSecDSigNs)
          : nullptr;
  if (sig == nullptr) return std::nullopt;
  std::unique_ptr<xmlSecDSigCtx, decltype(&xmlSecDSigCtxDestroy)> ctx(xmlSecDSigCtxCreate(nullptr),
                                                                      xmlSecDSigCtxDestroy);
  ctx->enabledReferenceUris = static_cast<xmlSecTransformUriType>(
      xmlSecTransformUriTypeEmpty | xmlSecTransformUriTypeSameDocument);
  EVP_PKEY_up_ref(key);
  xmlSecKeyDataPtr data = xmlSecOpenSSLEvpKeyAdopt(key);
  ctx->signKey = xmlSecKeyCreate();
  xmlSecKeySetValue(ctx->signKey, data);
  int rc = xmlSecDSigCtxVerify(ctx.get(), sig);
  TakeXmlsecErrors();
  if (rc < 0) return std::nullopt;
  return ctx->status == xmlSecDSigStatusSucceeded;
}

}  // namespace vxp::signing::c14n
