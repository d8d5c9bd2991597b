// `faultline history ...` as a user runs it: exit codes, stderr, stats output.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
const std::string kEtcd002 =
    std::string(FAULTLINE_SHARED_DIR) + "/histories/porcupine/jepsen/etcd_002.log";
const std::string kHandWritten =
    std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/jepsen-history.edn";

// A temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "faultline-cli-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

struct Result {
  int exit_code = -1;
  std::string out, err;
};

std::string quote(const std::string& arg) {
  std::string q = "'";
  for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs faultline with `args` (each quoted), optionally feeding `stdin_file`.
Result run(const std::vector<std::string>& args, const std::string& stdin_file = "") {
  TempDir tmp;
  std::string cmd = quote(FAULTLINE_BINARY);
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " 2>" + quote((tmp / "err").string());
  if (!stdin_file.empty()) cmd += " <" + quote(stdin_file);
  Result r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) r.out.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(tmp / "err");
  std::ostringstream text;
  text << err.rdbuf();
  r.err = text.str();
  return r;
}

TEST(HistoryCli, StatsOnEtcd002) {
  Result r = run({"history", "stats", kEtcd002});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("porcupine-etcd"), std::string::npos);
  EXPECT_NE(r.out.find("154 records, 77 client operations"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("client processes:   23"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unknown outcome:    19"), std::string::npos) << r.out;

  r = run({"history", "stats", "--json", kEtcd002});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  boost::json::value stats = boost::json::parse(r.out);
  // Counted independently with grep on the file: 25 cas, 18 read and 34 write
  // invocations; 13 cas fail; 7 cas and 12 write info.
  EXPECT_EQ(stats.at("client_operations").as_int64(), 77);
  EXPECT_EQ(stats.at("by_f").at("cas").at("invoke").as_int64(), 25);
  EXPECT_EQ(stats.at("by_f").at("cas").at("fail").as_int64(), 13);
  EXPECT_EQ(stats.at("by_f").at("read").at("ok").as_int64(), 18);
  EXPECT_EQ(stats.at("by_f").at("write").at("info").as_int64(), 12);
  EXPECT_EQ(stats.at("unknown_outcomes").as_int64(), 19);
  EXPECT_EQ(stats.at("client_processes").as_int64(), 23);
  EXPECT_GE(stats.at("max_concurrency").as_int64(), 1);
  EXPECT_TRUE(stats.at("time_span_ns").is_null());
}

TEST(HistoryCli, ConvertWritesJsonlThatReadsBackTheSame) {
  TempDir tmp;
  std::string out = (tmp / "h.jsonl").string();
  Result r = run({"history", "convert", kHandWritten, "--to", "jsonl", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result again = run({"history", "convert", out});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::ifstream in(out);
  std::ostringstream first;
  first << in.rdbuf();
  EXPECT_EQ(again.out, first.str());
  // stdin, detected after buffering.
  Result piped = run({"history", "convert", "-"}, out);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out, first.str());
}

TEST(HistoryCli, MalformedInputExits65NamingFileAndLine) {
  TempDir tmp;
  std::string bad = (tmp / "bad.edn").string();
  std::ofstream(bad)
      << "[{:type :invoke, :f :read, :process 0}\n {:type :ok, :f :read, :process 0\n";
  Result r = run({"history", "stats", bad});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err.rfind(bad + ":2:", 0), 0u) << r.err;
  EXPECT_EQ(r.err.find("terminate"), std::string::npos);  // no crash, no stack trace
  EXPECT_TRUE(r.out.empty());

  std::string garbled = (tmp / "etcd.log").string();
  std::ofstream(garbled) << "INFO  jepsen.util - 1\t:invoke\t:read\tnil\n"
                            "INFO  jepsen.util - 1\t:ok\t:read\t[1\n";
  r = run({"history", "convert", garbled});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err.rfind(garbled + ":2:", 0), 0u) << r.err;

  std::string unknown = (tmp / "notes.txt").string();
  std::ofstream(unknown) << "just some text\n";
  r = run({"history", "stats", unknown});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err.rfind(unknown + ":1:", 0), 0u) << r.err;
}

TEST(HistoryCli, MissingFileExits66AndBadOptionsExit64) {
  TempDir tmp;
  Result r = run({"history", "stats", (tmp / "nope.edn").string()});
  EXPECT_EQ(r.exit_code, 66);
  EXPECT_NE(r.err.find("nope.edn"), std::string::npos);

  r = run({"history", "stats", kEtcd002, "--format", "xml"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("--format"), std::string::npos);
  r = run({"history", "convert", kEtcd002, "--to", "csv"});
  EXPECT_EQ(r.exit_code, 64);
  r = run({"history", "stats"});
  EXPECT_EQ(r.exit_code, 64);
}

TEST(HistoryCli, HelpForEverySubcommand) {
  for (const char* sub : {"stats", "convert"}) {
    Result r = run({"history", sub, "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("--format"), std::string::npos) << sub;
    EXPECT_NE(r.out.find("Examples"), std::string::npos) << sub;
  }
  Result r = run({"history", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("stats"), std::string::npos);
}

}  // namespace
