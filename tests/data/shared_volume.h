// SPDX-License-Identifier: MIT
// A folder of ../shared/data loaded by cvx::io as a shared volume (as the viewer's layers hold
// them); null when it does not load (the test asserts).
#pragma once
#include <memory>
#include <string>

#include <cvx/io/dicom.h>

#include "test_data.h"

namespace cvx::test {

inline std::shared_ptr<const Volume> loadShared(const std::string& rel) {
  auto v = io::loadPath(dataPath(rel));
  return v ? std::shared_ptr<const Volume>(std::move(*v)) : nullptr;
}

}  // namespace cvx::test
