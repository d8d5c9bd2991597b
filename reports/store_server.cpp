#include "reports/store_server.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "reports/compare_index.h"
#include "reports/escape.h"
#include "reports/history_tail.h"
#include "reports/live_run.h"
#include "reports/run_report.h"
#include "reports/run_status.h"
#include "reports/store_index.h"

namespace faultline {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

constexpr std::string_view kRunsPrefix = "/runs/";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string content_type(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".png") return "image/png";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".xml") return "application/xml";
  return "text/plain; charset=utf-8";
}

// The live views' histories (history_tail.h), one per run directory asked for, so that each
// poll parses only what its run appended since the last. An entry not asked for in a minute is
// dropped, and so is one whose run is no longer running once answered: a run's history is held
// in memory only while someone watches it run.
class LiveTails {
 public:
  boost::json::object live_json(const fs::path& run_dir) {
    const std::string key = run_dir.string();
    std::shared_ptr<Entry> entry;
    {
      std::lock_guard lock(mutex_);
      const auto now = std::chrono::steady_clock::now();
      std::erase_if(entries_, [&](const auto& e) { return now - e.second->used > kIdle; });
      auto& slot = entries_[key];
      if (!slot) slot = std::make_shared<Entry>(run_dir / "history.jsonl");
      slot->used = now;
      entry = slot;
    }
    boost::json::object doc;
    {
      std::lock_guard lock(entry->mutex);
      doc = live_run_json(run_dir, &entry->tail);
    }
    if (doc.at("status") != "running") {
      std::lock_guard lock(mutex_);
      entries_.erase(key);
    }
    return doc;
  }

 private:
  static constexpr std::chrono::seconds kIdle{60};
  struct Entry {
    explicit Entry(fs::path file) : tail(std::move(file)) {}
    std::mutex mutex;  // one refresh at a time
    HistoryTail tail;
    std::chrono::steady_clock::time_point used;  // under LiveTails::mutex_
  };
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;
};

// Everything a connection needs; shared, immutable but for the live views' cache.
struct Site {
  fs::path store;  // canonical
  std::shared_ptr<LiveTails> tails = std::make_shared<LiveTails>();
};

using Response = http::response<http::string_body>;

Response text_response(http::status status, const std::string& body, const std::string& type,
                       unsigned version) {
  Response res{status, version};
  res.set(http::field::server, "faultline");
  res.set(http::field::content_type, type);
  res.set("X-Content-Type-Options", "nosniff");
  res.body() = body;
  res.prepare_payload();
  return res;
}

// Percent-encodes everything but unreserved characters and '/'.
std::string percent_encoded(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string directory_listing(const fs::path& dir, const std::string& title) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string() + (it->is_directory(ec) ? "/" : ""));
  }
  std::sort(names.begin(), names.end());
  std::string out = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" +
                    html_escape(title) + "</title></head><body><h1>" + html_escape(title) +
                    "</h1><ul><li><a href=\"../\">../</a></li>";
  for (const auto& name : names) {
    out += "<li><a href=\"" + html_escape(percent_encoded(name)) + "\">" + html_escape(name) +
           "</a></li>";
  }
  return out + "</ul></body></html>";
}

// `path` resolved (symbolic links followed), if it lies inside the store.
std::optional<fs::path> inside_store(const Site& site, const fs::path& path) {
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(path, ec);
  if (ec) return std::nullopt;
  fs::path inside = resolved.lexically_relative(site.store);
  if (inside.empty() || *inside.begin() == "..") return std::nullopt;
  return resolved;
}

// The live view of a run directory (live_run.h): /runs/<run>/live and /runs/<run>/live.json,
// and report.html of a run still going, which has no report yet: redirected to its live view
// rather than rendered from half a history. nullopt when `relative` is none of these.
std::optional<Response> live_response(const Site& site, const std::string& relative,
                                      unsigned version) {
  const fs::path requested = site.store / relative;
  const std::string leaf = requested.filename().string();
  if (leaf != "live" && leaf != "live.json" && leaf != "report.html") return std::nullopt;
  const fs::path parent = requested.parent_path();
  auto run_dir = inside_store(site, parent);
  if (!run_dir || *run_dir == site.store || !is_run_dir(*run_dir)) return std::nullopt;
  if (leaf == "report.html") {
    if (run_state(*run_dir).status != RunStatus::kRunning) return std::nullopt;
    Response res = text_response(http::status::found, "", "text/plain", version);
    const std::string dir = fs::path(relative).parent_path().generic_string();
    res.set(http::field::location, std::string(kRunsPrefix) + percent_encoded(dir) + "/live");
    res.set(http::field::cache_control, "no-store");
    return res;
  }
  boost::json::object doc = site.tails->live_json(*run_dir);
  Response res = leaf == "live.json" ? text_response(http::status::ok, boost::json::serialize(doc),
                                                     "application/json", version)
                                     : text_response(http::status::ok, render_live_page(doc),
                                                     "text/html; charset=utf-8", version);
  res.set(http::field::cache_control, "no-store");
  return res;
}

// The response to one request; file bodies are read whole (reports are tens of MB at most).
Response respond(const Site& site, const http::request<http::string_body>& req) {
  unsigned version = req.version();
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    return text_response(http::status::method_not_allowed, "only GET and HEAD\n", "text/plain",
                         version);
  }
  std::string target(req.target());
  std::string path_part = target.substr(0, target.find_first_of("?#"));
  if (path_part == "/" || path_part == "/index.html") {
    std::string page = render_store_index(site.store, scan_store(site.store));
    // The compare pages (reports/compare_index.h) above the runs.
    std::size_t runs = page.find("<div id=\"runs\">");
    if (runs != std::string::npos)
      page.insert(runs, render_compare_list(scan_compare_pages(site.store)));
    return text_response(http::status::ok, page, "text/html; charset=utf-8", version);
  }
  if (path_part == "/api/compares") {
    return text_response(
        http::status::ok,
        boost::json::serialize(compare_pages_to_json(scan_compare_pages(site.store))),
        "application/json", version);
  }
  if (path_part == "/api/runs") {
    return text_response(http::status::ok,
                         boost::json::serialize(runs_to_json(scan_store(site.store))),
                         "application/json", version);
  }
  std::string relative = store_relative_path(target);
  if (relative.empty())
    return text_response(http::status::not_found, "not found\n", "text/plain", version);

  if (auto live = live_response(site, relative, version)) return std::move(*live);

  std::error_code ec;
  fs::path requested = site.store / relative;
  if (!fs::exists(requested, ec) && requested.filename() == "report.html" &&
      fs::is_regular_file(requested.parent_path() / "history.jsonl", ec)) {
    try {
      render_run_report(requested.parent_path());
    } catch (const std::exception& e) {
      return text_response(http::status::internal_server_error,
                           std::string("cannot render the report: ") + e.what() + "\n",
                           "text/plain", version);
    }
  }
  auto inside = inside_store(site, requested);
  if (!inside) return text_response(http::status::not_found, "not found\n", "text/plain", version);
  const fs::path& resolved = *inside;
  if (fs::is_directory(resolved, ec)) {
    if (path_part.back() != '/') {
      Response res = text_response(http::status::moved_permanently, "", "text/plain", version);
      res.set(http::field::location, path_part + "/");
      return res;
    }
    return text_response(http::status::ok,
                         directory_listing(resolved, "/runs/" + (relative == "." ? "" : relative)),
                         "text/html; charset=utf-8", version);
  }
  std::ifstream in(resolved, std::ios::binary);
  if (!fs::is_regular_file(resolved, ec) || !in) {
    return text_response(http::status::not_found, "not found\n", "text/plain", version);
  }
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text_response(http::status::ok, body, content_type(resolved), version);
}

void serve_connection(std::shared_ptr<const Site> site, tcp protocol, int fd) {
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.assign(protocol, fd, ec);
  if (ec) {
    ::close(fd);
    return;
  }
  timeval timeout{10, 0};  // an idle or stuck client releases its thread after 10 s
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    http::read(socket, buffer, parser, ec);
    if (ec) break;
    const auto& req = parser.get();
    Response res;
    try {
      res = respond(*site, req);
    } catch (const std::exception& e) {
      res = text_response(http::status::internal_server_error, std::string(e.what()) + "\n",
                          "text/plain", req.version());
    }
    res.keep_alive(req.keep_alive());
    if (req.method() == http::verb::head) {
      http::response<http::empty_body> head{res.result(), res.version()};
      for (const auto& field : res) head.set(field.name_string(), field.value());
      http::write(socket, head, ec);
    } else {
      http::write(socket, res, ec);
    }
    if (ec || !req.keep_alive()) break;
  }
  socket.shutdown(tcp::socket::shutdown_both, ec);
}

}  // namespace

std::string store_relative_path(const std::string& target) {
  std::string path = target.substr(0, target.find_first_of("?#"));
  if (path.rfind(kRunsPrefix, 0) != 0) return {};
  std::string decoded;
  for (std::size_t i = kRunsPrefix.size(); i < path.size(); ++i) {
    if (path[i] != '%') {
      decoded += path[i];
      continue;
    }
    if (i + 2 >= path.size()) return {};
    int hi = hex_digit(path[i + 1]), lo = hex_digit(path[i + 2]);
    if (hi < 0 || lo < 0) return {};
    decoded += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos) return {};
  if (!decoded.empty() && decoded.back() == '/') decoded.pop_back();
  if (decoded.empty()) return ".";
  std::string out;
  std::size_t start = 0;
  while (start <= decoded.size()) {
    std::size_t end = decoded.find('/', start);
    if (end == std::string::npos) end = decoded.size();
    std::string segment = decoded.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return {};
    out += (out.empty() ? "" : "/") + segment;
    start = end + 1;
  }
  return out;
}

struct StoreServer::Impl {
  std::shared_ptr<const Site> site;
  asio::io_context io;
  tcp::acceptor acceptor{io};

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (!ec) {
        // The connection gets its own thread and io_context; it owns the descriptor.
        int fd = socket.release(ec);
        if (!ec)
          std::thread(serve_connection, site, acceptor.local_endpoint().protocol(), fd).detach();
      }
      accept();
    });
  }
};

StoreServer::StoreServer(fs::path store, const std::string& address, unsigned short port)
    : impl_(std::make_unique<Impl>()) {
  std::error_code fs_ec;
  fs::path canonical = fs::weakly_canonical(fs::absolute(store), fs_ec);
  impl_->site = std::make_shared<const Site>(Site{fs_ec ? store : canonical});
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address, ec);
  if (ec) throw std::runtime_error("bad --bind address '" + address + "'");
  tcp::endpoint endpoint(ip, port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + address + ":" + std::to_string(port) + ": " +
                             ec.message());
  }
}

StoreServer::~StoreServer() = default;

unsigned short StoreServer::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void StoreServer::run() {
  impl_->accept();
  impl_->io.run();
}

void StoreServer::stop() {
  asio::post(impl_->io, [impl = impl_.get()] {
    boost::system::error_code ec;
    impl->acceptor.close(ec);
  });
  impl_->io.stop();
}

}  // namespace faultline
