#pragma once
// What every adapter does the same way on its nodes: run a script as root, keep a database's
// files in one directory per node, copy its logs back, and read its version.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/db.h"
#include "remote/command.h"
#include "remote/node.h"
#include "remote/node_set.h"

namespace faultline::adapters {

// `sh -c TEXT sh ARGS...` as root: the arguments are argv words, never pasted into TEXT.
remote::Command root_script(const char* text, std::vector<std::string> args = {},
                            std::chrono::milliseconds timeout = std::chrono::seconds(30));

// /var/lib/faultline/<db>/<node>; nodes of local clusters share one filesystem, so their
// directories are kept apart by cluster: /var/lib/faultline/<db>/<cluster>/<node>.
std::string node_dir(const std::string& db, const remote::Node& node);

// Copies each of `files` from node_dir(db, node) on every node of `names` (in parallel) to
// dir/<node>/<file>. A node that fails is logged ("<db>: log of <node> not downloaded: ...")
// after all have finished, not thrown; its remaining files are skipped.
void download_node_files(remote::NodeSet& nodes, const std::vector<std::string>& names,
                         const std::string& db, const std::vector<std::string>& files,
                         const std::filesystem::path& dir, const Logger& log);

// The word after `marker` in a program's version output, up to the first of `ends` (or the
// end); "unknown" when the marker is missing.
std::string version_after(const std::string& output, const std::string& marker, const char* ends);

}  // namespace faultline::adapters
