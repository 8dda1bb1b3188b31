// SPDX-License-Identifier: MIT
// JPEG lossless decoder on synthetic streams: DCMTK's encoder for every predictor, precision and
// point transform; a small spec-written encoder for restart markers, colour and long codes;
// truncated and corrupted streams must give an error code, never a crash.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "jpeg_test_util.h"

namespace cvx::test {
namespace {

using io::codec::decodeJpegLossless;

// A smooth ramp plus noise, in [0, 2^bits).
std::vector<uint16_t> syntheticImage(int rows, int cols, int bits, int comps, unsigned seed) {
  std::mt19937 rng(seed);
  const int maxv = (1 << bits) - 1;
  std::uniform_int_distribution<int> noise(-maxv / 16 - 1, maxv / 16 + 1);
  std::vector<uint16_t> px(size_t(rows) * cols * comps);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x)
      for (int c = 0; c < comps; ++c) {
        const int v = (x * 3 + y * 5 + c * 7) * maxv / (3 * cols + 5 * rows + 14) + noise(rng);
        px[(size_t(y) * cols + x) * comps + c] = uint16_t(std::clamp(v, 0, maxv));
      }
  return px;
}

Status decodeAll(const std::vector<uint8_t>& jpeg, std::vector<uint16_t>& out) {
  return decodeJpegLossless(jpeg.data(), jpeg.size(), out.data(), out.size(), nullptr);
}

// DCMTK encodes; the expected values are the source image with the low `pt` bits dropped.
TEST(JpegLosslessRobust, DcmtkEncodedEveryPredictorPrecisionAndPointTransform) {
  const int rows = 37, cols = 53;
  int cases = 0;
  for (int bits : {8, 12, 16})
    for (int pred = 1; pred <= 7; ++pred)
      for (int pt : {0, 3}) {
        SCOPED_TRACE("bits " + std::to_string(bits) + " predictor " + std::to_string(pred) +
                     " pt " + std::to_string(pt));
        const auto src = syntheticImage(rows, cols, bits, 1, unsigned(bits * 100 + pred * 10 + pt));
        const auto jpeg = dcmtkEncodeLossless(src, rows, cols, bits, pred, pt);
        ASSERT_FALSE(jpeg.empty()) << "DCMTK did not encode";
        auto info = io::codec::peekJpegInfo(jpeg.data(), jpeg.size());
        ASSERT_TRUE(info.ok()) << info.error().str();
        EXPECT_EQ(info->predictor, pred);
        EXPECT_EQ(info->pointTransform, pt);
        std::vector<uint16_t> out(src.size());
        auto st = decodeAll(jpeg, out);
        ASSERT_TRUE(st.ok()) << st.error().str();
        size_t bad = 0;
        for (size_t i = 0; i < src.size(); ++i) bad += out[i] != uint16_t((src[i] >> pt) << pt);
        EXPECT_EQ(bad, 0u);
        ++cases;
      }
  EXPECT_EQ(cases, 42);
}

// A lossless encoder written from T.81 for the cases DCMTK's encoder cannot make: restart
// intervals, 3 interleaved components, codes longer than the decoder's lookup (up to 16 bits).
class SpecEncoder {
 public:
  std::vector<uint8_t> encode(const std::vector<uint16_t>& px, int rows, int cols, int comps, int bits,
                              int pred, int restartRows) {
    out_ = {0xFF, 0xD8};
    segment(0xC3, sof(rows, cols, comps, bits));
    segment(0xC4, dht());
    if (restartRows) segment(0xDD, {uint8_t((restartRows * cols) >> 8), uint8_t(restartRows * cols)});
    segment(0xDA, sos(comps, pred));
    int marker = 0;
    for (int y = 0; y < rows; ++y) {
      const bool first = restartRows ? y % restartRows == 0 : y == 0;
      if (first && y > 0) {
        flush();
        out_.insert(out_.end(), {0xFF, uint8_t(0xD0 + (marker++ & 7))});
      }
      for (int x = 0; x < cols; ++x)
        for (int c = 0; c < comps; ++c) {
          auto at = [&](int yy, int xx) { return int32_t(px[(size_t(yy) * cols + xx) * comps + c]); };
          int32_t p;
          if (first) p = x == 0 ? 1 << (bits - 1) : at(y, x - 1);
          else if (x == 0) p = at(y - 1, 0);
          else p = predictor(pred, at(y, x - 1), at(y - 1, x), at(y - 1, x - 1));
          putDiff(int32_t(uint16_t(at(y, x) - p)));
        }
    }
    flush();
    out_.insert(out_.end(), {0xFF, 0xD9});
    return out_;
  }

 private:
  // Code lengths of symbols 0..16: 2,2,3,3,3,4,5,6,7,8,9,10,12,13,14,15,16 (a prefix code).
  static constexpr uint8_t kLen[17] = {2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16};

  static int32_t predictor(int k, int32_t a, int32_t b, int32_t c) {
    switch (k) {
      case 1: return a;
      case 2: return b;
      case 3: return c;
      case 4: return a + b - c;
      case 5: return a + ((b - c) >> 1);
      case 6: return b + ((a - c) >> 1);
      default: return (a + b) / 2;
    }
  }
  void segment(uint8_t m, const std::vector<uint8_t>& body) {
    const size_t n = body.size() + 2;
    out_.insert(out_.end(), {0xFF, m, uint8_t(n >> 8), uint8_t(n)});
    out_.insert(out_.end(), body.begin(), body.end());
  }
  static std::vector<uint8_t> sof(int rows, int cols, int comps, int bits) {
    std::vector<uint8_t> s = {uint8_t(bits), uint8_t(rows >> 8), uint8_t(rows), uint8_t(cols >> 8),
                              uint8_t(cols), uint8_t(comps)};
    for (int c = 0; c < comps; ++c) s.insert(s.end(), {uint8_t(c + 1), 0x11, 0});
    return s;
  }
  std::vector<uint8_t> dht() {
    std::vector<uint8_t> s = {0x00};
    for (int len = 1; len <= 16; ++len) s.push_back(uint8_t(std::count(kLen, kLen + 17, len)));
    uint32_t code = 0;
    for (int len = 1; len <= 16; ++len) {  // canonical codes, symbols in order within a length
      for (int sym = 0; sym <= 16; ++sym)
        if (kLen[sym] == len) {
          s.push_back(uint8_t(sym));
          code_[sym] = code++;
        }
      code <<= 1;
    }
    return s;
  }
  static std::vector<uint8_t> sos(int comps, int pred) {
    std::vector<uint8_t> s = {uint8_t(comps)};
    for (int c = 0; c < comps; ++c) s.insert(s.end(), {uint8_t(c + 1), 0x00});
    s.insert(s.end(), {uint8_t(pred), 0, 0});
    return s;
  }
  void putDiff(int32_t d) {  // d is the difference modulo 2^16
    if (d >= 32768) d -= 65536;
    if (d == -32768) return putBits(code_[16], kLen[16]);
    const int32_t mag = d < 0 ? -d : d;
    int s = 0;
    while ((1 << s) <= mag) ++s;
    putBits(code_[s], kLen[s]);
    if (s) putBits(uint32_t(d < 0 ? d + (1 << s) - 1 : d), s);
  }
  void putBits(uint32_t v, int n) {
    for (int i = n - 1; i >= 0; --i) {
      byte_ = uint8_t(byte_ << 1 | ((v >> i) & 1));
      if (++nbits_ == 8) emit();
    }
  }
  void emit() {
    out_.push_back(byte_);
    if (byte_ == 0xFF) out_.push_back(0x00);
    byte_ = 0;
    nbits_ = 0;
  }
  void flush() {
    while (nbits_) putBits(1, 1);
  }
  std::vector<uint8_t> out_;
  uint32_t code_[17] = {};
  uint8_t byte_ = 0;
  int nbits_ = 0;
};

TEST(JpegLosslessRobust, SpecEncodedRestartsColourAndLongCodes) {
  struct Case { int comps, bits, pred, restartRows; };
  const Case cases[] = {{1, 16, 1, 0}, {1, 16, 1, 1}, {1, 16, 6, 5}, {1, 12, 7, 3}, {1, 2, 4, 2},
                        {3, 8, 1, 0},  {3, 8, 5, 4},  {3, 16, 2, 7}, {1, 16, 3, 9}};
  for (const Case& k : cases) {
    SCOPED_TRACE("comps " + std::to_string(k.comps) + " bits " + std::to_string(k.bits) + " pred " +
                 std::to_string(k.pred) + " restart rows " + std::to_string(k.restartRows));
    const int rows = 29, cols = 31;
    auto src = syntheticImage(rows, cols, k.bits, k.comps, unsigned(k.pred * 7 + k.bits));
    if (k.bits == 16) src[5] = 0, src[6] = 65535;  // a difference of -32768/32768 (symbol 16)
    const auto jpeg = SpecEncoder().encode(src, rows, cols, k.comps, k.bits, k.pred, k.restartRows);
    std::vector<uint16_t> out(src.size() + 1, 0xBEEF);
    io::codec::JpegInfo info;
    auto st = decodeJpegLossless(jpeg.data(), jpeg.size(), out.data(), out.size(), &info);
    ASSERT_TRUE(st.ok()) << st.error().str();
    EXPECT_EQ(info.components, k.comps);
    EXPECT_EQ(out.back(), 0xBEEF) << "wrote past sampleCount()";
    out.pop_back();
    EXPECT_TRUE(out == src);
  }
}

const std::set<std::string> kCodes = {"jpeg.bad_marker", "jpeg.truncated", "jpeg.bad_huffman",
                                      "jpeg.unsupported"};

std::vector<uint8_t> smallRealFrame() {
  const auto src = syntheticImage(24, 40, 12, 1, 42);
  return dcmtkEncodeLossless(src, 24, 40, 12, 1, 0);
}

// Every prefix that cuts the entropy-coded data fails with a code; longer prefixes decode fully.
TEST(JpegLosslessRobust, TruncationAtEveryByte) {
  const auto jpeg = smallRealFrame();
  ASSERT_GT(jpeg.size(), 100u);
  size_t eoi = jpeg.size() - 2;
  while (eoi > 0 && !(jpeg[eoi] == 0xFF && jpeg[eoi + 1] == 0xD9)) --eoi;
  ASSERT_GT(eoi, 0u);
  while (jpeg[eoi - 1] == 0xFF) --eoi;  // fill bytes before EOI are not entropy data
  std::vector<uint16_t> full(24 * 40), out(24 * 40);
  ASSERT_TRUE(decodeAll(jpeg, full).ok());
  for (size_t n = 0; n < jpeg.size(); ++n) {
    std::vector<uint8_t> cut(jpeg.begin(), jpeg.begin() + long(n));  // exact size: ASan sees overreads
    auto st = decodeJpegLossless(cut.data(), cut.size(), out.data(), out.size(), nullptr);
    if (n < eoi) {
      ASSERT_FALSE(st.ok()) << "prefix " << n;
      EXPECT_TRUE(kCodes.count(st.error().code)) << st.error().code;
    } else {
      ASSERT_TRUE(st.ok()) << "prefix " << n;
      EXPECT_TRUE(out == full);
    }
  }
}

// Random bit flips: any outcome but a crash; errors carry one of the four codes (or
// buffer_too_small when a flip enlarged the frame header's dimensions).
TEST(JpegLosslessRobust, RandomBitFlipsNeverCrash) {
  const auto jpeg = smallRealFrame();
  ASSERT_FALSE(jpeg.empty());
  std::mt19937 rng(7);
  std::vector<uint16_t> out(24 * 40);
  int errors = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    std::vector<uint8_t> m = jpeg;
    const int flips = 1 + int(rng() % 4);
    for (int f = 0; f < flips; ++f) m[rng() % m.size()] ^= uint8_t(1u << (rng() % 8));
    auto st = decodeJpegLossless(m.data(), m.size(), out.data(), out.size(), nullptr);
    if (!st.ok()) {
      ++errors;
      EXPECT_TRUE(kCodes.count(st.error().code) || st.error().code == "jpeg.buffer_too_small")
          << st.error().code;
    }
  }
  EXPECT_GT(errors, 0);  // flips in headers must be caught
}

Status decodeBytes(std::vector<uint8_t> b) {
  uint16_t out[64];
  return decodeJpegLossless(b.data(), b.size(), out, 64, nullptr);
}

TEST(JpegLosslessRobust, HeaderErrorsHaveStableCodes) {
  EXPECT_EQ(decodeBytes({}).error().code, "jpeg.truncated");
  EXPECT_EQ(decodeBytes({0x00, 0x01, 0x02}).error().code, "jpeg.bad_marker");
  // Baseline (SOF0), extended (SOF1), arithmetic lossless (SOF11), DAC: not process 14.
  for (uint8_t m : {0xC0, 0xC1, 0xCB, 0xCC})
    EXPECT_EQ(decodeBytes({0xFF, 0xD8, 0xFF, m, 0x00, 0x02}).error().code, "jpeg.unsupported");
  // SOF3 with 2 components, with 17-bit precision, with a zero row count (DNL).
  EXPECT_EQ(decodeBytes({0xFF, 0xD8, 0xFF, 0xC3, 0, 14, 16, 0, 8, 0, 8, 2, 1, 0x11, 0, 2, 0x11, 0})
                .error().code, "jpeg.unsupported");
  EXPECT_EQ(decodeBytes({0xFF, 0xD8, 0xFF, 0xC3, 0, 11, 17, 0, 8, 0, 8, 1, 1, 0x11, 0}).error().code,
            "jpeg.unsupported");
  EXPECT_EQ(decodeBytes({0xFF, 0xD8, 0xFF, 0xC3, 0, 11, 16, 0, 0, 0, 8, 1, 1, 0x11, 0}).error().code,
            "jpeg.unsupported");
  // Segment length past the end; DHT with 3 codes of length 1 (over-subscribed).
  EXPECT_EQ(decodeBytes({0xFF, 0xD8, 0xFF, 0xFE, 0x10, 0x00, 1, 2}).error().code, "jpeg.truncated");
  std::vector<uint8_t> dht = {0xFF, 0xD8, 0xFF, 0xC4, 0, 22, 0x00, 3};
  dht.insert(dht.end(), 15, 0);
  dht.insert(dht.end(), {0, 1, 2});
  EXPECT_EQ(decodeBytes(dht).error().code, "jpeg.bad_huffman");
  // A real stream into a buffer one value too small.
  const auto jpeg = smallRealFrame();
  std::vector<uint16_t> out(24 * 40 - 1);
  EXPECT_EQ(decodeAll(jpeg, out).error().code, "jpeg.buffer_too_small");
}

}  // namespace
}  // namespace cvx::test
