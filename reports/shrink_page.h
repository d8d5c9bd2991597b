#pragma once
// shrink.html: what `faultline shrink` found, as one self-contained page (no script): the
// original and the minimal fault schedule drawn on one time axis, each fault a bar in its
// kind's lane, the run's time limit a line; every candidate tried (phase, change, reproduced
// k/n, kept or not) with links to its runs' reports; the command that reproduces the
// minimal case. Input: the shrink.json document (docs/shrinking.md).

#include <boost/json.hpp>
#include <filesystem>
#include <string>

namespace faultline {

// `page_dir` is where the page will live: run links are made relative to it.
std::string render_shrink_page(const boost::json::object& shrink,
                               const std::filesystem::path& page_dir);

// Writes the page to `path` atomically. Throws std::runtime_error naming the path.
void write_shrink_page(const boost::json::object& shrink, const std::filesystem::path& path);

}  // namespace faultline
