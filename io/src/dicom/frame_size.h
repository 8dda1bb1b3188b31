// SPDX-License-Identifier: MIT
// The one frame-size computation: how many bits and bytes native (uncompressed) frames of a pixel
// module take as stored (PS3.5 8.1.1: pixel cells packed, 1-bit frames continue bit after bit;
// PS3.3 C.7.6.3.1.2: native YBR_FULL_422 / YBR_PARTIAL_422 keep two samples per pixel). Used by
// the scan's bounds checks and duplicate comparer, the native and deflate decoders and the
// native fast path.
#pragma once

#include <cstdint>
#include <optional>

#include <cvx/io/dicom.h>

namespace cvx::io::detail {

// Samples stored per pixel in a native frame: 2 for 3-sample YBR_*_422, else SamplesPerPixel.
uint32_t storedSamplesPerPixel(const PixelFormat& p);
// Whether the frame is native YBR_*_422 (Y0 Y1 Cb Cr per pixel pair).
bool isSubsampled422(const PixelFormat& p);

// Bits of one frame: Rows x Columns x stored samples x BitsAllocated (at most 2^42: no overflow).
uint64_t frameBits(const PixelFormat& p);
// Bytes of one frame on its own, rounded up to a whole byte.
uint64_t frameBytes(const PixelFormat& p);
// Bytes of `frames` consecutive frames (1-bit frames share bytes), rounded up; nullopt when the
// count does not fit in 64 bits.
std::optional<uint64_t> framesBytes(const PixelFormat& p, uint64_t frames);

}  // namespace cvx::io::detail
