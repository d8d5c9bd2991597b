#include "reports/compare_answers.h"

#include <cmath>
#include <cstdio>
#include <optional>

namespace faultline {
namespace {

const boost::json::value kNull;

const boost::json::value& at(const boost::json::value& v, std::initializer_list<const char*> path) {
  const boost::json::value* cur = &v;
  for (const char* name : path) {
    const auto* o = cur->if_object();
    const auto* next = o ? o->if_contains(name) : nullptr;
    if (!next) return kNull;
    cur = next;
  }
  return *cur;
}

std::optional<double> num(const boost::json::value& v) {
  if (!v.is_number()) return std::nullopt;
  return v.to_number<double>();
}

std::string mode_of(const boost::json::value& m) {
  const auto& v = at(m, {"mode"});
  return v.is_string() ? std::string(v.get_string()) : "this mode";
}

std::string format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string percent_text(double fraction) {
  double p = fraction * 100;
  if (p > 0 && p < 0.1) return format("%.2f%%", p);
  if (p < 100 && p > 99.95) return format("%.2f%%", p);
  return format("%.1f%%", p);
}

std::string count_text(double n) {
  return format("%.0f", n);
}

std::string plural(double n, const char* one, const char* many) {
  return count_text(n) + " " + (n == 1 ? one : many);
}

// "partitions", "kills", "faults (partition, clock)": the kinds of fault window a share fell in.
std::string kinds_text(const boost::json::value& kinds) {
  const auto* a = kinds.if_array();
  if (!a || a->empty()) return "fault windows";
  auto one = [](const std::string& k) {
    return k == "partition" || k == "kill" || k == "pause" ? k + "s" : k + " faults";
  };
  if (a->size() == 1 && a->at(0).is_string()) return one(std::string(a->at(0).get_string()));
  std::string list;
  for (const auto& k : *a)
    if (k.is_string()) list += (list.empty() ? "" : ", ") + std::string(k.get_string());
  return "faults (" + list + ")";
}

bool has_faults(const boost::json::value& m) {
  const auto* f = at(m, {"series", "faults"}).if_array();
  return f && !f->empty();
}

std::optional<double> stale_share(const boost::json::value& m) {
  auto reads = num(at(m, {"series", "staleness", "reads"}));
  auto stale = num(at(m, {"series", "staleness", "stale_reads"}));
  if (!reads || !stale || *reads == 0) return std::nullopt;
  return *stale / *reads;
}

PlainAnswer staleness_answer(const boost::json::value& m) {
  const std::string mode = mode_of(m);
  const auto& s = at(m, {"series", "staleness"});
  if (!s.is_object()) {
    const auto& note = at(m, {"series", "staleness_note"});
    return {"With " + mode + ", staleness was not measured" +
                (note.is_string() ? " (" + std::string(note.get_string()) + ")." : "."),
            {"staleness-cdf"}};
  }
  double reads = num(at(s, {"reads"})).value_or(0);
  double stale = num(at(s, {"stale_reads"})).value_or(0);
  if (reads == 0)
    return {"With " + mode + ", no ok read was recorded: staleness not measured.",
            {"staleness-cdf"}};
  if (stale == 0) {
    return {"With " + mode + ", no read was stale (0 of " + count_text(reads) + " reads).",
            {"staleness-cdf"}};
  }
  double max_ms = num(at(s, {"max_ms"})).value_or(0);
  double max_versions = num(at(s, {"max_versions"})).value_or(0);
  double inside = num(at(s, {"stale_in_faults"})).value_or(0);
  std::string where;
  if (!has_faults(m)) {
    where = "the run had no faults";
  } else if (inside == stale) {
    where = "all of it inside " + kinds_text(at(s, {"stale_fault_kinds"}));
  } else if (inside == 0) {
    where = "none of it inside a fault window";
  } else {
    where = percent_text(inside / stale) + " of it inside " +
            kinds_text(at(s, {"stale_fault_kinds"})) + ", the rest outside";
  }
  return {"With " + mode + ", " + percent_text(stale / reads) + " of reads were stale (" +
              count_text(stale) + " of " + count_text(reads) + "); the worst was " +
              duration_text(max_ms) + " and " + plural(max_versions, "version", "versions") +
              " behind; " + where + ".",
          {"staleness-cdf", "staleness-time"}};
}

// p99 latency of `m`'s ok reads when `reads`, else of all its ok operations.
std::optional<double> p99_of(const boost::json::value& m, bool reads) {
  if (reads) return num(at(m, {"series", "latency", "by_f", "read", "p99"}));
  if (num(at(m, {"series", "latency", "count"})).value_or(1) == 0) return std::nullopt;
  return num(at(m, {"summary", "latency_ms", "p99"}));
}

// `fresher` against `other`: p99 latency (of reads when both have ok reads) and time-weighted
// availability in faults. `strictly_fresher`: fresher had a smaller stale share; otherwise the
// sentence only sets the figures side by side.
PlainAnswer cost_answer(const boost::json::value& fresher, const boost::json::value& other,
                        bool strictly_fresher) {
  const std::string a = mode_of(fresher), b = mode_of(other);
  const bool reads = at(fresher, {"series", "latency", "by_f", "read"}).is_object() &&
                     at(other, {"series", "latency", "by_f", "read"}).is_object();
  const std::string what = reads ? "reads" : "operations";
  std::string text =
      strictly_fresher ? "Against " + b + ", " + a + " " + what + " " : a + " against " + b + ": ";
  auto pa = p99_of(fresher, reads), pb = p99_of(other, reads);
  if (!pa || !pb) {
    text += strictly_fresher ? "had p99 latency not measured" : "p99 latency not measured";
  } else {
    const double d = *pa - *pb;
    const std::string both = " (" + duration_text(*pa) + " vs " + duration_text(*pb) + ")";
    if (duration_text(*pa) == duration_text(*pb)) {
      text += (strictly_fresher ? "cost nothing at p99" : "the same p99 latency of " + what) + both;
    } else if (d > 0) {
      text += (strictly_fresher ? "cost +" : "p99 latency of " + what + " higher by ") +
              duration_text(d) + (strictly_fresher ? " at p99" : "") + both;
    } else {
      text += (strictly_fresher ? "were " : "p99 latency of " + what + " lower by ") +
              duration_text(-d) + (strictly_fresher ? " faster at p99" : "") + both;
    }
  }
  auto va = num(at(fresher, {"summary", "availability_in_faults"}));
  auto vb = num(at(other, {"summary", "availability_in_faults"}));
  std::vector<std::string> plots = {"latency-cdf", "latency-time"};
  if (!has_faults(fresher) || !has_faults(other)) {
    text += "; availability in faults not measured (no fault windows)";
  } else if (!va || !vb) {
    text += "; availability in faults not measured (no client wanted service in them)";
  } else {
    const std::string both =
        " (" + percent_text(*va) + " vs " + percent_text(*vb) + " of client time served)";
    if (percent_text(*va) == percent_text(*vb) || *va > *vb) {
      text += strictly_fresher ? "; " + a + " lost no availability in faults here" + both
                               : "; availability in faults" + both;
    } else {
      text += "; " + a + " lost " + format("%.1f", (*vb - *va) * 100) +
              " points of availability in faults" + both;
    }
    auto ra = num(at(fresher, {"summary", "availability_by_f_in_faults", "read"}));
    auto rb = num(at(other, {"summary", "availability_by_f_in_faults", "read"}));
    if (ra && rb && percent_text(*ra) != percent_text(*rb)) {
      text += "; clients that wanted to read were served " + percent_text(*ra) + " vs " +
              percent_text(*rb) + " of the time in faults";
    }
    plots.push_back("availability-time");
  }
  return {text + ".", plots};
}

PlainAnswer convergence_answer(const boost::json::value& m) {
  const std::string mode = mode_of(m);
  const auto& c = at(m, {"series", "convergence"});
  if (!c.is_object()) {
    const auto& note = at(m, {"series", "convergence_note"});
    return {"With " + mode + ", convergence was not measured" +
                (note.is_string() ? " (" + std::string(note.get_string()) + ")." : "."),
            {"convergence"}};
  }
  double keys = num(at(c, {"keys"})).value_or(0);
  double bad = num(at(c, {"not_converged"})).value_or(0);
  double late = num(at(c, {"timed_out"})).value_or(0);
  double timeout = num(at(c, {"timeout_s"})).value_or(0);
  const auto* times = at(c, {"ms"}).if_array();
  // H of checker/convergence/convergence.h: the last heal, else the first final read.
  const std::string from = at(m, {"series", "last_heal_ms"}).is_number()
                               ? "the last heal"
                               : "the first final read (no fault was healed)";
  if (bad > 0) {
    return {"With " + mode + ", " + count_text(bad) + " of " + plural(keys, "key", "keys") +
                " still disagreed between nodes after the final reads (up to " +
                format("%g", timeout) + " s after " + from + ").",
            {"convergence"}};
  }
  std::string worst = times && !times->empty() && times->back().is_number()
                          ? duration_text(times->back().to_number<double>())
                          : "an unmeasured time";
  std::string text = "With " + mode + ", " +
                     (keys == 1 ? std::string("the key") : "all " + count_text(keys) + " keys") +
                     " agreed on every node within " + worst + " of " + from;
  if (late > 0) text += " (" + count_text(late) + " later than " + format("%g", timeout) + " s)";
  return {text + ".", {"convergence"}};
}

}  // namespace

std::string duration_text(double ms) {
  double a = std::fabs(ms);
  if (a >= 1000) return format(a >= 10000 ? "%.1f s" : "%.2f s", ms / 1000);
  if (a >= 10) return format("%.0f ms", ms);
  if (a >= 1) return format("%.1f ms", ms);
  return format("%.2f ms", ms);
}

std::vector<PlainAnswer> plain_answers(const boost::json::array& modes) {
  std::vector<PlainAnswer> out;
  bool any_faults = false;
  for (const auto& m : modes) any_faults = any_faults || has_faults(m);
  if (!modes.empty() && !any_faults) {
    out.push_back(
        {"No fault was injected in these runs, so nothing here was measured inside "
         "faults.",
         {"availability-time"}});
  }
  for (const auto& m : modes) out.push_back(staleness_answer(m));
  if (modes.size() >= 2) {
    // The freshest mode (smallest measured stale share; the first given on ties or when
    // staleness is not measured) against each of the others.
    std::size_t fresh = 0;
    for (std::size_t i = 1; i < modes.size(); ++i) {
      auto si = stale_share(modes[i]), sf = stale_share(modes[fresh]);
      if (si && (!sf || *si < *sf)) fresh = i;
    }
    for (std::size_t i = 0; i < modes.size(); ++i) {
      if (i == fresh) continue;
      auto sf = stale_share(modes[fresh]), si = stale_share(modes[i]);
      out.push_back(cost_answer(modes[fresh], modes[i], sf && si && *sf < *si));
    }
  }
  for (const auto& m : modes) out.push_back(convergence_answer(m));
  return out;
}

boost::json::array answers_to_json(const std::vector<PlainAnswer>& answers) {
  boost::json::array out;
  for (const auto& a : answers) {
    boost::json::array plots;
    for (const auto& p : a.plots) plots.emplace_back(p);
    out.push_back({{"text", a.text}, {"plots", std::move(plots)}});
  }
  return out;
}

}  // namespace faultline
