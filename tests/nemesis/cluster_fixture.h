#pragma once
// A local cluster of its own for each integration test, named uniquely (so tests running in
// parallel and a user's own cluster never meet), and taken down by the destructor even when
// the test fails: every namespace, process and the nemesis state directory go with it.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "nemesis/context.h"
#include "nemesis/fault.h"
#include "remote/local_cluster.h"
#include "remote/node_set.h"

namespace faultline::nemesis::testing {

class ScopedCluster {
 public:
  ScopedCluster(std::string name, int nodes) : name_(std::move(name)) {
    file_ = remote::cluster_up({name_, nodes, {}});
  }
  ~ScopedCluster() {
    try {
      remote::cluster_down(name_);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cluster_down(" << name_ << "): " << e.what();
    }
    std::error_code ec;
    std::filesystem::remove_all("/run/faultline/nemesis/" + name_, ec);
  }
  ScopedCluster(const ScopedCluster&) = delete;
  ScopedCluster& operator=(const ScopedCluster&) = delete;

  const std::string& name() const { return name_; }
  const remote::NodesFile& file() const { return file_; }

 private:
  std::string name_;
  remote::NodesFile file_;
};

// "nm<pid>-<tag>": a valid cluster name (lowercase, digits, '-').
inline std::string cluster_name(const std::string& tag) {
  return "nm" + std::to_string(::getpid() % 100000) + "-" + tag;
}

class NemesisTest : public ::testing::Test {
 protected:
  void bring_up(const std::string& tag, int nodes, NemesisHooks hooks = {}) {
    cluster_ = std::make_unique<ScopedCluster>(cluster_name(tag), nodes);
    nodes_ = std::make_unique<remote::NodeSet>(cluster_->file().nodes);
    context_ = std::make_unique<NemesisContext>(
        *nodes_, [this](Operation op) {
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
