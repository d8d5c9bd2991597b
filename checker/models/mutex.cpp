// mutex: a lock, initially free.
//
//   acquire   takes the lock; only when it is free
//   release   frees the lock; only when it is held
//
// Values are ignored (the lock does not track its owner). State: 0 free, 1 held.

#include <memory>

#include "checker/lin/model.h"

namespace faultline {
namespace {

class MutexModel final : public PartitionModel {
 public:
  int add(const ModelInput& in) override {
    if (in.f == "acquire" || in.f == "lock") {
      acquire_.push_back(true);
    } else if (in.f == "release" || in.f == "unlock") {
      acquire_.push_back(false);
    } else {
      throw ModelInputError("mutex model: unknown operation '" + in.f +
                            "' (expected acquire, release)");
    }
    return static_cast<int>(acquire_.size() - 1);
  }

  std::uint64_t initial() override { return 0; }

  void step(std::uint64_t state, int op, std::vector<std::uint64_t>& next) override {
    if (acquire_[op] && state == 0) next.push_back(1);
    if (!acquire_[op] && state == 1) next.push_back(0);
  }

  std::string describe_state(std::uint64_t state) const override { return state ? "held" : "free"; }
  std::string describe_op(int op) const override { return acquire_[op] ? "acquire" : "release"; }
  std::string why_rejects(std::uint64_t state, int op) const override {
    if (acquire_[op] && state == 1) return "acquire, but the lock is already held";
    if (!acquire_[op] && state == 0) return "release, but the lock is free";
    return "";
  }

 private:
  std::vector<bool> acquire_;
};

}  // namespace

std::unique_ptr<PartitionModel> make_mutex_model(const ModelConfig&) {
  return std::make_unique<MutexModel>();
}

}  // namespace faultline
