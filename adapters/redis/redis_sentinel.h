#pragma once
// Redis Sentinel for RedisDatabase's `failover=sentinel`: one redis-sentinel per node
// (Debian's redis-sentinel), all monitoring the primary under the name kSentinelMaster, with
// a majority quorum and a fast failure detector (down after 1 s), so that a partition which
// isolates the primary makes the majority side promote a replica. The old primary keeps
// accepting writes while it is cut off; when the partition heals Sentinel turns it into a
// replica of the new primary and those acknowledged writes are gone (Redis documents this:
// "Redis Sentinel and consistency under partitions").
//
// Clients discover the primary by asking a sentinel (the client's own node's first):
// SENTINEL get-master-addr-by-name.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "adapters/redis/redis_client.h"
#include "remote/command.h"

namespace faultline::adapters {

inline constexpr int kSentinelPort = 26379;
inline constexpr const char* kSentinelMaster = "faultline";

// Writes `dir`/sentinel.conf and starts redis-sentinel (daemonized, pid file and log in
// `dir`), bound to `host`, monitoring `primary_host` with `quorum`. A no-op when it runs.
remote::Command sentinel_start_command(const std::string& dir, const std::string& host,
                                       const std::string& primary_host, int quorum);

// The primary as the first answering sentinel of `sentinels` sees it, mapped to one of
// `servers` by address; nullopt when no sentinel answers or names an unknown address.
std::optional<RedisEndpoint> sentinel_primary(const std::vector<RedisEndpoint>& sentinels,
                                              const std::vector<RedisEndpoint>& servers,
                                              std::chrono::milliseconds timeout);

// True when the sentinel on `host` reaches its quorum and failover authorization
// (SENTINEL CKQUORUM), i.e. it has found the other sentinels.
bool sentinel_ready(const std::string& host, std::chrono::milliseconds timeout,
                    std::string* problem = nullptr);

}  // namespace faultline::adapters
