// io::writePng, read back by a decoder written here from the PNG specification (chunk parsing, its
// own bitwise CRC-32, zlib's inflate, all five row filters): independent of the writer's code path.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <zlib.h>

#include <cvx/io/png.h>

#include "temp_dir.h"

namespace fs = std::filesystem;

namespace {

struct Decoded {
  int width = 0, height = 0, channels = 0;
  int idatChunks = 0;
  std::vector<std::string> order;  // chunk types in file order
  std::vector<uint8_t> pixels;     // rows of width * channels bytes
  std::string error;               // empty when decoding succeeded
};

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) bit by bit, as the PNG specification's annex.
uint32_t crc32Spec(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}

int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

Decoded decodePng(const std::string& path) {
  Decoded d;
  std::ifstream f(path, std::ios::binary);
  const std::vector<uint8_t> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (b.size() < 8 || !std::equal(sig, sig + 8, b.begin())) return d.error = "bad signature", d;
  std::vector<uint8_t> z;
  int depth = 0, colour = -1, interlace = -1;
  for (size_t at = 8; at < b.size();) {
    if (b.size() - at < 12) return d.error = "chunk header cut", d;
    const uint32_t n = be32(&b[at]);
    if (b.size() - at - 12 < n) return d.error = "chunk data cut", d;
    const std::string type(reinterpret_cast<const char*>(&b[at + 4]), 4);
    const uint8_t* data = &b[at + 8];
    if (crc32Spec(&b[at + 4], n + 4) != be32(&b[at + 8 + n])) return d.error = "bad CRC in " + type, d;
    d.order.push_back(type);
    if (type == "IHDR" && n == 13) {
      d.width = static_cast<int>(be32(data));
      d.height = static_cast<int>(be32(data + 4));
      depth = data[8], colour = data[9], interlace = data[12];
    } else if (type == "IDAT") {
      z.insert(z.end(), data, data + n);
      ++d.idatChunks;
    }
    at += 12 + n;
  }
  if (depth != 8 || interlace != 0) return d.error = "not 8-bit non-interlaced", d;
  d.channels = colour == 0 ? 1 : colour == 2 ? 3 : colour == 6 ? 4 : 0;
  if (!d.channels) return d.error = "unexpected colour type", d;
  const size_t stride = static_cast<size_t>(d.width) * d.channels;
  std::vector<uint8_t> raw(static_cast<size_t>(d.height) * (stride + 1));
  uLongf rawSize = static_cast<uLongf>(raw.size());
  if (uncompress(raw.data(), &rawSize, z.data(), static_cast<uLong>(z.size())) != Z_OK || rawSize != raw.size())
    return d.error = "IDAT does not inflate to the image size", d;
  d.pixels.assign(static_cast<size_t>(d.height) * stride, 0);
  const size_t bpp = static_cast<size_t>(d.channels);
  for (size_t y = 0; y < static_cast<size_t>(d.height); ++y) {
    const uint8_t filter = raw[y * (stride + 1)];
    const uint8_t* src = &raw[y * (stride + 1) + 1];
    uint8_t* row = &d.pixels[y * stride];
    const uint8_t* up = y ? &d.pixels[(y - 1) * stride] : nullptr;
    for (size_t x = 0; x < stride; ++x) {
      const int a = x >= bpp ? row[x - bpp] : 0, u = up ? up[x] : 0, c = up && x >= bpp ? up[x - bpp] : 0;
      int pred = 0;
      switch (filter) {
        case 0: pred = 0; break;
        case 1: pred = a; break;
        case 2: pred = u; break;
        case 3: pred = (a + u) / 2; break;
        case 4: pred = paeth(a, u, c); break;
        default: return d.error = "bad filter type", d;
      }
      row[x] = static_cast<uint8_t>(src[x] + pred);
    }
  }
  return d;
}

std::vector<uint8_t> pattern(int w, int h, int ch, bool noise) {
  std::vector<uint8_t> p(static_cast<size_t>(w) * h * ch);
  std::mt19937 rng(7);
  for (size_t i = 0; i < p.size(); ++i)
    p[i] = noise ? static_cast<uint8_t>(rng()) : static_cast<uint8_t>((i * 7 + i / 3) & 0xFF);
  return p;
}

bool hasTempLeft(const std::string& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(Png, RoundTripsGreyRgbAndRgba) {
  const cvx::test::TempDir tmp("cvx_png");
  for (int ch : {1, 3, 4}) {
    const int w = 37, h = 23;  // odd sizes: no row padding
    const auto px = pattern(w, h, ch, false);
    const std::string path = tmp.file("img" + std::to_string(ch) + ".png");
    ASSERT_TRUE(cvx::io::writePng(path, w, h, ch, px.data()).ok());
    const Decoded d = decodePng(path);
    ASSERT_TRUE(d.error.empty()) << d.error;
    EXPECT_EQ(d.width, w);
    EXPECT_EQ(d.height, h);
    EXPECT_EQ(d.channels, ch);
    ASSERT_GE(d.order.size(), 3u);
    EXPECT_EQ(d.order.front(), "IHDR");
    EXPECT_EQ(d.order.back(), "IEND");
    EXPECT_EQ(d.pixels, px);
  }
  EXPECT_FALSE(hasTempLeft(tmp.path()));
}

TEST(Png, OnePixelImage) {
  const cvx::test::TempDir tmp("cvx_png");
  const uint8_t px[3] = {10, 200, 30};
  ASSERT_TRUE(cvx::io::writePng(tmp.file("one.png"), 1, 1, 3, px).ok());
  const Decoded d = decodePng(tmp.file("one.png"));
  ASSERT_TRUE(d.error.empty()) << d.error;
  EXPECT_EQ(d.pixels, std::vector<uint8_t>(px, px + 3));
}

// Noise does not compress: 1600 x 1000 RGB is ~4.8 MB of deflate output, split over several IDAT
// chunks (at most 1 MiB each) that decode as one stream.
TEST(Png, LargeImageSpansSeveralIdatChunks) {
  const cvx::test::TempDir tmp("cvx_png");
  const int w = 1600, h = 1000;
  const auto px = pattern(w, h, 3, true);
  ASSERT_TRUE(cvx::io::writePng(tmp.file("big.png"), w, h, 3, px.data()).ok());
  const Decoded d = decodePng(tmp.file("big.png"));
  ASSERT_TRUE(d.error.empty()) << d.error;
  EXPECT_GT(d.idatChunks, 1);
  EXPECT_EQ(d.pixels, px);
}

TEST(Png, ReplacesAnExistingFile) {
  const cvx::test::TempDir tmp("cvx_png");
  const std::string path = tmp.file("x.png");
  std::ofstream(path) << "old content";
  const uint8_t px[4] = {1, 2, 3, 4};
  ASSERT_TRUE(cvx::io::writePng(path, 2, 2, 1, px).ok());
  const Decoded d = decodePng(path);
  ASSERT_TRUE(d.error.empty()) << d.error;
  EXPECT_EQ(d.pixels, std::vector<uint8_t>(px, px + 4));
  EXPECT_FALSE(hasTempLeft(tmp.path()));
}

TEST(Png, BadRequestsGiveACodedErrorAndNoFile) {
  const cvx::test::TempDir tmp("cvx_png");
  const std::vector<uint8_t> px(64, 9);
  const std::string path = tmp.file("bad.png");
  struct Case { int w, h, ch; const uint8_t* rows; };
  for (const Case& c : {Case{0, 4, 3, px.data()}, Case{4, 0, 3, px.data()}, Case{-1, 4, 3, px.data()},
                        Case{70000, 1, 1, px.data()}, Case{4, 4, 2, px.data()}, Case{4, 4, 5, px.data()},
                        Case{4, 4, 3, nullptr}}) {
    const auto st = cvx::io::writePng(path, c.w, c.h, c.ch, c.rows);
    ASSERT_FALSE(st.ok()) << c.w << "x" << c.h << "x" << c.ch;
    EXPECT_EQ(st.error().code, "io.write_failed");
    EXPECT_FALSE(fs::exists(path));
  }
  // A folder that does not exist: nothing written, no temp file left.
  const auto st = cvx::io::writePng(tmp.file("missing/dir/x.png"), 4, 4, 1, px.data());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "io.write_failed");
  EXPECT_FALSE(hasTempLeft(tmp.path()));
}
