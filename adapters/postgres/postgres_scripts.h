#pragma once
// The shell scripts PostgresDatabase runs on nodes (as root), as `sh -c SCRIPT sh ARGS...`:
// arguments are argv words, never pasted into the script. Every script finds Debian's
// newest installed PostgreSQL under /usr/lib/postgresql/*/bin and runs its programs as the
// `postgres` user. A node's directory DIR holds data/ (PGDATA) and postgres.log.
//
// The processes of one instance are those whose working directory is DIR/data (PostgreSQL
// chdirs into its data directory): that finds the backends a killed postmaster left behind.

namespace faultline::adapters::postgres_scripts {

// Shared preamble: $bin, and procs() listing the pids of the instance in "$data".
#define FAULTLINE_PG_PREAMBLE                                                               \
  "bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)\n"              \
  "procs() { find /proc -mindepth 2 -maxdepth 2 -name cwd -lname \"$data\" 2>/dev/null |\n" \
  "  cut -d/ -f3; }\n"

// Installs Debian's postgresql when no server is installed; keeps its own service stopped.
inline constexpr const char* kInstall = FAULTLINE_PG_PREAMBLE R"sh(
[ -n "$bin" ] && [ -x "$bin/pg_ctl" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 install -y postgresql >&2 ||
  { apt-get update >&2 && apt-get -o DPkg::Lock::Timeout=900 install -y postgresql >&2; } || exit 1
systemctl stop postgresql >/dev/null 2>&1; systemctl disable postgresql >/dev/null 2>&1
ls -d /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1
)sh";

// $1 DIR. Stops the instance (immediate), kills whatever of it is left, deletes DIR.
inline constexpr const char* kWipe = FAULTLINE_PG_PREAMBLE R"sh(dir=$1; data=$1/data
if [ -d "$data" ]; then
  for p in $(procs); do kill -CONT "$p" 2>/dev/null; done
  [ -f "$data/postmaster.pid" ] && [ -n "$bin" ] &&
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m immediate -w -t 5 stop >/dev/null 2>&1
  i=0
  while [ -n "$(procs)" ] && [ $i -lt 50 ]; do
    for p in $(procs); do kill -KILL "$p" 2>/dev/null; done
    sleep 0.05; i=$((i+1))
  done
fi
rm -rf "$dir"
)sh";

// $1 DIR, $2 postgresql.conf lines to append, $3 pg_hba.conf (plus a line trusting the
// SSH client's address). initdb as postgres.
inline constexpr const char* kInitPrimary = FAULTLINE_PG_PREAMBLE R"sh(dir=$1; data=$1/data
mkdir -p "$dir" && chown postgres:postgres "$dir" && chmod 700 "$dir" || exit 1
runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-sync \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
printf '%s\n' "$2" >>"$data/postgresql.conf" && printf '%s\n' "$3" >"$data/pg_hba.conf" || exit 1
# The controller's address as this node sees it (SSH_CLIENT: "address port port").
from=${SSH_CLIENT%% *}
case "$from" in
  *:*) printf 'host all all %s/128 trust\n' "$from" >>"$data/pg_hba.conf" ;;
  ?*) printf 'host all all %s/32 trust\n' "$from" >>"$data/pg_hba.conf" ;;
esac
exit 0
)sh";

// $1 DIR, $2 the primary's host, $3 postgresql.conf lines to append (they override the
// primary's copied ones). A streaming hot standby: pg_basebackup -R -X stream, without
// syncing the copy to disk (3-4 s saved; a machine crash during setup is not a test case).
inline constexpr const char* kInitStandby = FAULTLINE_PG_PREAMBLE R"sh(dir=$1; data=$1/data
mkdir -p "$dir" && chown postgres:postgres "$dir" && chmod 700 "$dir" || exit 1
runuser -u postgres -- "$bin/pg_basebackup" -h "$2" -p 5432 -U postgres -D "$data" -R \
  -X stream -c fast --no-sync >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
printf '%s\n' "$3" >>"$data/postgresql.conf"
)sh";

// $1 DIR, $2 "start" or "restart", then optional NAME=VALUE words: libfaketime's environment
// (LD_PRELOAD, FAKETIME_TIMESTAMP_FILE, ...). start: no-op if the postmaster runs. restart
// (after a kill): first waits up to 5 s for the killed instance's processes to go, then kills
// any left (backends of a killed postmaster hold its shared memory). A killed postmaster may
// linger as a zombie (forever when the machine's init does not reap), which pg_ctl and
// PostgreSQL's lock file checks count as running: its pid file and socket lock file are
// removed when the postmaster is dead or a zombie.
//
// With an environment, pg_ctl runs DIR/postgres-faketime (-p) instead of postgres: a fixed
// wrapper that execs postgres with LD_PRELOAD, so the preload reaches the postmaster and its
// backends but not runuser, pg_ctl or sh (pg_ctl -w times its wait). pg_ctl carries the
// preload as FAULTLINE_LD_PRELOAD. The control file is created "+0" and made readable by
// postgres if missing: libfaketime silently ignores a file it cannot read.
inline constexpr const char* kStart = FAULTLINE_PG_PREAMBLE R"sh(dir=$1; data=$1/data; mode=$2
shift 2
ft_file=
for kv in "$@"; do
  shift
  case $kv in
    LD_PRELOAD=*) kv=FAULTLINE_$kv ;;
    FAKETIME_TIMESTAMP_FILE=*) ft_file=${kv#*=} ;;
  esac
  set -- "$@" "$kv"
done
[ -d "$data" ] || { echo "no data directory $data" >&2; exit 1; }
alive() {
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' /proc/"$1"/status 2>/dev/null)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}
postmaster=$(head -n 1 "$data/postmaster.pid" 2>/dev/null)
running() {
  [ -n "$postmaster" ] && [ "$(cat /proc/"$postmaster"/comm 2>/dev/null)" = postgres ] &&
    alive "$postmaster"
}
live_procs() { for p in $(procs); do alive "$p" && echo "$p"; done; }
if [ "$mode" = restart ]; then
  i=0
  while ! running && [ -n "$(live_procs)" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
  running || for p in $(procs); do kill -KILL "$p" 2>/dev/null; done
fi
running && exit 0
rm -f "$data/postmaster.pid" "$dir"/.s.PGSQL.*
program=$bin/postgres
if [ $# -gt 0 ]; then
  if [ -n "$ft_file" ]; then
    (umask 022; mkdir -p "${ft_file%/*}" && chmod 755 "${ft_file%/*}" &&
      { [ -e "$ft_file" ] || printf '+0\n' >"$ft_file"; } && chmod 644 "$ft_file") || exit 1
  fi
  program=$dir/postgres-faketime
  printf '%s\n' '#!/bin/sh' 'exec env LD_PRELOAD="$FAULTLINE_LD_PRELOAD" "$FAULTLINE_POSTGRES" "$@"' \
    >"$program" && chmod 755 "$program" || exit 1
  set -- env FAULTLINE_POSTGRES="$bin/postgres" "$@"
fi
runuser -u postgres -- "$@" "$bin/pg_ctl" -D "$data" -p "$program" -l "$dir/postgres.log" -w -t 30 \
  start >/dev/null || { tail -n 20 "$dir/postgres.log" >&2; exit 1; }
)sh";

// $1 DIR, $2 signal (KILL, STOP, CONT): every process of the instance. KILL waits up to 5 s
// for them to be gone.
inline constexpr const char* kSignal = FAULTLINE_PG_PREAMBLE R"sh(dir=$1; data=$1/data; sig=$2
[ "$sig" = KILL ] && for p in $(procs); do kill -CONT "$p" 2>/dev/null; done
for p in $(procs); do kill -"$sig" "$p" 2>/dev/null; done
if [ "$sig" = KILL ]; then
  i=0
  while [ -n "$(procs)" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
fi
exit 0
)sh";

#undef FAULTLINE_PG_PREAMBLE

}  // namespace faultline::adapters::postgres_scripts
