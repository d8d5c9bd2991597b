// Commands are argument lists; what reaches the node's shell must give back exactly those
// arguments, whatever bytes they contain.

#include "remote/command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "remote/local_exec.h"

namespace faultline::remote {
namespace {

// Runs `shell -c LINE` where LINE = shell_join({"printf", "%s\\000", words...}) and splits the
// output at NUL bytes: the words as the shell saw them.
std::vector<std::string> through_shell(const std::string& shell,
                                       const std::vector<std::string>& words) {
  std::vector<std::string> argv{"printf", "%s\\000"};
  argv.insert(argv.end(), words.begin(), words.end());
  LocalResult result = run_local({shell, "-c", shell_join(argv)});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  std::vector<std::string> seen;
  std::string current;
  for (char c : result.out) {
    if (c == '\0') {
      seen.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  return seen;
}

TEST(ShellQuote, LeavesPlainWordsAndQuotesTheRest) {
  EXPECT_EQ(shell_quote("iptables"), "iptables");
  EXPECT_EQ(shell_quote("10.77.3.1/24"), "10.77.3.1/24");
  EXPECT_EQ(shell_quote("--dport=2379"), "--dport=2379");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("$(touch /tmp/x)"), "'$(touch /tmp/x)'");
  EXPECT_EQ(shell_quote("~"), "'~'");
  EXPECT_EQ(shell_quote("*"), "'*'");
}

TEST(ShellQuote, MetacharactersReachTheProgramLiterally) {
  std::vector<std::string> words{"$(touch /tmp/faultline-quote-x)",
                                 "; touch /tmp/faultline-quote-y",
                                 "`id`",
                                 "'",
                                 "\"",
                                 "'\"'\"",
                                 "a\nb",
                                 "\n",
                                 "",
                                 " ",
                                 "\t",
                                 "*",
                                 "~root",
                                 "$HOME",
                                 "${IFS}",
                                 "a|b&c>d<e",
                                 "#comment",
                                 "\\",
                                 "\\'",
                                 "!!",
                                 "-n",
                                 "--",
                                 "é ü 日本"};
  for (const char* shell : {"sh", "bash"}) {
    EXPECT_EQ(through_shell(shell, words), words) << shell;
  }
  EXPECT_FALSE(std::filesystem::exists("/tmp/faultline-quote-x"));
  EXPECT_FALSE(std::filesystem::exists("/tmp/faultline-quote-y"));
}

TEST(ShellQuote, RandomBytesRoundTrip) {
  std::mt19937 random(20240601);
  std::uniform_int_distribution<int> length(0, 12), byte(1, 255);
  std::vector<std::string> words;
  for (int i = 0; i < 400; ++i) {
    std::string word;
    for (int n = length(random); n > 0; --n) word += static_cast<char>(byte(random));
    words.push_back(word);
  }
  EXPECT_EQ(through_shell("sh", words), words);
}

TEST(ShellJoin, RefusesWhatNoExecCanCarry) {
  EXPECT_THROW(shell_join({}), std::invalid_argument);
  EXPECT_THROW(shell_join({"echo", std::string("a\0b", 3)}), std::invalid_argument);
}

TEST(CommandLine, NodeEnforcesTheTimeoutAndSudoWrapsEverything) {
  Command command{"iptables", "-F"};
  command.timeout = std::chrono::milliseconds(1500);
  EXPECT_EQ(command_line(command, {}), "timeout -s KILL 1.500 iptables -F");
  command.sudo = true;
  EXPECT_EQ(command_line(command, {}), "sudo -n -- timeout -s KILL 1.500 iptables -F");
  EXPECT_EQ(command_line(command, {false, true, false}),
            "sudo -S -p '' -- timeout -s KILL 1.500 iptables -F");
  EXPECT_EQ(command_line(command, {false, false, true}), "timeout -s KILL 1.500 iptables -F");
  command.sudo = false;
  EXPECT_EQ(command_line(command, {true, false, false}),
            "sudo -n -- timeout -s KILL 1.500 iptables -F");
}

TEST(CommandDisplay, IsOneShortLine) {
  Command command{"sh", "-c", "echo a\necho b"};
  EXPECT_EQ(command.display(), "sh -c 'echo a echo b'");
  Command long_command{"echo", std::string(500, 'x')};
  EXPECT_LE(long_command.display().size(), 210u);
}

}  // namespace
}  // namespace faultline::remote
