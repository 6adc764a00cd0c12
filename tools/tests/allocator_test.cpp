// The programs run on mimalloc rather than glibc's malloc (the per-request allocations of the
// server and the simulator were a fifth of their CPU): the binary says so, and memory from
// operator new in a program linked like scimulator comes from mimalloc's heap.
#include "cli_process.hpp"

#include "tools/allocator.hpp"

#include <gtest/gtest.h>
#include <mimalloc.h>

#include <memory>
#include <string>

namespace {

TEST(Allocator, OperatorNewAndMallocComeFromMimalloc) {
  auto block = std::make_unique<char[]>(100);
  EXPECT_TRUE(mi_is_in_heap_region(block.get())) << "operator new is not served by mimalloc";
  void* raw = std::malloc(4096);
  EXPECT_TRUE(mi_is_in_heap_region(raw)) << "malloc is not mimalloc's";
  std::free(raw);
}

TEST(Allocator, VersionNamesTheAllocator) {
  clitest::Outcome out = clitest::scimulator("--version");
  EXPECT_EQ(out.code, 0) << out.output;
  EXPECT_NE(out.output.find("scimulator "), std::string::npos) << out.output;
  EXPECT_NE(out.output.find(cli::allocator_name()), std::string::npos) << out.output;
  EXPECT_EQ(cli::allocator_name().rfind("mimalloc 2.", 0), 0u) << cli::allocator_name();
}

}  // namespace
