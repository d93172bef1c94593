// Internal to core/signing: the one place that builds a CMS SignedData, shared by PDF signatures
// and detached signatures of arbitrary bytes (signed run results).
#ifndef VXP_CORE_SIGNING_CMS_H_
#define VXP_CORE_SIGNING_CMS_H_

#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/signing/pdf.h"
#include "core/signing/test_pki.h"

namespace vxp::signing {

// DER of a detached CMS SignedData over `data`, signed by `credential` (its chain embedded) with
// the signingTime `options.signing_time`. Errors: "signing.key", "signing.cms".
Result<std::string> MakeCms(std::string_view data, const Credential& credential,
                            const PdfSignOptions& options);

}  // namespace vxp::signing

#endif  // VXP_CORE_SIGNING_CMS_H_
