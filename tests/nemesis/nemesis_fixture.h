#pragma once
// The nemesis tests' fixture: a local cluster of the test's own (tests/support/local_cluster.h),
// its nodes and a NemesisContext recording into ops_; healed, then taken down, by the
// destructor even when the test fails.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "nemesis/context.h"
#include "nemesis/fault.h"
#include "remote/node_set.h"
#include "tests/support/local_cluster.h"

namespace faultline::nemesis::testing {

using faultline::testing::ScopedCluster;
using faultline::testing::unique_cluster_name;

class NemesisTest : public ::testing::Test {
 protected:
  void bring_up(const std::string& tag, int nodes, NemesisHooks hooks = {}) {
    cluster_ = std::make_unique<ScopedCluster>(unique_cluster_name(tag), nodes);
    nodes_ = std::make_unique<remote::NodeSet>(cluster_->file().nodes);
    context_ = std::make_unique<NemesisContext>(
        *nodes_,
        [this](Operation op) {
          std::lock_guard lock(mutex_);
          ops_.push_back(std::move(op));
        },
        std::move(hooks));
  }

  ~NemesisTest() override {
    // Heal before the cluster goes (the cluster would take the rules with it anyway).
    if (context_) {
      try {
        heal_all(*context_);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "heal: " << e.what();
      }
    }
    context_.reset();
    nodes_.reset();
    cluster_.reset();
  }

  remote::CommandResult on(const std::string& node, remote::Command command) {
    return nodes_->session(node).exec(command);
  }
  std::string address(const std::string& node) { return nodes_->node(node).host; }
  std::vector<std::string> names() const { return nodes_->names(); }

  std::unique_ptr<ScopedCluster> cluster_;
  std::unique_ptr<remote::NodeSet> nodes_;
  std::unique_ptr<NemesisContext> context_;
  std::mutex mutex_;
  std::vector<Operation> ops_;
};

}  // namespace faultline::nemesis::testing
