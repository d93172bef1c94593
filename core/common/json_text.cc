#include "core/common/json_text.h"

#include <boost/json/stream_parser.hpp>
#include <string>

namespace vxp {

Result<boost::json::value> ParseJsonText(std::string_view text) {
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  size_t used = parser.write_some(text.data(), text.size(), ec);
  if (!ec && text.substr(used).find_first_not_of(" \t\r\n") != std::string_view::npos) {
    used += text.substr(used).find_first_not_of(" \t\r\n");
    ec = boost::json::error::extra_data;
  }
  if (!ec) parser.finish(ec);
  if (!ec) return parser.release();
  // write_some stops at the byte it could not take; finish fails at the end of the text.
  size_t at = used;
  int line = 1, column = 1;
  for (size_t i = 0; i < at && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {  // a UTF-8 continuation byte is not a column of its own
      ++column;
    }
  }
  std::string what = ec == boost::json::error::incomplete   ? "the text ends before the JSON does"
                     : ec == boost::json::error::extra_data ? "more text after the JSON value"
                                                            : ec.message();
  return MakeError("json.syntax", "line " + std::to_string(line) + ", column " +
                                      std::to_string(column) + ": " + what);
}

}  // namespace vxp
