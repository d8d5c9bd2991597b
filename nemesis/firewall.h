#pragma once
// faultline's packet filtering on a node: nftables tables of its own, so undoing a fault
// touches exactly what faultline added and nothing of the node's own firewall. Each table has
// a base chain `input` (hook input, priority -200) that jumps to a regular chain `rules`.
//   partition table: `rules` holds one rule, drop packets whose source is in the set
//                    `blocked`; a partition fills the set, healing empties it.
//   packet table:    `rules` holds a drop rule per peer with a probability (nft `numgen
//                    random`, the nft form of iptables' `-m statistic --mode random`).
// A drop in any base chain is final, so the node's own rules cannot let such packets through.
//
// Speed: creating or deleting base chains, and deleting rules, costs the kernel an RCU grace
// period (tens of ms on a busy machine), so a partition only changes set elements; the table is
// created on first use and deleted by `faultline heal`. Scripts are passed to `nft` as one
// argument; each is one atomic transaction.

#include <string>
#include <string_view>
#include <vector>

namespace faultline::nemesis {

inline constexpr std::string_view kPartitionTable = "faultline_partition";
inline constexpr std::string_view kPacketTable = "faultline_packet";

// Creates the table, its chains, the jump and (with_set) the set `blocked` and its drop rule.
std::string nft_ensure_script(std::string_view table, bool with_set);

// Partition table: replaces the set's elements with `sources` / empties it. Fail if the table
// does not exist (run nft_ensure_script first). Throws std::invalid_argument for a source that
// is not an IPv4 address.
std::string nft_set_fill_script(std::string_view table, const std::vector<std::string>& sources);
std::string nft_set_flush_script(std::string_view table);

// Packet table: replaces the rules with one per source dropping its packets with `probability`
// (0 < p <= 1, kept to 1/10000) / removes them. Fail if the table does not exist.
std::string nft_rules_fill_script(std::string_view table, const std::vector<std::string>& sources,
                                  double probability);
std::string nft_rules_flush_script(std::string_view table);

// Deletes `table` if it exists (succeeds when it does not).
std::string nft_delete_script(std::string_view table);

// A node-side shell fragment: `nft_apply FILL ENSURE` runs FILL, and if the table was missing,
// ENSURE then FILL in one transaction. `nft_flush FLUSH` runs FLUSH if the table exists.
// Scripts go to nft as one argument (no pipe: one fork less on the critical path).
inline constexpr std::string_view kNftFunctions = R"SH(nft_apply() {
  nft "$1" 2>/dev/null || nft "$2$1"
}
nft_flush() {
  if command -v nft >/dev/null 2>&1; then nft "$1" 2>/dev/null || true; fi
}
)SH";

}  // namespace faultline::nemesis
