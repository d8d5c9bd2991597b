#include "adapters/redis/redis_sentinel.h"

#include <memory>

#include "adapters/redis/hiredis_util.h"

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;

// $1 dir, $2 host, $3 primary host, $4 quorum, $5 sentinel port, $6 master name.
constexpr const char* kSentinelStartScript = R"sh(dir=$1
mkdir -p "$dir" || exit 1
if [ -f "$dir/sentinel.pid" ]; then
  pid=$(cat "$dir/sentinel.pid")
  [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = redis-sentinel ] && exit 0
fi
cat >"$dir/sentinel.conf" <<EOF
port $5
bind $2
protected-mode no
daemonize yes
pidfile $dir/sentinel.pid
logfile $dir/sentinel.log
dir $dir
sentinel monitor $6 $3 6379 $4
sentinel down-after-milliseconds $6 1000
sentinel failover-timeout $6 4000
sentinel parallel-syncs $6 1
EOF
cd "$dir" && redis-sentinel "$dir/sentinel.conf" </dev/null >>"$dir/sentinel.log" 2>&1
)sh";

// One command to a sentinel; nullptr with `error` set when there is no reply.
ReplyPtr ask(const std::string& host, const std::vector<std::string>& args,
             std::chrono::milliseconds timeout, std::string* error) {
  ContextPtr ctx(redisConnectWithTimeout(host.c_str(), kSentinelPort, to_timeval(timeout)));
  if (!ctx || ctx->err) {
    if (error) *error = ctx ? ctx->errstr : "out of memory";
    return nullptr;
  }
  redisSetTimeout(ctx.get(), to_timeval(timeout));
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(ctx.get(), static_cast<int>(argv.size()), argv.data(), lengths.data()));
  if (!reply && error) *error = ctx->errstr;
  return ReplyPtr(reply);
}

}  // namespace

remote::Command sentinel_start_command(const std::string& dir, const std::string& host,
                                       const std::string& primary_host, int quorum) {
  remote::Command command({"sh", "-c", kSentinelStartScript, "sh", dir, host, primary_host,
                           std::to_string(quorum), std::to_string(kSentinelPort), kSentinelMaster});
  command.sudo = true;
  command.timeout = 30s;
  return command;
}

std::optional<RedisEndpoint> sentinel_primary(const std::vector<RedisEndpoint>& sentinels,
                                              const std::vector<RedisEndpoint>& servers,
                                              std::chrono::milliseconds timeout) {
  for (const RedisEndpoint& s : sentinels) {
    auto reply =
        ask(s.host, {"SENTINEL", "get-master-addr-by-name", kSentinelMaster}, timeout, nullptr);
    if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
        reply->element[0]->type != REDIS_REPLY_STRING) {
      continue;
    }
    const std::string host(reply->element[0]->str, reply->element[0]->len);
    for (const RedisEndpoint& server : servers) {
      if (server.host == host) return server;
    }
  }
  return std::nullopt;
}

bool sentinel_ready(const std::string& host, std::chrono::milliseconds timeout,
                    std::string* problem) {
  std::string error;
  auto reply = ask(host, {"SENTINEL", "CKQUORUM", kSentinelMaster}, timeout, &error);
  if (!reply) {
    if (problem) *problem = "sentinel: " + error;
    return false;
  }
  if (reply->type == REDIS_REPLY_STATUS || reply->type == REDIS_REPLY_STRING) return true;
  if (problem) {
    *problem =
        "sentinel: " + (reply->type == REDIS_REPLY_ERROR ? std::string(reply->str, reply->len)
                                                         : std::string("unexpected reply"));
  }
  return false;
}

}  // namespace faultline::adapters
