// Evidence made readable: HTTP bodies and packages pretty-printed for index.html, with long
// opaque text (base64 attachments, signatures) elided so a page stays readable. Pure functions;
// the input may be anything a SUT sent (malformed or hostile): it is shown, never interpreted —
// no DTD, no entity, nothing is fetched — and never makes these functions fail.
#ifndef VXP_REPORTS_PRETTY_H_
#define VXP_REPORTS_PRETTY_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace vxp::reports {

// JSON re-indented by two spaces, string values longer than `max_string` cut with
// "…[N more characters]". Text that is not JSON comes back unchanged.
std::string PrettyJson(std::string_view text, size_t max_string = 400);

// XML re-indented, text and attribute values longer than `max_text` cut likewise. Text that is
// not well-formed XML (or declares a DTD) comes back unchanged.
std::string PrettyXml(std::string_view text, size_t max_text = 400);

// JSON when it starts with '{' or '[', XML when it starts with '<', else unchanged; then cut to
// `max_bytes` on a UTF-8 boundary with a note of how much was left out.
std::string PrettyBody(std::string_view text, size_t max_bytes = 16384);

// `text` cut to at most `max_bytes` on a UTF-8 character boundary, with
// "…[N more characters]" (counted in bytes) when cut.
std::string Elide(std::string_view text, size_t max_bytes);

}  // namespace vxp::reports

#endif  // VXP_REPORTS_PRETTY_H_
