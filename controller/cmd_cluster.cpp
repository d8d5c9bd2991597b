// `faultline cluster up|status|down|bench`: the local cluster of network namespaces
// (remote/local_cluster.h) that stands in for machines.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "remote/errors.h"
#include "remote/local_cluster.h"
#include "remote/node_set.h"

namespace faultline {
namespace {

struct ClusterOptions {
  std::string name = "faultline";
  std::string dir;
  int nodes = 5;
  int rounds = 50;
};

void add_cluster_identity(CLI::App* command, ClusterOptions& options) {
  command
      ->add_option("--name", options.name,
                   "Cluster name: prefixes its namespaces and devices, so clusters coexist")
      ->capture_default_str();
  command->add_option("--dir", options.dir,
                      "State directory (default /var/lib/faultline/clusters/NAME)");
}

// Lower-layer failures that are the machine's, not faultline's: a usage error when the
// configuration is wrong, "unavailable" when the machine cannot do it.
template <typename F>
int translating_cluster_errors(F&& body) {
  try {
    return body();
  } catch (const remote::ConfigError& e) {
    throw UsageError(e.what());
  } catch (const remote::RemoteError&) {
    throw;
  } catch (const UsageError&) {
    throw;
  } catch (const UnavailableError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw UnavailableError(e.what());
  }
}

std::string seconds(std::chrono::steady_clock::duration d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", std::chrono::duration<double>(d).count());
  return text;
}

int cluster_up_command(const ClusterOptions& o) {
  auto start = std::chrono::steady_clock::now();
  remote::NodesFile file = remote::cluster_up({o.name, o.nodes, o.dir});
  std::cout << "cluster " << o.name << ": " << file.nodes.size() << " nodes up in "
            << seconds(std::chrono::steady_clock::now() - start) << " (" << file.subnet << ")\n";
  for (const auto& node : file.nodes) {
    std::cout << "  " << node.name << "  " << node.host << "  netns " << node.netns << '\n';
  }
  std::cout << "nodes file: " << file.dir << "/nodes.json\n";
  return kExitValid;
}

int cluster_status_command(const ClusterOptions& o) {
  remote::ClusterStatus status = remote::cluster_status(o.name, o.dir);
  if (!status.exists) {
    std::cout << "cluster " << o.name << ": not running\n";
    return kExitUnavailable;
  }
  std::cout << "cluster " << o.name << ": " << (status.healthy() ? "up" : "DEGRADED") << " ("
            << status.nodes.size() << " nodes" << (status.subnet.empty() ? "" : ", ")
            << status.subnet << ", bridge " << remote::cluster_bridge_name(o.name)
            << (status.bridge_exists ? "" : " MISSING") << ", dir " << status.dir.string() << ")\n";
  for (const auto& node : status.nodes) {
    std::cout << "  " << node.name << "  " << (node.address.empty() ? "?" : node.address)
              << "  netns " << node.netns << (node.namespace_exists ? "" : " MISSING") << "  sshd "
              << (node.sshd_running ? "pid " + std::to_string(node.sshd_pid) : std::string("DOWN"))
              << "  processes " << node.processes << '\n';
  }
  return status.healthy() ? kExitValid : kExitUnavailable;
}

int cluster_down_command(const ClusterOptions& o) {
  bool existed = remote::cluster_status(o.name, o.dir).exists;
  remote::cluster_down(o.name, o.dir);
  std::cout << "cluster " << o.name << ": " << (existed ? "removed" : "was not running") << '\n';
  return kExitValid;
}

// Parallel exec latency over reused sessions: what a nemesis pays to touch every node.
int cluster_bench_command(const ClusterOptions& o) {
  std::filesystem::path dir =
      o.dir.empty() ? remote::default_cluster_dir(o.name) : std::filesystem::path(o.dir);
  if (!std::filesystem::exists(dir / "nodes.json")) {
    throw UsageError("no local cluster '" + o.name + "' (" + (dir / "nodes.json").string() +
                     " is missing): run `faultline cluster up --name " + o.name + "` first");
  }
  remote::NodesFile file = remote::read_nodes_file(dir / "nodes.json");
  remote::NodeSet nodes(file.nodes);
  auto connect_start = std::chrono::steady_clock::now();
  nodes.connect_all();
  auto connect_time = std::chrono::steady_clock::now() - connect_start;
  remote::Command command{"true"};
  std::vector<double> millis;
  for (int round = 0; round < o.rounds; ++round) {
    auto start = std::chrono::steady_clock::now();
    nodes.run_all(command);
    millis.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(millis.begin(), millis.end());
  auto at = [&](double q) { return millis[static_cast<std::size_t>(q * (millis.size() - 1))]; };
  std::printf("connect %zu nodes (parallel): %.1f ms\n", file.nodes.size(),
              std::chrono::duration<double, std::milli>(connect_time).count());
  std::printf(
      "exec `true` on all %zu nodes in parallel, %d rounds: median %.1f ms, p90 %.1f ms, "
      "max %.1f ms\n",
      file.nodes.size(), o.rounds, at(0.5), at(0.9), millis.back());
  return kExitValid;
}

}  // namespace

void add_cluster_commands(CLI::App& app, CommandAction& action) {
  auto* cluster = app.add_subcommand(
      "cluster", "A local cluster of network namespaces with one sshd per node (needs root)");
  cluster->require_subcommand(1);
  auto options = std::make_shared<ClusterOptions>();

  auto* up = cluster->add_subcommand("up", "Create the cluster (replacing one of the same name)");
  add_cluster_identity(up, *options);
  up->add_option("--nodes", options->nodes, "Number of nodes (n1..nN)")
      ->capture_default_str()
      ->check(CLI::Range(1, 50));
  up->callback([options, &action] {
    action = [o = *options] {
      return translating_cluster_errors([&] { return cluster_up_command(o); });
    };
  });

  auto* status = cluster->add_subcommand(
      "status", "Show the cluster's nodes, namespaces and sshds (exit 0 if healthy, 69 if not)");
  add_cluster_identity(status, *options);
  status->callback([options, &action] {
    action = [o = *options] {
      return translating_cluster_errors([&] { return cluster_status_command(o); });
    };
  });

  auto* down = cluster->add_subcommand(
      "down", "Stop every process in the cluster and remove its namespaces, devices and files");
  add_cluster_identity(down, *options);
  down->callback([options, &action] {
    action = [o = *options] {
      return translating_cluster_errors([&] { return cluster_down_command(o); });
    };
  });

  auto* bench = cluster->add_subcommand(
      "bench", "Measure parallel exec latency on all nodes over reused SSH sessions");
  add_cluster_identity(bench, *options);
  bench->add_option("--rounds", options->rounds, "Rounds")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  bench->callback([options, &action] {
    action = [o = *options] {
      return translating_cluster_errors([&] { return cluster_bench_command(o); });
    };
  });
}

}  // namespace faultline
