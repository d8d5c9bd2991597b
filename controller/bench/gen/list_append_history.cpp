#include "controller/bench/gen/list_append_history.h"

#include <random>
#include <unordered_map>
#include <vector>

namespace faultline {
namespace {

struct Client {
  std::int64_t process = 0;
  bool busy = false;
  boost::json::array mops;  // the invocation's micro-ops (reads hold nil)
};

class Generator {
 public:
  explicit Generator(const ListAppendGenOptions& o) : o_(o), rng_(o.seed) {
    for (int k = 0; k < o.active_keys; ++k) window_.push_back(next_key_++);
    for (int p = 0; p < o.processes; ++p) {
      clients_.emplace_back();
      clients_.back().process = p;
    }
  }

  History run() {
    History h;
    h.source = "generated";
    h.ops.reserve(o_.txns * 2 + 16);
    std::size_t invoked = 0, in_flight = 0;
    std::uniform_int_distribution<int> pick(0, o_.processes - 1);
    while (invoked < o_.txns || in_flight > 0) {
      Client& c = clients_[static_cast<std::size_t>(pick(rng_))];
      if (!c.busy) {
        if (invoked == o_.txns) continue;
        c.mops = plan();
        emit(h, c.process, OpType::kInvoke, c.mops);
        c.busy = true;
        ++invoked;
        ++in_flight;
        continue;
      }
      complete(h, c);
      c.busy = false;
      --in_flight;
    }
    return h;
  }

 private:
  boost::json::array plan() {
    std::uniform_int_distribution<int> length(o_.min_mops, o_.max_mops);
    std::uniform_int_distribution<std::size_t> key_at(0, window_.size() - 1);
    boost::json::array mops;
    for (int n = length(rng_); n > 0; --n) {
      const std::int64_t key = window_[key_at(rng_)];
      if (unit_(rng_) < o_.read_fraction) {
        mops.push_back(boost::json::array{"r", key, nullptr});
      } else {
        mops.push_back(boost::json::array{"append", key, ++next_value_[key]});
        if (++planned_writes_[key] == o_.max_writes_per_key) retire(key);
      }
    }
    return mops;
  }

  void retire(std::int64_t key) {
    for (auto& k : window_) {
      if (k == key) k = next_key_++;
    }
  }

  void complete(History& h, Client& c) {
    const double roll = unit_(rng_);
    if (roll < o_.fail_fraction) {
      emit(h, c.process, OpType::kFail, c.mops);
      return;
    }
    const bool info = roll < o_.fail_fraction + o_.info_fraction;
    const bool apply = !info || unit_(rng_) < 0.5;
    boost::json::array done;
    for (const auto& mop : c.mops) {
      const auto& m = mop.get_array();
      const std::int64_t key = m[1].get_int64();
      std::vector<std::int64_t>& list = store_[key];
      if (m[0].get_string() == "append") {
        if (apply) list.push_back(m[2].get_int64());
        done.push_back(mop);
        continue;
      }
      std::size_t n = list.size();
      if (n > 0 && unit_(rng_) < o_.stale_read_fraction) --n;
      boost::json::array read;
      read.reserve(n);
      for (std::size_t i = 0; i < n; ++i) read.push_back(list[i]);
      done.push_back(boost::json::array{"r", key, std::move(read)});
    }
    if (info) {
      emit(h, c.process, OpType::kInfo, c.mops);
      c.process += o_.processes;  // Jepsen: a crashed process never invokes again
    } else {
      emit(h, c.process, OpType::kOk, std::move(done));
    }
  }

  void emit(History& h, std::int64_t process, OpType type, boost::json::array value) {
    Operation op;
    op.index = static_cast<std::int64_t>(h.ops.size());
    op.time = op.index;
    op.type = type;
    op.process = process;
    op.f = "txn";
    op.value = std::move(value);
    op.line = h.ops.size() + 1;
    h.ops.push_back(std::move(op));
  }

  const ListAppendGenOptions& o_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
  std::vector<Client> clients_;
  std::vector<std::int64_t> window_;
  std::int64_t next_key_ = 0;
  std::unordered_map<std::int64_t, std::int64_t> next_value_;
  std::unordered_map<std::int64_t, int> planned_writes_;
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> store_;
};

}  // namespace

History generate_list_append_history(const ListAppendGenOptions& options) {
  return Generator(options).run();
}

}  // namespace faultline
