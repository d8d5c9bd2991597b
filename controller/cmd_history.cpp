// `faultline history stats|convert`: read a history in any supported format, summarise
// it, or rewrite it as faultline's JSONL (docs/history-format.md).

#include <CLI/CLI.hpp>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "checker/history/history.h"
#include "checker/history/history_stats.h"
#include "checker/history/independent.h"
#include "checker/history/jsonl.h"
#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"

namespace faultline {
namespace {

constexpr const char* kFormatHelp =
    "Input format: jsonl, edn, porcupine-etcd or porcupine-kv (default: detected from the "
    "first lines)";
constexpr const char* kIndependentHelp =
    "Split every client value [k v] into key k and value v (Jepsen `independent` histories "
    "written without #jepsen.independent.Tuple tags)";

// Options every history subcommand reads its input with.
struct InputOptions {
  std::string file, format;
  bool independent = false;
};

void add_input_options(CLI::App* cmd, InputOptions& o) {
  cmd->add_option("FILE", o.file, "History file ('-' for stdin)")->required();
  cmd->add_option("--format", o.format, kFormatHelp);
  cmd->add_flag("--independent", o.independent, kIndependentHelp);
}

std::optional<HistoryFormat> format_option(const std::string& name) {
  if (name.empty()) return std::nullopt;
  auto format = parse_history_format(name);
  if (!format) {
    throw UsageError("unknown --format '" + name +
                     "' (expected jsonl, edn, porcupine-etcd or porcupine-kv)");
  }
  return format;
}

History load_history(const InputOptions& o) {
  auto format = format_option(o.format);
  History history;
  if (o.file == "-" && !format) {
    // Detection rewinds its input, which a pipe cannot do: buffer stdin first.
    std::stringstream buffered;
    buffered << std::cin.rdbuf();
    history = read_history(buffered, "-", std::nullopt);
  } else {
    history = read_history(o.file, format);
  }
  if (o.independent) split_independent_pairs(history);
  return history;
}

std::string format_duration(std::int64_t ns) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3);
  if (ns < 1'000) {
    out << ns << " ns";
  } else if (ns < 1'000'000) {
    out << static_cast<double>(ns) / 1e3 << " us";
  } else if (ns < 1'000'000'000) {
    out << static_cast<double>(ns) / 1e6 << " ms";
  } else {
    out << static_cast<double>(ns) / 1e9 << " s";
  }
  return out.str();
}

void print_stats(const History& history, const HistoryStats& s, std::ostream& out) {
  out << history.source << " (" << to_string(history.format) << "): " << s.records << " records, "
      << s.client_operations << " client operations, " << s.nemesis_operations
      << " nemesis operations\n\n";
  std::size_t width = 5;
  for (const auto& [f, c] : s.by_f) width = std::max(width, f.size());
  auto row = [&](const std::string& f, const OpCounts& c) {
    out << "  " << std::left << std::setw(static_cast<int>(width)) << f << std::right
        << std::setw(8) << c.invoke << std::setw(8) << c.ok << std::setw(8) << c.fail
        << std::setw(8) << c.info << std::setw(9) << c.unknown << '\n';
  };
  out << "  " << std::left << std::setw(static_cast<int>(width)) << "f" << std::right
      << std::setw(8) << "invoke" << std::setw(8) << "ok" << std::setw(8) << "fail" << std::setw(8)
      << "info" << std::setw(9) << "unknown" << '\n';
  for (const auto& [f, c] : s.by_f) row(f, c);
  row("total", s.total);
  out << "  (unknown: invoked, never completed)\n\n";
  out << "client processes:   " << s.client_processes << '\n';
  out << "max concurrency:    " << s.max_concurrency << " client operations in flight\n";
  out << "unknown outcome:    " << s.unknown_outcomes << " (" << s.total.info << " info, "
      << s.total.unknown << " never completed)\n";
  if (s.reused_after_info > 0) {
    out << "reused processes:   " << s.reused_after_info
        << " invocations by a process after its info\n";
  }
  out << "time span:          "
      << (s.time_span_ns ? format_duration(*s.time_span_ns) : "no times recorded") << '\n';
  out << "keys:               " << (s.keys ? std::to_string(*s.keys) : "none") << '\n';
}

void add_stats(CLI::App* history, CommandAction& action) {
  struct Options {
    InputOptions input;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* stats = history->add_subcommand(
      "stats",
      "Summarise a history: operations by f and type, processes, max concurrency, "
      "unknown outcomes, time span, keys");
  stats->footer(
      "Examples:\n"
      "  faultline history stats ../shared/histories/porcupine/jepsen/etcd_002.log\n"
      "  faultline history stats run/history.jsonl --json\n"
      "Exit codes: 0 read fine, 64 usage, 65 malformed history (FILE:LINE:COL on stderr), "
      "66 file missing.");
  add_input_options(stats, o->input);
  stats->add_flag("--json", o->json, "Print one JSON object instead of a table");
  stats->callback([o, &action] {
    action = [o = *o] {
      History history = load_history(o.input);
      HistoryStats s = compute_stats(history);
      if (o.json) {
        boost::json::object out = to_json(s);
        out["file"] = history.source;
        out["format"] = to_string(history.format);
        std::cout << boost::json::serialize(out) << '\n';
      } else {
        print_stats(history, s, std::cout);
      }
      return kExitValid;
    };
  });
}

void add_convert(CLI::App* history, CommandAction& action) {
  struct Options {
    InputOptions input;
    std::string to = "jsonl", output;
  };
  auto o = std::make_shared<Options>();
  auto* convert = history->add_subcommand(
      "convert", "Convert a history (any supported format) to faultline's JSONL");
  convert->footer(
      "Examples:\n"
      "  faultline history convert history.edn --to jsonl -o history.jsonl\n"
      "  faultline history convert etcd_002.log --format porcupine-etcd | head\n"
      "Exit codes: 0 converted, 64 usage, 65 malformed history (FILE:LINE:COL on stderr), "
      "66 file missing.");
  add_input_options(convert, o->input);
  convert->add_option("--to", o->to, "Output format (jsonl)")->check(CLI::IsMember({"jsonl"}));
  convert->add_option("-o,--output", o->output, "Write here instead of stdout");
  convert->callback([o, &action] {
    action = [o = *o] {
      History history = load_history(o.input);
      if (o.output.empty()) {
        write_jsonl(history, std::cout);
        if (!std::cout) throw std::runtime_error("writing to stdout failed");
        return kExitValid;
      }
      std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
      if (!out) throw UsageError("cannot write " + o.output);
      write_jsonl(history, out);
      if (!out) throw std::runtime_error("writing " + o.output + " failed");
      return kExitValid;
    };
  });
}

}  // namespace

void add_history_commands(CLI::App& app, CommandAction& action) {
  auto* history = app.add_subcommand("history", "Read, summarise and convert histories");
  history->require_subcommand(1);
  history->footer(
      "Formats: jsonl (faultline's own), edn (Jepsen history.edn), porcupine-etcd, "
      "porcupine-kv; see docs/history-format.md.");
  add_stats(history, action);
  add_convert(history, action);
}

}  // namespace faultline
