#include "controller/bench/gen/register_history.h"

#include <algorithm>
#include <queue>
#include <random>
#include <stdexcept>
#include <vector>

namespace faultline {
namespace {

// Virtual-time events of one client; at most three per client are queued at once.
enum class Event : std::uint8_t { kInvoke, kTakeEffect, kComplete };

struct Scheduled {
  std::int64_t time;
  std::uint64_t seq;  // ties break by scheduling order: deterministic
  std::size_t client;
  Event event;
  bool operator>(const Scheduled& other) const {
    return time != other.time ? time > other.time : seq > other.seq;
  }
};

// The operation a client has in flight.
struct InFlight {
  std::int64_t process = 0;
  std::size_t key = 0;
  bool write = false;
  bool info = false;      // completes `info`
  bool effective = true;  // takes effect (always for ok; half of info ones)
  std::int64_t written = 0;
  std::size_t issued = 0;   // operations this client invoked
  boost::json::value read;  // what the register held at the linearization point
};

}  // namespace

void generate_register_history(const RegisterHistoryOptions& o,
                               const std::function<void(const Operation&)>& emit) {
  if (o.processes == 0 || o.keys == 0) {
    throw std::invalid_argument("register history needs at least one process and one key");
  }
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // Latency 0.1-2 ms, think time 0-1 ms: with 50 clients, ~25 operations overlap.
  std::uniform_int_distribution<std::int64_t> latency(100'000, 2'000'000);
  std::uniform_int_distribution<std::int64_t> think(0, 1'000'000);
  std::uniform_int_distribution<std::size_t> key_of(0, o.keys - 1);
  std::uniform_int_distribution<std::int64_t> small_value(0, 4);

  std::vector<boost::json::value> registers(o.keys);  // nil; grows as keys rotate
  std::vector<std::int64_t> next_value(o.keys, 1);
  const bool rotate = o.ops_per_key > 0;
  const std::size_t quota = std::max<std::size_t>(1, o.keys * o.ops_per_key / o.processes);
  std::vector<InFlight> clients(o.processes);
  std::priority_queue<Scheduled, std::vector<Scheduled>, std::greater<>> queue;
  std::uint64_t seq = 0;
  for (std::size_t c = 0; c < o.processes; ++c) {
    clients[c].process = static_cast<std::int64_t>(c);
    queue.push({think(rng), seq++, c, Event::kInvoke});
  }

  std::size_t invoked = 0;
  std::int64_t index = 0;
  Operation op;
  auto emit_op = [&](OpType type, const InFlight& f, std::int64_t time, boost::json::value value) {
    op.index = index++;
    op.type = type;
    op.process = f.process;
    op.f = f.write ? "write" : "read";
    op.key = o.keys > 1 || rotate
                 ? std::optional<boost::json::value>(static_cast<std::int64_t>(f.key))
                 : std::nullopt;
    op.value = std::move(value);
    op.time = time;
    emit(op);
  };

  while (!queue.empty()) {
    Scheduled s = queue.top();
    queue.pop();
    InFlight& f = clients[s.client];
    switch (s.event) {
      case Event::kInvoke: {
        if (invoked == o.ops) break;  // this client is done
        ++invoked;
        f.key = key_of(rng);
        if (rotate) {
          f.key += (f.issued++ / quota) * o.keys;
          if (f.key >= registers.size()) {
            registers.resize(f.key + 1);
            next_value.resize(f.key + 1, 1);
          }
        }
        f.write = unit(rng) >= o.read_fraction;
        f.info = unit(rng) < o.info_fraction;
        f.effective = !f.info || unit(rng) < 0.5;
        if (f.write) f.written = o.distinct_values ? next_value[f.key]++ : small_value(rng);
        emit_op(OpType::kInvoke, f, s.time,
                f.write ? boost::json::value(f.written) : boost::json::value(nullptr));
        std::int64_t length = latency(rng);
        if (f.effective) {
          std::int64_t at = s.time + 1 + static_cast<std::int64_t>(unit(rng) * (length - 2));
          queue.push({at, seq++, s.client, Event::kTakeEffect});
        }
        queue.push({s.time + length, seq++, s.client, Event::kComplete});
        break;
      }
      case Event::kTakeEffect:
        if (f.write) {
          registers[f.key] = f.written;
        } else {
          f.read = registers[f.key];
        }
        break;
      case Event::kComplete: {
        boost::json::value value = f.write  ? boost::json::value(f.written)
                                   : f.info ? boost::json::value(nullptr)
                                            : f.read;
        emit_op(f.info ? OpType::kInfo : OpType::kOk, f, s.time, std::move(value));
        // Jepsen retires a process after `info`; a fresh id continues its work.
        if (f.info) f.process += static_cast<std::int64_t>(o.processes);
        queue.push({s.time + think(rng), seq++, s.client, Event::kInvoke});
        break;
      }
    }
  }
}

History generate_register_history(const RegisterHistoryOptions& options) {
  History history;
  history.source = "generated";
  history.ops.reserve(2 * options.ops);
  generate_register_history(options, [&](const Operation& op) { history.ops.push_back(op); });
  return history;
}

}  // namespace faultline
