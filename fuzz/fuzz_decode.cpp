// SPDX-License-Identifier: MIT
// libFuzzer target: the pixel decoder, fed with the header that readHeader finds in the same
// bytes (the path the loader takes). Destination buffers are sized from that header, as the
// loader sizes them; the decoder must never write past them whatever the file claims.
#include <cvx/core/volume.h>
#include <cvx/io/dicom.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "decode/decode.h"
#include "fuzz_input.h"

namespace {
constexpr size_t kMaxBytes = size_t{64} << 20;  // skip claims larger than this (not a decoder bug)
constexpr uint32_t kMaxFrames = 4;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = cvx::fuzz::writeInput(data, size);
  if (path.empty()) return 0;
  auto header = cvx::io::readHeader(path);
  if (!header.ok() || !header->hasPixelData) return 0;
  const cvx::io::PixelFormat& px = header->pixel;
  const size_t frameBytes = size_t{px.rows} * px.cols * cvx::bytesPerVoxel(px.storedType());
  const uint32_t frames = std::min(std::max<uint32_t>(header->numberOfFrames, 1), kMaxFrames);
  if (frameBytes == 0 || frameBytes * frames > kMaxBytes) return 0;
  std::vector<std::byte> buffer(frameBytes * frames);
  std::vector<cvx::io::detail::FrameDest> dests;
  for (uint32_t f = 0; f < frames; ++f) dests.push_back({f, buffer.data() + f * frameBytes});
  auto status = cvx::io::detail::decodeFrames(path, px, dests);
  volatile bool ok = status.ok();
  (void)ok;
  return 0;
}
