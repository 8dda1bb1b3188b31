// SPDX-License-Identifier: MIT
// Declines files holding directory records before DCMTK parses them (dcm_records.h).
#include "dcm_records.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

namespace cvx::io::detail {
namespace {

constexpr uint8_t kTagLe[4] = {0x04, 0x00, 0x20, 0x12}, kTagBe[4] = {0x00, 0x04, 0x12, 0x20};
constexpr uint8_t kItemLe[4] = {0xFE, 0xFF, 0x00, 0xE0}, kItemBe[4] = {0xFF, 0xFE, 0xE0, 0x00};
constexpr size_t kSpan = 16;  // tag + VR/length (at most 8) + item tag

bool find(const uint8_t* p, size_t n, const uint8_t (&tag)[4], const uint8_t (&item)[4]) {
  for (size_t i = 0; i + 12 <= n;) {
    const void* hit = memmem(p + i, n - i, tag, 4);
    if (!hit) return false;
    const size_t at = static_cast<size_t>(static_cast<const uint8_t*>(hit) - p);
    for (size_t skip : {size_t{8}, size_t{12}})
      if (at + skip + 4 <= n && std::memcmp(p + at + skip, item, 4) == 0) return true;
    i = at + 1;
  }
  return false;
}

}  // namespace

bool holdsDirectoryRecords(const uint8_t* p, size_t n) {
  return find(p, n, kTagLe, kItemLe) || find(p, n, kTagBe, kItemBe);
}

Status checkNoDirectoryRecords(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return makeError("io.open_failed", "cannot open file", path);
  constexpr size_t kChunk = size_t{4} << 20;
  std::vector<uint8_t> buf(kChunk + kSpan);
  size_t kept = 0;  // the last kSpan - 1 bytes of the previous chunk, so no match is cut in two
  bool found = false;
  for (;;) {
    const size_t got = std::fread(buf.data() + kept, 1, kChunk, f);
    const size_t n = kept + got;
    if (holdsDirectoryRecords(buf.data(), n)) {
      found = true;
      break;
    }
    if (got < kChunk) break;
    kept = std::min(n, kSpan - 1);
    std::memmove(buf.data(), buf.data() + n - kept, kept);
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return makeError("io.read_failed", "cannot read file", path);
  if (found)
    return makeError("dicom.dicomdir", "holds directory records (0004,1220): a DICOMDIR, read as an index, not an image",
                     path);
  return {};
}

}  // namespace cvx::io::detail
