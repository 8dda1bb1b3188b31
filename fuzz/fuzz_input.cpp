// SPDX-License-Identifier: MIT
#include "fuzz_input.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace cvx::fuzz {

std::string writeInput(const uint8_t* data, size_t size, const std::string& suffix) {
  static const std::string stem = [] {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::exists("/dev/shm", ec) ? "/dev/shm" : "/tmp";
    return (dir / ("cvx-fuzz-" + std::to_string(::getpid()))).string();
  }();
  const std::string path = stem + suffix;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return {};
  const bool ok = size == 0 || std::fwrite(data, 1, size, f) == size;
  std::fclose(f);
  return ok ? path : std::string();
}

void touchImage(const Result<std::shared_ptr<Volume>>& image) {
  if (!image.ok()) {
    volatile size_t n = image.error().code.size();
    (void)n;
    return;
  }
  const Volume& v = **image;
  const size_t bytes = v.byteSize();
  if (bytes == 0 || !v.data()) return;
  // Every byte: a buffer shorter than its dims is a heap overflow here (ASan).
  uint64_t sum = 0;
  const std::byte* p = v.data();
  for (size_t i = 0; i < bytes; ++i) sum += static_cast<uint8_t>(p[i]);
  const Mat4 m = v.geometry.worldFromVoxel();
  volatile double d = static_cast<double>(sum) + m.m[0][3] + static_cast<double>(v.timesMs.size());
  (void)d;
}

}  // namespace cvx::fuzz
