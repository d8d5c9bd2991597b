#pragma once
// Node-side scripts of the kill and pause faults, shared with heal.

#include <string_view>

namespace faultline::nemesis {

// find_pids PIDFILE NAME prints the pids of this node's network namespace that the pid file
// names or whose process name is exactly NAME (either may be empty).
inline constexpr std::string_view kFindPidsFunction = R"SH(find_pids() {
  me=$(readlink /proc/$$/ns/net); found=""
  cands=""
  if [ -n "$1" ] && [ -r "$1" ]; then cands=$(tr -cd '0-9\n' < "$1" | head -n 1); fi
  if [ -n "$2" ]; then cands="$cands $(pgrep -x -- "$2" || true)"; fi
  for p in $cands; do
    if [ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$me" ]; then found="$found $p"; fi
  done
  echo $found
}
)SH";

// $1 kind (kill|pause), $2 signal, $3 pid file, $4 process name, $5 marker extra JSON fields.
inline constexpr std::string_view kSignalScript = R"SH(pids=$(find_pids "$3" "$4")
if [ -z "$pids" ]; then echo "no process found (pid file '$3', name '$4')" >&2; exit 4; fi
mark "$1" "{\"pids\":[$(echo $pids | tr ' ' ',')]$5}"
kill -s "$2" $pids
echo "pids $pids"
)SH";

// Resumes the processes the pause marker names.
inline constexpr std::string_view kResumeScript = R"SH(if [ -s "$d/active/pause.json" ]; then
  pids=$(sed -n 's/.*"pids":\[\([0-9,]*\)\].*/\1/p' "$d/active/pause.json" | tr ',' ' ')
  for p in $pids; do
    if kill -s CONT "$p" 2>/dev/null; then echo "resumed $p"; else echo "gone $p"; fi
  done
  unmark pause
fi
)SH";

}  // namespace faultline::nemesis
