#include "tools/allocator.hpp"

#include <mimalloc.h>

namespace cli {

std::string allocator_name() {
  int version = mi_version();  // 209 for 2.0.9
  return "mimalloc " + std::to_string(version / 100) + "." + std::to_string(version / 10 % 10) + "." +
         std::to_string(version % 10);
}

}  // namespace cli
