// The one finder for ../shared/data: its path, and a skip that becomes a failure under
// CVX_REQUIRE_DATA=1 (CI), so that missing data is never a silent pass.
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace cvx::test {

inline std::string dataPath(const std::string& rel = {}) {
  return rel.empty() ? std::string(CVX_DATA_DIR) : std::string(CVX_DATA_DIR) + "/" + rel;
}

inline bool dataRequired() {
  const char* e = std::getenv("CVX_REQUIRE_DATA");
  return e && std::string(e) == "1";
}

}  // namespace cvx::test

// Skips the test when the folder (relative to the data root) is missing, unless
// CVX_REQUIRE_DATA=1 (then it fails).
#define CVX_REQUIRE_FOLDER(rel)                                                        \
  do {                                                                                 \
    if (!std::filesystem::exists(::cvx::test::dataPath(rel))) {                        \
      if (::cvx::test::dataRequired()) FAIL() << "missing test data: " << (rel);       \
      GTEST_SKIP() << "test data not found: " << ::cvx::test::dataPath(rel);           \
    }                                                                                  \
  } while (0)
