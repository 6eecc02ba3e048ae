#include "core/fan_out.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>

#include "core/error.h"

namespace gl {

namespace {

// One running child: its pid, the read ends of its stdout and stderr, and
// what has arrived of a line not yet complete.
struct Child {
  std::size_t index = 0;
  pid_t pid = -1;
  int fds[2] = {-1, -1};  // stdout, stderr
  std::string partial[2];
  std::string last_error;
};

void write_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw failure("--all-accounts", std::string("cannot write: ") + std::strerror(errno));
    off += static_cast<std::size_t>(n);
  }
}

// The child's stdin: a temporary file holding its text, or /dev/null.
int stdin_fd(const AccountCommand& c) {
  if (!c.feed_stdin) return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  char path[] = "/tmp/growthloop-stdin-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0)
    throw failure("--all-accounts",
                  std::string("cannot create a temporary file: ") + std::strerror(errno));
  ::unlink(path);
  write_all(fd, c.stdin_text);
  ::lseek(fd, 0, SEEK_SET);
  return fd;
}

Child start(const AccountCommand& c, std::size_t index) {
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
    throw failure("--all-accounts", std::string("cannot create a pipe: ") + std::strerror(errno));
  const int in = stdin_fd(c);
  // Everything exec needs is made before fork: only async-signal-safe calls after it.
  std::vector<char*> argv;
  for (const auto& a : c.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw failure("--all-accounts", std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::dup2(in, STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::execv("/proc/self/exe", argv.data());
    const char msg[] = "cannot run /proc/self/exe\n";
    (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(kExitFailure);
  }
  ::close(in);
  ::close(out[1]);
  ::close(err[1]);
  Child child;
  child.index = index;
  child.pid = pid;
  child.fds[0] = out[0];
  child.fds[1] = err[0];
  return child;
}

int wait_exit_code(pid_t pid, std::string& last_error) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return kExitFailure;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  last_error = "killed by signal " + std::to_string(WTERMSIG(status));
  return kExitFailure;
}

}  // namespace

std::vector<AccountExit> run_per_account(const std::vector<AccountCommand>& commands,
                                         int max_parallel, const OnLine& on_line,
                                         Progress& progress) {
  // A reader of our stdout that goes away must not kill us before the children are reaped.
  ::signal(SIGPIPE, SIG_IGN);
  std::vector<AccountExit> exits(commands.size());
  std::deque<Child> running;
  std::size_t next = 0;
  const auto handle_line = [&](Child& c, int stream, const std::string& line) {
    const std::string& account = commands[c.index].account;
    if (stream == 0) {
      on_line(account, line);
    } else {
      if (!line.empty()) c.last_error = line;
      const std::string text = "@" + account + ": " + line + "\n";
      std::fwrite(text.data(), 1, text.size(), stderr);
      std::fflush(stderr);
    }
  };
  while (next < commands.size() || !running.empty()) {
    while (next < commands.size() && static_cast<int>(running.size()) < max_parallel) {
      running.push_back(start(commands[next], next));
      ++next;
    }
    std::vector<pollfd> fds;
    std::vector<std::pair<std::size_t, int>> owners;  // (running index, stream)
    for (std::size_t i = 0; i < running.size(); ++i) {
      for (int s = 0; s < 2; ++s) {
        if (running[i].fds[s] < 0) continue;
        fds.push_back({running[i].fds[s], POLLIN, 0});
        owners.emplace_back(i, s);
      }
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw failure("--all-accounts", std::string("poll: ") + std::strerror(errno));
    }
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      Child& c = running[owners[k].first];
      const int s = owners[k].second;
      char buf[65536];
      const ssize_t n = ::read(c.fds[s], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (!c.partial[s].empty()) handle_line(c, s, c.partial[s]);
        c.partial[s].clear();
        ::close(c.fds[s]);
        c.fds[s] = -1;
        continue;
      }
      c.partial[s].append(buf, static_cast<std::size_t>(n));
      std::size_t start_of_line = 0, nl;
      while ((nl = c.partial[s].find('\n', start_of_line)) != std::string::npos) {
        handle_line(c, s, c.partial[s].substr(start_of_line, nl - start_of_line));
        start_of_line = nl + 1;
      }
      c.partial[s].erase(0, start_of_line);
    }
    // A child whose stdout and stderr are both closed has ended (or is ending): reap it.
    for (auto it = running.begin(); it != running.end();) {
      if (it->fds[0] >= 0 || it->fds[1] >= 0) {
        ++it;
        continue;
      }
      AccountExit& e = exits[it->index];
      e.account = commands[it->index].account;
      e.last_error = it->last_error;
      e.exit_code = wait_exit_code(it->pid, e.last_error);
      progress.advance();
      it = running.erase(it);
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
    if (i > 0 && (a == "-j" || a == "--jobs" || a == "--shard")) {
      ++i;  // and its value
      continue;
    }
    if (i > 0 && ((a.rfind("-j", 0) == 0 && a.size() > 2) || a.rfind("--jobs=", 0) == 0 ||
                  a.rfind("--shard=", 0) == 0))
      continue;
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
