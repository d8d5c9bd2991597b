#pragma once
// Shell scripts shared by adapters that run their database as a daemon with a pid file.
// Run as `sh -c SCRIPT sh ARGS...`; arguments are passed as argv, never pasted in.

namespace faultline {

// $1: the node's directory, $2: signal (KILL, STOP, CONT), $3: pid file name in $1,
// $4: the process's comm name. Does nothing if the daemon is not running (a stale pid
// file is removed). On KILL: continues a paused process first, waits up to 5 s for it to
// be gone, then removes the pid file.
inline constexpr const char* kSignalDaemonScript = R"sh(dir=$1; sig=$2; pidfile=$dir/$3; comm=$4
[ -f "$pidfile" ] || exit 0
pid=$(cat "$pidfile")
[ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$comm" ] || { rm -f "$pidfile"; exit 0; }
if [ "$sig" = KILL ]; then kill -CONT "$pid" 2>/dev/null; fi
kill -"$sig" "$pid" || exit 1
if [ "$sig" = KILL ]; then
  i=0
  while [ -d /proc/"$pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
  rm -f "$pidfile"
fi
)sh";

// $1: the node's directory; $2...: the daemons as COMM:PIDFILE (pid file name in $1). Kills
// each daemon that runs (continuing it first, waiting up to 5 s for it to be gone), then
// deletes the directory.
inline constexpr const char* kWipeDaemonsScript = R"sh(dir=$1; shift
for daemon in "$@"; do
  comm=${daemon%%:*}; pidfile=$dir/${daemon#*:}
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$comm" ]; then
    kill -CONT "$pid" 2>/dev/null; kill -KILL "$pid" 2>/dev/null
    i=0
    while [ -d /proc/"$pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
  fi
done
rm -rf "$dir"
)sh";

}  // namespace faultline
