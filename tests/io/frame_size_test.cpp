// SPDX-License-Identifier: MIT
// Spec: native frames take Rows x Columns x samples x BitsAllocated bits (PS3.5 8.1.1), 1-bit
// frames continue bit after bit, native YBR_*_422 keeps two samples per pixel (PS3.3 C.7.6.3.1.2),
// and a size that does not fit in 64 bits is reported as such.
#include <gtest/gtest.h>

#include "dicom/frame_size.h"

namespace {

using namespace cvx::io;
using namespace cvx::io::detail;

PixelFormat format(uint16_t rows, uint16_t cols, uint16_t samples, uint16_t bits, const char* photometric) {
  PixelFormat p;
  p.rows = rows;
  p.cols = cols;
  p.samplesPerPixel = samples;
  p.bitsAllocated = bits;
  p.bitsStored = bits;
  p.highBit = static_cast<uint16_t>(bits - 1);
  p.photometric = photometric;
  return p;
}

TEST(FrameSize, A512By512SixteenBitCtSliceIs524288Bytes) {
  const PixelFormat ct = format(512, 512, 1, 16, "MONOCHROME2");
  EXPECT_EQ(frameBits(ct), 4194304u);
  EXPECT_EQ(frameBytes(ct), 524288u);
  EXPECT_EQ(framesBytes(ct, 3), 1572864u);
}

TEST(FrameSize, OneBitFramesContinueBitAfterBit) {
  const PixelFormat mask = format(3, 3, 1, 1, "MONOCHROME2");  // 9 bits a frame
  EXPECT_EQ(frameBits(mask), 9u);
  EXPECT_EQ(frameBytes(mask), 2u);
  EXPECT_EQ(framesBytes(mask, 2), 3u);  // 18 bits
  EXPECT_EQ(framesBytes(mask, 8), 9u);  // 72 bits
}

TEST(FrameSize, NativeYbr422KeepsTwoSamplesPerPixel) {
  EXPECT_EQ(frameBytes(format(2, 4, 3, 8, "YBR_FULL_422")), 16u);
  EXPECT_EQ(frameBytes(format(2, 4, 3, 8, "YBR_PARTIAL_422")), 16u);
  EXPECT_EQ(frameBytes(format(2, 4, 3, 8, "RGB")), 24u);
  EXPECT_EQ(frameBytes(format(2, 4, 3, 8, "YBR_FULL")), 24u);
}

TEST(FrameSize, ASizeBeyond64BitsIsReportedNotWrapped) {
  const PixelFormat huge = format(65535, 65535, 3, 64, "RGB");  // about 2^39.6 bits a frame
  EXPECT_EQ(framesBytes(huge, 1), 65535ull * 65535 * 3 * 8);
  EXPECT_FALSE(framesBytes(huge, 0xFFFFFFFFull).has_value());
  EXPECT_EQ(framesBytes(format(0, 512, 1, 16, "MONOCHROME2"), 1000), 0u);
}

}  // namespace
