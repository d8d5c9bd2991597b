#include "reports/page_shell.h"

#include <stdexcept>

#include "reports/assets.h"
#include "reports/escape.h"

namespace faultline {

namespace {

constexpr std::string_view kCsp =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'";

std::string_view asset(const char* name) {
  std::string_view text = report_asset(name);
  if (text.empty()) throw std::logic_error(std::string("report asset missing: ") + name);
  return text;
}

}  // namespace

std::string page_head(std::string_view title, std::initializer_list<const char*> styles,
                      PageFetch fetch) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"";
  out += kCsp;
  if (fetch == PageFetch::kSameOrigin) out += "; connect-src 'self'";
  out += "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"faultline\">\n<title>" + html_escape(title) +
         "</title>\n<style>\n";
  for (const char* name : styles) out += asset(name);
  out += "</style>\n</head>\n<body>\n";
  return out;
}

std::string page_tail(std::initializer_list<const char*> scripts) {
  std::string out = "<script>\n(function () {\n'use strict';\n";
  for (const char* name : scripts) {
    out += asset(name);
    out += '\n';
  }
  out += "})();\n</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace faultline
