#!/usr/bin/python3
"""A faultline client for Redis (docs/client-protocol.md), on Debian's python3-redis.

faultline starts one of these per worker process. It reads one JSON invocation per line on
stdin and answers one JSON reply per line on stdout; anything for a person goes to stderr.

Like faultline's built-in Redis adapter: the first node (FAULTLINE_NODES) is the primary and
takes every write; reads go to the primary, or with read-from=replica to this client's own
node (or the first replica when that is the primary); final reads go to the client's own
node. With wait=N every write is followed by WAIT N: fewer acknowledgements make it info.

Workloads: register (read / write v / cas [old, new] on integer keys), set (add e / read),
counter (add n / read).
"""
import json
import os
import sys

import redis

env = os.environ
NODES = env["FAULTLINE_NODES"].split()
ADDRESSES = env["FAULTLINE_ADDRESSES"].split()
ME, MY_ADDRESS = env["FAULTLINE_NODE"], env["FAULTLINE_ADDRESS"]
WORKLOAD = env["FAULTLINE_WORKLOAD"]
# Answer before faultline gives up on us: it makes a late reply info and kills us.
TIMEOUT = int(env.get("FAULTLINE_TIMEOUT_MS", "2000")) / 1000.0 * 0.7
READ_FROM = env.get("FAULTLINE_SETTING_READ_FROM", "primary")
WAIT = int(env.get("FAULTLINE_SETTING_WAIT", "0"))
PORT = 6379

PRIMARY = (NODES[0], ADDRESSES[0])
OWN = (ME, MY_ADDRESS)
if READ_FROM == "replica" and len(NODES) > 1:
    READS = OWN if ME != NODES[0] else (NODES[1], ADDRESSES[1])
else:
    READS = PRIMARY

# Compare-and-set: KEYS[1] key, ARGV[1] expected, ARGV[2] new; 1 if swapped.
CAS = ("if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) "
       "return 1 else return 0 end")

connections = {}


def connection(endpoint):
    if endpoint not in connections:
        connections[endpoint] = redis.Redis(host=endpoint[1], port=PORT, socket_timeout=TIMEOUT,
                                            socket_connect_timeout=TIMEOUT, retry_on_timeout=False)
    return connections[endpoint]


def number(raw):
    if raw is None:
        return None
    text = raw.decode()
    try:
        return int(text)
    except ValueError:
        return text


def perform(op):
    """The reply for one invocation; raises redis errors for perform's caller to judge."""
    f, value = op["f"], op.get("value")
    read = f == "read"
    target = OWN if read and op.get("final") else READS if read else PRIMARY
    db = connection(target)
    reply = {"type": "ok", "node": target[0]}
    if WORKLOAD == "register":
        key = "r:%s" % op.get("key", 0)
        if read:
            reply["value"] = number(db.get(key))
        elif f == "write":
            db.set(key, value)
        elif f == "cas":
            if db.eval(CAS, 1, key, value[0], value[1]) != 1:
                return {"type": "fail", "error": "compare failed", "node": target[0]}
        else:
            raise ValueError("no operation %r in register" % f)
    elif WORKLOAD == "set":
        if read:
            reply["value"] = sorted(number(e) for e in db.smembers("s"))
        elif f == "add":
            db.sadd("s", value)
        else:
            raise ValueError("no operation %r in set" % f)
    elif WORKLOAD == "counter":
        if read:
            reply["value"] = number(db.get("c")) or 0
        elif f == "add":
            db.incrby("c", value)
        else:
            raise ValueError("no operation %r in counter" % f)
    else:
        raise ValueError("no workload %r" % WORKLOAD)
    if not read and WAIT > 0:
        acked = connection(PRIMARY).execute_command("WAIT", WAIT, int(TIMEOUT * 500))
        if acked < WAIT:
            return {"type": "info", "error": "WAIT: %d of %d replicas acknowledged" % (acked, WAIT)}
    return reply


def main():
    for line in sys.stdin:
        op = json.loads(line)
        read = op["f"] == "read"
        try:
            reply = perform(op)
        except redis.exceptions.ResponseError as e:
            # A refusal (READONLY, LOADING, ...): it did not happen.
            reply = {"type": "fail", "error": str(e)}
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as e:
            # A read that did not complete changed nothing, nor did a request that never
            # left (no connection); any other write may have happened.
            never_sent = "connecting to" in str(e)
            reply = {"type": "fail" if read or never_sent else "info", "error": str(e)}
            connections.clear()
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
