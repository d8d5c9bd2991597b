#include "controller/run/run_store.h"

#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace faultline {
namespace fs = std::filesystem;

std::string local_time(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[64];
  return std::string(text, std::strftime(text, sizeof text, format, &local));
}

namespace {

void pretty(const boost::json::value& v, std::string& out, int depth) {
  auto indent = [&](int d) { out.append(static_cast<std::size_t>(2 * d), ' '); };
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [k, x] : v.get_object()) {
      if (!first) out += ",\n";
      first = false;
      indent(depth + 1);
      out += boost::json::serialize(boost::json::value(k));
      out += ": ";
      pretty(x, out, depth + 1);
    }
    out += '\n';
    indent(depth);
    out += '}';
  } else if (v.is_array() && !v.get_array().empty()) {
    // Arrays of scalars stay on one line.
    bool scalars = true;
    for (const auto& x : v.get_array()) scalars = scalars && !x.is_object() && !x.is_array();
    if (scalars) {
      out += boost::json::serialize(v);
      return;
    }
    out += "[\n";
    bool first = true;
    for (const auto& x : v.get_array()) {
      if (!first) out += ",\n";
      first = false;
      indent(depth + 1);
      pretty(x, out, depth + 1);
    }
    out += '\n';
    indent(depth);
    out += ']';
  } else {
    out += boost::json::serialize(v);
  }
}

}  // namespace

std::string pretty_json(const boost::json::value& value) {
  std::string out;
  pretty(value, out, 0);
  out += '\n';
  return out;
}

RunStore RunStore::create(const fs::path& root, const std::string& test_name) {
  std::error_code ec;
  fs::path base = root / test_name;
  fs::create_directories(base, ec);
  if (ec) throw std::runtime_error("cannot create " + base.string() + ": " + ec.message());
  std::string stamp = local_time(kRunStamp);
  fs::path dir = base / stamp;
  for (int n = 2; !fs::create_directory(dir, ec); ++n) {
    if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
    dir = base / (stamp + "-" + std::to_string(n));
  }
  fs::create_directories(dir / "nodes", ec);
  // latest -> <test-name>/<stamp>, replaced atomically.
  fs::path tmp = root / ".latest.tmp";
  fs::remove(tmp, ec);
  fs::create_directory_symlink(fs::path(test_name) / dir.filename(), tmp, ec);
  if (!ec) fs::rename(tmp, root / "latest", ec);
  return RunStore(dir);
}

void RunStore::write_json(const std::string& name, const boost::json::value& value) const {
  fs::path target = dir_ / name;
  fs::path tmp = dir_ / ("." + name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << pretty_json(value);
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, target);
}

RunLog::RunLog(const fs::path& file, bool echo, bool terminal)
    : out_(file, std::ios::app), echo_(echo), terminal_(terminal) {}

void RunLog::line(const std::string& text) {
  write(text, echo_);
}

void RunLog::note(const std::string& text) {
  write(text, false);
}

void RunLog::write(const std::string& text, bool echo) {
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::ostringstream prefix;
  prefix << '[' << std::fixed << std::setprecision(3) << std::setw(8) << s << "] ";
  std::lock_guard lock(mutex_);
  out_ << prefix.str() << text << '\n';
  out_.flush();
  if (echo) std::cerr << (terminal_ ? "\r\033[K" : "") << text << '\n';
}

}  // namespace faultline
