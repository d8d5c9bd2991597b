#include "nemesis/firewall.h"

#include <arpa/inet.h>

#include <cmath>
#include <stdexcept>

namespace faultline::nemesis {
namespace {

void check_ipv4(const std::string& source) {
  in_addr addr{};
  if (inet_pton(AF_INET, source.c_str(), &addr) != 1) {
    throw std::invalid_argument("not an IPv4 address: '" + source + "'");
  }
}

}  // namespace

std::string nft_ensure_script(std::string_view table, bool with_set) {
  const std::string t = "inet " + std::string(table);
  std::string script = "add table " + t + "\n" + "add chain " + t + " rules\n";
  if (with_set) {
    script += "add set " + t + " blocked { type ipv4_addr; }\n" + "flush chain " + t + " rules\n" +
              "add rule " + t + " rules ip saddr @blocked drop\n";
  }
  script += "add chain " + t + " input { type filter hook input priority -200; policy accept; }\n" +
            "flush chain " + t + " input\n" + "add rule " + t + " input jump rules\n";
  return script;
}

std::string nft_set_fill_script(std::string_view table, const std::vector<std::string>& sources) {
  std::string script = nft_set_flush_script(table);
  if (sources.empty()) return script;
  std::string elements;
  for (const auto& source : sources) {
    check_ipv4(source);
    elements += (elements.empty() ? "" : ", ") + source;
  }
  return script + "add element inet " + std::string(table) + " blocked { " + elements + " }\n";
}

std::string nft_set_flush_script(std::string_view table) {
  return "flush set inet " + std::string(table) + " blocked\n";
}

std::string nft_rules_fill_script(std::string_view table, const std::vector<std::string>& sources,
                                  double probability) {
  if (!(probability > 0.0 && probability <= 1.0)) {
    throw std::invalid_argument("drop probability must be in (0, 1], got " +
                                std::to_string(probability));
  }
  std::string condition;
  if (probability < 1.0) {
    long threshold = std::lround(probability * 10000.0);
    if (threshold < 1) threshold = 1;
    condition = " numgen random mod 10000 < " + std::to_string(threshold);
  }
  std::string script = nft_rules_flush_script(table);
  for (const auto& source : sources) {
    check_ipv4(source);
    script +=
        "add rule inet " + std::string(table) + " rules ip saddr " + source + condition + " drop\n";
  }
  return script;
}

std::string nft_rules_flush_script(std::string_view table) {
  return "flush chain inet " + std::string(table) + " rules\n";
}

std::string nft_delete_script(std::string_view table) {
  // Declaring the table first makes the delete succeed when it did not exist.
  std::string t(table);
  return "table inet " + t + " {}\ndelete table inet " + t + "\n";
}

}  // namespace faultline::nemesis
