#pragma once
// Node-side scripts of the packet fault, shared with heal. faultline's tc root qdisc always
// has handle fa17: (an htb whose class fa17:2 carries the fault; unclassified traffic passes
// unshaped), so removal can find it without a marker and never touches another root qdisc.

#include <string_view>

namespace faultline::nemesis {

// Removes faultline's packet faults: $1 is the nft script flushing the packet table's rules.
// Needs kNftFunctions.
inline constexpr std::string_view kRemovePacketScript = R"SH(unmark packet
nft_flush "$1"
if command -v tc >/dev/null 2>&1; then
  for dev in $(ip -o link show | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p'); do
    if tc qdisc show dev "$dev" | grep -q '^qdisc [a-z_]* fa17: root'; then
      tc qdisc del dev "$dev" root
      echo "removed qdisc fa17: from $dev"
    fi
  done
fi
)SH";

// Prints "netem", or "no-netem: <why>"; then "tc" / "nft" for each tool present. Probes in a
// throwaway network namespace so nothing of the node changes.
inline constexpr std::string_view kProbePacketScript = R"SH(set +e
command -v tc >/dev/null 2>&1 && echo tc
command -v nft >/dev/null 2>&1 && echo nft
if ! command -v tc >/dev/null 2>&1; then echo "no-netem: tc is not installed"
elif out=$(unshare -n tc qdisc add dev lo root netem delay 1ms 2>&1); then echo netem
else echo "no-netem: $(printf '%s' "$out" | head -n 1)"; fi
)SH";

// $1 marker, $2 nft fill script (empty: none), $3 nft ensure script, $4 htb rate, $5 child
// qdisc words (empty: none), $6... the peers' addresses. Prints the devices it shaped. Needs
// kNftFunctions.
inline constexpr std::string_view kApplyPacketScript = R"SH(set -f
mark packet "$1"
nft_fill=$2; nft_ensure=$3; rate=$4; qdisc=$5; shift 5
if [ -n "$nft_fill" ]; then nft_apply "$nft_fill" "$nft_ensure"; fi
if [ -n "$qdisc" ]; then
  devs=""
  for a in "$@"; do
    dev=$(ip -o route get "$a" | sed -n 's/.* dev \([^ ]*\).*/\1/p')
    case " $devs " in *" $dev "*) ;; *) devs="$devs $dev" ;; esac
  done
  for dev in $devs; do
    if tc qdisc show dev "$dev" | grep -q '^qdisc [a-z_]* fa17: root'; then tc qdisc del dev "$dev" root; fi
    tc qdisc add dev "$dev" root handle fa17: htb
    tc class add dev "$dev" parent fa17: classid fa17:2 htb rate "$rate" quantum 60000
    tc qdisc add dev "$dev" parent fa17:2 handle fa18: $qdisc
    for a in "$@"; do
      tc filter add dev "$dev" parent fa17: protocol ip prio 1 u32 match ip dst "$a/32" flowid fa17:2
    done
    echo "dev $dev"
  done
fi
)SH";

}  // namespace faultline::nemesis
