// x-sandbox: a local X API v2 + OpenAI-compatible server for tests, the demo
// and rehearsing a crontab before pointing it at X.
#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>
#include <limits>
#include <thread>

#include "core/cli.h"
#include "core/error.h"
#include "core/json_lines.h"
#include "core/number_flags.h"
#include "sandbox/server.h"

namespace {

gl::Json read_json_file(const std::string& path, const std::string& flag) {
  std::ifstream in(path);
  if (!in) throw gl::usage_error(flag, "cannot read " + path);
  gl::Json j = gl::Json::parse(in, nullptr, false);
  if (j.is_discarded()) throw gl::usage_error(flag, path + " is not valid JSON");
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  unsigned long long seed = 1;
  std::string truth_file, faults_file, field_names = "old";
  bool premium = false;
  gl::ToolSpec spec{"x-sandbox", "A local X API v2 and OpenAI-compatible server on 127.0.0.1.",
                    false};
  spec.uses_database = false;
  return gl::run_tool(
      spec, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--port", port, "port on 127.0.0.1 (0 picks a free one)")
            ->check(gl::whole_in(0, 65535));
        app.add_option("--truth", truth_file,
                       "JSON file with the audience's hidden truth (bench/audiences/README.md)");
        app.add_option("--seed", seed, "seed of the audience's noise")
            ->check(gl::whole_in(0, std::numeric_limits<long long>::max()));
        app.add_option("--faults", faults_file, "JSON file with fault-injection rules");
        app.add_option("--field-names", field_names,
                       "old: X's documented names (retweet_count, referenced_tweets); new: the "
                       "August 2026 spec's (repost_count, referenced_posts)")
            ->check(CLI::IsMember({"old", "new"}));
        app.add_flag("--premium", premium, "every user is a Premium subscriber");
      },
      [&](gl::ToolContext& ctx) {
        gl::sandbox::SandboxOptions o;
        o.port = port;
        o.seed = seed;
        if (!truth_file.empty())
          o.truth = gl::sandbox::parse_truth(read_json_file(truth_file, "--truth"), truth_file);
        if (!faults_file.empty())
          o.faults =
              gl::sandbox::parse_faults(read_json_file(faults_file, "--faults"), faults_file);
        if (ctx.clock.fixed()) o.default_now = ctx.clock.now();
        o.new_field_names = field_names == "new";
        o.premium = premium;

        // Stop cleanly on SIGINT/SIGTERM: a thread waits for them.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);

        gl::sandbox::Server server(std::move(o));
        const int bound = server.bind();
        gl::emit({{"url", "http://127.0.0.1:" + std::to_string(bound)}});
        std::thread waiter([&] {
          int sig = 0;
          sigwait(&signals, &sig);
          server.stop();
        });
        server.serve();
        pthread_kill(waiter.native_handle(), SIGTERM);
        waiter.join();
        ctx.log.info("stopped");
        return 0;
      });
}
