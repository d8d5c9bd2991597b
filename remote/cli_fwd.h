#pragma once
// CLI11's App, declared only. A header whose functions take a `CLI::App&` includes this, not
// <CLI/CLI.hpp>: Debian's CLI11 (2.1, header-only) costs 6-8 s of CPU in every file that
// includes it (it defines its validators in each), so only the .cpp files that build
// subcommands include it.

namespace CLI {
class App;
}  // namespace CLI
