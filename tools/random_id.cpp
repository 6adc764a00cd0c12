#include "tools/random_id.hpp"

#include <random>

namespace cli {

std::string random_id(std::size_t length) {
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  std::random_device device;
  std::string id;
  for (std::size_t i = 0; i < length; ++i) id += alphabet[device() % (sizeof(alphabet) - 1)];
  return id;
}

}  // namespace cli
