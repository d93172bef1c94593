#include "reports/pretty.h"

#include <boost/json.hpp>
#include <pugixml.hpp>
#include <sstream>

namespace vxp::reports {
namespace {

namespace json = boost::json;

void Indent(std::string& out, int depth) { out.append(static_cast<size_t>(depth) * 2, ' '); }

void PrintJson(const json::value& v, std::string& out, int depth, size_t max_string) {
  switch (v.kind()) {
    case json::kind::object: {
      const json::object& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      size_t i = 0;
      for (const auto& [key, value] : o) {
        Indent(out, depth + 1);
        out += json::serialize(json::string(key)) + ": ";
        PrintJson(value, out, depth + 1, max_string);
        out += ++i < o.size() ? ",\n" : "\n";
      }
      Indent(out, depth);
      out += "}";
      return;
    }
    case json::kind::array: {
      const json::array& a = v.get_array();
      if (a.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (size_t i = 0; i < a.size(); ++i) {
        Indent(out, depth + 1);
        PrintJson(a[i], out, depth + 1, max_string);
        out += i + 1 < a.size() ? ",\n" : "\n";
      }
      Indent(out, depth);
      out += "]";
      return;
    }
    case json::kind::string:
      out += json::serialize(json::string(Elide(v.get_string(), max_string)));
      return;
    default:
      out += json::serialize(v);
  }
}

void ElideXml(pugi::xml_node node, size_t max_text) {
  for (pugi::xml_attribute a : node.attributes()) {
    std::string_view value = a.value();
    if (value.size() > max_text) a.set_value(Elide(value, max_text).c_str());
  }
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      std::string_view value = child.value();
      if (value.size() > max_text) child.set_value(Elide(value, max_text).c_str());
    } else {
      ElideXml(child, max_text);
    }
  }
}

}  // namespace

std::string Elide(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  // Back up over UTF-8 continuation bytes so no character is split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…[" + std::to_string(text.size() - cut) +
         " more characters]";
}

std::string PrettyJson(std::string_view text, size_t max_string) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return std::string(text);
  std::string out;
  PrintJson(v, out, 0, max_string);
  return out;
}

std::string PrettyXml(std::string_view text, size_t max_text) {
  pugi::xml_document doc;
  // pugixml never processes a DTD nor fetches an entity; parse_doctype keeps the DOCTYPE as a
  // node so that a document that has one is shown exactly as it is.
  pugi::xml_parse_result parsed =
      doc.load_buffer(text.data(), text.size(),
                      pugi::parse_default | pugi::parse_declaration | pugi::parse_doctype);
  if (!parsed) return std::string(text);
  for (pugi::xml_node n : doc.children()) {
    if (n.type() == pugi::node_doctype) return std::string(text);
  }
  ElideXml(doc, max_text);
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent | pugi::format_no_declaration, pugi::encoding_utf8);
  return out.str();
}

std::string PrettyBody(std::string_view text, size_t max_bytes) {
  size_t start = text.find_first_not_of(" \t\r\n");
  std::string pretty(text);
  if (start != std::string_view::npos) {
    if (text[start] == '{' || text[start] == '[') {
      pretty = PrettyJson(text);
    } else if (text[start] == '<') {
      pretty = PrettyXml(text);
    }
  }
  return Elide(pretty, max_bytes);
}

}  // namespace vxp::reports
