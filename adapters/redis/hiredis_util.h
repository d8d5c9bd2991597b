#pragma once
// What both hiredis users (redis_client.cpp, redis_sentinel.cpp) need: owning pointers for
// hiredis replies and contexts, and its timeouts as a timeval.

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <chrono>
#include <memory>

namespace faultline::adapters {

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

inline timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000),
                 static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

}  // namespace faultline::adapters
