#pragma once
// The whole catalog: data-declared cases (fixtures/cases), C++ cases (suites/<spec>/), and the
// response rules that judge every exchange (suites/validate), each under a stable id.
#include "suites/runner/case.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace suites {

struct Catalog {
  CaseList cases;
  std::vector<CaseInfo> rules;  // judged across all exchanges; no body of their own

  // Every id in catalog order: cases, then rules.
  std::vector<const CaseInfo*> all() const;
  // A stable digest of the catalog's ids and requirements, for reports to say which catalog ran.
  std::string checksum() const;
};

// Throws std::runtime_error on a malformed fixture or a duplicate id, naming it.
Catalog load_catalog(const std::filesystem::path& fixtures_dir);

// The C++ cases, from each suites/<spec>/*.cpp (see cpp_cases.cpp for the list).
CaseList cpp_cases();

}  // namespace suites
