#include "simulator/simulation/simulation_report.hpp"

namespace sim {

namespace {

nlohmann::json header(const char* format, const SimulationResult& result, const RunInfo& info) {
  nlohmann::json out = {{"format", format},
                        {"scenario", info.scenario},
                        {"description", info.description},
                        {"idp", info.idp},
                        {"engine", result.engine},
                        {"target", info.target},
                        {"embedded", info.embedded},
                        {"days", info.days}};
  if (!info.dialect.empty()) out["dialect"] = info.dialect;
  if (info.embedded) out["server_profile"] = info.server_profile;
  if (!info.server_faults.empty()) out["server_faults"] = info.server_faults;
  if (!info.generate.empty()) out["generate"] = info.generate;
  return out;
}

nlohmann::json wire_json(const WireStats& stats) {
  nlohmann::json by_status = nlohmann::json::object(), by_method = nlohmann::json::object();
  for (const auto& [status, n] : stats.by_status) by_status[std::to_string(status)] = n;
  for (const auto& [method, n] : stats.by_method) by_method[method] = n;
  return {{"requests", stats.requests},
          {"by_method", by_method},
          {"by_status", by_status},
          {"throttled", stats.throttled},
          {"retries", stats.retries},
          {"transport_errors", stats.transport_errors},
          {"outage_failures", stats.outage_failures},
          {"target_time_ms", stats.target_time.count() / 1000}};
}

}  // namespace

nlohmann::json drift_json(const SimulationResult& result, const RunInfo& info) {
  nlohmann::json out = header(kDriftFormat, result, info);
  out["converged"] = result.drift.converged();
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [kind, n] : result.drift.counts()) counts[std::string(to_string(kind))] = n;
  out["counts"] = counts;
  out["directory"] = {{"users", result.drift.directory_users},
                      {"active_users", result.drift.directory_active_users},
                      {"groups", result.drift.directory_groups}};
  out["target"] = {{"url", info.target},
                   {"users", result.drift.target_users},
                   {"users_in_scope", result.drift.target_users_in_scope},
                   {"groups", result.drift.target_groups}};
  nlohmann::json drift = nlohmann::json::array();
  for (const auto& item : result.drift.drift) drift.push_back(to_json(item));
  out["drift"] = drift;
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& failure : result.open_failures) failures.push_back(to_json(failure));
  out["open_failures"] = failures;
  out["rotations"] = result.rotations;
  out["engine_report"] = result.engine_report;
  out["wire"] = wire_json(result.stats);
  out["events"] = result.events;
  out["virtual_minutes"] = result.end_minute;
  out["wall_ms"] = result.wall.count();
  out["wall_ms_by_phase"] = {{"provisioning", result.provisioning_wall.count()},
                             {"convergence_read", result.read_wall.count()},
                             {"compare", result.compare_wall.count()}};
  out["credential_in_use"] = result.credential_in_use;
  return out;
}

nlohmann::json timeline_json(const SimulationResult& result, const RunInfo& info) {
  nlohmann::json out = header(kTimelineFormat, result, info);
  out["entries"] = result.timeline;
  out["virtual_minutes"] = result.end_minute;
  return out;
}

nlohmann::json results_json(const SimulationResult& result, const nlohmann::json& drift, const RunInfo& info,
                            const std::string& started, const std::string& harness_version) {
  int exit_code = result.drift.converged() ? 0 : 1;
  std::string profile = info.idp + (info.dialect.empty() ? "" : "/" + info.dialect);
  nlohmann::json simulation = {{"converged", result.drift.converged()},
                               {"scenario", info.scenario},
                               {"description", info.description},
                               {"engine", result.engine},
                               {"counts", drift.at("counts")},
                               {"drift", drift.at("drift")},
                               {"timeline", result.timeline},
                               {"open_failures", drift.at("open_failures")},
                               {"rotations", result.rotations},
                               {"wire", drift.at("wire")},
                               {"directory", drift.at("directory")},
                               {"target", drift.at("target")},
                               {"events", result.events},
                               {"virtual_minutes", result.end_minute},
                               {"duration_ms", result.wall.count()},
                               {"duration_ms_by_phase", drift.at("wall_ms_by_phase")}};
  return {{"format", "scimulator-results"},
          {"format_version", 1},
          {"kind", "simulate"},
          {"run",
           {{"target", info.target},
            {"embedded", info.embedded},
            {"profile", profile},
            {"scenario", info.scenario},
            {"harness_version", harness_version},
            {"started", started},
            {"duration_ms", result.wall.count()}}},
          {"counts", nlohmann::json::object()},
          {"exit_code", exit_code},
          {"cases", nlohmann::json::array()},
          {"simulation", simulation}};
}

void print_summary(const SimulationResult& result, std::ostream& out, std::size_t max_items) {
  const WireStats& stats = result.stats;
  out << "  " << result.events << " events, " << stats.requests << " requests in " << result.wall.count() << " ms ("
      << result.end_minute / 1440 << "d " << result.end_minute % 1440 / 60 << "h virtual; provisioning "
      << result.provisioning_wall.count() << " ms, convergence read " << result.read_wall.count() << " ms, compare "
      << result.compare_wall.count() << " ms)";
  if (stats.throttled) out << ", " << stats.throttled << " answered 429 (" << stats.retries << " retried after Retry-After)";
  if (stats.transport_errors) out << ", " << stats.transport_errors << " transport errors";
  out << "\n";
  for (const auto& rotation : result.rotations)
    out << "  rotation at " << rotation["time"].get<std::string>() << ": " << rotation["from"].get<std::string>()
        << " -> " << rotation["to"].get<std::string>() << "; new credential got "
        << rotation["new_credential_status"] << ", revoked one got " << rotation["old_credential_status_after_revoke"]
        << "\n";
  if (const auto& report = result.engine_report; report.contains("quarantined")) {
    if (report["quarantined"].get<bool>()) out << "  the provisioning job is QUARANTINED\n";
    if (!report["quarantines"].empty()) out << "  quarantines: " << report["quarantines"].dump() << "\n";
  }
  if (!result.open_failures.empty()) {
    out << "  " << result.open_failures.size() << " failure(s) still held by the IdP";
    out << (result.engine.rfind("okta", 0) == 0 ? " (Okta Tasks queue)" : " (Entra ID escrow)") << ":\n";
    for (std::size_t i = 0; i < result.open_failures.size() && i < max_items; ++i) {
      const Failure& failure = result.open_failures[i];
      out << "    " << failure.object << " " << failure.key << ": " << failure.action << ": " << failure.detail << "\n";
    }
  }
  const DriftReport& drift = result.drift;
  out << "  directory: " << drift.directory_active_users << " active users of " << drift.directory_users << ", "
      << drift.directory_groups << " groups; target: " << drift.target_users << " users (" << drift.target_users_in_scope
      << " in scope), " << drift.target_groups << " groups\n";
  if (drift.converged()) {
    out << "  converged: no drift\n";
    return;
  }
  out << "  DRIFT:";
  for (const auto& [kind, n] : drift.counts())
    if (n) out << " " << n << " " << to_string(kind);
  out << "\n";
  for (std::size_t i = 0; i < drift.drift.size() && i < max_items; ++i) {
    const Drift& item = drift.drift[i];
    out << "    " << to_string(item.kind) << "  " << item.object;
    if (!item.name.empty()) out << " " << item.name;
    if (!item.attribute.empty()) out << " " << item.attribute;
    if (!item.expected.is_null() || !item.actual.is_null())
      out << " (expected " << item.expected.dump() << ", got " << item.actual.dump() << ")";
    out << ": " << item.detail << "\n";
  }
  if (drift.drift.size() > max_items) out << "    … and " << drift.drift.size() - max_items << " more in drift.json\n";
}

}  // namespace sim
