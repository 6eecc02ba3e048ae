#include "support/harness.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>

extern char** environ;

namespace gl::test {

namespace {

std::string require_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    throw std::runtime_error(std::string(name) + " is not set: run the tests through scripts/test");
  }
  return v;
}

// Replaces the database name in a postgresql:// URL.
std::string with_database(const std::string& url, const std::string& db) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos)
    throw std::runtime_error("DATABASE_URL must be a postgresql:// URL");
  const auto slash = url.find('/', scheme + 3);
  const auto query = url.find('?', scheme + 3);
  const std::string head = url.substr(0, slash == std::string::npos ? query : slash);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  return head + "/" + db + tail;
}

void write_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // the child closed its stdin; what it did not read it did not want
    }
    off += static_cast<size_t>(n);
  }
}

pid_t spawn(const Command& c, int* out_fd, int* err_fd) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) throw std::runtime_error("pipe failed");
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    const std::string key = kv.substr(0, kv.find('='));
    if (c.env.count(key) == 0) env_strings.push_back(kv);
  }
  for (const auto& [k, v] : c.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = c.args;
  if (args[0].find('/') == std::string::npos) args[0] = bin(args[0]);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
      close(fd);
    execve(argv[0], argv.data(), envp.data());
    std::fprintf(stderr, "exec %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  signal(SIGPIPE, SIG_IGN);
  write_all(in_pipe[1], c.stdin_text);
  close(in_pipe[1]);
  *out_fd = out_pipe[0];
  *err_fd = err_pipe[0];
  return pid;
}

// Drains both pipes until both close.
void drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open = 2;
  char buf[65536];
  while (open > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? out : err).append(buf, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string bin(const std::string& tool) { return std::string(GL_BIN_DIR) + "/" + tool; }
std::string source_dir() { return GL_SOURCE_DIR; }

TestDb::TestDb(bool migrate) {
  admin_url_ = require_env("DATABASE_URL");
  std::random_device rd;
  name_ = "gl_test_" + std::to_string(getpid()) + "_" + std::to_string(rd() % 1000000000);
  {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction(admin).exec("CREATE DATABASE " + name_);
  }
  url_ = with_database(admin_url_, name_);
  if (migrate) {
    Result r = run({"migrate"}, url_);
    if (r.exit_code != 0) throw std::runtime_error("migrate failed: " + r.err);
  }
}

TestDb::~TestDb() {
  conn_.reset();
  try {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

pqxx::connection& TestDb::conn() {
  if (!conn_) {
    conn_ = std::make_unique<pqxx::connection>(url_);
    pqxx::nontransaction(*conn_).exec("SET TIME ZONE 'UTC'");
  }
  return *conn_;
}

std::string TestDb::scalar(const std::string& sql) {
  pqxx::nontransaction t(conn());
  auto r = t.exec(sql);
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].as<std::string>();
}

Result run(const Command& c) {
  Result r;
  int out_fd, err_fd;
  const pid_t pid = spawn(c, &out_fd, &err_fd);
  drain(out_fd, err_fd, r.out, r.err);
  r.exit_code = wait_exit(pid);
  return r;
}

Result run(std::vector<std::string> args, const std::string& db_url,
           const std::string& stdin_text) {
  return run(Command{std::move(args), stdin_text, {{"DATABASE_URL", db_url}}});
}

Process::Process(const Command& c) { pid_ = spawn(c, &out_fd_, &err_fd_); }

Process::~Process() {
  if (!waited_) {
    ::kill(pid_, SIGKILL);
    wait();
  }
}

std::string Process::read_line() {
  char buf[4096];
  while (pending_out_.find('\n') == std::string::npos) {
    const ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n <= 0) break;
    pending_out_.append(buf, static_cast<size_t>(n));
  }
  const auto nl = pending_out_.find('\n');
  std::string line = pending_out_.substr(0, nl);
  pending_out_.erase(0, nl == std::string::npos ? pending_out_.size() : nl + 1);
  return line;
}

void Process::kill(int signal) { ::kill(pid_, signal); }

Result Process::wait() {
  Result r;
  r.out = pending_out_;
  pending_out_.clear();
  drain(out_fd_, err_fd_, r.out, r.err);
  r.exit_code = wait_exit(pid_);
  waited_ = true;
  return r;
}

}  // namespace gl::test
