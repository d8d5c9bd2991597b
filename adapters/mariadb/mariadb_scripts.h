#pragma once
// The shell scripts MariadbDatabase runs on nodes (as root), as `sh -c SCRIPT sh ARGS...`:
// arguments are argv words, never pasted into the script. A node's directory DIR holds
// my.cnf, data/ (the datadir, owned by mysql), mysqld.sock, mysqld.pid and mariadb.log (the
// error log; mariadbd's own stdout and stderr go there too).
//
// The processes of one instance are the mariadbd whose command line names DIR/my.cnf: that
// finds a server that has not yet written its pid file, or one whose pid file is gone.

namespace faultline::adapters::mariadb_scripts {

// Shared preamble: procs() lists the pids of the instance whose my.cnf is "$dir/my.cnf".
#define FAULTLINE_MARIADB_PREAMBLE                                                                 \
  "procs() { for p in /proc/[0-9]*; do\n"                                                          \
  "  [ \"$(cat \"$p/comm\" 2>/dev/null)\" = mariadbd ] || continue\n"                              \
  "  tr '\\0' '\\n' <\"$p/cmdline\" 2>/dev/null | grep -qxF -- \"--defaults-file=$dir/my.cnf\" "   \
  "&&\n"                                                                                           \
  "    echo \"${p#/proc/}\"\n"                                                                     \
  "done; }\n"                                                                                      \
  "alive() {\n"                                                                                    \
  "  state=$(sed -n 's/^State:[[:space:]]*\\([A-Z]\\).*/\\1/p' /proc/\"$1\"/status 2>/dev/null)\n" \
  "  [ -n \"$state\" ] && [ \"$state\" != Z ] && [ \"$state\" != X ]\n"                            \
  "}\n"                                                                                            \
  "live_procs() { for p in $(procs); do alive \"$p\" && echo \"$p\"; done; }\n"

// $@: the packages to install (mariadb-server, galera-4, rsync) when mariadbd, Galera's
// provider or rsync is missing; keeps Debian's own mariadb service stopped.
inline constexpr const char* kInstall = R"sh(
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing=1
[ -f /usr/lib/galera/libgalera_smm.so ] || missing=1
command -v rsync >/dev/null 2>&1 || missing=1
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 install -y "$@" >&2 ||
  { apt-get update >&2 && apt-get -o DPkg::Lock::Timeout=900 install -y "$@" >&2; } || exit 1
systemctl stop mariadb >/dev/null 2>&1; systemctl disable mariadb >/dev/null 2>&1
[ -x /usr/sbin/mariadbd ]
)sh";

// $1 DIR. Kills the instance (continuing it first) and deletes DIR.
inline constexpr const char* kWipe = FAULTLINE_MARIADB_PREAMBLE R"sh(dir=$1
i=0
while [ -n "$(live_procs)" ] && [ $i -lt 100 ]; do
  for p in $(procs); do kill -CONT "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
  sleep 0.05; i=$((i+1))
done
rm -rf "$dir"
)sh";

// $1 DIR, $2 my.cnf text, $3 "install" (mariadb-install-db: a primary, an asynchronous
// replica, Galera's first node) or "empty" (a Galera joiner: its state transfer fills data/).
inline constexpr const char* kInit = R"sh(dir=$1
mkdir -p "$dir/data" && printf '%s\n' "$2" >"$dir/my.cnf" && chown -R mysql:mysql "$dir" || exit 1
chmod 755 "$dir" "${dir%/*}" 2>/dev/null
[ "$3" = install ] || exit 0
mariadb-install-db --no-defaults --datadir="$dir/data" --user=mysql --skip-test-db \
  --auth-root-authentication-method=socket >"$dir/install-db.log" 2>&1 ||
  { tail -n 20 "$dir/install-db.log" >&2; exit 1; }
)sh";

// $1 DIR, $2 "start" or "restart", $3 "bootstrap" (Galera's first node: --wsrep-new-cluster)
// or "join", $4 seconds to wait for the server to answer, then optional NAME=VALUE words:
// libfaketime's environment, set on mariadbd alone (env execs it; sh, setsid and the
// wait loop keep the real clock). start: no-op if the instance runs. restart (after a kill):
// first waits up to 5 s for the killed instance to be gone, then kills what is left.
// The control file is created "+0" and made readable by mysql if missing: libfaketime
// silently ignores a file it cannot read. Waits until mariadb-admin ping answers on the
// socket; a Galera joiner answers only after its state transfer.
// Galera restart (after a kill or coordinated crash): `mariadbd --wsrep-recover` reads the
// position InnoDB recovered and the server starts with --wsrep-start-position=UUID:SEQNO, so
// the members agree on what each one has instead of a seqno of -1 (a crash leaves grastate.dat
// without one) and none is refilled from a member that is behind. A joiner whose mariadbd
// exits during start (its state transfer was cut by the crash) gets one more attempt.
inline constexpr const char* kStart =
    FAULTLINE_MARIADB_PREAMBLE R"sh(dir=$1; mode=$2; how=$3; wait=$4
shift 4
[ -f "$dir/my.cnf" ] || { echo "no configuration $dir/my.cnf" >&2; exit 1; }
if [ "$mode" = restart ]; then
  i=0
  while [ -n "$(live_procs)" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
  for p in $(procs); do kill -KILL "$p" 2>/dev/null; done
fi
[ -n "$(live_procs)" ] && exit 0
rm -f "$dir/mysqld.pid" "$dir/mysqld.sock" "$dir/mysqld.sock.lock"
for kv in "$@"; do
  case $kv in
    FAKETIME_TIMESTAMP_FILE=*) ft_file=${kv#*=}
      (umask 022; mkdir -p "${ft_file%/*}" && chmod 755 "${ft_file%/*}" &&
        { [ -e "$ft_file" ] || printf '+0\n' >"$ft_file"; } && chmod 644 "$ft_file") || exit 1 ;;
  esac
done
extra=
[ "$how" = bootstrap ] && extra=--wsrep-new-cluster
galera=; grep -qx 'wsrep_on=ON' "$dir/my.cnf" && galera=1
if [ "$mode" = restart ] && [ -n "$galera" ] && [ -f "$dir/data/grastate.dat" ]; then
  /usr/sbin/mariadbd --defaults-file="$dir/my.cnf" --wsrep-recover \
    --log-error="$dir/wsrep-recover.log" </dev/null >/dev/null 2>&1
  pos=$(sed -n 's/.*WSREP: Recovered position: *\([0-9a-f-]*:-*[0-9]*\).*/\1/p' \
    "$dir/wsrep-recover.log" 2>/dev/null | tail -n 1)
  echo "faultline: wsrep-recover in $dir: ${pos:-no position}" >>"$dir/mariadb.log"
  case $pos in *:-1|'') ;; *) extra="$extra --wsrep-start-position=$pos" ;; esac
fi
attempts=1
[ -n "$galera" ] && [ "$how" = join ] && attempts=2
while [ $attempts -gt 0 ]; do
  attempts=$((attempts-1))
  setsid env "$@" /usr/sbin/mariadbd --defaults-file="$dir/my.cnf" $extra \
    </dev/null >>"$dir/mariadb.log" 2>&1 &
  i=0
  while [ $i -lt $((wait * 10)) ]; do
    mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && exit 0
    [ -z "$(live_procs)" ] && [ $i -gt 10 ] && break
    sleep 0.1; i=$((i+1))
  done
  [ -n "$(live_procs)" ] && break
  echo "faultline: mariadbd in $dir exited during start (a cut state transfer?)" >>"$dir/mariadb.log"
  rm -f "$dir/mysqld.pid" "$dir/mysqld.sock" "$dir/mysqld.sock.lock"
done
echo "mariadbd in $dir did not answer within $wait s" >&2
tail -n 20 "$dir/mariadb.log" >&2
exit 1
)sh";

// $1 DIR, $2 SQL: runs it as root over the node's socket (several statements allowed);
// prints the rows tab-separated, without column names.
inline constexpr const char* kSql = R"sh(
mariadb --no-defaults --socket="$1/mysqld.sock" -uroot --batch --skip-column-names -e "$2"
)sh";

// $1 DIR, $2 signal (KILL, STOP, CONT): the instance's processes. KILL continues them first
// and waits up to 5 s for them to be gone.
inline constexpr const char* kSignal = FAULTLINE_MARIADB_PREAMBLE R"sh(dir=$1; sig=$2
[ "$sig" = KILL ] && for p in $(procs); do kill -CONT "$p" 2>/dev/null; done
for p in $(procs); do kill -"$sig" "$p" 2>/dev/null; done
if [ "$sig" = KILL ]; then
  i=0
  while [ -n "$(live_procs)" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
fi
exit 0
)sh";

#undef FAULTLINE_MARIADB_PREAMBLE

}  // namespace faultline::adapters::mariadb_scripts
