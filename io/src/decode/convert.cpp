// SPDX-License-Identifier: MIT
// Raw decoded samples to stored values: BitsStored masking and sign extension for grey images,
// colour by plane to interleaved, YBR to RGB, and 1-bit unpacking. Grey conversion may run in
// place (raw.data == dst with equal sample sizes): each value is read before it is written.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "decode/internal.h"

namespace cvx::io::detail {
namespace {

inline uint32_t sampleAt(const uint8_t* s, size_t i, unsigned bytes) {
  if (bytes == 1) return s[i];
  if (bytes == 4) {
    uint32_t v;
    std::memcpy(&v, s + 4 * i, 4);
    return v;
  }
  uint16_t v;
  std::memcpy(&v, s + 2 * i, 2);
  return v;
}

inline uint32_t clampTo(double v, uint32_t maxv) {
  return static_cast<uint32_t>(std::clamp(std::llround(v), 0LL, static_cast<long long>(maxv)));
}

// 32-bit grey samples (RT Dose) to float32: shift, mask, sign extension in 64 bits.
void greyToFloat(const PixelFormat& p, const RawFrame& raw, float* dst) {
  const size_t n = pixelCount(p);
  const unsigned shift = raw.applyHighBit ? p.highBit + 1u - p.bitsStored : 0u;
  const uint64_t mask = (uint64_t{1} << p.bitsStored) - 1u;
  const int64_t sign = p.isSigned ? int64_t{1} << (p.bitsStored - 1u) : 0;
  for (size_t i = 0; i < n; ++i) {
    const int64_t v = static_cast<int64_t>((uint64_t{sampleAt(raw.data, i, raw.sampleBytes)} >> shift) & mask);
    dst[i] = static_cast<float>((v ^ sign) - sign);
  }
}

// Branch-free per value, so the compiler vectorises it: shift, mask, then sign-extend with
// (v ^ sign) - sign when signed (sign = 0 when unsigned).
template <class In, class Out>
void maskLoop(const In* __restrict src, Out* __restrict dst, size_t n, unsigned shift, uint32_t mask, uint32_t sign) {
  for (size_t i = 0; i < n; ++i) dst[i] = static_cast<Out>((((static_cast<uint32_t>(src[i]) >> shift) & mask) ^ sign) - sign);
}

template <class T>
void maskInPlace(T* v, size_t n, unsigned shift, uint32_t mask, uint32_t sign) {
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<T>((((static_cast<uint32_t>(v[i]) >> shift) & mask) ^ sign) - sign);
}

void greyToStored(const PixelFormat& p, const RawFrame& raw, std::byte* dst) {
  if (p.bitsAllocated == 32) return greyToFloat(p, raw, reinterpret_cast<float*>(dst));
  const size_t n = pixelCount(p);
  const unsigned shift = raw.applyHighBit ? p.highBit + 1u - p.bitsStored : 0u;
  const uint32_t mask = (1u << p.bitsStored) - 1u;
  const uint32_t sign = p.isSigned ? 1u << (p.bitsStored - 1u) : 0u;
  const unsigned outBytes = p.bitsAllocated <= 8 ? 1u : 2u;
  if (raw.data == reinterpret_cast<const uint8_t*>(dst) && raw.sampleBytes == outBytes) {
    if (shift == 0 && p.bitsStored == 8 * outBytes) return;  // every bit is a stored bit: nothing to do
    if (outBytes == 1) maskInPlace(reinterpret_cast<uint8_t*>(dst), n, shift, mask, sign);
    else maskInPlace(reinterpret_cast<uint16_t*>(dst), n, shift, mask, sign);
    return;
  }
  const auto* s8 = raw.data;
  const auto* s16 = reinterpret_cast<const uint16_t*>(raw.data);  // scratch buffers are vector-aligned
  if (raw.sampleBytes == 1 && outBytes == 1) maskLoop(s8, reinterpret_cast<uint8_t*>(dst), n, shift, mask, sign);
  else if (raw.sampleBytes == 1) maskLoop(s8, reinterpret_cast<uint16_t*>(dst), n, shift, mask, sign);
  else if (outBytes == 1) maskLoop(s16, reinterpret_cast<uint8_t*>(dst), n, shift, mask, sign);
  else maskLoop(s16, reinterpret_cast<uint16_t*>(dst), n, shift, mask, sign);
}

}  // namespace

void maskGreyInPlace(const PixelFormat& p, std::byte* dst) {
  RawFrame raw;
  raw.data = reinterpret_cast<const uint8_t*>(dst);
  raw.sampleBytes = p.bitsAllocated <= 8 ? 1u : 2u;
  raw.size = pixelCount(p) * raw.sampleBytes;
  greyToStored(p, raw, dst);
}

namespace {

enum class Ybr : uint8_t { None, Full, Partial };

Status ybrKind(const std::string& color, Ybr& kind, const std::string& path) {
  if (color == "RGB" || color == "YBR_RCT" || color == "YBR_ICT") kind = Ybr::None;  // J2K: decoder applied the MCT
  else if (color == "YBR_FULL" || color == "YBR_FULL_422") kind = Ybr::Full;
  else if (color == "YBR_PARTIAL_422" || color == "YBR_PARTIAL_420") kind = Ybr::Partial;
  else return makeError("dicom.unsupported_pixel", "colour model " + color, path);
  return {};
}

// One pixel to RGB in the sample range [0, maxv] (255 for 8 bits, 65535 for 16, 2^32 - 1 for 32).
inline void toRgb(Ybr kind, uint32_t y, uint32_t cb, uint32_t cr, uint32_t maxv, uint32_t out[3]) {
  const double half = (maxv + 1.0) / 2.0, unit = (maxv + 1.0) / 256.0;
  const double Y = y, B = static_cast<double>(cb) - half, R = static_cast<double>(cr) - half;
  switch (kind) {
    case Ybr::None: out[0] = y; out[1] = cb; out[2] = cr; return;
    case Ybr::Full:  // ITU-R BT.601 full range (PS3.3 C.7.6.3.1.2)
      out[0] = clampTo(Y + 1.402 * R, maxv);
      out[1] = clampTo(Y - 0.344136 * B - 0.714136 * R, maxv);
      out[2] = clampTo(Y + 1.772 * B, maxv);
      return;
    case Ybr::Partial: {  // studio range: Y in [16, 235], chroma in [16, 240] (8-bit units)
      const double Ys = 1.164383 * (Y - 16.0 * unit);
      out[0] = clampTo(Ys + 1.596027 * R, maxv);
      out[1] = clampTo(Ys - 0.391762 * B - 0.812968 * R, maxv);
      out[2] = clampTo(Ys + 2.017232 * B, maxv);
      return;
    }
  }
}

// Writes one RGB pixel as 1, 2 or 4 bytes per channel.
inline void put(std::byte* out, size_t i, unsigned outBytes, const uint32_t c[3]) {
  if (outBytes == 4) {
    std::memcpy(out + 12 * i, c, 12);
  } else if (outBytes == 2) {
    const uint16_t v[3] = {static_cast<uint16_t>(c[0]), static_cast<uint16_t>(c[1]), static_cast<uint16_t>(c[2])};
    std::memcpy(out + 6 * i, v, 6);
  } else {
    for (int k = 0; k < 3; ++k) reinterpret_cast<uint8_t*>(out)[3 * i + k] = static_cast<uint8_t>(c[k]);
  }
}

// Colour samples to RGB8, RGB16 (9 to 16 bits allocated) or RGB32 (32 bits allocated), every
// stored bit kept. 32-bit samples are masked as grey ones are: shifted down by
// HighBit + 1 - BitsStored where the codec keeps bit positions, then BitsStored bits kept.
Status colourToRgb(const DecodeFile& f, const RawFrame& raw, std::byte* out) {
  const PixelFormat& p = f.pf;
  const size_t n = pixelCount(p);
  Ybr kind = Ybr::None;
  CVX_TRY(ybrKind(raw.color, kind, f.path));
  const PixelType type = p.storedType();
  const unsigned outBytes = type == PixelType::RGB32 ? 4u : type == PixelType::RGB16 ? 2u : 1u;
  const unsigned bits = 8u * outBytes;
  const unsigned stored = std::min<unsigned>(p.bitsStored, 8u * raw.sampleBytes);
  unsigned down = stored > bits ? stored - bits : 0u;
  uint32_t keep = static_cast<uint32_t>((uint64_t{1} << bits) - 1u);
  if (outBytes == 4) {
    down = raw.applyHighBit && raw.sampleBytes == 4 ? p.highBit + 1u - p.bitsStored : 0u;
    keep = static_cast<uint32_t>((uint64_t{1} << stored) - 1u);
  }
  const uint32_t maxv = static_cast<uint32_t>((uint64_t{1} << bits) - 1u);
  auto at = [&](size_t i) { return (sampleAt(raw.data, i, raw.sampleBytes) >> down) & keep; };
  uint32_t c[3];
  if (raw.subsampled422) {
    if (p.cols % 2 != 0) return makeError("dicom.unsupported_pixel", "4:2:2 data with odd Columns", f.path);
    for (size_t j = 0; j < n / 2; ++j) {
      const uint32_t cb = at(4 * j + 2), cr = at(4 * j + 3);
      toRgb(kind, at(4 * j), cb, cr, maxv, c);
      put(out, 2 * j, outBytes, c);
      toRgb(kind, at(4 * j + 1), cb, cr, maxv, c);
      put(out, 2 * j + 1, outBytes, c);
    }
    return {};
  }
  for (size_t i = 0; i < n; ++i) {
    const uint32_t a = raw.planar ? at(i) : at(3 * i);
    const uint32_t b = raw.planar ? at(n + i) : at(3 * i + 1);
    const uint32_t d = raw.planar ? at(2 * n + i) : at(3 * i + 2);
    toRgb(kind, a, b, d, maxv, c);
    put(out, i, outBytes, c);
  }
  return {};
}

}  // namespace

Status convertFrame(DecodeFile& f, const RawFrame& raw, std::byte* dst) {
  const PixelFormat& p = f.pf;
  const size_t n = pixelCount(p);
  const size_t perPixel = raw.subsampled422 ? 2u : raw.samples;
  if (raw.samples != p.samplesPerPixel || raw.size < n * perPixel * raw.sampleBytes)
    return makeError("dicom.pixel_mismatch",
                     "decoded frame has " + std::to_string(raw.size) + " bytes in " + std::to_string(raw.samples) +
                         " samples, the pixel module needs " + std::to_string(n * perPixel * raw.sampleBytes),
                     f.path);
  if (p.photometric.rfind("PALETTE", 0) == 0) return expandPalette(f, raw, reinterpret_cast<uint8_t*>(dst));
  if (raw.samples == 1) {
    greyToStored(p, raw, dst);
    return {};
  }
  if (raw.data == reinterpret_cast<const uint8_t*>(dst))
    return makeError("dicom.decode_failed", "colour conversion cannot run in place", f.path);
  return colourToRgb(f, raw, dst);
}

Status unpackBits(const uint8_t* data, size_t size, uint64_t bitOffset, size_t count, uint8_t* dst) {
  if ((bitOffset + count + 7) / 8 > size) return makeError("dicom.truncated", "1-bit frame shorter than Rows*Columns bits");
  for (size_t i = 0; i < count; ++i) {
    const uint64_t b = bitOffset + i;  // the first pixel is the least significant bit (PS3.5 D.2)
    dst[i] = static_cast<uint8_t>((data[b >> 3] >> (b & 7u)) & 1u);
  }
  return {};
}

}  // namespace cvx::io::detail
