// The catalogue in run order: the sanity scenario first, then by category (transport, inbound,
// signature, lifecycle, flows, outbound, hub, load). One scenario per file under
// conformance/<category>/.
#include <string_view>

#include "conformance/common.h"

namespace vxp::embedded {
extern const std::string_view conformance_requirements_csv;
}  // namespace vxp::embedded

namespace vxp::conformance {

Scenario TransportAuth();
Scenario TransportAck();
Scenario TransportFrom();
Scenario TransportNoRefetch();
Scenario TransportPollBoth();
Scenario InboundValid();
Scenario InboundBadAgencyId();
Scenario InboundBadBase64();
Scenario InboundBadDate();
Scenario InboundFutureDate();
Scenario ProdReordered();
Scenario ProdEmptyElements();
Scenario ProdUuidDocId();
Scenario ProdLegacyTrace();
Scenario ProdVnptSignature();
Scenario ProdZippedPdf();
Scenario InboundLegacyFormat();
Scenario InboundManifestNoAttachment();
Scenario InboundMissingElement();
Scenario InboundWrongNamespace();
Scenario SignatureValidPdf();
Scenario SignatureValidEnvelope();
Scenario SignatureEnvelopeInvalid();
Scenario SignaturePdfExpired();
Scenario SignaturePdfKeyUsage();
Scenario SignaturePdfRevoked();
Scenario SignaturePdfTampered();
Scenario SignaturePdfUnsigned();
Scenario SignaturePdfUntrusted();
Scenario LifecycleOrder();
Scenario LifecycleAddressee();
Scenario LifecycleReason();
Scenario LifecycleResponseFor();
Scenario LifecycleTerminal();
Scenario FlowRecall();
Scenario FlowRepeat();
Scenario FlowReplace();
Scenario FlowRevoke();
Scenario FlowThreeRecipients();
Scenario FlowUpdate();
Scenario OutboundValid();
Scenario OutboundAddress();
Scenario OutboundSigned();
Scenario OutboundStatuses();
Scenario OutboundThreeRecipients();
Scenario HubDuplicateListing();
Scenario HubErrors();
Scenario HubSlow();
Scenario LoadSteady();
Scenario LoadBurst();
Scenario LoadSoak();

// The harness judges every package the SUT submits in every scenario (Context::JudgeSubmitted),
// so every scenario verifies SEND-PACKAGES-VALID besides what it is aimed at.
std::vector<Scenario> WithPackageJudgement(std::vector<Scenario> scenarios) {
  for (Scenario& s : scenarios) s.requirements.push_back("SEND-PACKAGES-VALID");
  return scenarios;
}

const std::vector<Scenario>& Catalogue() {
  static const std::vector<Scenario> catalogue = WithPackageJudgement({
      TransportAuth(),
      TransportAck(),
      TransportFrom(),
      TransportNoRefetch(),
      TransportPollBoth(),
      InboundValid(),
      InboundBadAgencyId(),
      InboundBadBase64(),
      InboundBadDate(),
      InboundFutureDate(),
      InboundLegacyFormat(),
      InboundManifestNoAttachment(),
      InboundMissingElement(),
      InboundWrongNamespace(),
      ProdReordered(),
      ProdEmptyElements(),
      ProdUuidDocId(),
      ProdLegacyTrace(),
      ProdVnptSignature(),
      ProdZippedPdf(),
      SignatureValidPdf(),
      SignatureValidEnvelope(),
      SignatureEnvelopeInvalid(),
      SignaturePdfExpired(),
      SignaturePdfKeyUsage(),
      SignaturePdfRevoked(),
      SignaturePdfTampered(),
      SignaturePdfUnsigned(),
      SignaturePdfUntrusted(),
      LifecycleOrder(),
      LifecycleAddressee(),
      LifecycleReason(),
      LifecycleResponseFor(),
      LifecycleTerminal(),
      FlowRecall(),
      FlowRepeat(),
      FlowReplace(),
      FlowRevoke(),
      FlowThreeRecipients(),
      FlowUpdate(),
      OutboundValid(),
      OutboundAddress(),
      OutboundSigned(),
      OutboundStatuses(),
      OutboundThreeRecipients(),
      HubDuplicateListing(),
      HubErrors(),
      HubSlow(),
      LoadSteady(),
      LoadBurst(),
      LoadSoak(),
  });
  return catalogue;
}

const std::vector<harness::Requirement>& Requirements() {
  static const std::vector<harness::Requirement> requirements = [] {
    auto parsed = ParseRequirements(embedded::conformance_requirements_csv);
    // The registry is compiled in and checked by conformance_test; a broken one is a build defect.
    return parsed ? *parsed : std::vector<harness::Requirement>{};
  }();
  return requirements;
}

}  // namespace vxp::conformance
