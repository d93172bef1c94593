#include "core/common/error_codes.h"

namespace vxp {
namespace {

constexpr ErrorCodeInfo kAll[] = {
    // Using vxpkit.
    {"usage", "a command line that cannot run: an unknown option value, a missing argument"},
    {"config.sut", "the SUT file is not usable (no agency, a bad hub.listen, an invalid field)"},
    {"config.profile", "an unknown run profile"},
    {"config.selection", "--only or --category selects an unknown category"},
    {"config.expected", "an expected-failures file that does not parse or names no scenario"},
    {"conformance.requirements", "conformance/requirements.csv does not parse (line named)"},
    {"settings.json", "the hub's settings file is not the documented JSON"},
    {"settings.system", "a --system value is not ID:SECRET:ORGANID,…"},
    {"directory.line", "a line of the agency directory file does not parse"},
    {"fault.parse", "a hub fault spec does not parse (faults.h)"},
    {"load.schedule", "a load shape that cannot be scheduled (a negative rate, too many arrivals)"},
    {"agency.profile", "an unknown fault profile of the reference agency"},
    {"agency.organ", "a mock agency's agency identifier is not valid"},
    {"agency.stopped", "a driver call reached a mock agency that is stopping"},
    {"cli.listen", "a --listen value is not HOST:PORT"},
    // Files.
    {"io.read", "a file or directory cannot be read (path named)"},
    {"json.syntax", "text a person wrote is not JSON (line and column named)"},
    {"io.write", "a file cannot be written (path named)"},
    {"io.too_large", "a file is over the size vxpkit reads for it"},
    // Transport (clients/).
    {"http.url", "a URL does not parse"},
    {"http.connect", "the server refused or could not be reached, or the TLS handshake failed"},
    {"http.timeout", "no whole answer within the deadline"},
    {"http.io", "the connection was closed before a whole answer"},
    {"http.tls", "a TLS certificate or key file cannot be used"},
    {"http.listen", "a server cannot listen on its address (port in use, bad host)"},
    {"wire.response", "the hub's answer is not its JSON envelope, or lacks a field it must have"},
    {"hub.<ErrorCode>",
     "the hub refused a call with that ErrorCode of docs/hub-errors.md (hub.1003: bad HMAC, …)"},
    {"hub.other", "the hub refused a call with an ErrorCode that is not in docs/hub-errors.md"},
    {"hub.http", "the hub answered an HTTP error without its JSON envelope"},
    // The test-driver API (docs/driver-api.md).
    {"driver.unreachable", "the SUT's driver did not answer /driver/v1/info"},
    {"driver.api", "the driver does not speak vxpkit-driver/1"},
    {"driver.organ", "the driver acts for an agency that is not the SUT's"},
    {"driver.response", "a driver answer is not JSON"},
    {"driver.http", "the driver answered an HTTP error without a code of driver-api.md"},
    {"driver.request", "the driver refused the request (bad JSON, empty to, bad business type)"},
    {"driver.code", "advance with a code the agency may not send"},
    {"driver.reason", "02, 13 or 16 without a reason"},
    {"driver.unknown-document", "the driver has no such document"},
    {"driver.unknown-endpoint", "the driver has no such endpoint"},
    {"driver.refused", "the system's own rules refuse what the driver was asked (it says why)"},
    // The hub's store.
    {"store.open", "the hub's database cannot be opened or migrated"},
    {"store.read", "a read of the hub's database failed"},
    {"store.write", "a write of the hub's database failed (the submission is not stored)"},
    {"store.repeated",
     "a hub on a shared database stored nothing: the same signed sendEdoc is stored already (the "
     "hub answers with its first DocId)"},
    // A PostgreSQL server of vxpkit's own, for tests and benchmarks (storage/postgres.h).
    {"pg.missing",
     "PostgreSQL's server programs or its user 'postgres' are missing: run "
     "scripts/install-deps.sh"},
    {"pg.server", "a PostgreSQL server for tests or benchmarks could not be started or used"},
    // The conformance service (service/).
    {"service.store", "the service's database cannot be opened, migrated, read or written"},
    {"service.exists",
     "an organisation name or e-mail that is already registered; a second waiver of a scenario "
     "or decision on a run; a certificate revoked already"},
    {"service.input", "a registration that cannot be (not an e-mail, no name, a short password)"},
    {"service.login", "a wrong e-mail or password (one answer for both)"},
    {"service.throttled", "too many failed logins for an e-mail: try again later (says when)"},
    {"service.crypto", "no random bytes, or scrypt failed"},
    {"service.busy", "the system already has a run under way (one at a time per system)"},
    {"certificate.format",
     "a certificate's or register's JSON that is not one (names the member that is missing or "
     "mistyped)"},
    {"certificate.pdf",
     "cairo could not write a certificate's PDF, or libqrencode could not encode its URL"},
    // The protocol's own machinery (a fault of vxpkit or of its input files, not a finding).
    {"edxml.base64", "base64 that cannot be decoded where vxpkit must decode it"},
    {"edxml.relay", "a package cannot be re-serialised as the live hub relays it"},
    {"edxml.signature-xml", "a Signature kept as XML does not parse when serialised"},
    {"edxml.zip", "an attachment ZIP cannot be read or written"},
    {"signing.input", "bytes to sign or verify are not what the signer needs"},
    {"signing.key", "a private key does not parse or is not the certificate's"},
    {"signing.certificate", "a certificate does not parse"},
    {"signing.crl", "a CRL does not parse"},
    {"signing.trust", "a trust store cannot be built"},
    {"signing.time", "a time that cannot be used for a certificate check"},
    {"signing.cms", "a CMS signature cannot be made or read"},
    {"signing.xmlsec", "xmlsec could not sign or verify for a reason of its own"},
    {"signing.pki", "the test PKI has no such credential"},
    {"signing.detached.format", "a detached signature is not CMS"},
    {"signing.detached.mismatch", "a detached signature does not match the signed file"},
    {"vectors.build", "the vector corpus cannot be generated"},
    // Results and reports.
    {"report.input", "result.json does not parse, has another schema, or a field is wrong"},
    {"report.format", "an unknown report format"},
    {"report.manifest", "a signed result's manifest does not parse"},
    {"report.unsigned", "a result directory has no manifest or no signature"},
};

}  // namespace

std::span<const ErrorCodeInfo> ErrorCodes() { return kAll; }

bool IsKnownErrorCode(std::string_view code) {
  for (const ErrorCodeInfo& e : kAll) {
    if (e.code == code) return true;
    if (size_t family = e.code.find(".<"); family != std::string_view::npos) {
      std::string_view prefix = e.code.substr(0, family + 1);
      if (code.starts_with(prefix) && code.size() > prefix.size()) {
        std::string_view rest = code.substr(prefix.size());
        bool digits = true;
        for (char c : rest) digits = digits && c >= '0' && c <= '9';
        if (digits) return true;
      }
    }
  }
  return false;
}

}  // namespace vxp
