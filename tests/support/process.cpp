#include "tests/support/process.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace vigil::test {
namespace {

void close_pipe(int fds[2]) {
  close(fds[0]);
  close(fds[1]);
}

// Feeds stdin and drains stdout and stderr together, so a child that writes
// a lot to one of them never blocks on a full pipe.
void pump(int in, const std::string& input, int out, int err, ProcessResult& result) {
  size_t written = 0;
  if (input.empty()) close(in), in = -1;
  while (out >= 0 || err >= 0) {
    pollfd fds[3] = {{out, POLLIN, 0}, {err, POLLIN, 0}, {in, POLLOUT, 0}};
    if (poll(fds, 3, -1) < 0) throw std::runtime_error("poll failed");
    char buffer[65536];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        (i == 0 ? out : err) = -1;
      }
    }
    if (in >= 0 && (fds[2].revents & (POLLOUT | POLLERR))) {
      ssize_t n = write(in, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n <= 0 || written == input.size()) close(in), in = -1;
    }
  }
  if (in >= 0) close(in);
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_text) {
  int in[2], out[2], err[2];
  if (pipe(in) || pipe(out) || pipe(err)) throw std::runtime_error("pipe failed");
  signal(SIGPIPE, SIG_IGN);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    close_pipe(in);
    close_pipe(out);
    close_pipe(err);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  ProcessResult result;
  pump(in[1], stdin_text, out[0], err[0], result);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
  char out_template[] = "/tmp/vigil-child-out-XXXXXX";
  char err_template[] = "/tmp/vigil-child-err-XXXXXX";
  int out = mkstemp(out_template), err = mkstemp(err_template);
  if (out < 0 || err < 0) throw std::runtime_error("mkstemp failed");
  out_path_ = out_template;
  err_path_ = err_template;
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out);
  close(err);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  unlink(out_path_.c_str());
  unlink(err_path_.c_str());
}

std::string ChildProcess::read_file(const std::string& path) const {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool ChildProcess::wait_for_output(const std::string& text, int timeout_ms) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (read_file(out_path_).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

uint16_t ChildProcess::listening_port() const {
  std::string out = read_file(out_path_);
  const std::string marker = "listening on http://";
  auto at = out.find(marker);
  if (at == std::string::npos) return 0;
  auto colon = out.find(':', at + marker.size());
  return colon == std::string::npos ? 0 : static_cast<uint16_t>(std::stoi(out.substr(colon + 1)));
}

void ChildProcess::send_signal(int signal) const {
  kill(pid_, signal);
}

ProcessResult ChildProcess::wait(int timeout_ms) {
  ProcessResult result;
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path_);
  result.err = read_file(err_path_);
  return result;
}

std::string built_binary(const std::string& name) {
  return std::string(VIGIL_BUILD_DIR) + "/bin/" + name;
}

}  // namespace vigil::test
