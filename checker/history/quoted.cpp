#include "checker/history/quoted.h"

namespace faultline {

void append_quoted(std::string& out, std::string_view text, Notation notation) {
  static const char kHex[] = "0123456789abcdef";
  const bool json = notation == Notation::kJson;
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (!json || static_cast<unsigned char>(c) >= 0x20) {
          out += c;
        } else if (c == '\b') {
          out += "\\b";
        } else if (c == '\f') {
          out += "\\f";
        } else {
          out += "\\u00";
          out += kHex[(c >> 4) & 15];
          out += kHex[c & 15];
        }
    }
  }
  out += '"';
}

}  // namespace faultline
