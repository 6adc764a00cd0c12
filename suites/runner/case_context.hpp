#pragma once
// The one thing a case body talks to: it sends requests (each recorded in the wire log and
// judged by the response rules), records checks graded by RFC 2119 level, creates fixtures it
// will clean up, and stops the case as `blocked` or `unsupported` when a precondition is missing.
#include "simulator/client/exchange.hpp"
#include "suites/runner/case_result.hpp"
#include "suites/runner/run_environment.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suites {

// Thrown by CaseContext to end a case early with a given outcome; the runner catches it.
struct CaseStop {
  Outcome outcome;
  std::string reason;
};

struct CheckOptions {
  std::optional<Level> level;     // default: the case's level
  std::string citation;           // default: the case's citation
  bool vendor = false;            // a vendor's assertion (vendor verdict only)
};

class CaseContext {
 public:
  CaseContext(RunEnvironment& environment, const CaseInfo& info, std::string suffix);

  // ---- the wire
  // Relative paths are under the target's base URL. Requests that write (anything but GET, and
  // POST to .search) are refused on a non-loopback target unless --allow-writes was given:
  // the case ends `blocked`.
  const scimclient::Exchange& send(scimclient::HttpRequestSpec request);
  const scimclient::Exchange& get(std::string_view path, scimclient::Headers headers = {});
  const scimclient::Exchange& post(std::string_view path, const nlohmann::json& body, scimclient::Headers headers = {});
  const scimclient::Exchange& put(std::string_view path, const nlohmann::json& body, scimclient::Headers headers = {});
  const scimclient::Exchange& patch(std::string_view path, const nlohmann::json& body, scimclient::Headers headers = {});
  const scimclient::Exchange& del(std::string_view path, scimclient::Headers headers = {});
  // A request under the target's base URL with this run's timeout, to adjust before send().
  scimclient::HttpRequestSpec make_request(std::string method, std::string_view path, std::string body = {},
                                           scimclient::Headers headers = {}) const;
  // A request with a raw body and content type (malformed JSON, wrong media types).
  const scimclient::Exchange& send_raw(std::string method, std::string_view path, std::string body,
                                       std::string content_type, scimclient::Headers headers = {});
  // A request without the run's credentials (and with `headers` instead).
  const scimclient::Exchange& send_unauthenticated(std::string method, std::string_view path,
                                                   scimclient::Headers headers = {});

  // ---- checks: each is recorded; a failed one grades the case by its level
  bool expect(bool ok, std::string what, std::string expected = {}, std::string actual = {},
              const CheckOptions& options = {});
  bool expect_status(const scimclient::Exchange& exchange, int status, const CheckOptions& options = {});
  bool expect_status_in(const scimclient::Exchange& exchange, const std::vector<int>& statuses,
                        const CheckOptions& options = {});
  // RFC 7644 §3.12: the HTTP status, and the scimType when given.
  bool expect_error(const scimclient::Exchange& exchange, int status, std::string_view scim_type = {},
                    const CheckOptions& options = {});

  // ---- set-up: a failure ends the case `blocked` naming the step, not `fail`
  // POST to `endpoint` expecting 201; the resource is deleted after the case unless --keep.
  nlohmann::json create(std::string_view endpoint, const nlohmann::json& body);
  nlohmann::json read(std::string_view endpoint, std::string_view id);
  // A resource created by other means than create(), deleted after the case like the others.
  void track(std::string_view endpoint, std::string id);
  // A required step of the case that is itself another case's subject: blocked when it fails.
  void require(bool ok, std::string what);
  [[noreturn]] void blocked(std::string why);
  [[noreturn]] void unsupported(std::string why);
  void note(std::string text);

  // ---- data
  // `base` made unique to this case and run ("bjensen" → "bjensen-r7k2p-014"), so cases never
  // collide with each other, with earlier runs or with the target's own data.
  std::string unique(std::string_view base) const;
  const std::string& suffix() const { return suffix_; }
  const Discovery& discovery() const { return environment_.discovery(); }
  const scim::SchemaRegistry& schemas() const { return *environment_.discovery().registry; }
  // The resource type for an endpoint ("/Users") from the target's registry; blocked if absent.
  const scim::ResourceTypeDef& resource_type(std::string_view endpoint) const;
  const CaseInfo& info() const { return info_; }
  const RunSettings& settings() const { return environment_.settings(); }

  // The last full representation the target returned for a resource id, as the oracle's
  // "before"; nullopt when the case never saw it.
  std::optional<nlohmann::json> last_seen(const std::string& id) const;
  // Ids of the resources this case created, by endpoint ("/Users").
  std::vector<std::string> created_ids(std::string_view endpoint) const;
  // Named values a step captured, shared by the steps of a data case.
  std::map<std::string, std::string>& variables() { return variables_; }

  // Deletes what the case created, newest first (the runner calls it).
  void clean_up();
  CaseResult& result() { return result_; }
  const scimclient::Exchange& exchange(int index) const { return result_.exchanges.at(index); }
  int last_exchange_index() const { return static_cast<int>(result_.exchanges.size()) - 1; }

 private:
  const scimclient::Exchange& record(scimclient::Exchange exchange, bool judge);
  void remember(const scimclient::Exchange& exchange);
  bool writes(const scimclient::HttpRequestSpec& request) const;
  CheckResult make_check(std::string what, bool ok, std::string expected, std::string actual,
                         const CheckOptions& options, int exchange) const;

  RunEnvironment& environment_;
  CaseInfo info_;
  std::string suffix_;
  CaseResult result_;
  std::map<std::string, std::string> variables_;
  std::map<std::string, nlohmann::json> seen_;                  // id → last representation
  std::vector<std::pair<std::string, std::string>> created_;    // (endpoint, id), oldest first
};

// "POST /Users" for a check's wording.
std::string describe(const scimclient::HttpRequestSpec& request, const std::string& base_url);

}  // namespace suites
