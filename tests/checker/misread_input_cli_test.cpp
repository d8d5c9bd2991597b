// Inputs a checker could misread into a false "valid" (issue 16), run through the real
// binary: each is refused with exit 65 naming file:line:col, or compared exactly. Also
// operations without process or f (Elle's own histories), and a check under an
// address-space limit, which must answer unknown (memory), never crash.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/checker/cli_fixture.h"

namespace fs = std::filesystem;

namespace {

using faultline::testing::Outcome;

class MisreadInput : public faultline::testing::CliFixture {
 protected:
  static Outcome check(std::vector<std::string> args) {
    args.insert(args.begin(), "check");
    return faultline(args);
  }
};

// A register history writing `written` and reading `read` (JSONL).
std::string register_jsonl(const std::string& written, const std::string& read) {
  return R"({"type":"invoke","process":0,"f":"write","value":)" + written + "}\n" +
         R"({"type":"ok","process":0,"f":"write","value":)" + written + "}\n" +
         R"({"type":"invoke","process":1,"f":"read","value":null})" + "\n" +
         R"({"type":"ok","process":1,"f":"read","value":)" + read + "}\n";
}

std::string register_edn(const std::string& written, const std::string& read) {
  return "{:type :invoke, :process 0, :f :write, :value " + written + "}\n" +
         "{:type :ok, :process 0, :f :write, :value " + written + "}\n" +
         "{:type :invoke, :process 1, :f :read, :value nil}\n" +
         "{:type :ok, :process 1, :f :read, :value " + read + "}\n";
}

TEST_F(MisreadInput, NumbersBeyondSixtyFourBitsAreRefusedNotEquated) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"123456789012345678901234567890", "123456789012345678901234567891"},
      {"1e999999", "2e999999"},
      {"0.1", "0.10000000000000001"},  // more digits than a double holds
  };
  for (const auto& [written, read] : pairs) {
    const std::string jsonl = write("h.jsonl", register_jsonl(written, read));
    Outcome r = check({jsonl, "--model", "register"});
    EXPECT_EQ(r.exit_code, 65) << written << " / " << read << ": " << r.out << r.err;
    EXPECT_NE(r.err.find("h.jsonl:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cannot be compared exactly"), std::string::npos) << r.err;
  }
  for (const auto& [written, read] : std::vector<std::pair<std::string, std::string>>{
           {"123456789012345678901234567890N", "123456789012345678901234567891N"},
           {"123456789012345678901234567890", "123456789012345678901234567891"},
           {"1e999999", "2e999999"},
           {"1/3", "2/6"}}) {
    const std::string edn = write("h.edn", register_edn(written, read));
    Outcome r = check({edn, "--model", "register"});
    EXPECT_EQ(r.exit_code, 65) << written << " / " << read << ": " << r.out << r.err;
    EXPECT_NE(r.err.find("h.edn:1:"), std::string::npos) << r.err;
  }
  // Values that fit are compared exactly: 2^64-1 is not -1, 1 is not 1.0.
  for (const auto& [written, read] :
       std::vector<std::pair<std::string, std::string>>{{"18446744073709551615", "-1"},
                                                        {"9007199254740993", "9007199254740992"},
                                                        {"1", "1.0"}}) {
    Outcome r = check({write("h.jsonl", register_jsonl(written, read)), "--model", "register"});
    EXPECT_EQ(r.exit_code, 1) << written << " / " << read << ": " << r.out << r.err;
  }
  Outcome same =
      check({write("h.jsonl", register_jsonl("18446744073709551615", "18446744073709551615")),
             "--model", "register"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
}

TEST_F(MisreadInput, DuplicateKeysAreRefusedWithTheirPosition) {
  const std::string file = write("dup.jsonl", R"({"type":"invoke","process":0,"f":"write","value":1}
{"type":"invoke","type":"ok","process":0,"f":"write","value":1}
)");
  Outcome r = check({file, "--model", "register"});
  EXPECT_EQ(r.exit_code, 65) << r.out << r.err;
  EXPECT_NE(r.err.find("dup.jsonl:2:22: duplicate key \"type\""), std::string::npos) << r.err;
}

TEST_F(MisreadInput, AForcedFormatThatReadsNoOperationIsRefused) {
  std::string random(4096, '\0');
  std::uint64_t x = 88172645463325252ull;  // xorshift: the same bytes every run
  for (char& c : random) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x);
  }
  const std::vector<std::string> files = {
      write("random.bin", random),
      write("nul.bin", std::string(4096, '\0')),
      write("nested.json", std::string(100000, '[') + std::string(100000, ']') + "\n"),
  };
  for (const auto& file : files) {
    for (const char* format : {"porcupine-etcd", "porcupine-kv", "edn", "jsonl"}) {
      Outcome r = check({file, "--format", format, "--model", "register"});
      EXPECT_EQ(r.exit_code, 65) << file << " as " << format << ": " << r.out << r.err;
      EXPECT_NE(r.err.find(fs::path(file).filename().string() + ":1:"), std::string::npos)
          << file << " as " << format << ": " << r.err;
      EXPECT_EQ(r.out.find("valid"), std::string::npos) << r.out;
    }
    Outcome detected = check({file, "--model", "register"});
    EXPECT_EQ(detected.exit_code, 65) << file << ": " << detected.out << detected.err;
  }
}

// Elle's example histories carry no :process and no :f; they are read, and the result says
// that process order is unknown.
TEST_F(MisreadInput, OperationsWithoutProcessOrFAreRead) {
  const std::string file =
      write("elle.edn", R"({:index 0, :type :invoke, :value [[:append :x 1] [:r :y nil]]}
{:index 1, :type :invoke, :value [[:append :y 1] [:r :x nil]]}
{:index 2, :type :ok, :value [[:append :x 1] [:r :y []]]}
{:index 3, :type :ok, :value [[:append :y 1] [:r :x []]]}
)");
  Outcome r = check({file, "--model", "list-append", "--consistency-model", "serializable"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // write skew: G2-item
  EXPECT_NE(r.out.find("G2-item"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("process order unknown"), std::string::npos) << r.out;
  // A completion alone (its invocation never recorded) is read too.
  Outcome single = check({write("one.edn", "{:type :ok, :value [[:r :x [1]] [:append :x 1]]}\n"),
                          "--model", "list-append"});
  EXPECT_EQ(single.exit_code, 1) << single.out << single.err;
  EXPECT_NE(single.out.find("future-read"), std::string::npos) << single.out;
}

// Under an address-space limit (RLIMIT_AS, as `prlimit --as` or a container sets it) the
// default memory limit shrinks to fit, and an allocation failure is an answer: unknown
// (memory), exit 2, never exit 70 or a crash.
TEST_F(MisreadInput, AnAddressSpaceLimitGivesUnknownMemory) {
  if (!fs::exists("/usr/bin/prlimit")) GTEST_SKIP() << "no /usr/bin/prlimit";
#if defined(__SANITIZE_ADDRESS__)
  // ASan reserves terabytes of shadow address space at start: no RLIMIT_AS lets it run.
  GTEST_SKIP() << "an address-space limit cannot be tested under AddressSanitizer";
#endif
  const std::string history = (dir_ / "one.jsonl").string();
  Outcome gen = faultline({"bench", "generate", "--ops", "100000", "--keys", "1", "--processes",
                           "50", "--info", "0.05", "-o", history});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  // 100 MB: the history itself does not fit; 600 MB and 1.5 GB: the search runs out.
  for (const char* limit : {"--as=100000000", "--as=600000000", "--as=1500000000"}) {
    Outcome r = faultline::testing::run(
        {"/usr/bin/prlimit", limit, FAULTLINE_BINARY, "check", history, "--model", "register"},
        std::chrono::seconds(120));
    EXPECT_EQ(r.exit_code, 2) << limit << ": " << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("memory"), std::string::npos) << limit << ": " << r.out << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  }
}

}  // namespace
