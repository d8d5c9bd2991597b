#pragma once
// The phases of one run, in the order Run::execute (runner.cpp) runs them:
//
//   Prepare           test.json; the database set up from scratch (DatabaseOnNodes); the
//                     history file and its recorder, which feeds the online check (online_run.h);
//                     the workload's setup operations; the adapter's watcher attached to the
//                     history (Database::attach_history)
//   ClientsAndFaults  client workers and the nemesis schedule (own thread) until the time
//                     limit, Ctrl-C or RunContext::stop (--stop-on-invalid: the online check's
//                     first proof); then no new fault, the clients finish their requests in
//                     flight (clients_and_faults.cpp)
//   Recover           waits for a healthy cluster when there were faults or final reads
//   FinalPhase        the workload's final phase (workloads/final_phase.h); closes the history
//   Check             the history read back from disk, checked; the online check finished
//                     beside it; results.json
//   Report            report.html; the verdict printed
//
// Between FinalPhase and Check the database is torn down (DatabaseOnNodes::tear_down); a
// failure in any phase before that still downloads the logs and tears it down.

#include "adapters/db.h"
#include "controller/run/run_context.h"

namespace faultline {

class RunPhase {
 public:
  virtual ~RunPhase() = default;
  virtual void run(RunContext& run) = 0;
};

// The database on the nodes. set_up() starts it; from then on it is torn down (its logs
// downloaded first) by tear_down(), or by the destructor when a phase failed, which logs
// rather than throws what goes wrong then.
class DatabaseOnNodes {
 public:
  explicit DatabaseOnNodes(RunContext& run) : run_(run) {}
  ~DatabaseOnNodes();
  DatabaseOnNodes(const DatabaseOnNodes&) = delete;
  DatabaseOnNodes& operator=(const DatabaseOnNodes&) = delete;

  void set_up();
  void tear_down();

 private:
  RunContext& run_;
  bool up_ = false;
};

class Prepare final : public RunPhase {
 public:
  explicit Prepare(DatabaseOnNodes& database) : database_(database) {}
  void run(RunContext& run) override;

 private:
  DatabaseOnNodes& database_;
};

class ClientsAndFaults final : public RunPhase {
 public:
  void run(RunContext& run) override;
};

class Recover final : public RunPhase {
 public:
  void run(RunContext& run) override;
};

class FinalPhase final : public RunPhase {
 public:
  void run(RunContext& run) override;
};

class Check final : public RunPhase {
 public:
  void run(RunContext& run) override;
};

class Report final : public RunPhase {
 public:
  void run(RunContext& run) override;
};

// test.json: the configuration, seed, nodes and the database's version ("" before setup).
void write_test_json(RunContext& run, const std::string& db_version);

}  // namespace faultline
