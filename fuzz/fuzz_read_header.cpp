// SPDX-License-Identifier: MIT
// libFuzzer target: cvx::io::readHeader on arbitrary bytes. Any result is fine; a crash, a hang,
// a sanitizer report or an allocation beyond libFuzzer's -rss_limit_mb is a bug.
#include <cvx/io/dicom.h>

#include <cstddef>
#include <cstdint>

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = cvx::fuzz::writeInput(data, size);
  if (path.empty()) return 0;
  auto header = cvx::io::readHeader(path);
  if (header.ok()) {
    // Touch what later stages read, so that inconsistent headers show up under the sanitizers.
    volatile size_t n = header->frames.size() + header->info.seriesInstanceUid.size();
    (void)n;
  } else {
    volatile size_t n = header.error().code.size();
    (void)n;
  }
  return 0;
}
