#pragma once
// The frame every faultline page shares: the head (one Content-Security-Policy that allows
// only inline scripts and styles, the page's styles inlined) and the tail (the page's scripts
// inlined as one strict-mode function), so that each page is one file with no external
// references. html_report, compare_page, store_index and live_run fill the body between the
// two.

#include <initializer_list>
#include <string>
#include <string_view>

namespace faultline {

// What a page's scripts may fetch. kNothing for every page that is a file; kSameOrigin for a
// page `faultline serve` answers that polls the server it came from (the live view).
enum class PageFetch { kNothing, kSameOrigin };

// "<!DOCTYPE html>…<title>TITLE</title><style>STYLES…</style></head><body>\n"; the title is
// escaped here, each style is a reports/assets name.
std::string page_head(std::string_view title, std::initializer_list<const char*> styles,
                      PageFetch fetch = PageFetch::kNothing);

// "<script>(function () {'use strict'; SCRIPTS…})();</script></body></html>\n"; each script
// is a reports/assets name, concatenated in order. A missing asset is a logic error (thrown).
std::string page_tail(std::initializer_list<const char*> scripts);

}  // namespace faultline
