#include "nemesis/faketime.h"

#include <cstdio>

#include "nemesis/context.h"

namespace faultline::nemesis {

std::string faketime_control_file(const remote::Node& node) {
  return NemesisContext::state_dir(node) + "/faketime";
}

std::vector<std::pair<std::string, std::string>> faketime_environment(const remote::Node& node) {
  return {{"LD_PRELOAD", kLibfaketimePath},
          {"FAKETIME_TIMESTAMP_FILE", faketime_control_file(node)},
          {"FAKETIME_NO_CACHE", "1"},
          {"FAKETIME_DONT_FAKE_MONOTONIC", "1"}};
}

std::vector<std::string> faketime_launch_argv(const remote::Node& node,
                                              const std::vector<std::string>& program) {
  // `env` is exec'd by the shell without LD_PRELOAD and sets it only for `program`.
  std::vector<std::string> argv{
      "sh",
      "-c",
      "mkdir -p \"$1\" 2>/dev/null; [ -e \"$2\" ] || printf '+0\\n' > \"$2\" 2>/dev/null; "
      "f=$2; shift 2; exec env LD_PRELOAD=" +
          std::string(kLibfaketimePath) +
          " FAKETIME_TIMESTAMP_FILE=\"$f\" FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 "
          "\"$@\"",
      "sh",
      NemesisContext::state_dir(node),
      faketime_control_file(node)};
  argv.insert(argv.end(), program.begin(), program.end());
  return argv;
}

remote::Command faketime_prepare_command(const remote::Node& node) {
  remote::Command command{"sh",
                          "-c",
                          "mkdir -p \"$1\" && chmod 755 \"$1\" && { [ -e \"$2\" ] || printf "
                          "'+0\\n' > \"$2\"; } && chmod 644 \"$2\"",
                          "sh",
                          NemesisContext::state_dir(node),
                          faketime_control_file(node)};
  command.as_root();
  return command;
}

std::string format_faketime_offset(std::int64_t offset_ms) {
  const char sign = offset_ms < 0 ? '-' : '+';
  const std::int64_t magnitude = offset_ms < 0 ? -offset_ms : offset_ms;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%c%lld.%03lld", sign, static_cast<long long>(magnitude / 1000),
                static_cast<long long>(magnitude % 1000));
  return buf;
}

}  // namespace faultline::nemesis
