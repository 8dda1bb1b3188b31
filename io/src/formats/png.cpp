// SPDX-License-Identifier: MIT
// PNG writing (io/include/cvx/io/png.h): chunks with zlib's crc32, the image data with the shared
// deflate and atomic write of the image-format writers (formats/common.cpp).
#include <cvx/io/png.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <zlib.h>

#include "formats/internal.h"

namespace cvx::io {
namespace {

constexpr size_t kMaxIdat = size_t{1} << 20;  // bytes of compressed data per IDAT chunk

void put32(fmt::Bytes& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::byte>((v >> s) & 0xFF));
}

// length, type, data, CRC-32 of type + data.
void chunk(fmt::Bytes& out, const char type[4], const std::byte* data, size_t n) {
  put32(out, static_cast<uint32_t>(n));
  const size_t typeAt = out.size();
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(type[i]));
  out.insert(out.end(), data, data + n);
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(out.data() + typeAt),
                          static_cast<uInt>(n + 4));
  put32(out, static_cast<uint32_t>(crc));
}

}  // namespace

Status writePng(const std::string& path, int width, int height, int channels, const uint8_t* rows) {
  if (width < 1 || height < 1 || width > 65535 || height > 65535)
    return makeError("io.write_failed", "PNG size " + std::to_string(width) + "x" + std::to_string(height) +
                                            " outside 1..65535", path);
  if (channels != 1 && channels != 3 && channels != 4)
    return makeError("io.write_failed", "PNG channels " + std::to_string(channels) + " (1, 3 or 4 only)", path);
  if (!rows) return makeError("io.write_failed", "no pixels to write", path);

  // Each row: filter type 0 (none), then its bytes.
  const size_t rowBytes = static_cast<size_t>(width) * static_cast<size_t>(channels);
  fmt::Bytes raw(static_cast<size_t>(height) * (rowBytes + 1));
  for (size_t y = 0; y < static_cast<size_t>(height); ++y) {
    raw[y * (rowBytes + 1)] = std::byte{0};
    std::memcpy(raw.data() + y * (rowBytes + 1) + 1, rows + y * rowBytes, rowBytes);
  }
  auto z = fmt::deflateAll(raw.data(), raw.size(), /*withGzipHeader=*/false);
  if (!z) return makeError(z.error().code, z.error().message, path);

  fmt::Bytes out;
  out.reserve(z->size() + 64 + 12 * (z->size() / kMaxIdat + 1));
  static constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  for (uint8_t b : kSignature) out.push_back(static_cast<std::byte>(b));
  fmt::Bytes ihdr;
  put32(ihdr, static_cast<uint32_t>(width));
  put32(ihdr, static_cast<uint32_t>(height));
  const uint8_t colourType = channels == 1 ? 0 : channels == 3 ? 2 : 6;
  for (uint8_t b : {uint8_t{8}, colourType, uint8_t{0}, uint8_t{0}, uint8_t{0}})  // depth, colour, deflate, filter, no interlace
    ihdr.push_back(static_cast<std::byte>(b));
  chunk(out, "IHDR", ihdr.data(), ihdr.size());
  for (size_t at = 0; at < z->size() || at == 0; at += kMaxIdat)
    chunk(out, "IDAT", z->data() + at, std::min(kMaxIdat, z->size() - at));
  chunk(out, "IEND", nullptr, 0);
  return fmt::writeFileAtomic(path, out, {});
}

}  // namespace cvx::io
