#include "core/fan_out.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio_ext.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <iterator>

#include "core/error.h"

namespace gl {

namespace {

// One worker: its pid, the read ends of its stdout, stderr and reports, the
// write end of its orders, the account it runs (or ran last: a line between
// two accounts is the last one's), and what has arrived of a line not yet complete.
struct Worker {
  pid_t pid = -1;
  int fds[3] = {-1, -1, -1};  // stdout, stderr, reports
  int orders = -1;
  bool running = false;
  std::size_t index = 0;
  std::string partial[2];
  std::string last_error;
  bool error_seen = false;  // last_error is a "TOOL: error: " line
};

// A worker's report: the account it ran (its index) and the run's exit code.
struct Report {
  std::uint32_t index;
  std::int32_t exit_code;
};

void write_all(int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  std::size_t off = 0;
  while (off < size) {
    const ssize_t n = ::write(fd, p + off, size - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw failure("--all-accounts", std::string("cannot write: ") + std::strerror(errno));
    off += static_cast<std::size_t>(n);
  }
}

// Reads exactly `size` bytes; false at end of file.
bool read_all(int fd, void* data, std::size_t size) {
  char* p = static_cast<char*>(data);
  std::size_t off = 0;
  while (off < size) {
    const ssize_t n = ::read(fd, p + off, size - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// SIGTERM, SIGINT or SIGHUP to the parent (a cron timeout, ^C): it starts no
// more accounts, stops the running ones with the same signal and still hands
// on every line they wrote. The signals are blocked but while the parent waits
// in ppoll, so none is lost between a check and the wait.
constexpr int kStopSignals[] = {SIGTERM, SIGINT, SIGHUP};
volatile sig_atomic_t g_stop_signal = 0;

void on_stop_signal(int sig) { g_stop_signal = sig; }

class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    sigset_t stop;
    sigemptyset(&stop);
    for (const int sig : kStopSignals) sigaddset(&stop, sig);
    ::sigprocmask(SIG_BLOCK, &stop, &wait_mask_);
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
      ::sigaction(kStopSignals[i], nullptr, &before_[i]);
      // An ignored signal (nohup, a background job's ^C) stays ignored.
      if (before_[i].sa_handler != SIG_IGN) ::sigaction(kStopSignals[i], &sa, nullptr);
    }
  }
  ~StopSignals() { restore(); }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // The handlers and mask the process had: the parent's at the end, a worker's at its start.
  void restore() const {
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
      ::sigaction(kStopSignals[i], &before_[i], nullptr);
    ::sigprocmask(SIG_SETMASK, &wait_mask_, nullptr);
  }
  // The mask to wait with: the stop signals let through.
  const sigset_t* wait_mask() const { return &wait_mask_; }

 private:
  sigset_t wait_mask_{};
  struct sigaction before_[std::size(kStopSignals)]{};
};

// The run's stdin: a temporary file holding its text, or /dev/null. Whatever
// the last run left unread in stdio's buffer is dropped.
void set_stdin(const AccountCommand& c) {
  int fd = -1;
  if (!c.feed_stdin) {
    fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  } else {
    char path[] = "/tmp/growthloop-stdin-XXXXXX";
    fd = ::mkstemp(path);
    if (fd < 0)
      throw failure("--all-accounts",
                    std::string("cannot create a temporary file: ") + std::strerror(errno));
    ::unlink(path);
    write_all(fd, c.stdin_text.data(), c.stdin_text.size());
    ::lseek(fd, 0, SEEK_SET);
  }
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  __fpurge(stdin);
  std::clearerr(stdin);
  std::cin.clear();
}

// A worker's life: runs the accounts its orders name until they end, and
// reports each exit once the run's output is written.
[[noreturn]] void work(int orders, int reports, const std::vector<AccountCommand>& commands,
                       const RunInWorker& run) {
  std::uint32_t index = 0;
  while (read_all(orders, &index, sizeof index)) {
    int code = kExitFailure;
    try {
      set_stdin(commands.at(index));
      code = run(commands.at(index));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "unknown failure\n");  // nothing unwinds into the parent's code
    }
    std::cout.flush();
    std::fflush(nullptr);
    const Report report{index, code};
    if (::write(reports, &report, sizeof report) != static_cast<ssize_t>(sizeof report))
      ::_exit(kExitFailure);  // the parent is gone
  }
  std::cout.flush();
  std::fflush(nullptr);
  ::_exit(kExitOk);
}

Worker start_worker(const std::vector<AccountCommand>& commands, const RunInWorker& run,
                    const std::deque<Worker>& others, const StopSignals& signals) {
  int out[2], err[2], orders[2], reports[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 ||
      ::pipe2(orders, O_CLOEXEC) != 0 || ::pipe2(reports, O_CLOEXEC) != 0)
    throw failure("--all-accounts", std::string("cannot create a pipe: ") + std::strerror(errno));
  std::cout.flush();
  std::fflush(nullptr);  // what is buffered now must not be written twice
  const pid_t pid = ::fork();
  if (pid < 0) throw failure("--all-accounts", std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    signals.restore();  // a worker dies of a signal as the tool would
    // The other workers' pipes: a worker holding one would keep it from ending.
    for (const Worker& w : others) {
      for (const int fd : w.fds)
        if (fd >= 0) ::close(fd);
      if (w.orders >= 0) ::close(w.orders);
    }
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    for (const int fd : {out[0], out[1], err[0], err[1], orders[1], reports[0]}) ::close(fd);
    work(orders[0], reports[1], commands, run);
  }
  for (const int fd : {out[1], err[1], orders[0], reports[1]}) ::close(fd);
  for (const int fd : {out[0], err[0]}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  Worker w;
  w.pid = pid;
  w.fds[0] = out[0];
  w.fds[1] = err[0];
  w.fds[2] = reports[0];
  w.orders = orders[1];
  return w;
}

// A worker ended by `stop_signal` (the one the parent passed on) was stopped,
// not broken: its account tries again later, as one not started does.
int wait_exit_code(pid_t pid, int stop_signal, std::string& last_error) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return kExitFailure;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  const int sig = WTERMSIG(status);
  if (stop_signal != 0 && sig == stop_signal) {
    last_error = "stopped by signal " + std::to_string(sig) + ": the run was stopped";
    return kExitTempFail;
  }
  last_error = "killed by signal " + std::to_string(sig);
  return kExitFailure;
}

}  // namespace

std::vector<AccountExit> run_per_account(const std::vector<AccountCommand>& commands,
                                         int max_parallel, const RunInWorker& run,
                                         const OnLine& on_line, Progress& progress) {
  // A reader of our stdout that goes away must not kill us before the workers are reaped.
  ::signal(SIGPIPE, SIG_IGN);
  const StopSignals signals;
  bool stopping = false;
  int stop_signal = 0;
  std::vector<AccountExit> exits(commands.size());
  std::deque<Worker> workers;
  std::size_t next = 0;
  const auto handle_line = [&](Worker& w, int stream, const std::string& line) {
    const std::string& account = commands[w.index].account;
    if (stream == 0) {
      on_line(account, line);
    } else {
      // The run's error line, not the CONTEXT or DETAIL lines PostgreSQL adds after it.
      if (line.find(": error: ") != std::string::npos) {
        w.last_error = line;
        w.error_seen = true;
      } else if (!w.error_seen && !line.empty()) {
        w.last_error = line;
      }
      const std::string text = "@" + account + ": " + line + "\n";
      std::fwrite(text.data(), 1, text.size(), stderr);
      std::fflush(stderr);
    }
  };
  // What has arrived of a line the stream will not complete: a line of its own.
  const auto end_line = [&](Worker& w, int s) {
    if (!w.partial[s].empty()) handle_line(w, s, w.partial[s]);
    w.partial[s].clear();
  };
  // Reads what the stream holds now (its fd is non-blocking), line by line.
  const auto read_stream = [&](Worker& w, int s) {
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(w.fds[s], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return;  // EAGAIN: nothing more for now
      if (n == 0) {
        end_line(w, s);
        ::close(w.fds[s]);
        w.fds[s] = -1;
        return;
      }
      w.partial[s].append(buf, static_cast<std::size_t>(n));
      std::size_t start_of_line = 0, nl;
      while ((nl = w.partial[s].find('\n', start_of_line)) != std::string::npos) {
        handle_line(w, s, w.partial[s].substr(start_of_line, nl - start_of_line));
        start_of_line = nl + 1;
      }
      w.partial[s].erase(0, start_of_line);
    }
  };
  const auto finish = [&](Worker& w, int exit_code) {
    exits[w.index] = {commands[w.index].account, exit_code, w.last_error};
    w.running = false;
    w.last_error.clear();
    w.error_seen = false;
    progress.advance();
  };
  // Hands the next account to an idle worker. One that ended meanwhile gets no
  // more orders and is reaped; the account waits for another worker.
  const auto give = [&](Worker& w) {
    const auto index = static_cast<std::uint32_t>(next);
    if (::write(w.orders, &index, sizeof index) != static_cast<ssize_t>(sizeof index)) {
      ::close(w.orders);
      w.orders = -1;
      return;
    }
    ++next;
    w.index = index;
    w.running = true;
  };
  // The accounts not started yet fail as "try again later"; the running ones get the signal.
  const auto stop = [&](int sig) {
    stopping = true;
    stop_signal = sig;
    const std::string text = "--all-accounts: stopped by signal " + std::to_string(sig) + ": " +
                             std::to_string(commands.size() - next) + " account(s) not started\n";
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
    for (; next < commands.size(); ++next) {
      exits[next] = {commands[next].account, kExitTempFail,
                     "not started: the run was stopped by signal " + std::to_string(sig)};
      progress.advance();
    }
    for (const Worker& w : workers)
      if (w.running) ::kill(w.pid, sig);
  };
  for (;;) {
    if (g_stop_signal != 0 && !stopping) stop(g_stop_signal);
    for (Worker& w : workers) {
      if (w.running || w.orders < 0) continue;
      if (next < commands.size()) {
        give(w);
      } else {
        ::close(w.orders);  // nothing left: the worker ends
        w.orders = -1;
      }
    }
    while (next < commands.size() && static_cast<int>(workers.size()) < max_parallel) {
      workers.push_back(start_worker(commands, run, workers, signals));
      give(workers.back());
    }
    if (workers.empty()) break;
    std::vector<pollfd> fds;
    std::vector<std::pair<std::size_t, int>> owners;  // (worker, stream)
    for (std::size_t i = 0; i < workers.size(); ++i) {
      for (int s = 0; s < 3; ++s) {
        if (workers[i].fds[s] < 0) continue;
        fds.push_back({workers[i].fds[s], POLLIN, 0});
        owners.emplace_back(i, s);
      }
    }
    if (::ppoll(fds.data(), fds.size(), nullptr, signals.wait_mask()) < 0) {
      if (errno == EINTR) continue;
      throw failure("--all-accounts", std::string("ppoll: ") + std::strerror(errno));
    }
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      Worker& w = workers[owners[k].first];
      const int s = owners[k].second;
      if (w.fds[s] < 0) continue;
      if (s < 2) {
        read_stream(w, s);
        continue;
      }
      Report report{};
      if (!read_all(w.fds[2], &report, sizeof report)) {
        ::close(w.fds[2]);
        w.fds[2] = -1;
        continue;
      }
      // The run's output was written before its report: all of it is in the pipes now.
      for (int out = 0; out < 2; ++out) {
        if (w.fds[out] < 0) continue;
        read_stream(w, out);
        end_line(w, out);
      }
      if (w.running && report.index == w.index) finish(w, report.exit_code);
    }
    // A worker whose pipes are all closed has ended (or is ending): reap it.
    for (auto it = workers.begin(); it != workers.end();) {
      if (it->fds[0] >= 0 || it->fds[1] >= 0 || it->fds[2] >= 0) {
        ++it;
        continue;
      }
      std::string error;
      int code = wait_exit_code(it->pid, stopping ? stop_signal : 0, error);
      if (it->running) {
        // A worker that died (a signal) or ended mid-run said nothing of it itself.
        const bool died = !error.empty() || code == kExitOk;
        if (!error.empty()) it->last_error = error;
        if (code == kExitOk) {
          code = kExitFailure;
          it->last_error = "the worker ended before the run did";
        }
        // Said on stderr as every other failure is, so cron mails it.
        if (died) {
          const std::string text = "@" + commands[it->index].account + ": the worker running it " +
                                   "failed: " + it->last_error + "\n";
          std::fwrite(text.data(), 1, text.size(), stderr);
          std::fflush(stderr);
        }
        finish(*it, code);
      }
      if (it->orders >= 0) ::close(it->orders);
      it = workers.erase(it);
    }
  }
  return exits;
}

int worst_exit_code(const std::vector<int>& codes) {
  bool any_failure = false, any_usage = false, any_temp = false;
  for (const int c : codes) {
    if (c == kExitOk) continue;
    if (c == kExitTempFail)
      any_temp = true;
    else if (c == kExitUsage)
      any_usage = true;
    else
      any_failure = true;
  }
  if (any_failure) return kExitFailure;
  if (any_usage) return kExitUsage;
  return any_temp ? kExitTempFail : kExitOk;
}

std::vector<std::string> one_account_args(int argc, char** argv, const std::string& handle) {
  std::vector<std::string> out;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (i > 0 && a == "--all-accounts") continue;
    if (i > 0 && (a == "--jobs" || a == "--shard")) {
      ++i;  // and its value
      continue;
    }
    if (i > 0 && (a.rfind("--jobs=", 0) == 0 || a.rfind("--shard=", 0) == 0)) continue;
    // -j, alone or among other short flags (-j 2, -j2, -vj 2, -vj2): the others
    // stay, -j and its value go.
    if (const size_t j = a.find('j');
        i > 0 && a.size() > 1 && a[0] == '-' && a[1] != '-' && j != std::string::npos) {
      if (j > 1) out.push_back(a.substr(0, j));
      if (j + 1 == a.size()) ++i;  // the value is the next argument
      continue;
    }
    out.push_back(a);
  }
  out.push_back("--account");
  out.push_back(handle);
  return out;
}

Shard parse_shard(const std::string& text) {
  Shard s{0, 0};
  const auto slash = text.find('/');
  try {
    size_t used_i = 0, used_n = 0;
    if (slash != std::string::npos) {
      s.index = std::stoi(text.substr(0, slash), &used_i);
      s.count = std::stoi(text.substr(slash + 1), &used_n);
      if (used_i != slash || used_n != text.size() - slash - 1) s = {0, 0};
    }
  } catch (const std::exception&) {
    s = {0, 0};
  }
  if (s.count < 1 || s.count > 10000 || s.index < 1 || s.index > s.count)
    throw usage_error("--shard \"" + text + "\"",
                      "expected I/N with 1 <= I <= N <= 10000, e.g. 2/3");
  return s;
}

}  // namespace gl
