// For tests: one throwaway PostgreSQL server per test process (pg::LocalServer; ctest runs each
// test in a process of its own), and a new empty database on it for each use. A missing
// PostgreSQL fails the test that needs it, naming what to install (never a skip).
#ifndef VXP_STORAGE_POSTGRES_TESTING_H_
#define VXP_STORAGE_POSTGRES_TESTING_H_

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "storage/postgres.h"

namespace vxp::pg {

inline LocalServer& TestServer() {
  static std::unique_ptr<LocalServer> server = [] {
    auto s = LocalServer::Start();
    if (!s) ADD_FAILURE() << s.error().code << ": " << s.error().message;
    return s ? std::move(*s) : nullptr;
  }();
  if (server == nullptr) throw std::runtime_error("no PostgreSQL server");
  return *server;
}

// The URL of a new, empty database on TestServer(), named from `prefix`.
inline std::string NewTestDatabase(const std::string& prefix) {
  static int n = 0;
  auto url = TestServer().CreateDatabase(prefix + std::to_string(++n));
  EXPECT_TRUE(url) << url.error().message;
  if (!url) throw std::runtime_error("no PostgreSQL database");
  return *url;
}

}  // namespace vxp::pg

#endif  // VXP_STORAGE_POSTGRES_TESTING_H_
