// SPDX-License-Identifier: MIT
// Native (uncompressed) Pixel Data: explicit/implicit VR little endian, explicit big endian and the
// deflated dataset. One frame is read from disk with a partial read (DCMTK swaps big-endian words);
// 1-bit frames may start in the middle of a byte.
#include <utility>
#include <vector>

#include "decode/internal.h"
#include "dicom/frame_size.h"

namespace cvx::io::detail {
namespace {

// Reads [begin, end) of the Pixel Data value, widened to even bounds (DCMTK reads whole words).
Status readRange(DecodeFile& f, uint64_t begin, uint64_t end, std::vector<uint8_t>& out, uint64_t& outBegin) {
  const Uint32 length = f.pixels->getLengthField();
  if (length == DCM_UndefinedLength)
    return makeError("dicom.decode_failed", "encapsulated Pixel Data under native transfer syntax " + f.syntax, f.path);
  if (end > length)
    return makeError("dicom.truncated",
                     "Pixel Data has " + std::to_string(length) + " bytes, frame needs up to " + std::to_string(end),
                     f.path);
  outBegin = begin & ~uint64_t{1};
  uint64_t outEnd = (end + 1) & ~uint64_t{1};
  if (outEnd > length) outEnd = length;
  out.resize(static_cast<size_t>(outEnd - outBegin));
  const OFCondition c = f.pixels->getPartialValue(out.data(), static_cast<Uint32>(outBegin),
                                                  static_cast<Uint32>(out.size()), &f.cache);
  if (c.bad()) return makeError("dicom.truncated", std::string("cannot read Pixel Data: ") + c.text(), f.path);
  return {};
}

Status decodeOneBit(DecodeFile& f, uint32_t frame, std::byte* dst) {
  const size_t n = pixelCount(f.pf);
  const uint64_t firstBit = static_cast<uint64_t>(frame) * frameBits(f.pf);  // frames continue bit after bit
  std::vector<uint8_t> bytes;
  uint64_t begin = 0;
  CVX_TRY(readRange(f, firstBit / 8, (firstBit + n + 7) / 8, bytes, begin));
  return unpackBits(bytes.data(), bytes.size(), firstBit - begin * 8, n, reinterpret_cast<uint8_t*>(dst));
}

}  // namespace

Status decodeNativeFrame(DecodeFile& f, uint32_t frame, std::byte* dst) {
  const PixelFormat& p = f.pf;
  if (p.bitsAllocated == 1) return decodeOneBit(f, frame, dst);
  const size_t sampleBytes = p.bitsAllocated / 8u;
  const size_t frameBytes = detail::frameBytes(p);  // frame_size.h (YBR_*_422: two samples per pixel)
  const uint64_t begin = static_cast<uint64_t>(frame) * frameBytes;
  std::vector<uint8_t> bytes;
  uint64_t got = 0;
  CVX_TRY(readRange(f, begin, begin + frameBytes, bytes, got));
  // Big endian OW data comes back from DCMTK swapped by 16-bit words: 32-bit samples (RT Dose)
  // still need their two halves exchanged.
  if (sampleBytes == 4 && findTransferSyntax(f.syntax)->bigEndian && f.pixels->getVR() == EVR_OW)
    for (size_t i = static_cast<size_t>(begin - got); i + 4 <= bytes.size(); i += 4) {
      std::swap(bytes[i], bytes[i + 2]);
      std::swap(bytes[i + 1], bytes[i + 3]);
    }
  RawFrame raw;
  raw.data = bytes.data() + (begin - got);
  raw.size = frameBytes;
  raw.sampleBytes = static_cast<unsigned>(sampleBytes);
  raw.samples = p.samplesPerPixel;
  raw.planar = p.samplesPerPixel > 1 && p.planarConfiguration == 1;
  raw.color = p.photometric;
  raw.subsampled422 = isSubsampled422(p);
  return convertFrame(f, raw, dst);
}

}  // namespace cvx::io::detail
