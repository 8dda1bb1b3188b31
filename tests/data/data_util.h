// Helpers for tests on ../shared/data: locate it, skip (or fail with CVX_REQUIRE_DATA=1) when absent.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <cvx/io/dicom.h>

namespace cvx::test {

inline std::string dataPath(const std::string& rel) { return std::string(CVX_DATA_DIR) + "/" + rel; }

inline bool dataRequired() {
  const char* e = std::getenv("CVX_REQUIRE_DATA");
  return e && std::string(e) == "1";
}

inline bool hasCode(const std::vector<io::Warning>& ws, const std::string& code) {
  return std::any_of(ws.begin(), ws.end(), [&](const io::Warning& w) { return w.code == code; });
}

struct Planned {
  io::ScanResult scan;
  io::GroupResult groups;
};

inline Planned plan(const std::string& rel) {
  auto s = io::scan(dataPath(rel));
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().str());
  Planned p;
  if (s.ok()) {
    p.scan = std::move(s.value());
    p.groups = io::planSeries(p.scan);
  }
  return p;
}

}  // namespace cvx::test

// Skips the test when the folder is missing, unless CVX_REQUIRE_DATA=1 (then it fails).
#define CVX_REQUIRE_FOLDER(rel)                                                        \
  do {                                                                                 \
    if (!std::filesystem::exists(::cvx::test::dataPath(rel))) {                        \
      if (::cvx::test::dataRequired()) FAIL() << "missing test data: " << (rel);       \
      GTEST_SKIP() << "test data not found: " << ::cvx::test::dataPath(rel);           \
    }                                                                                  \
  } while (0)
