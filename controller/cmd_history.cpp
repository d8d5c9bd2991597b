// `faultline history stats|convert`.

#include <fstream>
#include <iostream>

#include "checker/history/history.h"
#include "checker/history/jsonl.h"
#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"

namespace faultline {
namespace {

std::optional<HistoryFormat> format_option(const std::string& name) {
  if (name.empty()) return std::nullopt;
  auto format = parse_history_format(name);
  if (!format) {
    throw UsageError("unknown --format '" + name +
                     "' (expected jsonl, edn, porcupine-etcd or porcupine-kv)");
  }
  return format;
}

}  // namespace

void add_history_commands(CLI::App& app, CommandAction& action) {
  auto* history = app.add_subcommand("history", "Read, summarise and convert histories");
  history->require_subcommand(1);

  struct ConvertOptions {
    std::string file, to = "jsonl", format, output;
  };
  auto convert_opts = std::make_shared<ConvertOptions>();
  auto* convert = history->add_subcommand(
      "convert", "Convert a history (any supported format) to faultline's JSONL");
  convert->add_option("FILE", convert_opts->file, "History file ('-' for stdin)")->required();
  convert->add_option("--to", convert_opts->to, "Output format (jsonl)")
      ->check(CLI::IsMember({"jsonl"}));
  convert->add_option("--format", convert_opts->format,
                      "Force the input format: jsonl, edn, porcupine-etcd, porcupine-kv");
  convert->add_option("-o,--output", convert_opts->output, "Write here instead of stdout");
  convert->callback([convert_opts, &action] {
    action = [o = *convert_opts] {
      History history = read_history(o.file, format_option(o.format));
      if (o.output.empty()) {
        write_jsonl(history, std::cout);
      } else {
        std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
        if (!out) throw UsageError("cannot write " + o.output);
        write_jsonl(history, out);
        if (!out) throw std::runtime_error("writing " + o.output + " failed");
      }
      return kExitValid;
    };
  });
}

}  // namespace faultline
