// The C++ cases: those whose expectations need computation a data step cannot state. Each
// suites/<spec>/<topic>_cases.cpp exposes one function returning its cases.
#include "suites/runner/catalog.hpp"

namespace suites {

CaseList rfc7643_attribute_cases();
CaseList rfc7644_bulk_cases();
CaseList rfc7644_retrieval_cases();
CaseList okta_spec_cases();
CaseList entra_validator_cases();
CaseList clickhouse_cases();

CaseList cpp_cases() {
  CaseList all;
  for (auto& c : rfc7643_attribute_cases()) all.push_back(std::move(c));
  for (auto& c : rfc7644_bulk_cases()) all.push_back(std::move(c));
  for (auto& c : rfc7644_retrieval_cases()) all.push_back(std::move(c));
  for (auto& c : okta_spec_cases()) all.push_back(std::move(c));
  for (auto& c : entra_validator_cases()) all.push_back(std::move(c));
  for (auto& c : clickhouse_cases()) all.push_back(std::move(c));
  return all;
}

}  // namespace suites
