// Golden flows: each engine, driven by a directory change, sends exactly the documented sequence
// of requests over a real socket (fixtures/golden/simulator/flows/*.json): Okta's lookup before
// a create, its GET-then-PUT profile pushes, Entra ID's cycles and dialects, escrow, Retry-After.
// The peer only replays the fixture's answers; it knows nothing of SCIM.
#include "golden_runner.hpp"

#include <gtest/gtest.h>

namespace {

struct FlowCase {
  std::string file;
  std::string name;
};

void PrintTo(const FlowCase& item, std::ostream* out) { *out << item.file << ": " << item.name; }

std::vector<FlowCase> cases_of(const std::string& file) {
  std::vector<FlowCase> out;
  for (const auto& name : simtest::golden_case_names(file)) out.push_back({file, name});
  return out;
}

std::string param_name(const testing::TestParamInfo<FlowCase>& info) { return simtest::test_name(info.param.name); }

class GoldenFlows : public testing::TestWithParam<FlowCase> {};

TEST_P(GoldenFlows, RequestsMatchTheFixture) { simtest::run_golden_case(GetParam().file, GetParam().name); }

INSTANTIATE_TEST_SUITE_P(Okta, GoldenFlows, testing::ValuesIn(cases_of("okta.json")), param_name);
INSTANTIATE_TEST_SUITE_P(OktaAiw, GoldenFlows, testing::ValuesIn(cases_of("okta_aiw.json")), param_name);
INSTANTIATE_TEST_SUITE_P(EntraScim, GoldenFlows, testing::ValuesIn(cases_of("entra_scim.json")), param_name);
INSTANTIATE_TEST_SUITE_P(EntraAadOptscim062020, GoldenFlows, testing::ValuesIn(cases_of("entra_aadOptscim062020.json")),
                         param_name);

// The runner itself must fail on a request the fixture does not expect, or the goldens prove
// nothing: a fixture that expects no request for a hire must not pass.
TEST(GoldenFlowsRunner, ExtraRequestsFail) {
  std::vector<std::string> problems;
  simtest::match_json({{"a", "$any"}}, {{"a", ""}}, "", problems);
  EXPECT_EQ(problems.size(), 1u);
  problems.clear();
  simtest::match_json({{"a", 1}}, {{"a", 1}, {"b", 2}}, "", problems);
  EXPECT_EQ(problems.size(), 1u);
  problems.clear();
  simtest::match_json({{"a", {1, 2}}}, {{"a", {2, 1}}}, "", problems);
  EXPECT_EQ(problems.size(), 2u);
}

}  // namespace
