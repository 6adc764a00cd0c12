#pragma once
// Short random names for what the CLI makes up on the spot: tokens of an embedded server, run ids.
#include <cstddef>
#include <string>

namespace cli {

// `length` characters from an alphabet without look-alikes (no 0/o, 1/l), from std::random_device.
std::string random_id(std::size_t length);

}  // namespace cli
