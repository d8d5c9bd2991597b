#pragma once
// Node-side scripts of the clock fault, shared with heal. The clock marker is a one-line JSON
// object written by the scripts themselves:
//   {"strategy":"faketime"|"system","offset_ms":N,"services":"chrony ..."}
// offset_ms is the total skew faultline applied (what reset undoes); services are the NTP
// services stopped for the system strategy (restarted by reset).

#include <string_view>

namespace faultline::nemesis {

// Functions used by the scripts below; `lib` must be set to libfaketime's path.
// measure LABEL prints "LABEL <system ns> <faketime'd ns or ->".
inline constexpr std::string_view kClockFunctions = R"SH(ft_date() {
  if [ -e "$lib" ]; then
    env LD_PRELOAD="$lib" FAKETIME_TIMESTAMP_FILE="$d/faketime" FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 date +%s%N
  else echo -; fi
}
measure() { echo "$1 $(date +%s%N) $(ft_date)"; }
clock_field() { [ -s "$d/active/clock.json" ] || return 0; sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$d/active/clock.json" 2>/dev/null || true; }
set_faketime() { printf '%s\n' "$1" > "$d/faketime.tmp"; chmod 644 "$d/faketime.tmp"; mv -f "$d/faketime.tmp" "$d/faketime"; }
fmt_offset() {
  v=$1; s=+
  if [ "$v" -lt 0 ]; then s=-; v=$((0 - v)); fi
  printf '%s%d.%03d' "$s" $((v / 1000)) $((v % 1000))
}
)SH";

// Prints "boot_id <id>", "faketime-lib" if libfaketime exists, "cc" if a C compiler exists.
// $1: libfaketime's path.
inline constexpr std::string_view kClockProbeScript = R"SH(set +e
echo "boot_id $(cat /proc/sys/kernel/random/boot_id)"
[ -e "$1" ] && echo faketime-lib
command -v cc >/dev/null 2>&1 && echo cc
true
)SH";

// $1 strategy, $2 delta ms, $3 libfaketime path. Adds delta to the node's skew.
inline constexpr std::string_view kClockBumpScript = R"SH(strategy=$1; delta=$2; lib=$3
had=$(clock_field strategy)
if [ -n "$had" ] && [ "$had" != "$strategy" ]; then
  echo "a $had clock skew is already applied; reset it first" >&2; exit 3
fi
cur=$(clock_field offset_ms); cur=${cur:-0}
services=$(clock_field services)
measure before
new=$((cur + delta))
if [ "$strategy" = faketime ]; then
  set_faketime "$(fmt_offset "$new")"
else
  if [ -z "$had" ]; then
    services=""
    for s in systemd-timesyncd chrony chronyd ntp ntpd ntpsec openntpd; do
      if systemctl is-active --quiet "$s" 2>/dev/null; then systemctl stop "$s"; services="$services $s"; fi
    done
    mark clock "{\"strategy\":\"system\",\"offset_ms\":0,\"services\":\"$services\"}"
  fi
  "$d/faultline-clock" "$delta"
fi
mark clock "{\"strategy\":\"$strategy\",\"offset_ms\":$new,\"services\":\"$services\"}"
measure after
)SH";

// $1 libfaketime path. Undoes the recorded skew (system clock back by offset_ms, NTP services
// restarted) and sets the faketime control file to +0.
inline constexpr std::string_view kClockResetScript = R"SH(lib=$1
if [ -s "$d/active/clock.json" ]; then
  strategy=$(clock_field strategy); cur=$(clock_field offset_ms); services=$(clock_field services)
  measure before
  if [ "$strategy" = system ]; then
    if [ "${cur:-0}" != 0 ]; then "$d/faultline-clock" $((0 - ${cur:-0})); fi
    for s in $services; do systemctl start "$s" || echo "could not restart $s" >&2; done
  fi
  if [ -e "$d/faketime" ]; then set_faketime +0; fi
  unmark clock
  measure after
elif [ -e "$d/faketime" ]; then
  set_faketime +0
fi
)SH";

// The helper the system strategy compiles on a node: adds DELTA_MS to CLOCK_REALTIME.
inline constexpr std::string_view kClockHelperSource = R"SH(#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(int argc, char** argv) {
  if (argc != 2) { fprintf(stderr, "usage: faultline-clock DELTA_MS\n"); return 64; }
  char* end = NULL;
  long long delta_ms = strtoll(argv[1], &end, 10);
  if (end == argv[1] || *end != '\0') { fprintf(stderr, "bad delta: %s\n", argv[1]); return 64; }
  struct timespec now;
  if (clock_gettime(CLOCK_REALTIME, &now) != 0) { perror("clock_gettime"); return 1; }
  long long ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec + delta_ms * 1000000LL;
  now.tv_sec = (time_t)(ns / 1000000000LL);
  now.tv_nsec = (long)(ns % 1000000000LL);
  if (now.tv_nsec < 0) { now.tv_nsec += 1000000000L; now.tv_sec -= 1; }
  if (clock_settime(CLOCK_REALTIME, &now) != 0) { perror("clock_settime"); return 1; }
  return 0;
}
)SH";

}  // namespace faultline::nemesis
