// Prometheus metrics of a tool run for node_exporter's textfile collector:
// when GROWTHLOOP_METRICS_DIR is set, run_tool writes one file per (tool,
// account) after every run, atomically (a temporary file in the same folder,
// then rename), so the collector never reads half a file and parallel runs of
// different accounts never clobber each other.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace gl {

// What one run of a tool did, as the frame saw it.
struct RunMetrics {
  std::string tool;
  std::string account;  // handle; "" for tools without one, "*" for an --all-accounts run
  int exit_code = 0;
  double finished_unix = 0;  // wall clock, seconds since the epoch
  double duration_seconds = 0;
  nlohmann::json stats = nlohmann::json::object();  // the run's job_runs stats
};

// The file of (tool, account) in dir: "<tool>.prom", "<tool>@<account>.prom",
// "<tool>@all-accounts.prom" for "*".
std::string metrics_path(const std::string& dir, const std::string& tool,
                         const std::string& account);

// The text-format exposition of a run. previous_success is the last success
// time of an earlier run, kept when this one failed (0 when never).
std::string render_metrics(const RunMetrics& m, double previous_success);

// growthloop_last_success_timestamp_seconds from a file render_metrics wrote,
// 0 when the file or the line is missing.
double read_last_success(const std::string& path);

// Writes the run's file in dir (render_metrics, keeping the last success of
// the file it replaces); throws an Error naming the file when it cannot.
void write_run_metrics(const std::string& dir, const RunMetrics& m);

}  // namespace gl
