#include "adapters/node_files.h"

#include <fstream>

#include "adapters/polling.h"

namespace faultline::adapters {

remote::Command root_script(const char* text, std::vector<std::string> args,
                            std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{"sh", "-c", text, "sh"};
  argv.insert(argv.end(), args.begin(), args.end());
  remote::Command command(std::move(argv));
  command.sudo = true;
  command.timeout = timeout;
  return command;
}

std::string node_dir(const std::string& db, const remote::Node& node) {
  std::string base = "/var/lib/faultline/" + db + "/";
  if (node.local && !node.cluster.empty()) base += node.cluster + "/";
  return base + node.name;
}

void download_node_files(remote::NodeSet& nodes, const std::vector<std::string>& names,
                         const std::string& db, const std::vector<std::string>& files,
                         const std::filesystem::path& dir, const Logger& log) {
  auto problems = parallel<std::string>(names.size(), [&](std::size_t i) -> std::string {
    const remote::Node& node = nodes.node(names[i]);
    try {
      for (const std::string& file : files) {
        std::string data =
            nodes.session(node.name).download_data(node_dir(db, node) + "/" + file, true);
        std::filesystem::create_directories(dir / node.name);
        std::ofstream out(dir / node.name / file, std::ios::binary | std::ios::trunc);
        out << data;
        if (!out.flush()) return "cannot write " + (dir / node.name / file).string();
      }
      return {};
    } catch (const std::exception& e) {
      return e.what();
    }
  });
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!problems[i].empty() && log)
      log(db + ": log of " + names[i] + " not downloaded: " + problems[i]);
  }
}

std::string version_after(const std::string& output, const std::string& marker, const char* ends) {
  auto at = output.find(marker);
  if (at == std::string::npos) return "unknown";
  at += marker.size();
  auto end = output.find_first_of(ends, at);
  return output.substr(at, end == std::string::npos ? end : end - at);
}

}  // namespace faultline::adapters
