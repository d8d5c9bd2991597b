#pragma once
// RedisClient: the register and set workloads against Redis with hiredis, one connection per
// server it talks to, reconnected after any error.
//
//   register  read  GET r:<key>            -> null or the integer
//             write SET r:<key> v          (then WAIT n <timeout> when wait > 0)
//             cas   EVAL of a Lua script: SET only if GET equals old (atomic on the primary)
//   set       add   SADD s e               (then WAIT as above)
//             read  SMEMBERS s             -> [elements]
//   counter   add   INCRBY c n             (then WAIT as above)
//             read  GET c                  -> the integer (0 when never incremented)
// Writes always go to the primary. Reads go to the primary (read-from=primary) or to a
// replica (read-from=replica): the client's own node if it is a replica, else the first
// replica. Final reads (invocations marked "final": true) read the client's own node, so that
// convergence sees every node. A completion's `node` is the node that served it.
// With Sentinel, a client whose own node's sentinel is cut off with an old primary keeps
// writing there, as a real application would.
//
// Outcomes: an error reply (READONLY, NOREPLICAS, a failed compare...) or a connection that
// could not be made is `fail`; a write whose reply never came is `info`; a read that did not
// complete is `fail`. A write whose WAIT saw fewer replicas than asked is `info`: applied on
// the primary, but not replicated as the mode promises.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db.h"

struct redisContext;

namespace faultline::adapters {

inline constexpr int kRedisPort = 6379;

struct RedisEndpoint {
  std::string node, host;
};

struct RedisClientConfig {
  RedisEndpoint primary;
  RedisEndpoint reads;    // where reads go
  RedisEndpoint own;      // the client's node: final reads ("final": true) go there
  int wait_replicas = 0;  // WAIT this many replicas after writes; 0: no WAIT
  // Non-empty (failover=sentinel): the primary is whatever these sentinels name, asked in
  // order (the client's own node's first) before the first operation, after any failed or
  // unknown one, and at most every kPrimaryRefresh otherwise; `servers` maps their answer
  // (an address) to a node. Reads from the primary follow it.
  std::vector<RedisEndpoint> sentinels, servers;
  bool reads_follow_primary = true;
};

class RedisClient final : public Client {
 public:
  RedisClient(RedisClientConfig config, ClientOptions options);
  ~RedisClient() override;
  Operation invoke(const Operation& op) override;

 private:
  struct Connection;
  Connection& connection(const RedisEndpoint& endpoint);
  void follow_primary();

  static constexpr std::chrono::milliseconds kPrimaryRefresh{500};

  RedisClientConfig config_;
  ClientOptions options_;
  std::unique_ptr<Connection> primary_, reads_;
  bool primary_stale_ = true;  // ask the sentinels before the next operation
  std::chrono::steady_clock::time_point primary_asked_;
};

// One command on `host` with a fresh connection; the reply as text ("" for nil), or
// nullopt with `error` set. For setup and health checks.
std::optional<std::string> redis_command(const std::string& host,
                                         const std::vector<std::string>& argv,
                                         std::chrono::milliseconds timeout,
                                         std::string* error = nullptr);

}  // namespace faultline::adapters
