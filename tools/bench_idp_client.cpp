// The simulator's request machinery under load, for tools/bench_simulate.sh: `--connections`
// IdP flows, each sending GET requests one after another for `--duration` seconds through the
// same Runtime and libcurl multi handle `scimulator simulate` uses. Prints one BENCH line, the
// same fields wrk's Lua report gives, so the two are compared on the same target in one run.
#include "simulator/client/http_client.hpp"
#include "simulator/idp/flow.hpp"
#include "simulator/idp/runtime.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>

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
  CLI11_PARSE(app, argc, argv);

  scimclient::ClientOptions options = sim::idp_client_options(url);
  options.max_connections = connections * 2;
  scimclient::Client client(options);
  sim::Runtime runtime(client, connections);
  Counts counts;
  auto started = std::chrono::steady_clock::now();
  auto until = started + std::chrono::milliseconds(static_cast<long long>(duration * 1000));
  for (int i = 0; i < connections; ++i) runtime.spawn(keep_asking(runtime, path, authorization, until, counts));
  runtime.run();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "BENCH requests=" << counts.requests << " rps=" << static_cast<long long>(counts.requests / seconds)
            << " non2xx=" << counts.non2xx << " socket_errors=" << counts.errors << " seconds=" << seconds << "\n";
  return counts.errors == 0 ? 0 : 1;
}
