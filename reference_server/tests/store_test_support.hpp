#pragma once
// What the store tests share: a directory of its own for each test's data files, removed when
// the test ends, and the scim::Error a store call refused with.
#include "scim/error.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace refserver::storetest {

class StoreTempDir {
 public:
  // <tmp>/scimulator_<suite>_<pid>_<n>: unique per process and per instance.
  explicit StoreTempDir(const std::string& suite) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("scimulator_" + suite + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~StoreTempDir() { std::filesystem::remove_all(path_); }
  StoreTempDir(const StoreTempDir&) = delete;
  StoreTempDir& operator=(const StoreTempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

template <typename Action>
scim::Error error_of(Action&& action) {
  try {
    action();
  } catch (const scim::Error& error) {
    return error;
  }
  ADD_FAILURE() << "expected a scim::Error";
  return scim::Error(0, scim::ScimType::none, "");
}

}  // namespace refserver::storetest
