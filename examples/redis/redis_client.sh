#!/bin/bash
# A faultline client for Redis in bash (docs/client-protocol.md), on redis-cli and jq.
#
# faultline starts one of these per worker process. It reads one JSON invocation per line on
# stdin and answers one JSON reply per line on stdout; anything for a person goes to stderr.
# The same store as redis_client.py (examples/redis/redis.toml): the first node is the
# primary and takes every write; reads go to the primary, or with read-from=replica to this
# client's own node (the second node when this one is the primary); final reads go to the
# client's own node.
#
# Workload register only: read / write v / cas [old, new] on integer keys.
# To use it, set in a copy of redis.toml:  [client] command = ["bash", "redis_client.sh"]
#                                                   workloads = ["register"]
set -u
read -r -a nodes <<<"$FAULTLINE_NODES"
read -r -a addresses <<<"$FAULTLINE_ADDRESSES"
primary=${addresses[0]} primary_node=${nodes[0]}
reads=$primary reads_node=$primary_node
if [ "${FAULTLINE_SETTING_READ_FROM:-primary}" = replica ] && [ ${#nodes[@]} -gt 1 ]; then
  if [ "$FAULTLINE_NODE" != "$primary_node" ]; then
    reads=$FAULTLINE_ADDRESS reads_node=$FAULTLINE_NODE
  else
    reads=${addresses[1]} reads_node=${nodes[1]}
  fi
fi
# redis-cli's own timeout, below faultline's (a late reply is info, and we would be killed).
timeout_s=$(awk -v ms="${FAULTLINE_TIMEOUT_MS:-2000}" 'BEGIN { printf "%.2f", ms / 1000 * 0.6 }')
cas_script="if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 else return 0 end"

# reply TYPE [VALUE-JSON | ERROR-TEXT] [NODE]. An ok's value is JSON already (a number, null
# or the invocation's own value) and node names are plain words; error text needs quoting.
reply() {
  case $1 in
    ok) printf '{"type":"ok","value":%s,"node":"%s"}\n' "$2" "$3" ;;
    *) jq -cn --arg t "$1" --arg e "$2" '{type: $t, error: $e}' ;;
  esac
}

# cli HOST ARGS...: redis-cli's answer on stdout; exit 1 when no answer came.
cli() {
  local host=$1
  shift
  timeout "$timeout_s" redis-cli -h "$host" --no-raw "$@" 2>&1
}

while IFS= read -r line; do
  # One jq per request: f, key, the value as JSON, final, and a cas's old and new values.
  IFS=$'\t' read -r f key value final old new < <(jq -r '[.f, (.key // 0), (.value | tojson),
    (.final // false), (if (.value | type) == "array" then .value[0], .value[1] else "-", "-" end)]
    | @tsv' <<<"$line")
  k="r:$key"
  case $f in
    read)
      host=$reads node=$reads_node
      [ "$final" = true ] && host=$FAULTLINE_ADDRESS node=$FAULTLINE_NODE
      if out=$(cli "$host" GET "$k"); then
        case $out in
          '(nil)') reply ok null "$node" ;;
          '"'*) reply ok "${out//\"/}" "$node" ;;
          *) reply fail "$out" ;;  # an error answer: the read did not happen
        esac
      else
        reply fail "no answer from $host: $out"  # a read changes nothing
      fi ;;
    write)
      if out=$(cli "$primary" SET "$k" "$value"); then
        if [ "$out" = OK ]; then reply ok "$value" "$primary_node"; else reply fail "$out"; fi
      else
        reply info "no answer from $primary: $out"  # it may have happened
      fi ;;
    cas)
      if out=$(cli "$primary" EVAL "$cas_script" 1 "$k" "$old" "$new"); then
        case $out in
          '(integer) 1') reply ok "$value" "$primary_node" ;;
          '(integer) 0') reply fail "compare failed" ;;
          *) reply fail "$out" ;;
        esac
      else
        reply info "no answer from $primary: $out"
      fi ;;
    *) reply fail "no operation $f in register" ;;
  esac
done
