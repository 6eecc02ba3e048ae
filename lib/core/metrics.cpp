#include "core/metrics.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <utility>
#include <vector>

#include "core/error.h"

namespace gl {

namespace {

// The run's counts that have a metric of their own: the stat job_runs keeps
// and the metric it becomes. Every other number is growthloop_last_run_stat.
const std::vector<std::pair<const char*, const char*>> kNamedStats = {
    {"collected", "growthloop_last_run_posts_collected"},
    {"posted", "growthloop_last_run_posts_published"},
    {"planned", "growthloop_last_run_posts_planned"},
    {"api_requests", "growthloop_last_run_api_requests"},  // from api_usage (db/job_run.cpp)
    {"api_cost_usd", "growthloop_last_run_api_spend_usd"},
};

constexpr const char* kLastSuccess = "growthloop_last_success_timestamp_seconds";

std::string escape_label(const std::string& v) {
  std::string out;
  for (const char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string number(double v) {
  if (v == static_cast<double>(static_cast<long long>(v)) && v > -1e15 && v < 1e15)
    return std::to_string(static_cast<long long>(v));
  return fmt::format("{}", v);
}

struct Writer {
  std::string labels;
  std::string text;
  void gauge(const std::string& name, const std::string& help, double value,
             const std::string& extra_labels = "") {
    text += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n";
    sample(name, value, extra_labels);
  }
  void sample(const std::string& name, double value, const std::string& extra_labels = "") {
    text += name + "{" + labels + extra_labels + "} " + number(value) + "\n";
  }
};

}  // namespace

std::string metrics_path(const std::string& dir, const std::string& tool,
                         const std::string& account) {
  std::string name = tool;
  if (account == "*")
    name += "@all-accounts";
  else if (!account.empty())
    name += "@" + account;
  return dir + "/" + name + ".prom";
}

std::string render_metrics(const RunMetrics& m, double previous_success) {
  Writer w;
  w.labels = "tool=\"" + escape_label(m.tool) + "\",account=\"" + escape_label(m.account) + "\"";
  const double last_success = m.exit_code == 0 ? m.finished_unix : previous_success;
  w.gauge(kLastSuccess, "End of the last run that exited 0 (0: none recorded).", last_success);
  w.gauge("growthloop_last_run_timestamp_seconds", "End of the last run, whatever its outcome.",
          m.finished_unix);
  w.gauge("growthloop_last_run_duration_seconds", "Wall time of the last run.", m.duration_seconds);
  w.gauge("growthloop_last_exit_code",
          "Exit code of the last run: 0 ok, 2 bad usage or input, 75 try again later, 1 other.",
          m.exit_code);
  if (!m.stats.is_object()) return w.text;
  for (const auto& [stat, metric] : kNamedStats) {
    const auto it = m.stats.find(stat);
    if (it == m.stats.end() || !it->is_number()) continue;
    w.gauge(metric, std::string("The last run's \"") + stat + "\" count.", it->get<double>());
  }
  bool first = true;
  for (const auto& [key, value] : m.stats.items()) {
    if (!value.is_number() && !value.is_boolean()) continue;
    const double v = value.is_boolean() ? (value.get<bool>() ? 1 : 0) : value.get<double>();
    const std::string label = ",stat=\"" + escape_label(key) + "\"";
    if (first) {
      w.gauge("growthloop_last_run_stat", "Every number of the last run's job_runs stats.", v,
              label);
      first = false;
    } else {
      w.sample("growthloop_last_run_stat", v, label);
    }
  }
  return w.text;
}

double read_last_success(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  const std::string prefix = std::string(kLastSuccess) + "{";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) return 0;
    try {
      return std::stod(line.substr(space + 1));
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

void write_run_metrics(const std::string& dir, const RunMetrics& m) {
  const std::string path = metrics_path(dir, m.tool, m.account);
  const std::string text = render_metrics(m, read_last_success(path));
  // The collector reads only *.prom: the temporary name ends otherwise, and
  // carries the pid so two runs never share it.
  const std::string tmp = path + "." + std::to_string(getpid()) + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw failure("GROWTHLOOP_METRICS_DIR", "cannot write " + tmp);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(tmp.c_str());
    throw failure("GROWTHLOOP_METRICS_DIR", "cannot rename " + tmp + " to " + path + ": " + reason);
  }
}

}  // namespace gl
