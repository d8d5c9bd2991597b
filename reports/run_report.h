#pragma once
// Reports of a run directory (the run store's store/<name>/<timestamp>/, or the DIR of
// `faultline check --out DIR`): history.jsonl + results.json (+ test.json) in, report.html
// (and optionally a JUnit file) out.

#include <boost/json/object.hpp>
#include <filesystem>
#include <optional>

namespace faultline {

// Reads a JSON file that must hold an object. Missing: nullopt if !required, else
// InputMissing. Malformed: InputError with the line and column of the problem.
std::optional<boost::json::object> read_json_object(const std::filesystem::path& path,
                                                    bool required);

// Re-renders dir/report.html from dir/history.jsonl (required; a torn last line, left by a
// killed run, is dropped), dir/results.json (if absent, e.g. after a crash, the verdict is
// unknown) and dir/test.json (optional).
// Returns the report's path. Throws InputMissing/InputError for missing or malformed inputs.
std::filesystem::path render_run_report(const std::filesystem::path& dir);

}  // namespace faultline
