// SPDX-License-Identifier: MIT
// Spec: one inflater (codec/inflate.h) behind the DICOM frame decoder's inflateBuffer and the
// image-format readers' inflateExact; streams made here with zlib's own deflate as the oracle.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "codec/inflate.h"
#include "formats/internal.h"

namespace {

using namespace cvx::io;

std::vector<uint8_t> pattern(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>((i * 7) ^ (i >> 5));
  return v;
}

// windowBits: -15 raw, 15 zlib, 31 gzip.
std::vector<uint8_t> deflated(const std::vector<uint8_t>& in, int windowBits) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::vector<uint8_t> out(deflateBound(&z, in.size()) + 32);
  z.next_in = const_cast<Bytef*>(in.data());
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(Inflate, AFrameInflatesToExactlyItsBytesRawOrZlibWrapped) {
  const auto plain = pattern(10000);
  for (int bits : {-15, 15}) {
    const auto z = deflated(plain, bits);
    std::vector<uint8_t> out(plain.size());
    size_t produced = 0;
    ASSERT_TRUE(codec::inflateBuffer(z.data(), z.size(), out.data(), out.size(), produced).ok()) << bits;
    EXPECT_EQ(produced, plain.size());
    EXPECT_EQ(out, plain);
  }
}

TEST(Inflate, AFrameLongerThanItsBufferIsTooLargeAndACutOneIsCorrupt) {
  const auto plain = pattern(10000);
  const auto z = deflated(plain, -15);
  std::vector<uint8_t> out(plain.size() - 1);
  size_t produced = 0;
  auto st = codec::inflateBuffer(z.data(), z.size(), out.data(), out.size(), produced);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "deflate.too_large");
  out.resize(plain.size());
  st = codec::inflateBuffer(z.data(), z.size() / 2, out.data(), out.size(), produced);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "deflate.corrupt");
}

TEST(Inflate, GzipMembersFollowOneAnother) {
  const auto a = pattern(3000), b = pattern(5000);
  auto z = deflated(a, 31);
  const auto zb = deflated(b, 31);
  z.insert(z.end(), zb.begin(), zb.end());
  auto r = fmt::inflateExact(reinterpret_cast<const std::byte*>(z.data()), z.size(), a.size() + b.size(), "t");
  ASSERT_TRUE(r.ok()) << r.error().str();
  std::vector<uint8_t> want = a;
  want.insert(want.end(), b.begin(), b.end());
  ASSERT_EQ(r->size(), want.size());
  EXPECT_EQ(std::memcmp(r->data(), want.data(), want.size()), 0);
}

TEST(Inflate, AFormatStreamCutOrWithABadCrcIsTruncatedAndGarbageIsBadData) {
  const auto plain = pattern(20000);
  auto z = deflated(plain, 31);
  auto cut = fmt::inflateExact(reinterpret_cast<const std::byte*>(z.data()), z.size() / 2, plain.size(), "t");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, "format.truncated");
  auto badCrc = z;
  badCrc[badCrc.size() - 8] ^= 0xFF;  // the CRC-32 in the gzip trailer (RFC 1952)
  auto crc = fmt::inflateExact(reinterpret_cast<const std::byte*>(badCrc.data()), badCrc.size(), plain.size(), "t");
  ASSERT_FALSE(crc.ok());
  EXPECT_EQ(crc.error().code, "format.truncated");
  const std::vector<uint8_t> garbage(2000, 0xFF);
  auto bad = fmt::inflateExact(reinterpret_cast<const std::byte*>(garbage.data()), garbage.size(), 1000, "t");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "format.bad_data");
  auto peek = fmt::inflateExact(reinterpret_cast<const std::byte*>(z.data()), z.size() / 2, plain.size(), "t", true);
  ASSERT_TRUE(peek.ok());
  EXPECT_GT(peek->size(), 0u);
  EXPECT_LT(peek->size(), plain.size());
  EXPECT_EQ(std::memcmp(peek->data(), plain.data(), peek->size()), 0);
}

}  // namespace
