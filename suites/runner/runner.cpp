#include "suites/runner/runner.hpp"

#include "suites/runner/case_context.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace suites {

int RunSummary::count(Outcome outcome) const {
  return static_cast<int>(std::count_if(results.begin(), results.end(),
                                        [&](const CaseResult& r) { return r.outcome == outcome; }));
}

int RunSummary::vendor_rejections() const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [](const CaseResult& r) {
    return r.vendor_verdict && !r.vendor_verdict->accepted;
  }));
}

int RunSummary::exit_code() const {
  if (results.empty()) return 2;
  auto any = [&](auto predicate) { return std::any_of(results.begin(), results.end(), predicate); };
  // Harness trouble is never excused by a known-failures list.
  if (any([](const CaseResult& r) { return r.outcome == Outcome::error; })) return 2;
  if (any([](const CaseResult& r) { return r.outcome == Outcome::fail && !r.known_failure; })) return 1;
  // The vendor verdict never changes a case's outcome, but a gate that passes while Okta or
  // Entra would reject the server would pass a broken integration.
  if (any([](const CaseResult& r) { return r.vendor_verdict && !r.vendor_verdict->accepted && !r.known_failure; }))
    return 1;
  // A listed failure that now passes: the list is out of date and would hide the next regression.
  if (any([](const CaseResult& r) { return r.stale_known_failure; })) return 1;
  return 0;
}

void grade(CaseResult& result, bool strict) {
  const CheckResult* worst = nullptr;
  Outcome outcome = Outcome::pass;
  auto rank = [](Outcome o) {
    switch (o) {
      case Outcome::fail: return 3;
      case Outcome::non_strict: return 2;
      case Outcome::informational: return 1;
      default: return 0;
    }
  };
  bool vendor_checked = false, vendor_ok = true;
  const CheckResult* vendor_miss = nullptr;
  for (const auto& check : result.checks) {
    if (check.vendor) {
      vendor_checked = true;
      if (!check.passed && vendor_ok) vendor_miss = &check;
      vendor_ok = vendor_ok && check.passed;
      continue;
    }
    if (check.passed) continue;
    Outcome miss = check.level == Level::must     ? Outcome::fail
                   : check.level == Level::should ? (strict ? Outcome::fail : Outcome::non_strict)
                                                  : Outcome::informational;
    if (rank(miss) > rank(outcome)) {
      outcome = miss;
      worst = &check;
    }
  }
  if (vendor_checked && !result.info.vendor.empty()) {
    VendorVerdict verdict{result.info.vendor, vendor_ok, {}};
    if (vendor_miss) verdict.note = vendor_miss->what + ": expected " + vendor_miss->expected + ", got " + vendor_miss->actual;
    result.vendor_verdict = verdict;
  }
  if (result.checks.empty()) {
    result.outcome = Outcome::error;
    result.reason = "the case checked nothing (a harness defect)";
    return;
  }
  result.outcome = outcome;
  if (worst) {
    result.reason = worst->what + ": expected " + worst->expected + ", got " + worst->actual;
    if (!worst->citation.empty()) result.reason += " (" + worst->citation + ")";
  }
}

namespace {

std::string make_suffix(const std::string& run_id, std::size_t index) {
  std::string number = std::to_string(index + 1);
  return run_id + "-" + std::string(number.size() < 3 ? 3 - number.size() : 0, '0') + number;
}

CaseResult run_one(const Case& test_case, std::size_t index, RunEnvironment& environment,
                   const std::map<std::string, const CaseResult*>& finished) {
  auto started = std::chrono::steady_clock::now();
  CaseResult result;
  result.info = test_case.info;

  // A failed prerequisite blocks this case; the root cause is the first case that did not
  // pass, found by following blocked chains back.
  for (const auto& dependency : test_case.info.depends_on) {
    auto it = finished.find(dependency);
    if (it == finished.end()) continue;
    const CaseResult& prior = *it->second;
    if (prior.outcome == Outcome::fail || prior.outcome == Outcome::error || prior.outcome == Outcome::blocked ||
        prior.outcome == Outcome::unsupported) {
      result.outcome = prior.outcome == Outcome::unsupported ? Outcome::unsupported : Outcome::blocked;
      result.blocked_by = prior.outcome == Outcome::blocked ? prior.blocked_by : dependency;
      result.reason = prior.outcome == Outcome::unsupported
                          ? "prerequisite " + dependency + " is unsupported: " + prior.reason
                          : "prerequisite " + result.blocked_by + " did not pass";
      return result;
    }
  }
  for (const auto& capability : test_case.info.requires_capabilities)
    if (!environment.discovery().has(capability)) {
      result.outcome = Outcome::unsupported;
      result.reason = environment.discovery().why_absent(capability);
      return result;
    }

  CaseContext context(environment, test_case.info, make_suffix(environment.settings().run_id, index));
  bool stopped = false;
  try {
    test_case.body(context);
  } catch (const CaseStop& stop) {
    stopped = true;
    context.result().outcome = stop.outcome;
    context.result().reason = stop.reason;
    if (stop.outcome == Outcome::blocked) context.result().blocked_by = stop.reason;
  } catch (const std::exception& error) {
    stopped = true;
    context.result().outcome = Outcome::error;
    context.result().reason = std::string("harness error: ") + error.what();
  }
  if (!environment.settings().keep) {
    try {
      context.clean_up();
    } catch (const std::exception&) {
      // The verdict stands; leftovers are named by the unique suffix.
    }
  }
  result = std::move(context.result());
  if (!stopped) {
    grade(result, environment.settings().strict);
  } else if (result.outcome == Outcome::fail && result.reason.empty()) {
    result.reason = "the case stopped";
  } else {
    // A stop still reports a vendor verdict from the checks made so far.
    CaseResult graded = result;
    grade(graded, environment.settings().strict);
    result.vendor_verdict = graded.vendor_verdict;
    // A missed check before the stop is the real finding, not the stop.
    if (!graded.checks.empty() && (graded.outcome == Outcome::fail || graded.outcome == Outcome::non_strict) &&
        result.outcome == Outcome::blocked) {
      result.outcome = Outcome::fail;
      result.reason = graded.reason;
      result.blocked_by.clear();
    }
  }
  result.duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return result;
}

}  // namespace

RunSummary run_cases(const CaseList& cases, RunEnvironment& environment, const RunnerOptions& options) {
  RunSummary summary;
  summary.started = std::chrono::system_clock::now();
  auto started = std::chrono::steady_clock::now();
  summary.results.resize(cases.size());

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int> state(cases.size(), 0);  // 0 waiting, 1 running, 2 done
  std::map<std::string, const CaseResult*> finished;
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < cases.size(); ++i) index_of[cases[i].info.id] = i;

  auto ready = [&](std::size_t i) {
    for (const auto& dependency : cases[i].info.depends_on) {
      auto it = index_of.find(dependency);
      if (it != index_of.end() && state[it->second] != 2) return false;
    }
    return true;
  };

  auto worker = [&] {
    std::unique_lock lock(mutex);
    for (;;) {
      std::size_t next = cases.size();
      bool waiting = false;
      for (std::size_t i = 0; i < cases.size(); ++i) {
        if (state[i] != 0) continue;
        waiting = true;
        if (ready(i)) {
          next = i;
          break;
        }
      }
      if (next == cases.size()) {
        if (!waiting) return;
        changed.wait(lock);
        continue;
      }
      state[next] = 1;
      auto snapshot = finished;
      lock.unlock();
      CaseResult result = run_one(cases[next], next, environment, snapshot);
      lock.lock();
      summary.results[next] = std::move(result);
      state[next] = 2;
      finished[cases[next].info.id] = &summary.results[next];
      if (options.on_result) options.on_result(summary.results[next]);
      changed.notify_all();
    }
  };

  int threads = std::max(1, options.concurrency);
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) pool.emplace_back(worker);
  for (auto& thread : pool) thread.join();
  summary.duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return summary;
}

std::vector<CaseResult> rule_results(const std::vector<CaseInfo>& rule_cases, const RunEnvironment& environment,
                                     bool strict) {
  auto observed = environment.observations();
  int judged = observed.count("*") ? observed["*"].seen : 0;
  std::vector<CaseResult> results;
  for (const auto& info : rule_cases) {
    CaseResult result;
    result.info = info;
    auto it = observed.find(info.id);
    if (it == observed.end()) {
      result.outcome = judged > 0 ? Outcome::pass : Outcome::informational;
      result.reason = judged > 0 ? "held on every one of " + std::to_string(judged) + " responses judged"
                                 : "no response was judged";
      results.push_back(std::move(result));
      continue;
    }
    const RuleObservation& rule = it->second;
    for (std::size_t i = 0; i < rule.findings.size(); ++i) {
      const Finding& finding = rule.findings[i];
      CheckResult check;
      check.what = finding.message + " (in " + rule.where[i] + (finding.pointer.empty() ? "" : ", at " + finding.pointer) + ")";
      check.passed = false;
      check.level = info.spec.level;
      check.citation = info.spec.citation();
      check.expected = finding.expected;
      check.actual = finding.actual;
      check.exchange = static_cast<int>(i);
      result.checks.push_back(std::move(check));
      result.exchanges.push_back(rule.evidence[i]);
    }
    grade(result, strict);
    result.notes.push_back("broken in " + std::to_string(rule.broken) + " of " + std::to_string(judged) +
                           " responses judged");
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace suites
