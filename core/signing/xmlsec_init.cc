#include "core/signing/xmlsec_init.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include <mutex>

namespace vxp::signing {
namespace {

thread_local std::string t_errors;

void OnXmlsecError(const char* /*file*/, int /*line*/, const char* func, const char* error_object,
                   const char* error_subject, int /*reason*/, const char* msg) {
  if (!t_errors.empty()) t_errors += "; ";
  if (error_subject != nullptr && *error_subject != '\0') {
    t_errors += error_subject;
    t_errors += ": ";
  } else if (func != nullptr) {
    t_errors += func;
    t_errors += ": ";
  }
  t_errors += msg != nullptr ? msg : "error";
  if (error_object != nullptr && *error_object != '\0' &&
      std::string_view(error_object) != "unknown") {
    t_errors += " (";
    t_errors += error_object;
    t_errors += ")";
  }
}

}  // namespace

bool InitXmlsec(std::string* error) {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] {
    xmlInitParser();
    if (xmlSecInit() < 0) {
      failure = "xmlsec initialisation failed";
    } else if (xmlSecCheckVersion() != 1) {
      failure = "the loaded xmlsec library does not match the one vxpkit was built with";
    } else if (xmlSecCryptoAppInit(nullptr) < 0 || xmlSecCryptoInit() < 0) {
      failure = "xmlsec's OpenSSL backend failed to initialise";
    }
    xmlSecErrorsSetCallback(OnXmlsecError);  // after xmlSecInit, which installs the default
  });
  if (!failure.empty() && error != nullptr) *error = failure;
  return failure.empty();
}

namespace {
void IgnoreLibxmlError(void* /*ctx*/, const char* /*fmt*/, ...) {}
}  // namespace

void QuietLibxml() {
  // libxml2 keeps its error handler per thread; its C14N reports (e.g. relative namespace URIs)
  // reach the caller through xmlsec's errors, never stderr.
  xmlSetGenericErrorFunc(nullptr, IgnoreLibxmlError);
}

std::string TakeXmlsecErrors() {
  std::string out;
  out.swap(t_errors);
  return out;
}

}  // namespace vxp::signing
