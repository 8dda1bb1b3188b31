// SPDX-License-Identifier: MIT
// Deflated Image Frame Compression (1.2.840.10008.1.2.8.1, PS3.5 A.4.11 and 8.2.15): each frame
// is deflated on its own, so a 1-bit frame starts on a byte boundary of its own stream.
#include <vector>

#include "codec/inflate.h"
#include "decode/internal.h"
#include "dicom/frame_size.h"

namespace cvx::io::detail {

Status decodeDeflateFrame(DecodeFile& f, uint32_t frame, std::byte* dst) {
  std::vector<uint8_t> bytes;
  CVX_TRY(readFrameBytes(f, frame, bytes));
  const PixelFormat& p = f.pf;
  const size_t n = pixelCount(p);
  const size_t need = frameBytes(p);  // frame_size.h
  std::vector<uint8_t> plain(need + 1);  // room for one pad byte (even length)
  size_t produced = 0;
  Status st = codec::inflateBuffer(bytes.data(), bytes.size(), plain.data(), plain.size(), produced);
  if (!st) return makeError(st.error().code == "deflate.too_large" ? "dicom.pixel_mismatch" : "dicom.decode_failed",
                            st.error().str(), f.path);
  if (produced < need)
    return makeError("dicom.pixel_mismatch",
                     "inflated frame has " + std::to_string(produced) + " bytes, needs " + std::to_string(need), f.path);
  if (p.bitsAllocated == 1) return unpackBits(plain.data(), produced, 0, n, reinterpret_cast<uint8_t*>(dst));
  RawFrame raw;
  raw.data = plain.data();
  raw.size = need;
  raw.sampleBytes = p.bitsAllocated / 8u;
  raw.samples = p.samplesPerPixel;
  raw.planar = p.samplesPerPixel > 1 && p.planarConfiguration == 1;
  raw.color = p.photometric;
  raw.subsampled422 = isSubsampled422(p);
  return convertFrame(f, raw, dst);
}

}  // namespace cvx::io::detail
