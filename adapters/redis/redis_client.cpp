#include "adapters/redis/redis_client.h"

#include <charconv>
#include <optional>
#include <stdexcept>
#include <vector>

#include "adapters/redis/hiredis_util.h"
#include "adapters/redis/redis_sentinel.h"

namespace faultline::adapters {
namespace {

// Compare-and-set: KEYS[1] key, ARGV[1] expected, ARGV[2] new. 1 if swapped, 0 if not.
constexpr const char* kCasScript =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) "
    "return 1 else return 0 end";

struct Result {
  ReplyPtr reply;
  bool sent = false;  // the request may have reached the server
  std::string error;  // why there is no reply
};

std::string text_of(const boost::json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_string()) return std::string(v.get_string());
  return boost::json::serialize(v);
}

boost::json::value value_of(const char* data, std::size_t size) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(data, data + size, n);
  if (ec == std::errc() && end == data + size) return n;
  return boost::json::string(std::string(data, size));
}

std::string key_text(const Operation& op) {
  return op.key ? text_of(*op.key) : std::string("0");
}

}  // namespace

struct RedisClient::Connection {
  RedisEndpoint endpoint;
  redisContext* ctx = nullptr;
  std::chrono::milliseconds timeout;

  ~Connection() { drop(); }
  void drop() {
    if (ctx) redisFree(ctx);
    ctx = nullptr;
  }
  Result run(const std::vector<std::string>& args) {
    Result result;
    if (!ctx) {
      ctx = redisConnectWithTimeout(endpoint.host.c_str(), kRedisPort, to_timeval(timeout));
      if (!ctx || ctx->err) {
        result.error = std::string("connect: ") + (ctx ? ctx->errstr : "out of memory");
        drop();
        return result;
      }
      redisSetTimeout(ctx, to_timeval(timeout));
    }
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    result.sent = true;
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lengths.data()));
    if (!reply) {
      result.error = ctx->errstr[0] ? ctx->errstr : "no reply";
      drop();
      return result;
    }
    result.reply.reset(reply);
    return result;
  }
};

RedisClient::RedisClient(RedisClientConfig config, ClientOptions options)
    : config_(std::move(config)), options_(std::move(options)) {}

RedisClient::~RedisClient() = default;

RedisClient::Connection& RedisClient::connection(const RedisEndpoint& endpoint) {
  auto& slot = endpoint.node == config_.primary.node ? primary_ : reads_;
  if (slot && slot->endpoint.node != endpoint.node) slot.reset();
  if (!slot) {
    slot = std::make_unique<Connection>();
    slot->endpoint = endpoint;
    slot->timeout = options_.timeout;
  }
  return *slot;
}

void RedisClient::follow_primary() {
  const auto now = std::chrono::steady_clock::now();
  if (!primary_stale_ && now - primary_asked_ < kPrimaryRefresh) return;
  primary_asked_ = now;
  auto found = sentinel_primary(config_.sentinels, config_.servers,
                                std::min(options_.timeout, std::chrono::milliseconds(500)));
  if (!found) return;  // keep the last known primary; the next operation asks again
  primary_stale_ = false;
  config_.primary = *found;
  if (config_.reads_follow_primary) config_.reads = *found;
}

Operation RedisClient::invoke(const Operation& op) {
  if (!config_.sentinels.empty()) follow_primary();
  Operation done = op;
  const bool is_read = op.f == "read";
  const auto* final_flag = op.extra.if_contains("final");
  const bool final_read = is_read && final_flag && final_flag->is_bool() && final_flag->get_bool();
  const RedisEndpoint& target = final_read ? config_.own
                                : is_read  ? config_.reads
                                           : config_.primary;
  done.node = target.node;
  std::vector<std::string> args;
  if (options_.workload == "register") {
    std::string key = "r:" + key_text(op);
    if (is_read) {
      args = {"GET", key};
    } else if (op.f == "write") {
      args = {"SET", key, text_of(op.value)};
    } else if (op.f == "cas" && op.value.is_array() && op.value.get_array().size() == 2) {
      args = {"EVAL",
              kCasScript,
              "1",
              key,
              text_of(op.value.get_array()[0]),
              text_of(op.value.get_array()[1])};
    }
  } else if (options_.workload == "counter") {
    if (is_read) {
      args = {"GET", "c"};
    } else if (op.f == "add") {
      args = {"INCRBY", "c", text_of(op.value)};
    }
  } else if (options_.workload == "set") {
    if (is_read) {
      args = {"SMEMBERS", "s"};
    } else if (op.f == "add") {
      args = {"SADD", "s", text_of(op.value)};
    }
  }
  if (args.empty()) {
    throw std::invalid_argument("redis: no operation '" + op.f + "' in workload '" +
                                options_.workload + "'");
  }

  auto outcome = [&](OpType type, const std::string& error) {
    primary_stale_ = true;
    done.type = type;
    done.error = boost::json::value(error);
    return done;
  };
  Result r = connection(target).run(args);
  if (!r.reply) return outcome(r.sent && !is_read ? OpType::kInfo : OpType::kFail, r.error);
  const redisReply* reply = r.reply.get();
  if (reply->type == REDIS_REPLY_ERROR)
    return outcome(OpType::kFail, std::string(reply->str, reply->len));

  if (is_read) {
    done.type = OpType::kOk;
    if (reply->type == REDIS_REPLY_NIL) {
      if (options_.workload == "counter") {
        done.value = 0;  // a counter never incremented
      } else {
        done.value = nullptr;
      }
    } else if (reply->type == REDIS_REPLY_STRING) {
      done.value = value_of(reply->str, reply->len);
    } else if (reply->type == REDIS_REPLY_ARRAY) {
      boost::json::array elements;
      for (std::size_t i = 0; i < reply->elements; ++i) {
        const redisReply* e = reply->element[i];
        if (e->type == REDIS_REPLY_STRING) elements.push_back(value_of(e->str, e->len));
      }
      done.value = std::move(elements);
    } else {
      return outcome(OpType::kFail, "unexpected reply type " + std::to_string(reply->type));
    }
    return done;
  }
  if (op.f == "cas" && !(reply->type == REDIS_REPLY_INTEGER && reply->integer == 1)) {
    return outcome(OpType::kFail, "compare failed");
  }
  if (config_.wait_replicas > 0) {
    Result w = connection(config_.primary)
                   .run({"WAIT", std::to_string(config_.wait_replicas),
                         std::to_string(options_.timeout.count() / 2)});
    if (!w.reply || w.reply->type != REDIS_REPLY_INTEGER) {
      return outcome(OpType::kInfo,
                     "WAIT: " + (w.reply ? std::string("unexpected reply") : w.error));
    }
    if (w.reply->integer < config_.wait_replicas) {
      return outcome(OpType::kInfo, "WAIT: " + std::to_string(w.reply->integer) + " of " +
                                        std::to_string(config_.wait_replicas) +
                                        " replicas acknowledged");
    }
  }
  done.type = OpType::kOk;
  return done;
}

std::optional<std::string> redis_command(const std::string& host,
                                         const std::vector<std::string>& args,
                                         std::chrono::milliseconds timeout, std::string* error) {
  redisContext* ctx = redisConnectWithTimeout(host.c_str(), kRedisPort, to_timeval(timeout));
  auto fail = [&](const std::string& why) -> std::optional<std::string> {
    if (error) *error = why;
    if (ctx) redisFree(ctx);
    return std::nullopt;
  };
  if (!ctx || ctx->err) return fail(ctx ? ctx->errstr : "out of memory");
  redisSetTimeout(ctx, to_timeval(timeout));
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* raw = static_cast<redisReply*>(
      redisCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  if (!raw) return fail(ctx->errstr);
  ReplyPtr reply(raw);
  if (reply->type == REDIS_REPLY_ERROR) return fail(std::string(reply->str, reply->len));
  std::string out;
  if (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS) {
    out.assign(reply->str, reply->len);
  } else if (reply->type == REDIS_REPLY_INTEGER) {
    out = std::to_string(reply->integer);
  }
  redisFree(ctx);
  return out;
}

}  // namespace faultline::adapters
