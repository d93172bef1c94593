// Internal to core/signing: one-time initialisation of libxml2 and xmlsec1 (OpenSSL backend), and
// the capture of xmlsec's error reports, which would otherwise go to stderr.
#ifndef VXP_CORE_SIGNING_XMLSEC_INIT_H_
#define VXP_CORE_SIGNING_XMLSEC_INIT_H_

#include <string>

namespace vxp::signing {

// Initialises xmlsec once per process (thread-safe). Returns false with a reason in *error if the
// library cannot start (wrong version, crypto backend missing).
bool InitXmlsec(std::string* error);

// Silences libxml2's own error printing on this thread (call before parsing or canonicalising).
void QuietLibxml();

// The errors xmlsec reported on this thread since the last call ("" if none), most specific last.
std::string TakeXmlsecErrors();

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_XMLSEC_INIT_H_
