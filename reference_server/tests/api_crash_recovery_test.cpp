// The `scimulator serve` process killed mid-write: every create the server acknowledged with
// 201 must be there after a restart on the same SQLite file (the store commits before it
// answers). Also: SIGTERM is a clean, prompt shutdown that keeps the data.
// Needs the `scimulator` target built in the same build directory.
#include "reference_server/tests/api_wire_fixture.hpp"

#include <atomic>
#include <chrono>
#include <optional>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace refserver::wire {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::string kBinary = SCIMULATOR_BINARY_DIR "/tools/scimulator";

// One `scimulator serve` child. The destructor kills and reaps it on every path (a failed
// ASSERT included), so no test leaves a server behind. Its stdout stays open until it is
// reaped: closing it early would SIGPIPE the child's final "stopped" line.
class ServeProcess {
 public:
  explicit ServeProcess(const std::string& db_path) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      const char* argv[] = {kBinary.c_str(), "serve", "--port", "0", "--data", db_path.c_str(),
                            "--token", kToken, "--quiet", nullptr};
      ::execv(kBinary.c_str(), const_cast<char* const*>(argv));
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_ = out[0];
    try {
      base_url_ = read_base_url(std::chrono::seconds(10));
    } catch (...) {
      reap();  // the destructor does not run for a constructor that throws
      throw;
    }
  }
  ~ServeProcess() { reap(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  const std::string& base_url() const { return base_url_; }
  void signal(int sig) { ::kill(pid_, sig); }

  // Waits for the child to exit; nullopt on timeout (the destructor then kills it).
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int status = 0;
      pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        pid_ = -1;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
  }

 private:
  // The first stdout line is "scimulator serve: listening on http://127.0.0.1:PORT/scim/v2".
  std::string read_base_url(std::chrono::milliseconds timeout) {
    std::string line;
    auto deadline = Clock::now() + timeout;
    while (line.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) throw std::runtime_error("scimulator serve printed no address in time: " + line);
      pollfd fd{stdout_, POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(left)) <= 0) continue;
      char buffer[256];
      ssize_t n = ::read(stdout_, buffer, sizeof buffer);
      if (n <= 0) throw std::runtime_error("scimulator serve exited before listening (is " + kBinary + " built?)");
      line.append(buffer, static_cast<std::size_t>(n));
    }
    line = line.substr(0, line.find('\n'));
    const std::string prefix = "scimulator serve: listening on ";
    if (line.rfind(prefix, 0) != 0) throw std::runtime_error("unexpected first line: " + line);
    return line.substr(prefix.size());
  }

  void reap() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (stdout_ >= 0) ::close(stdout_);
    stdout_ = -1;
  }

  pid_t pid_ = -1;
  int stdout_ = -1;
  std::string base_url_;
};

HttpReply send_request(CurlClient& client, const std::string& method, const std::string& url, const std::string& body = "") {
  std::vector<std::string> headers = {"Expect:", std::string("Authorization: Bearer ") + kToken};
  if (!body.empty()) headers.push_back("Content-Type: application/scim+json");
  return client.request(method, url, body, headers, !body.empty());
}

TEST(Persistence_CrashRecovery, EveryAcknowledgedCreateSurvivesSigkill) {
  TempDbFile db("scimulator-crash");
  std::vector<std::pair<std::string, std::string>> acknowledged;  // id, userName
  {
    ServeProcess server(db.path());
    std::mutex mutex;
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&, t] {
        CurlClient client;
        for (int i = 0; !stop; ++i) {
          std::string user_name = "crash.t" + std::to_string(t) + ".u" + std::to_string(i) + "@example.com";
          HttpReply reply = send_request(client, "POST", server.base_url() + "/Users",
                                 json{{"schemas", {kUserSchema}}, {"userName", user_name}}.dump());
          if (reply.status == 0) return;  // the server is gone
          if (reply.status == 201 && reply.body.is_object()) {
            std::lock_guard lock(mutex);
            acknowledged.emplace_back(reply.body.value("id", ""), user_name);
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    server.signal(SIGKILL);  // mid-write: the writers are still posting
    auto status = server.wait_exit(std::chrono::seconds(5));
    stop = true;
    for (auto& w : writers) w.join();
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL);
  }
  ASSERT_GT(acknowledged.size(), 10u) << "the writers barely ran; the test proves nothing";
  RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));

  ServeProcess restarted(db.path());
  CurlClient client;
  for (const auto& [id, user_name] : acknowledged) {
    HttpReply reply = send_request(client, "GET", restarted.base_url() + "/Users/" + id);
    ASSERT_EQ(reply.status, 200) << "acknowledged user " << user_name << " (" << id << ") lost: " << reply.text;
    EXPECT_EQ(reply.body["userName"], user_name);
  }
  HttpReply total = send_request(client, "GET", restarted.base_url() + "/Users?count=0");
  ASSERT_EQ(total.status, 200) << total.text;
  EXPECT_GE(total.body["totalResults"].get<std::size_t>(), acknowledged.size());
}

TEST(Persistence_CrashRecovery, SigtermExitsZeroPromptlyAndKeepsData) {
  TempDbFile db("scimulator-term");
  std::string id;
  {
    ServeProcess server(db.path());
    CurlClient client;
    HttpReply created = send_request(client, "POST", server.base_url() + "/Users",
                             json{{"schemas", {kUserSchema}}, {"userName", "term@example.com"}}.dump());
    ASSERT_EQ(created.status, 201) << created.error << created.text;
    id = created.body.value("id", "");
    auto started = Clock::now();
    server.signal(SIGTERM);
    auto status = server.wait_exit(std::chrono::seconds(5));
    ASSERT_TRUE(status.has_value()) << "scimulator serve ignored SIGTERM for 5 s";
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "status " << *status;
  }
  ServeProcess restarted(db.path());
  CurlClient client;
  HttpReply reply = send_request(client, "GET", restarted.base_url() + "/Users/" + id);
  ASSERT_EQ(reply.status, 200) << reply.error << reply.text;
  EXPECT_EQ(reply.body["userName"], "term@example.com");
}

}  // namespace
}  // namespace refserver::wire
