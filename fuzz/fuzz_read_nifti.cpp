// SPDX-License-Identifier: MIT
// libFuzzer target: cvx::io::readImage on arbitrary bytes as a NIfTI-1/2 file (.nii; gzip is
// detected from the bytes, so .nii.gz content is covered too).
// Any result is fine; a crash, a hang, a sanitizer report or an allocation beyond libFuzzer's
// -rss_limit_mb is a bug.
#include <cvx/io/formats.h>

#include <cstddef>
#include <cstdint>

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = cvx::fuzz::writeInput(data, size, ".nii");
  if (path.empty()) return 0;
  cvx::fuzz::touchImage(cvx::io::readImage(path));
  return 0;
}
