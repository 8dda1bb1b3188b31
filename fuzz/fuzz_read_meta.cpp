// SPDX-License-Identifier: MIT
// libFuzzer target: cvx::io::readImage on arbitrary bytes as a MetaImage (.mha, LOCAL data; raw and zlib-compressed).
// Any result is fine; a crash, a hang, a sanitizer report or an allocation beyond libFuzzer's
// -rss_limit_mb is a bug.
#include <cvx/io/formats.h>

#include <cstddef>
#include <cstdint>

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = cvx::fuzz::writeInput(data, size, ".mha");
  if (path.empty()) return 0;
  cvx::fuzz::touchImage(cvx::io::readImage(path));
  return 0;
}
