#!/usr/bin/python3
"""A faultline client for ZooKeeper (docs/client-protocol.md), on Debian's python3-kazoo.

faultline starts one of these per worker process. It reads one JSON invocation per line on
stdin and answers one JSON reply per line on stdout; anything for a person goes to stderr.

Workload register: one znode per key, /faultline/r/<key>, holding the value as text.
  read         get (with read=sync: sync() first, so the member catches up with the leader)
  write v      set, or create when the znode does not exist yet
  cas [old,new] get, then a set conditioned on the version read: a version that moved on
               means someone wrote in between, and the cas did not happen (fail)

The client talks to its own node only (FAULTLINE_ADDRESS), so a member cut off from the
leader shows what it serves. kazoo's blocking calls can hang while it reconnects: every call
is made async and waited for with a deadline.
"""
import json
import logging
import os
import sys

from kazoo.client import KazooClient
from kazoo.exceptions import (BadVersionError, ConnectionLoss, NodeExistsError, NoNodeError,
                              OperationTimeoutError, SessionExpiredError, ZookeeperError)
from kazoo.handlers.threading import KazooTimeoutError

env = os.environ
WORKLOAD = env["FAULTLINE_WORKLOAD"]
HOST = env["FAULTLINE_ADDRESS"] + ":2181"
# Answer before faultline gives up on us: it makes a late reply info and kills us.
TIMEOUT = int(env.get("FAULTLINE_TIMEOUT_MS", "2000")) / 1000.0 * 0.6
SYNC = env.get("FAULTLINE_SETTING_READ", "plain") == "sync"

logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
zk = None


class NotConnected(Exception):
    """No session: the operation was never sent."""


def connected():
    """The session, started on first use; raises NotConnected when it cannot be had."""
    global zk
    if zk is None:
        client = KazooClient(hosts=HOST, timeout=10.0, connection_retry={"max_tries": -1})
        try:
            client.start(timeout=TIMEOUT)
        except Exception as e:
            client.stop()
            client.close()
            raise NotConnected("cannot connect to %s: %s" % (HOST, e))
        zk = client
    return zk


def path(op):
    return "/faultline/r/%s" % op.get("key", 0)


def value_of(data):
    return None if data is None or data == b"" else int(data.decode())


def read(op):
    z = connected()
    if SYNC:
        z.sync_async(path(op)).get(timeout=TIMEOUT)
    try:
        data, _ = z.get_async(path(op)).get(timeout=TIMEOUT)
    except NoNodeError:
        return {"type": "ok", "value": None}
    return {"type": "ok", "value": value_of(data)}


def write(op):
    z = connected()
    data = str(op["value"]).encode()
    try:
        z.set_async(path(op), data).get(timeout=TIMEOUT)
    except NoNodeError:
        try:
            z.create_async(path(op), data, makepath=True).get(timeout=TIMEOUT)
        except NodeExistsError:  # created by someone else meanwhile: now it can be set
            z.set_async(path(op), data).get(timeout=TIMEOUT)
    return {"type": "ok"}


def cas(op):
    z = connected()
    old, new = op["value"]
    try:
        data, stat = z.get_async(path(op)).get(timeout=TIMEOUT)
    except NoNodeError:
        return {"type": "fail", "error": "no such key"}
    if value_of(data) != old:
        return {"type": "fail", "error": "compare failed"}
    try:
        z.set_async(path(op), str(new).encode(), version=stat.version).get(timeout=TIMEOUT)
    except BadVersionError:
        return {"type": "fail", "error": "version changed"}
    return {"type": "ok"}


def perform(op):
    if WORKLOAD != "register":
        raise ValueError("this client speaks register, not %s" % WORKLOAD)
    f = op["f"]
    return read(op) if f == "read" else write(op) if f == "write" else cas(op) if f == "cas" \
        else {"type": "fail", "error": "no operation %s" % f}


def main():
    global zk
    for line in sys.stdin:
        op = json.loads(line)
        try:
            reply = perform(op)
        except NotConnected as e:
            reply = {"type": "fail", "error": str(e)}
        except (KazooTimeoutError, OperationTimeoutError, ConnectionLoss, SessionExpiredError,
                ZookeeperError) as e:
            # A read that did not complete changed nothing; a write may have happened.
            error = "%s: %s" % (type(e).__name__, e)
            reply = {"type": "fail" if op["f"] == "read" else "info", "error": error}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
