// SPDX-License-Identifier: MIT
// Declines files holding directory records before DCMTK parses them (dcm_records.h).
#include "dicom/dcm_records.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include <dcmtk/dcmdata/dcdeftag.h>

#include "codec/inflate.h"
#include "dicom/fast_parse.h"
#include "dicom/transfer_syntax.h"

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

// Where a Deflated Explicit VR Little Endian data set starts (after the meta header), if it is one.
std::optional<size_t> deflatedDataSet(const uint8_t* p, size_t n) {
  if (n < 132 + 12 || std::memcmp(p + 128, "DICM", 4) != 0) return std::nullopt;
  fast::Reader meta(p, n, 132, true);
  fast::Attrs attrs;
  if (!fast::parseMeta(meta, attrs)) return std::nullopt;
  if (fast::Access{&attrs}.str(DCM_TransferSyntaxUID) != ts::kDeflatedExplicitLittle) return std::nullopt;
  return meta.pos;
}

// DCMTK parses a deflated data set inflated: so is it checked, up to 256 MiB inflated (what a
// corrupt stream yields before its error included).
bool deflatedHoldsRecords(std::FILE* f, size_t start) {
  constexpr size_t kMaxInflated = size_t{256} << 20;
  if (std::fseek(f, 0, SEEK_END) != 0) return false;
  const long end = std::ftell(f);
  if (end <= 0 || static_cast<size_t>(end) <= start || std::fseek(f, static_cast<long>(start), SEEK_SET) != 0)
    return false;
  std::vector<uint8_t> z(static_cast<size_t>(end) - start);
  z.resize(std::fread(z.data(), 1, z.size(), f));
  // The buffer grows (x4, from four times the compressed size) only while the stream needs more.
  size_t cap = std::min(kMaxInflated, 4 * z.size() + 65536), produced = 0;
  for (;;) {
    auto out = std::make_unique_for_overwrite<uint8_t[]>(cap);
    const Status st = codec::inflateBuffer(z.data(), z.size(), out.get(), cap, produced);
    if (st.ok() || st.error().code != "deflate.too_large" || cap == kMaxInflated)
      return holdsDirectoryRecords(out.get(), produced);
    cap = std::min(kMaxInflated, 4 * cap);
  }
}

}  // namespace

bool holdsDirectoryRecords(const uint8_t* p, size_t n) {
  return find(p, n, kTagLe, kItemLe) || find(p, n, kTagBe, kItemBe);
}

Status checkNoDirectoryRecords(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return makeError("io.open_failed", "cannot open file", path);
  std::error_code ec;  // chunks of 4 MiB, or the file's size when smaller (an error: 4 MiB)
  constexpr uintmax_t kMaxChunk = uintmax_t{4} << 20;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  const size_t chunk = static_cast<size_t>(std::clamp<uintmax_t>(ec ? kMaxChunk : size, 1, kMaxChunk));
  std::vector<uint8_t> buf(chunk + kSpan);
  size_t kept = 0;  // the last kSpan - 1 bytes of the previous chunk, so no match is cut in two
  bool found = false;
  std::optional<size_t> deflated;
  for (bool first = true;; first = false) {
    const size_t got = std::fread(buf.data() + kept, 1, chunk, f);
    const size_t n = kept + got;
    if (first) deflated = deflatedDataSet(buf.data(), n);
    if (holdsDirectoryRecords(buf.data(), n)) {
      found = true;
      break;
    }
    if (got < chunk) break;
    kept = std::min(n, kSpan - 1);
    std::memmove(buf.data(), buf.data() + n - kept, kept);
  }
  if (!found && deflated) found = deflatedHoldsRecords(f, *deflated);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return makeError("io.read_failed", "cannot read file", path);
  if (found)
    return makeError("dicom.dicomdir",
                     "holds directory records (0004,1220): a DICOMDIR, read as an index, not an image", path);
  return {};
}

}  // namespace cvx::io::detail
