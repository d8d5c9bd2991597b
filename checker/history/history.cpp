#include "checker/history/history.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unordered_map>
#include <unordered_set>

namespace faultline {
namespace {

// The micro-op shape of a transaction value ([[f key v] ...] -> its [f key] pairs), or
// nullopt for any other value: a completion may end an invocation only if shapes agree.
std::optional<std::vector<std::pair<boost::json::value, boost::json::value>>> txn_shape(
    const boost::json::value& v) {
  const auto* mops = v.if_array();
  if (mops == nullptr) return std::nullopt;
  std::vector<std::pair<boost::json::value, boost::json::value>> shape;
  for (const auto& mop : *mops) {
    const auto* a = mop.if_array();
    if (a == nullptr || a->size() != 3 || !(*a)[0].is_string()) return std::nullopt;
    shape.emplace_back((*a)[0], (*a)[1]);
  }
  return shape;
}

bool may_complete(const Operation& invoke, const Operation& done) {
  if (invoke.f != done.f || invoke.key != done.key) return false;
  auto a = txn_shape(invoke.value), b = txn_shape(done.value);
  return !a || !b || *a == *b;
}

// Operations the source recorded without a process (Elle's histories) get one each: an
// invocation a new process, its completion the same one. A completion pairs with the one
// open process-less invocation it may end (same f, key and micro-op shape); with none, its
// invocation was not recorded and is inferred at the start of the history (invoked at an
// unknown time, so at the earliest); with several, the pairing is ambiguous and refused.
void assign_processes(History& history) {
  std::int64_t next = 0;
  bool any = false;
  for (const Operation& op : history.ops) {
    if (op.process_assigned)
      any = true;
    else if (!op.is_nemesis())
      next = std::max(next, op.process + 1);
  }
  if (!any) return;
  history.processes_known = false;
  std::vector<std::size_t> open;  // positions of process-less invocations in flight
  std::vector<Operation> inferred;
  for (std::size_t i = 0; i < history.ops.size(); ++i) {
    Operation& op = history.ops[i];
    if (!op.process_assigned) continue;
    if (op.is_invoke()) {
      op.process = next++;
      open.push_back(i);
      continue;
    }
    std::size_t found = open.size(), matches = 0;
    for (std::size_t k = 0; k < open.size(); ++k) {
      if (may_complete(history.ops[open[k]], op)) {
        found = k;
        ++matches;
      }
    }
    if (matches > 1) {
      throw InputError(history.source, op.line, 1,
                       "this completion has no \"process\", and " + std::to_string(matches) +
                           " operations without one that it may complete are in flight: give "
                           "operations a \"process\" so that they can be paired");
    }
    if (matches == 1) {
      op.process = history.ops[open[found]].process;
      open.erase(open.begin() + static_cast<std::ptrdiff_t>(found));
      continue;
    }
    Operation invoke;
    invoke.index = op.index;
    invoke.type = OpType::kInvoke;
    invoke.process_assigned = true;
    invoke.inferred_invoke = true;
    invoke.process = next++;
    invoke.f = op.f;
    invoke.key = op.key;
    invoke.value = op.value;
    invoke.line = op.line;
    op.process = invoke.process;
    inferred.push_back(std::move(invoke));
  }
  if (!inferred.empty()) {
    std::vector<Operation> ops;
    ops.reserve(inferred.size() + history.ops.size());
    std::move(inferred.begin(), inferred.end(), std::back_inserter(ops));
    std::move(history.ops.begin(), history.ops.end(), std::back_inserter(ops));
    history.ops = std::move(ops);
  }
}

// A process whose operations are all completions (Elle's test histories list only the
// `ok` operations, with a process) gets each invocation inferred right after the process's
// previous completion, or at the start of the history for its first: a process runs one
// operation at a time, so that is the earliest it can have been invoked. A process that
// recorded any invocation keeps the strict pairing (an orphan completion there is refused).
void infer_completion_only_invocations(History& history) {
  // The processes that recorded an invocation: a bitmap over process ids when they are
  // dense (they are, in every recorder's histories), else a hash set.
  std::int64_t max_process = -1;
  for (const Operation& op : history.ops) max_process = std::max(max_process, op.process);
  const bool dense = max_process < static_cast<std::int64_t>(4 * history.ops.size() + 1024);
  std::vector<bool> invoking_dense(dense ? static_cast<std::size_t>(max_process + 1) : 0);
  std::unordered_set<std::int64_t> invoking_sparse;
  auto invoking = [&](std::int64_t process) {
    return dense ? static_cast<bool>(invoking_dense[static_cast<std::size_t>(process)])
                 : invoking_sparse.count(process) > 0;
  };
  bool orphans = false;
  for (const Operation& op : history.ops) {
    if (op.is_nemesis() || op.process_assigned || op.inferred_invoke) continue;
    if (op.is_invoke()) {
      if (dense)
        invoking_dense[static_cast<std::size_t>(op.process)] = true;
      else
        invoking_sparse.insert(op.process);
    } else {
      orphans = true;
    }
  }
  if (!orphans) return;
  std::unordered_map<std::int64_t, std::size_t> last;       // process -> output position + 1
  std::vector<std::pair<std::size_t, Operation>> inferred;  // (insert before position, op)
  for (std::size_t i = 0; i < history.ops.size(); ++i) {
    const Operation& op = history.ops[i];
    if (op.is_nemesis() || op.process_assigned || op.inferred_invoke || op.is_invoke() ||
        invoking(op.process)) {
      continue;
    }
    Operation invoke;
    invoke.index = op.index;
    invoke.type = OpType::kInvoke;
    invoke.inferred_invoke = true;
    invoke.process = op.process;
    invoke.f = op.f;
    invoke.key = op.key;
    invoke.value = op.value;
    invoke.line = op.line;
    auto& at = last[op.process];
    inferred.emplace_back(at, std::move(invoke));
    at = i + 1;
  }
  if (inferred.empty()) return;  // every process recorded its invocations: nothing moves
  std::stable_sort(inferred.begin(), inferred.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Operation> ops;
  ops.reserve(history.ops.size() + inferred.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i <= history.ops.size(); ++i) {
    while (k < inferred.size() && inferred[k].first == i)
      ops.push_back(std::move(inferred[k++].second));
    if (i < history.ops.size()) ops.push_back(std::move(history.ops[i]));
  }
  history.ops = std::move(ops);
}

std::size_t value_bytes(const boost::json::value& v);

std::size_t object_bytes(const boost::json::object& o) {
  std::size_t n = o.capacity() * (sizeof(boost::json::key_value_pair) + 8) + 32;
  for (const auto& [k, x] : o) n += k.size() + value_bytes(x);
  return n;
}

std::size_t value_bytes(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string: {
      const auto& s = v.get_string();
      return s.size() > 14 ? s.capacity() + 1 : 0;
    }
    case boost::json::kind::array: {
      std::size_t n = v.get_array().capacity() * sizeof(boost::json::value) + 16;
      for (const auto& x : v.get_array()) n += value_bytes(x);
      return n;
    }
    case boost::json::kind::object:
      return object_bytes(v.get_object());
    default:
      return 0;
  }
}

}  // namespace

std::size_t history_memory_bytes(const History& history) {
  std::size_t n = history.ops.capacity() * sizeof(Operation);
  for (const Operation& op : history.ops) {
    n += value_bytes(op.value);
    if (op.key) n += value_bytes(*op.key);
    if (op.error) n += value_bytes(*op.error);
    if (!op.extra.empty()) n += object_bytes(op.extra);
  }
  return n;
}

std::string_view to_string(HistoryFormat format) {
  switch (format) {
    case HistoryFormat::kJsonl:
      return "jsonl";
    case HistoryFormat::kEdn:
      return "edn";
    case HistoryFormat::kPorcupineEtcd:
      return "porcupine-etcd";
    case HistoryFormat::kPorcupineKv:
      return "porcupine-kv";
  }
  return "?";
}

std::optional<HistoryFormat> parse_history_format(std::string_view name) {
  if (name == "jsonl") return HistoryFormat::kJsonl;
  if (name == "edn") return HistoryFormat::kEdn;
  if (name == "porcupine-etcd") return HistoryFormat::kPorcupineEtcd;
  if (name == "porcupine-kv") return HistoryFormat::kPorcupineKv;
  return std::nullopt;
}

namespace {

// Asks the kernel to back a large, untouched buffer with transparent huge pages (where it
// is set to `madvise`): reading a big history then takes a page fault per 2 MiB instead of
// per 4 KiB, which was a third of the time spent reading. Only whole huge pages inside
// the buffer are advised; failure changes nothing but speed.
void advise_huge_pages(void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHuge = std::uintptr_t{1} << 21;
  if (bytes < 2 * kHuge) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// Reads into history.ops, which holds room for `expected` operations (a hint: more may
// come). Each operation is read in place, never moved while the hint holds; room left over
// is given back when it is more than a few percent (a Porcupine log is mostly noise lines).
History read_history_into(std::istream& in, const std::string& name,
                          std::optional<HistoryFormat> format, std::size_t expected) {
  History history;
  history.source = name;
  history.format = format ? *format : detect_format(in, name);
  auto reader = make_reader(history.format, in, name);
  history.ops.reserve(expected);
  advise_huge_pages(history.ops.data(), history.ops.capacity() * sizeof(Operation));
  for (;;) {
    Operation& op = history.ops.emplace_back();
    if (!reader->next(op)) {
      history.ops.pop_back();
      break;
    }
    if (op.index < 0) op.index = static_cast<std::int64_t>(history.ops.size() - 1);
  }
  if (history.ops.capacity() > history.ops.size() + history.ops.size() / 32 + 16) {
    history.ops.shrink_to_fit();
  }
  assign_processes(history);
  infer_completion_only_invocations(history);
  return history;
}

// About how many lines a regular file of `size` bytes has, 2% over: an upper bound of the
// operations of every line-oriented format, and the count of a one-map-per-line EDN history.
// A file of up to 256 KiB is counted; a larger one is estimated from 16 samples of 16 KiB
// spread over it (the lines of a history grow longer as its indices and times grow), so
// the file is read once, not twice. An estimate short of the truth only costs the vector
// a reallocation.
std::size_t estimate_lines(const std::string& path, std::uintmax_t size) {
  constexpr std::size_t kSamples = 16;
  constexpr std::size_t kSample = 16 << 10;
  std::ifstream in(path, std::ios::binary);
  std::vector<char> block(kSample);
  const bool whole = size <= kSamples * kSample;
  std::size_t lines = 0;
  std::size_t bytes = 0;
  for (std::size_t i = 0; in && (whole || i < kSamples); ++i) {
    if (!whole) in.seekg(static_cast<std::streamoff>((size - kSample) / (kSamples - 1) * i));
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    lines += static_cast<std::size_t>(std::count(block.data(), block.data() + got, '\n'));
    bytes += got;
    if (got == 0) break;
  }
  if (whole || bytes == 0) return lines + 1;
  const double estimate =
      static_cast<double>(size) * static_cast<double>(lines) / static_cast<double>(bytes);
  return static_cast<std::size_t>(estimate * 1.02) + 64;
}

}  // namespace

History read_history(std::istream& in, const std::string& name,
                     std::optional<HistoryFormat> format) {
  return read_history_into(in, name, format, 0);
}

History read_history(const std::string& path, std::optional<HistoryFormat> format) {
  if (path == "-") return read_history(std::cin, "-", format);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputMissing(path + ": cannot open history file");
  // Only a regular file can be sampled ahead: a pipe (`<(...)`, /dev/stdin) is read once.
  std::error_code ec;
  const bool regular = std::filesystem::is_regular_file(path, ec);
  const std::uintmax_t size = regular ? std::filesystem::file_size(path, ec) : 0;
  return read_history_into(in, path, format, regular && !ec ? estimate_lines(path, size) : 0);
}

}  // namespace faultline
