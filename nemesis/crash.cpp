// The coordinated crash: SIGKILL the database's processes on every node at (nearly) the same
// instant, as a power failure of the whole cluster would, then -- when the fault stops --
// restart them all at once. Nothing is flushed on the way down, so a store that acknowledged
// writes it had not made durable (an fsync skipped, a flush left to a timer) loses them on
// every copy together, which a kill of one node at a time never shows.
//
// How "the same instant" is reached: the controller picks a wall-clock deadline kCrashLead
// ahead (long enough for its command to reach every node over the open SSH sessions), and
// each node finds its processes, writes the crash marker, sleeps until the deadline and only
// then sends SIGKILL. Each node reports the instant it sent the signal; the record carries
// them and their spread (on separate machines, as far as their clocks agree).
//
// The restart goes through restart_killed, like the kill fault's, with the crash marker:
// `faultline heal` restarts crashed nodes too.

#include <algorithm>

#include "nemesis/errors.h"
#include "nemesis/fault_kinds.h"
#include "nemesis/markers.h"
#include "nemesis/node_scripts.h"
#include "nemesis/process_scripts.h"
#include "nemesis/restart.h"

namespace faultline::nemesis {
namespace {

// A loaded controller's commands can take a few hundred ms to reach every node.
constexpr std::chrono::milliseconds kCrashLead{1000};

// $1 deadline (ns since the epoch), $2 pid file, $3 process name, $4 marker extra JSON fields.
// Prints "pids P..." and "killed_at NS".
constexpr std::string_view kCrashScript = R"SH(at=$1
pids=$(find_pids "$2" "$3" | tr ' ' '\n' | sort -un | tr '\n' ' ')
pids=${pids% }
if [ -z "$pids" ]; then echo "no process found (pid file '$2', name '$3')" >&2; exit 4; fi
mark crash "{\"pids\":[$(echo $pids | tr ' ' ',')]$4}"
now=$(date +%s%N)
wait=$((at - now))
if [ "$wait" -gt 0 ]; then
  sleep "$(printf '%d.%09d' $((wait / 1000000000)) $((wait % 1000000000)))"
fi
kill -s KILL $pids
echo "killed_at $(date +%s%N)"
echo "pids $pids"
)SH";

// The words after `key ` on the output's line that starts with it.
std::string field(const std::string& out, const std::string& key) {
  std::size_t at = 0;
  while (at < out.size()) {
    std::size_t end = out.find('\n', at);
    if (end == std::string::npos) end = out.size();
    if (out.compare(at, key.size() + 1, key + " ") == 0)
      return out.substr(at + key.size() + 1, end - at - key.size() - 1);
    at = end + 1;
  }
  return {};
}

boost::json::array words(const std::string& text) {
  boost::json::array out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(text.find(' ', at), text.size());
    if (end > at) out.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

class CrashFault : public Fault {
 public:
  explicit CrashFault(NemesisContext& context) : context_(context) {}

  FaultKind kind() const override { return FaultKind::kCrash; }

  void check() override {
    if (!context_.hooks().processes) {
      throw FaultRefused(
          "crash needs to know the database's processes and how to restart them: a database "
          "adapter, or --pid-file/--process and --restart");
    }
  }

  Operation start(std::mt19937_64&) override {
    check();
    const auto& control = *context_.hooks().processes;
    const auto deadline = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              (std::chrono::system_clock::now() + kCrashLead).time_since_epoch())
                              .count();
    NodeOutcomes outcomes = context_.run_scripts(context_.names(), [&](const remote::Node& node) {
      ProcessSelector selector = control.processes(node);
      auto restart = control.restart_command(node);
      std::string extra =
          ",\"restart\":" +
          (restart ? boost::json::serialize(json_strings(restart->argv)) : std::string("null"));
      return shell_command(
          std::string(kScriptPrelude) + std::string(kFindPidsFunction) + std::string(kCrashScript),
          {NemesisContext::state_dir(node), std::to_string(deadline), selector.pid_file,
           selector.process_name, extra});
    });
    boost::json::object per_node;
    long long first = 0, last = 0;
    bool any = false;
    for (const auto& [name, outcome] : outcomes) {
      if (!outcome.ok) continue;
      const std::string killed = field(outcome.out, "killed_at");
      boost::json::object entry{{"pids", words(field(outcome.out, "pids"))}};
      try {
        const long long at = std::stoll(killed);
        entry["killed_at_ms_after_deadline"] = static_cast<double>(at - deadline) / 1e6;
        first = any ? std::min(first, at) : at;
        last = any ? std::max(last, at) : at;
        any = true;
      } catch (const std::exception&) {
      }
      per_node[name] = std::move(entry);
    }
    boost::json::object value{{"signal", "SIGKILL"},
                              {"targets", json_strings(context_.names())},
                              {"nodes", std::move(per_node)}};
    if (any) value["spread_ms"] = static_cast<double>(last - first) / 1e6;
    Operation op = context_.record("start-crash", std::move(value), outcomes);
    throw_if_failed("start-crash", outcomes);
    return op;
  }

  Operation stop() override {
    RestartResult restarted = restart_killed(context_, context_.names(), "crash");
    Operation op = context_.record(
        "stop-crash", boost::json::object{{"restarted", json_strings(restarted.restarted)}},
        restarted.outcomes);
    throw_if_failed("stop-crash", restarted.outcomes);
    return op;
  }

 private:
  NemesisContext& context_;
};

}  // namespace

std::unique_ptr<Fault> make_crash_fault(const FaultOptions&, NemesisContext& context) {
  return std::make_unique<CrashFault>(context);
}

}  // namespace faultline::nemesis
