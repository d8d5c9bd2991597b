// `faultline check` as a user runs it: verdict lines, --json, --out DIR, exit codes.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

const std::string kPorcupine = std::string(FAULTLINE_SHARED_DIR) + "/histories/porcupine";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "faultline-lin-cli-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct CliRun {
  int code;
  std::string out, err;
};

CliRun faultline(const std::string& args, const TempDir& tmp) {
  const auto out = tmp.path() / "stdout", err = tmp.path() / "stderr";
  const std::string cmd = std::string(FAULTLINE_BINARY) + " " + args + " >" + out.string() + " 2>" +
                          err.string() + " </dev/null";
  const int status = std::system(cmd.c_str());
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

TEST(LinCli, ValidHistoryExitsZero) {
  TempDir tmp;
  CliRun r = faultline("check " + kPorcupine + "/jepsen/etcd_002.log --model cas-register", tmp);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("valid:", 0), 0u) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;  // no progress line when stderr is not a terminal
}

TEST(LinCli, InvalidHistoryExplainsAndWritesResults) {
  TempDir tmp;
  const fs::path out = tmp.path() / "new" / "dir";
  CliRun r = faultline(
      "check " + kPorcupine + "/jepsen/etcd_000.log --model cas-register --out " + out.string(),
      tmp);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("NOT linearizable"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("read 2 (process 11, line 85) cannot be linearized"), std::string::npos)
      << r.out;
  std::ifstream in(out / "results.json");
  ASSERT_TRUE(in) << "no results.json";
  std::stringstream s;
  s << in.rdbuf();
  const auto doc = boost::json::parse(s.str()).as_object();
  EXPECT_EQ(doc.at("schema"), "faultline.results/1");
  EXPECT_EQ(doc.at("verdict"), "invalid");
}

TEST(LinCli, JsonPrintsTheDocument) {
  TempDir tmp;
  CliRun r = faultline("check " + kPorcupine + "/kv/c10-bad.txt --model kv --all-keys --json", tmp);
  EXPECT_EQ(r.code, 1) << r.err;
  const auto doc = boost::json::parse(r.out).as_object();
  EXPECT_EQ(doc.at("model"), "kv");
  EXPECT_GT(doc.at("partitions").as_array().size(), 1u);
  for (const auto& p : doc.at("partitions").as_array()) {
    EXPECT_NE(p.at("verdict"), "unknown");  // --all-keys: every key decided
  }
}

TEST(LinCli, UnknownVerdictExitsTwo) {
  TempDir tmp;
  const fs::path h = tmp.path() / "h.jsonl";
  {
    std::ofstream f(h);
    for (int p = 0; p < 40; ++p)
      f << R"({"type":"invoke","process":)" << p << R"(,"f":"write","value":)" << p << "}\n";
    for (int p = 0; p < 40; ++p)
      f << R"({"type":"invoke","process":)" << 100 + p << R"(,"f":"read","value":null})"
        << "\n";
    for (int p = 0; p < 40; ++p)
      f << R"({"type":"ok","process":)" << p << R"(,"f":"write","value":)" << p << "}\n";
    for (int p = 0; p < 40; ++p)
      f << R"({"type":"ok","process":)" << 100 + p << R"(,"f":"read","value":)" << p << "}\n";
    // A cas from a value never written: the search tries ~2^40 orders of the writes.
    f << R"({"type":"invoke","process":500,"f":"cas","value":[-1,-2]})"
      << "\n"
      << R"({"type":"ok","process":500,"f":"cas","value":[-1,-2]})"
      << "\n";
  }
  CliRun r = faultline("check " + h.string() + " --model cas-register --time-limit 0.3", tmp);
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("time limit"), std::string::npos) << r.out;
}

TEST(LinCli, UnknownModelIsAUsageErrorListingModels) {
  TempDir tmp;
  CliRun r = faultline("check " + kPorcupine + "/jepsen/etcd_000.log --model btree", tmp);
  EXPECT_EQ(r.code, 64);
  EXPECT_NE(r.err.find("cas-register"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unordered-queue"), std::string::npos) << r.err;
}

TEST(LinCli, MalformedOperationNamesTheLine) {
  TempDir tmp;
  const fs::path h = tmp.path() / "h.jsonl";
  {
    std::ofstream f(h);
    f << R"({"type":"invoke","process":0,"f":"cas","value":7})"
      << "\n"
      << R"({"type":"ok","process":0,"f":"cas","value":7})"
      << "\n";
  }
  CliRun r = faultline("check " + h.string() + " --model cas-register", tmp);
  EXPECT_EQ(r.code, 65);
  EXPECT_NE(r.err.find(h.string() + ":2:1: cas needs a value [old new]"), std::string::npos)
      << r.err;
  CliRun missing =
      faultline("check " + (tmp.path() / "nope.jsonl").string() + " --model register", tmp);
  EXPECT_EQ(missing.code, 66);
}

}  // namespace
