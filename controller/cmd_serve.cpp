// `faultline serve [--store DIR] [--bind ADDR] [--port N]`: browse the run store over
// HTTP (reports/store_server.h). Loopback only unless --bind says otherwise. Runs until
// SIGINT or SIGTERM.

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <thread>

#include "checker/history/input_error.h"
#include "controller/commands.h"
#include "controller/exit_codes.h"
#include "reports/store_server.h"

namespace faultline {

void add_serve_commands(CLI::App& app, CommandAction& action) {
  struct Options {
    std::string store = "store", bind = "127.0.0.1";
    unsigned short port = 8080;
  };
  auto opts = std::make_shared<Options>();
  auto* serve = app.add_subcommand("serve",
                                   "Browse the run store in a web browser: every run's "
                                   "verdict, report and files");
  serve->add_option("--store", opts->store, "The run store directory")->capture_default_str();
  serve->add_option("--bind", opts->bind, "Address to listen on (loopback by default)")
      ->capture_default_str();
  serve->add_option("--port", opts->port, "Port to listen on (0: any free port)")
      ->capture_default_str();
  serve->callback([opts, &action] {
    action = [o = *opts] {
      if (!std::filesystem::is_directory(o.store))
        throw InputMissing("no store directory " + o.store);
      // SIGINT/SIGTERM are taken by a waiting thread (blocked here first, so that every
      // thread started after inherits the mask) and end the server cleanly.
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGINT);
      sigaddset(&signals, SIGTERM);
      pthread_sigmask(SIG_BLOCK, &signals, nullptr);
      StoreServer server(o.store, o.bind, o.port);
      std::string host = o.bind.find(':') != std::string::npos ? "[" + o.bind + "]" : o.bind;
      std::cout << "faultline serve: http://" << host << ":" << server.port() << "/ (store "
                << o.store << "; Ctrl-C stops)" << std::endl;
      std::thread waiter([&server, signals] {
        int signal = 0;
        sigwait(&signals, &signal);
        server.stop();
      });
      server.run();
      // run() only returns after stop(), i.e. after the waiter got its signal.
      waiter.join();
      return kExitValid;
    };
  });
}

}  // namespace faultline
