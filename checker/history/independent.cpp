#include "checker/history/independent.h"

namespace faultline {

void split_independent_pairs(History& history) {
  for (Operation& op : history.ops) {
    if (op.is_nemesis() || op.key) continue;
    auto* pair = op.value.if_array();
    if (pair == nullptr || pair->size() != 2) {
      throw InputError(history.source, op.line, 1,
                       "--independent: the value of " + op.f + " is not a [key value] pair: " +
                           boost::json::serialize(op.value).substr(0, 40));
    }
    boost::json::value key = std::move((*pair)[0]);
    boost::json::value value = std::move((*pair)[1]);
    op.key = std::move(key);
    op.value = std::move(value);
  }
}

}  // namespace faultline
