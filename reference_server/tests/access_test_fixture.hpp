#pragma once
// A fresh data file with the access tables, in a temporary directory removed afterwards.
#include "reference_server/access/access_tables.hpp"
#include "reference_server/store/sqlite_db.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <unistd.h>

class AccessFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("scimulator-access-" + std::to_string(std::random_device{}()) + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "data.db").string();
    db_ = std::make_unique<refserver::sqlite::Database>(path_);
    refserver::access::ensure_access_tables(*db_);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Closes and reopens the file: what survives is what was committed.
  void reopen() {
    db_.reset();
    db_ = std::make_unique<refserver::sqlite::Database>(path_);
    refserver::access::ensure_access_tables(*db_);
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<refserver::sqlite::Database> db_;
};
