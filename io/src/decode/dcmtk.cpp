// SPDX-License-Identifier: MIT
// Frames that DCMTK's codecs decode (RLE, JPEG baseline/extended, JPEG-LS), and JPEG lossless
// through CineVox's fast decoder with DCMTK as the fallback.
#include <vector>

#include "codec/jpeg_lossless.h"
#include "decode/internal.h"

namespace cvx::io::detail {

Status decodeDcmtkFrame(DecodeFile& f, uint32_t frame, std::byte* dst) {
  uint32_t first = 0, last = 0;
  CVX_TRY(frameFragments(f, frame, first, last));
  Uint32 frameSize = 0;
  if (f.pixels->getUncompressedFrameSize(f.ds, frameSize).bad() || frameSize == 0)
    return makeError("dicom.decode_failed", "cannot size the decompressed frame", f.path);
  std::vector<uint8_t> buf(frameSize + (frameSize & 1u));  // DCMTK wants an even size
  Uint32 start = first;
  OFString model;
  const OFCondition c = f.pixels->getUncompressedFrame(f.ds, frame, start, buf.data(),
                                                       static_cast<Uint32>(buf.size()), model, &f.cache);
  if (c.bad())
    return makeError("dicom.decode_failed", std::string("DCMTK (") + f.syntax + "): " + c.text(), f.path);
  RawFrame raw;
  raw.data = buf.data();
  raw.size = frameSize;
  raw.sampleBytes = f.pf.bitsAllocated <= 8 ? 1u : f.pf.bitsAllocated / 8u;
  raw.samples = f.pf.samplesPerPixel;
  // The layout is the one PlanarConfiguration states; read it back after decoding in case a
  // codec updated it.
  Uint16 planar = 0;
  f.ds->findAndGetUint16(DCM_PlanarConfiguration, planar);
  raw.planar = raw.samples > 1 && planar == 1;
  raw.color = model.empty() ? f.pf.photometric : std::string(model.c_str());
  raw.applyHighBit = f.syntax == ts::kRleLossless;  // RLE keeps the stored bit positions
  return convertFrame(f, raw, dst);
}

Status decodeJpegLosslessFrame(DecodeFile& f, uint32_t frame, std::byte* dst) {
  std::vector<uint8_t> bytes;
  Status st = readFrameBytes(f, frame, bytes);
  if (!st) return st;
  const PixelFormat& p = f.pf;
  const size_t count = pixelCount(p) * p.samplesPerPixel;
  // 16-bit grey frames decode straight into dst and are masked in place; others via scratch.
  const bool inPlace = p.samplesPerPixel == 1 && p.bitsAllocated == 16 && p.photometric.rfind("MONO", 0) == 0;
  std::vector<uint16_t> scratch(inPlace ? 0 : count);
  uint16_t* samples = inPlace ? reinterpret_cast<uint16_t*>(dst) : scratch.data();
  codec::JpegInfo info;
  st = codec::decodeJpegLossless(bytes.data(), bytes.size(), samples, count, &info);
  if (st && (info.rows != p.rows || info.cols != p.cols || info.components != p.samplesPerPixel))
    return makeError("dicom.pixel_mismatch", "JPEG frame size differs from Rows/Columns/SamplesPerPixel", f.path);
  if (!st) {
    // Anything the fast decoder does not take (or rejects) goes to DCMTK, which reports its own error.
    Status viaDcmtk = decodeDcmtkFrame(f, frame, dst);
    if (viaDcmtk) return viaDcmtk;
    return makeError("dicom.decode_failed", st.error().str() + "; " + viaDcmtk.error().message, f.path);
  }
  RawFrame raw;
  raw.data = reinterpret_cast<const uint8_t*>(samples);
  raw.size = count * 2;
  raw.sampleBytes = 2;
  raw.samples = p.samplesPerPixel;
  raw.color = p.photometric;
  raw.applyHighBit = false;  // the decoder returns sample values, not stored bit positions
  return convertFrame(f, raw, dst);
}

}  // namespace cvx::io::detail
