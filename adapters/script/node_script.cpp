#include "adapters/script/node_script.h"

#include <cctype>
#include <stdexcept>

namespace faultline::adapters {
namespace {

// $1: the step (see NodeStep). stdin: NAME=VALUE\0 ... \0 COMMAND.
constexpr const char* kNodeScript = R"sh(while IFS= read -r -d '' kv; do
  [ -n "$kv" ] || break
  export "$kv" || exit 125
done
cmd=$(cat; printf x); cmd=${cmd%x}
step=$1
pidfile=${FAULTLINE_PID_FILE:-}; comm=${FAULTLINE_PROCESS_NAME:-}
me=$(readlink /proc/$$/ns/net)
live() {
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' /proc/"$1"/status 2>/dev/null)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ] &&
    [ "$(readlink /proc/"$1"/ns/net 2>/dev/null)" = "$me" ]
}
pids() {
  if [ -n "$pidfile" ]; then
    [ -r "$pidfile" ] || return 0
    p=$(tr -cd '0-9\n' <"$pidfile" | head -n 1)
    [ -n "$p" ] && live "$p" || return 0
    [ -z "$comm" ] || [ "$(cat /proc/"$p"/comm 2>/dev/null)" = "$comm" ] || return 0
    echo "$p"
  elif [ -n "$comm" ]; then
    for p in $(pgrep -x -- "$comm"); do live "$p" && echo "$p"; done
  fi
  return 0
}
gone_within() {
  i=0
  while [ -n "$(pids)" ]; do
    [ $i -lt "$1" ] || return 1
    sleep 0.05; i=$((i+1))
  done
}
# The start command's output goes to a file, shown once it returns: a process it leaves
# running in the background that still holds stdout or stderr cannot keep the step waiting.
launch() {
  [ -n "$(pids)" ] && exit 0
  out=$(mktemp) || exit 1
  if [ -n "${FAULTLINE_PRELOAD:-}" ]; then
    if [ -n "${FAKETIME_TIMESTAMP_FILE:-}" ] && [ ! -e "$FAKETIME_TIMESTAMP_FILE" ]; then
      (umask 022; mkdir -p "${FAKETIME_TIMESTAMP_FILE%/*}" &&
        printf '+0\n' >"$FAKETIME_TIMESTAMP_FILE") || exit 1
    fi
    LD_PRELOAD=$FAULTLINE_PRELOAD bash -c "$cmd" faultline-start </dev/null >"$out" 2>&1
  else
    bash -c "$cmd" faultline-start </dev/null >"$out" 2>&1
  fi
  rc=$?
  cat "$out" >&2; rm -f "$out"
  exit $rc
}
case $step in
  run) exec bash -c "$cmd" faultline </dev/null ;;
  alive) [ -n "$(pids)" ] ;;
  start) launch ;;
  restart) gone_within 200; launch ;;
  stop)
    for p in $(pids); do kill -CONT "$p" 2>/dev/null; done
    if [ -n "$cmd" ]; then
      bash -c "$cmd" faultline-stop </dev/null || echo "stop command exited $?" >&2
    else
      for p in $(pids); do kill -TERM "$p" 2>/dev/null; done
    fi
    if ! gone_within 200; then
      for p in $(pids); do kill -KILL "$p" 2>/dev/null; done
      gone_within 100 || { echo "process $(pids) does not go away" >&2; exit 1; }
    fi ;;
  KILL)
    for p in $(pids); do kill -CONT "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
    gone_within 100 || { echo "process $(pids) survived SIGKILL" >&2; exit 1; } ;;
  STOP|CONT) for p in $(pids); do kill -"$step" "$p" || exit 1; done ;;
  *) echo "unknown step $step" >&2; exit 2 ;;
esac
)sh";

const char* step_word(NodeStep step) {
  switch (step) {
    case NodeStep::kRun:
      return "run";
    case NodeStep::kStart:
      return "start";
    case NodeStep::kRestart:
      return "restart";
    case NodeStep::kStop:
      return "stop";
    case NodeStep::kKill:
      return "KILL";
    case NodeStep::kPause:
      return "STOP";
    case NodeStep::kResume:
      return "CONT";
    case NodeStep::kAlive:
      return "alive";
  }
  return "run";
}

bool is_name_char(char c, bool first) {
  return c == '_' || std::isalpha(static_cast<unsigned char>(c)) ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

}  // namespace

remote::Command node_script(NodeStep step, const std::string& command,
                            const Environment& environment, std::chrono::milliseconds timeout) {
  std::string input;
  for (const auto& [name, value] : environment) {
    if (value.find('\0') != std::string::npos)
      throw std::invalid_argument("the value of " + name + " contains a NUL byte");
    input += name + "=" + value;
    input.push_back('\0');
  }
  input.push_back('\0');
  input += command;
  remote::Command out{"bash", "-c", kNodeScript, "faultline-node", step_word(step)};
  return out.with_stdin(std::move(input)).as_root().with_timeout(timeout);
}

std::string expand_variables(const std::string& text, const Environment& environment) {
  auto lookup = [&](const std::string& name) -> const std::string* {
    for (const auto& [n, v] : environment) {
      if (n == name) return &v;
    }
    return nullptr;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '$') {
      out.push_back(text[i++]);
      continue;
    }
    const bool braced = i + 1 < text.size() && text[i + 1] == '{';
    std::size_t begin = i + (braced ? 2 : 1), end = begin;
    while (end < text.size() && is_name_char(text[end], end == begin)) ++end;
    const std::string name = text.substr(begin, end - begin);
    if (braced && (end >= text.size() || text[end] != '}')) {
      out.push_back(text[i++]);  // not ${NAME}: kept as it is
      continue;
    }
    const std::string* value = name.empty() ? nullptr : lookup(name);
    if (!value) {
      if (name.rfind("FAULTLINE_", 0) == 0)
        throw std::invalid_argument("unknown variable " + name + " in '" + text + "'");
      out.push_back(text[i++]);
      continue;
    }
    out += *value;
    i = end + (braced ? 1 : 0);
  }
  return out;
}

std::string setting_variable(const std::string& setting) {
  std::string out = "FAULTLINE_SETTING_";
  for (char c : setting) {
    if (c == '-') c = '_';
    if (!is_name_char(c, false)) {
      throw std::invalid_argument(
          "setting name '" + setting +
          "' cannot be an environment variable (letters, digits, '-', '_')");
    }
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (setting.empty()) throw std::invalid_argument("empty setting name");
  return out;
}

}  // namespace faultline::adapters
