// Running a built executable as a child process in a test: its exit code,
// everything it wrote to stdout and stderr, optional stdin text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::test {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with the arguments; waits for it to end.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_text = "");

// A child left running (a daemon under test). Its output goes to files so
// it never blocks; the destructor kills it if the test did not stop it.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits up to `timeout_ms` for `text` to appear in its stdout.
  bool wait_for_output(const std::string& text, int timeout_ms) const;
  void send_signal(int signal) const;
  // The port of the "listening on http://HOST:PORT" line it printed (0 if none).
  uint16_t listening_port() const;
  // Waits for the exit (at most `timeout_ms`, then SIGKILL) and collects output.
  ProcessResult wait(int timeout_ms);

 private:
  std::string read_file(const std::string& path) const;
  int pid_ = -1;
  std::string out_path_, err_path_;
};

// Path of an executable built into build/bin.
std::string built_binary(const std::string& name);

}  // namespace vigil::test
