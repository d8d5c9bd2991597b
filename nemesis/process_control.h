#pragma once
// How the kill and pause faults find a database's processes on a node and start them again.
// Supplied by the database adapter (or built from command-line options for manual use).
//
// Processes are found by a pid file or by exact process name (the kernel's comm, as `pgrep -x`
// matches it); processes of other network namespaces are ignored, so on a local cluster a node
// never signals its neighbours' processes.

#include <optional>
#include <string>

#include "remote/command.h"
#include "remote/node.h"

namespace faultline::nemesis {

struct ProcessSelector {
  std::string pid_file;      // a file on the node holding the main pid; empty: unused
  std::string process_name;  // exact process name; empty: unused (at least one must be set)
};

class ProcessControl {
 public:
  virtual ~ProcessControl() = default;
  virtual ProcessSelector processes(const remote::Node& node) const = 0;
  // How to start the database again on `node` after a kill; nullopt: it cannot be restarted
  // (then stopping a kill fault is an error on that node).
  virtual std::optional<remote::Command> restart_command(const remote::Node& node) const = 0;
};

// The same selector and restart command on every node.
class FixedProcessControl : public ProcessControl {
 public:
  FixedProcessControl(ProcessSelector selector, std::optional<remote::Command> restart)
      : selector_(std::move(selector)), restart_(std::move(restart)) {}
  ProcessSelector processes(const remote::Node&) const override { return selector_; }
  std::optional<remote::Command> restart_command(const remote::Node&) const override {
    return restart_;
  }

 private:
  ProcessSelector selector_;
  std::optional<remote::Command> restart_;
};

}  // namespace faultline::nemesis
