// Helpers for tests on ../shared/data: scan and plan a folder, find a warning code.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <cvx/io/dicom.h>

#include "test_data.h"

namespace cvx::test {

inline bool hasCode(const std::vector<cvx::Diagnostic>& ws, const std::string& code) {
  return std::any_of(ws.begin(), ws.end(), [&](const cvx::Diagnostic& w) { return w.code == code; });
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
