// `scimulator report render DIR` rebuilds every report format from the index and case files a
// run left in DIR; `scimulator report diff OLD NEW` compares two runs (exit 1 when a case newly
// fails, so a CI job can gate on regressions alone).
#include "reports/report_set.hpp"
#include "reports/run_diff.hpp"
#include "tools/commands.hpp"

#include <iostream>
#include <memory>

namespace cli {

namespace {

struct ReportOptions {
  std::string dir;
  std::string old_dir, new_dir;
};

reports::ReportSet load_or_explain(const std::string& dir) {
  try {
    return reports::load(dir);
  } catch (const std::exception& error) {
    throw UsageError(std::string(error.what()));
  }
}

}  // namespace

Command add_report_command(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  auto selected = std::make_shared<std::function<int()>>();
  CLI::App* report = app.add_subcommand("report", "rebuild reports of a run, or compare two runs");
  report->require_subcommand(1);
  CLI::App* render = report->add_subcommand("render", "rebuild junit.xml, summary.md and report.html from index.json and cases/");
  render->add_option("dir", options->dir, "a run's --out directory")->required();
  render->callback([=] {
    *selected = [=] {
      reports::ReportSet set = load_or_explain(options->dir);
      reports::write_all(set, options->dir);
      std::cout << "scimulator report: rendered " << set.cases.size() << " cases into " << options->dir << "\n";
      return 0;
    };
  });
  CLI::App* diff = report->add_subcommand("diff", "newly failing, newly passing and changed cases between two runs");
  diff->add_option("old", options->old_dir, "the earlier run's --out directory")->required();
  diff->add_option("new", options->new_dir, "the later run's --out directory")->required();
  diff->callback([=] {
    *selected = [=] {
      reports::RunDiff result = reports::diff_runs(load_or_explain(options->old_dir).index, load_or_explain(options->new_dir).index);
      std::cout << reports::format_diff(result);
      return result.newly_failing.empty() ? 0 : 1;
    };
  });
  return [selected] { return (*selected)(); };
}

}  // namespace cli
