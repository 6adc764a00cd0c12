#pragma once
// Cases declared as data, curl style: one JSON file per RFC section under fixtures/cases/, each
// holding the cases of that section. A step sends one request, states what a correct server
// answers and captures values for later steps. The format is documented in
// fixtures/cases/README.md.
#include "suites/runner/case.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace suites {

// Every *.json below `cases_dir` (bodies/ holds request bodies, not cases). Throws
// std::runtime_error naming the file and the case when a fixture is malformed.
CaseList load_data_cases(const std::filesystem::path& cases_dir);

// One case from its declaration; `file` is named in errors and in CaseInfo::source.
Case make_data_case(const nlohmann::json& declaration, const nlohmann::json& defaults,
                    const std::filesystem::path& file, const std::filesystem::path& bodies_dir);

}  // namespace suites
