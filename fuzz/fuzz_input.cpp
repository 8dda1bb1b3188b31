// SPDX-License-Identifier: MIT
#include "fuzz_input.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace cvx::fuzz {

std::string writeInput(const uint8_t* data, size_t size) {
  static const std::string path = [] {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::exists("/dev/shm", ec) ? "/dev/shm" : "/tmp";
    return (dir / ("cvx-fuzz-" + std::to_string(::getpid()) + ".dcm")).string();
  }();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return {};
  const bool ok = size == 0 || std::fwrite(data, 1, size, f) == size;
  std::fclose(f);
  return ok ? path : std::string();
}

}  // namespace cvx::fuzz
