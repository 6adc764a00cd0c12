#pragma once
// The scimulator binary as the tests of tools/ meet it: one-shot commands with their output and
// exit code, and `serve` as a background child that the test stops by its PID.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace clitest {

struct Outcome {
  int code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `scimulator <arguments>` through the shell (arguments are shell words).
inline Outcome scimulator(const std::string& arguments) {
  std::string command = std::string(SCIMULATOR_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  Outcome out;
  if (!pipe) return out;
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.output.append(buffer.data(), n);
  int status = pclose(pipe);
  out.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// An empty directory of this test process: <tmp>/scimulator-<suite>-test-<pid>/<name>.
inline std::filesystem::path scratch_dir(const std::string& suite, const std::string& name) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("scimulator-" + suite + "-test-" + std::to_string(getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A whole file as bytes; "" when it cannot be read.
inline std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A value printed on a line "label value" (e.g. "key:     scim_…"); "" when absent.
inline std::string labelled(const std::string& output, const std::string& label) {
  std::size_t at = output.find("\n" + label);
  std::size_t start = output.rfind(label, 0) == 0 ? 0 : (at == std::string::npos ? at : at + 1);
  if (start == std::string::npos) return {};
  start += label.size();
  while (start < output.size() && output[start] == ' ') ++start;
  return output.substr(start, output.find('\n', start) - start);
}

// `scimulator serve …` in the background; its output goes to a file the test can read.
class ServeProcess {
 public:
  ServeProcess(const std::vector<std::string>& arguments, const std::filesystem::path& log) : log_(log) {
    std::vector<std::string> argv_text = {SCIMULATOR_BINARY, "serve"};
    argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    int rc = posix_spawn(&pid_, SCIMULATOR_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start scimulator serve");
    for (int i = 0; i < 200 && base_url_.empty(); ++i) {
      base_url_ = labelled(output(), "scimulator serve: listening on");
      if (base_url_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    if (base_url_.empty()) {
      stop();
      throw std::runtime_error("scimulator serve did not start: " + output());
    }
  }
  ~ServeProcess() { stop(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  const std::string& base_url() const { return base_url_; }
  std::string origin() const { return base_url_.substr(0, base_url_.find('/', base_url_.find("://") + 3)); }
  std::string output() const {
    std::ifstream in(log_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // SIGTERM and wait: the server drains and closes its store.
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::string base_url_;
};

}  // namespace clitest
