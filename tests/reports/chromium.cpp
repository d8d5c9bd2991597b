#include "tests/reports/chromium.h"

#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <cstdlib>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/reports/test_support.h"

namespace faultline::test {
namespace {

using tcp = boost::asio::ip::tcp;

// A proxy that answers nothing and records the first line of every request.
class RecordingProxy {
 public:
  RecordingProxy() : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~RecordingProxy() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
    });
    io_.stop();
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto s = std::make_shared<tcp::socket>(std::move(socket));
      auto buffer = std::make_shared<std::array<char, 512>>();
      s->async_read_some(boost::asio::buffer(*buffer),
                         [this, s, buffer](boost::system::error_code e, std::size_t n) {
                           if (!e) {
                             std::string text(buffer->data(), n);
                             std::lock_guard lock(mutex_);
                             requests_.push_back(text.substr(0, text.find("\r\n")));
                           }
                           boost::system::error_code ignored;
                           s->close(ignored);
                         });
      accept();
    });
  }
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
};

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out.append("'\\''");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

bool is_browser_service(const std::string& request_line) {
  static const std::regex services(
      R"(^\S+ (https?://)?[^/ ]*(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)[:/ ])");
  return std::regex_search(request_line, services);
}

int run_chromium(const std::string& chromium, const std::vector<std::string>& args,
                 const std::filesystem::path& out, const std::filesystem::path& err) {
  std::string command = "timeout 90 ";
  command.append(shell_quote(chromium));
  for (const auto& a : args) command.append(" ").append(shell_quote(a));
  command.append(" > ").append(shell_quote(out.string()));
  command.append(" 2> ").append(shell_quote(err.string())).append(" < /dev/null");
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::optional<std::string> find_chromium() {
  for (const char* path :
       {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (::access(path, X_OK) == 0) return std::string(path);
  }
  return std::nullopt;
}

PageLoad load_page(const std::string& chromium, const std::string& url,
                   const std::optional<std::filesystem::path>& screenshot, int width, int height,
                   bool record_loopback, int virtual_time_ms) {
  TempDir work;
  RecordingProxy proxy;
  auto base_args = [&](const std::string& profile) {
    return std::vector<std::string>{
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--no-pings",
        "--disable-domain-reliability",
        "--user-data-dir=" + (work.path() / profile).string(),
        "--proxy-server=http://127.0.0.1:" + std::to_string(proxy.port()),
        record_loopback ? "--proxy-bypass-list=<-loopback>" : "--proxy-bypass-list=<local>",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=" + std::to_string(width) + "," + std::to_string(height)};
  };
  PageLoad load;
  auto args = base_args("profile-dom");
  if (virtual_time_ms > 0)
    args.push_back("--virtual-time-budget=" + std::to_string(virtual_time_ms));
  args.push_back("--dump-dom");
  args.push_back(url);
  load.exit_code = run_chromium(chromium, args, work.path() / "dom.html", work.path() / "dom.err");
  load.dom = read_file(work.path() / "dom.html");
  std::istringstream err(read_file(work.path() / "dom.err"));
  for (std::string line; std::getline(err, line);) {
    if (line.find(":CONSOLE") != std::string::npos) load.console.push_back(line);
  }
  if (screenshot) {
    std::filesystem::create_directories(screenshot->parent_path());
    auto shot = base_args("profile-shot");
    shot.push_back("--hide-scrollbars");
    shot.push_back("--screenshot=" + screenshot->string());
    shot.push_back(url);
    run_chromium(chromium, shot, work.path() / "shot.out", work.path() / "shot.err");
  }
  for (const auto& r : proxy.requests()) {
    if (!is_browser_service(r)) load.page_requests.push_back(r);
  }
  return load;
}

}  // namespace faultline::test
