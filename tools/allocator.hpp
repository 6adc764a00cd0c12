#pragma once
// Which malloc the program runs on, for --version: the build links mimalloc in place of glibc's
// malloc (see the top CMakeLists.txt), and saying so lets a user check a build they were given.
#include <string>

namespace cli {

// "mimalloc 2.0.9"
std::string allocator_name();

}  // namespace cli
