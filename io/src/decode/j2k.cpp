// SPDX-License-Identifier: MIT
// JPEG 2000 and HTJ2K frames: fragments through DCMTK, the codestream through OpenJPEG.
#include <vector>

#include "codec/j2k.h"
#include "decode/internal.h"

namespace cvx::io::detail {

Status decodeOpenJpegFrame(DecodeFile& f, uint32_t frame, std::byte* dst) {
  std::vector<uint8_t> bytes;
  CVX_TRY(readFrameBytes(f, frame, bytes));
  const PixelFormat& p = f.pf;
  std::vector<uint8_t> samples;
  codec::J2kInfo info;
  const unsigned sampleBytes = p.bitsAllocated <= 8 ? 1u : 2u;
  Status st = codec::decodeJ2k(bytes.data(), bytes.size(), sampleBytes, samples, info);
  if (!st) return makeError("dicom.decode_failed", st.error().str(), f.path);
  if (info.width != p.cols || info.height != p.rows || info.components != p.samplesPerPixel)
    return makeError("dicom.pixel_mismatch",
                     "codestream is " + std::to_string(info.width) + "x" + std::to_string(info.height) + "x" +
                         std::to_string(info.components) + ", the pixel module says " + std::to_string(p.cols) + "x" +
                         std::to_string(p.rows) + "x" + std::to_string(p.samplesPerPixel),
                     f.path);
  RawFrame raw;
  raw.data = samples.data();
  raw.size = samples.size();
  raw.sampleBytes = sampleBytes;
  raw.samples = p.samplesPerPixel;
  raw.applyHighBit = false;
  // YBR_ICT / YBR_RCT: OpenJPEG already applied the inverse component transform.
  const bool mct = p.photometric == "YBR_ICT" || p.photometric == "YBR_RCT";
  raw.color = mct ? std::string("RGB") : p.photometric;
  return convertFrame(f, raw, dst);
}

}  // namespace cvx::io::detail
