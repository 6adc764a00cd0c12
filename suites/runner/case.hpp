#pragma once
// A runnable case: its identity and requirement (CaseInfo) and a body that drives the target
// through a CaseContext. Data-declared cases (fixtures/cases) and C++ cases look the same here.
#include "suites/catalog/case_info.hpp"

#include <functional>
#include <vector>

namespace suites {

class CaseContext;

struct Case {
  CaseInfo info;
  std::function<void(CaseContext&)> body;
};

using CaseList = std::vector<Case>;

}  // namespace suites
