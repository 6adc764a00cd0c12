// The simulator's request machinery under load, for tools/bench_simulate.sh: `--connections`
// IdP flows, each sending GET requests one after another for `--duration` seconds through the
// same Runtime and libcurl multi handle `scimulator simulate` uses. Prints one BENCH line, the
// same fields wrk's Lua report gives, so the two are compared on the same target in one run.
// With --bare-libcurl it runs libcurl alone instead: one multi handle, each easy handle set up
// once and re-added as soon as it finishes, nothing else per request. That is the most libcurl
// does here, so it separates what the simulator adds from what the library costs.
#include "simulator/client/http_client.hpp"
#include "simulator/idp/flow.hpp"
#include "simulator/idp/runtime.hpp"

#include <CLI/CLI.hpp>
#include <curl/curl.h>

#include <chrono>
#include <iostream>
#include <vector>

namespace {

struct Counts {
  std::size_t requests = 0, non2xx = 0, errors = 0;
};

sim::Flow<void> keep_asking(sim::Runtime& runtime, std::string path, std::string authorization,
                            std::chrono::steady_clock::time_point until, Counts& counts) {
  // Built once, outside the co_await: GCC 12 miscompiles brace-initialized headers inside one.
  scimclient::Headers headers;
  headers.emplace_back("Authorization", authorization);
  headers.emplace_back("Accept", "application/scim+json");
  const scimclient::HttpRequestSpec request = runtime.client().make_request("GET", path, {}, headers);
  while (std::chrono::steady_clock::now() < until) {
    scimclient::Exchange exchange = co_await runtime.send(request);
    ++counts.requests;
    if (!exchange.ok()) ++counts.errors;
    else if (exchange.status < 200 || exchange.status >= 300) ++counts.non2xx;
  }
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

Counts bare_libcurl(const std::string& url, const std::string& authorization, int connections,
                    std::chrono::steady_clock::time_point until) {
  Counts counts;
  curl_global_init(CURL_GLOBAL_ALL);
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(connections * 2));
  curl_slist* headers = curl_slist_append(nullptr, ("Authorization: " + authorization).c_str());
  headers = curl_slist_append(headers, "Accept: application/scim+json");
  std::vector<CURL*> handles;
  for (int i = 0; i < connections; ++i) {
    CURL* easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &discard);
    curl_multi_add_handle(multi, easy);
    handles.push_back(easy);
  }
  int in_flight = connections;
  while (in_flight > 0) {
    int running = 0;
    curl_multi_perform(multi, &running);
    bool restarted = false;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      ++counts.requests;
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      if (message->data.result != CURLE_OK) ++counts.errors;
      else if (status < 200 || status >= 300) ++counts.non2xx;
      curl_multi_remove_handle(multi, easy);
      if (std::chrono::steady_clock::now() < until) {
        curl_multi_add_handle(multi, easy);
        restarted = true;
      } else {
        --in_flight;
      }
    }
    // A restarted handle is sent by the next perform; wait only when nothing new was started.
    if (!restarted && in_flight > 0) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  for (CURL* easy : handles) curl_easy_cleanup(easy);
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  return counts;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"load the target the way scimulator simulate's engines do"};
  std::string url, path = "/Users/x", authorization = "Bearer bench";
  int connections = 32;
  double duration = 10;
  app.add_option("--url", url, "base URL, e.g. http://127.0.0.1:8080/scim/v2")->required();
  app.add_option("--path", path, "path requested, relative to --url")->capture_default_str();
  app.add_option("--authorization", authorization, "Authorization header value")->capture_default_str();
  app.add_option("--connections", connections, "flows (and requests in flight)")->capture_default_str();
  app.add_option("--duration", duration, "seconds")->capture_default_str();
  bool bare = false;
  app.add_flag("--bare-libcurl", bare, "libcurl alone, without the simulator's runtime and client");
  CLI11_PARSE(app, argc, argv);

  Counts counts;
  auto started = std::chrono::steady_clock::now();
  auto until = started + std::chrono::milliseconds(static_cast<long long>(duration * 1000));
  if (bare) {
    std::string base = url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    counts = bare_libcurl(base + path, authorization, connections, until);
  } else {
    scimclient::ClientOptions options = sim::idp_client_options(url);
    options.max_connections = connections * 2;
    scimclient::Client client(options);
    sim::Runtime runtime(client, connections);
    for (int i = 0; i < connections; ++i) runtime.spawn(keep_asking(runtime, path, authorization, until, counts));
    runtime.run();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "BENCH requests=" << counts.requests << " rps=" << static_cast<long long>(counts.requests / seconds)
            << " non2xx=" << counts.non2xx << " socket_errors=" << counts.errors << " seconds=" << seconds << "\n";
  return counts.errors == 0 ? 0 : 1;
}
