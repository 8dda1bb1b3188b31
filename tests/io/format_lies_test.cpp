// SPDX-License-Identifier: MIT
// Lying headers in NIfTI, NRRD and MetaImage files: each class of lie fails with its full code, fast.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

#include <cvx/io/formats.h>

#include "formats/internal.h"
#include "format_test_util.h"

namespace cvx {
namespace {

using test::fileBytes;
using test::text;

// ---- Lying headers: each class of lie fails with its full code, in milliseconds, before the
// claimed size is allocated (a 512 MiB allocation and zero fill alone takes ~1 s on the CI VM).

struct Timed {
  std::string code;
  double ms = 0;
  io::ImageReadNotes notes;
};

Timed readTimed(const std::string& path) {
  Timed t;
  const auto t0 = std::chrono::steady_clock::now();
  auto r = io::readImage(path, t.notes);
  t.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  t.code = r.ok() ? std::string("ok") : r.error().code;
  return t;
}

// A tiny lying file fails in milliseconds; honouring the lie takes seconds. 1 s tells them apart on a
// loaded CI machine running tests side by side (crafted_header_test.cpp says why).
constexpr double kFastMs = 1000;
constexpr double kMiBMs = 400;   // a lying file with ~1 MiB of real data to read or inflate

template <class T>
void poke(std::vector<uint8_t>& b, size_t off, T v) {
  std::memcpy(b.data() + off, &v, sizeof v);
}

// A valid little NIfTI-1 file (6x5x4 int16, 240 voxel bytes after vox_offset 352) to lie with.
std::vector<uint8_t> smallNifti(const test::TempDir& tmp) {
  auto v = test::patternVolume(PixelType::Int16, {6, 5, 4, 1});
  EXPECT_TRUE(io::writeImage(*v, tmp.file("src.nii")).ok());
  return fileBytes(tmp.file("src.nii"));
}

// Deterministic incompressible bytes (an LCG), so that a gzip stream of them is as long as they are.
std::vector<uint8_t> noise(size_t n) {
  std::vector<uint8_t> out(n);
  uint32_t x = 12345;
  for (auto& b : out) b = static_cast<uint8_t>((x = x * 1664525u + 1013904223u) >> 24);
  return out;
}

std::vector<uint8_t> gzipOf(const std::vector<uint8_t>& raw, bool gzipHeader) {
  auto z = io::fmt::deflateAll(reinterpret_cast<const std::byte*>(raw.data()), raw.size(), gzipHeader);
  EXPECT_TRUE(z.ok());
  std::vector<uint8_t> out(z->size());
  std::memcpy(out.data(), z->data(), z->size());
  return out;
}

TEST(FormatLies, NiftiDimsFarBeyondTheFile) {
  test::TempDir tmp;
  auto b = smallNifti(tmp);
  for (int i = 1; i <= 3; ++i) poke<int16_t>(b, 40 + 2 * i, 32767);  // 32767^3 int16 = 64 TiB
  test::writeBytes(tmp.file("dims.nii"), b);
  const Timed t = readTimed(tmp.file("dims.nii"));
  EXPECT_EQ(t.code, "format.truncated");
  EXPECT_LT(t.ms, kFastMs);
}

TEST(FormatLies, NiftiNegativeAndAbsurdDims) {
  test::TempDir tmp;
  auto b = smallNifti(tmp);
  poke<int16_t>(b, 44, -4);
  test::writeBytes(tmp.file("neg.nii"), b);
  EXPECT_EQ(readTimed(tmp.file("neg.nii")).code, "format.bad_header");
  b = smallNifti(tmp);
  poke<int16_t>(b, 40, 9);  // dim[0] beyond 7
  test::writeBytes(tmp.file("rank.nii"), b);
  EXPECT_EQ(readTimed(tmp.file("rank.nii")).code, "format.bad_header");
}

TEST(FormatLies, NiftiVoxOffsetNotANumberNegativeOrBeyondTheFile) {
  test::TempDir tmp;
  const std::pair<float, const char*> cases[] = {
      {std::numeric_limits<float>::quiet_NaN(), "format.bad_header"},
      {std::numeric_limits<float>::infinity(), "format.bad_header"},
      {-352.0f, "format.bad_header"},
      {1e30f, "format.bad_header"},    // past any int64: no undefined conversion
      {100.0f, "format.bad_header"},   // inside the header
      {1e9f, "format.truncated"},      // far beyond the file's 592 bytes
      {360.0f, "format.truncated"},    // 8 bytes too far for the 240 voxel bytes
  };
  for (const auto& [offset, code] : cases) {
    auto b = smallNifti(tmp);
    poke<float>(b, 108, offset);
    test::writeBytes(tmp.file("off.nii"), b);
    const Timed t = readTimed(tmp.file("off.nii"));
    EXPECT_EQ(t.code, code) << "vox_offset " << offset;
    EXPECT_LT(t.ms, kFastMs);
  }
}

TEST(FormatLies, NiftiUnknownDatatype) {
  test::TempDir tmp;
  auto b = smallNifti(tmp);
  poke<int16_t>(b, 70, 1536);  // float128: not read
  test::writeBytes(tmp.file("dt.nii"), b);
  EXPECT_EQ(readTimed(tmp.file("dt.nii")).code, "format.unsupported");
}

TEST(FormatLies, Nifti2DimsBeyondTheLimitAndOverflowingProducts) {
  // NIfTI-2 keeps dims as int64: one past 2^20, and a product that overflows 64 bits.
  test::TempDir tmp;
  std::vector<uint8_t> b(544, 0);
  poke<int32_t>(b, 0, 540);
  std::memcpy(b.data() + 4, "n+2\0\r\n\032\n", 8);
  poke<int16_t>(b, 12, 4);  // int16
  poke<int64_t>(b, 16, 3);
  poke<int64_t>(b, 24, (int64_t{1} << 20) + 1);
  poke<int64_t>(b, 32, 2);
  poke<int64_t>(b, 40, 2);
  poke<int64_t>(b, 168, 544);
  test::writeBytes(tmp.file("big.nii"), b);
  Timed t = readTimed(tmp.file("big.nii"));
  EXPECT_EQ(t.code, "format.bad_header");
  EXPECT_LT(t.ms, kFastMs);
  poke<int64_t>(b, 24, int64_t{1} << 20);
  poke<int64_t>(b, 32, int64_t{1} << 20);
  poke<int64_t>(b, 40, int64_t{1} << 20);  // 2^60 voxels x 2 bytes: 2^61, fits; the file does not
  test::writeBytes(tmp.file("big.nii"), b);
  t = readTimed(tmp.file("big.nii"));
  EXPECT_EQ(t.code, "format.truncated");
  EXPECT_LT(t.ms, kFastMs);
  poke<int64_t>(b, 168, int64_t{1} << 62);  // vox_offset past any file
  test::writeBytes(tmp.file("big.nii"), b);
  EXPECT_EQ(readTimed(tmp.file("big.nii")).code, "format.truncated");
}

TEST(FormatLies, GzipNiftiClaimingHalfAGigabyteWithOneMebibyteOfData) {
  // 1024x1024x256 int16 = 512 MiB claimed (within deflate's 1100:1 of the 1 MiB stream); the
  // stream holds 1 MiB. It fails after inflating that MiB, not after allocating 512 MiB.
  test::TempDir tmp;
  auto b = smallNifti(tmp);
  b.resize(352);
  poke<int16_t>(b, 42, 1024);
  poke<int16_t>(b, 44, 1024);
  poke<int16_t>(b, 46, 256);
  const auto body = noise(1 << 20);
  b.insert(b.end(), body.begin(), body.end());
  test::writeBytes(tmp.file("lie.nii.gz"), gzipOf(b, true));
  const Timed t = readTimed(tmp.file("lie.nii.gz"));
  EXPECT_EQ(t.code, "format.truncated");
  EXPECT_LT(t.ms, kMiBMs);
}

TEST(FormatLies, GzipNrrdAndZlibMetaClaimingHalfAGigabyte) {
  test::TempDir tmp;
  const auto z = gzipOf(noise(1 << 20), true);
  auto nrrd = text("NRRD0004\ntype: short\ndimension: 3\nsizes: 1024 1024 256\nendian: little\n"
                   "encoding: gzip\n\n");
  nrrd.insert(nrrd.end(), z.begin(), z.end());
  test::writeBytes(tmp.file("lie.nrrd"), nrrd);
  Timed t = readTimed(tmp.file("lie.nrrd"));
  EXPECT_EQ(t.code, "format.truncated");
  EXPECT_LT(t.ms, kMiBMs);
  const auto zl = gzipOf(noise(1 << 20), false);
  auto mha = text("ObjectType = Image\nNDims = 3\nCompressedData = True\nDimSize = 1024 1024 256\n"
                  "ElementType = MET_SHORT\nElementDataFile = LOCAL\n");
  mha.insert(mha.end(), zl.begin(), zl.end());
  test::writeBytes(tmp.file("lie.mha"), mha);
  t = readTimed(tmp.file("lie.mha"));
  EXPECT_EQ(t.code, "format.truncated");
  EXPECT_LT(t.ms, kMiBMs);
}

TEST(FormatLies, DetachedDataFileShorterThanClaimed) {
  test::TempDir tmp;
  test::writeBytes(tmp.file("d.raw"), std::vector<uint8_t>(100, 7));
  test::writeBytes(tmp.file("d.nhdr"), text("NRRD0004\ntype: short\ndimension: 3\nsizes: 4000 4000 400\n"
                                            "endian: little\nencoding: raw\ndata file: d.raw\n"));
  Timed t = readTimed(tmp.file("d.nhdr"));
  EXPECT_EQ(t.code, "format.truncated");
  EXPECT_LT(t.ms, kFastMs);
  test::writeBytes(tmp.file("d.mhd"), text("ObjectType = Image\nNDims = 3\nDimSize = 4000 4000 400\n"
                                           "ElementType = MET_SHORT\nElementDataFile = d.raw\n"));
  t = readTimed(tmp.file("d.mhd"));
  EXPECT_EQ(t.code, "format.truncated");
  EXPECT_LT(t.ms, kFastMs);
  // A skip past the end of the data file, and the data that "ends the file" longer than the file.
  test::writeBytes(tmp.file("s.nhdr"), text("NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\n"
                                            "endian: little\nencoding: raw\nbyte skip: 90\ndata file: d.raw\n"));
  EXPECT_EQ(readTimed(tmp.file("s.nhdr")).code, "format.truncated");
  test::writeBytes(tmp.file("e.nhdr"), text("NRRD0004\ntype: short\ndimension: 3\nsizes: 10 10 10\n"
                                            "endian: little\nencoding: raw\nbyte skip: -1\ndata file: d.raw\n"));
  EXPECT_EQ(readTimed(tmp.file("e.nhdr")).code, "format.truncated");
  test::writeBytes(tmp.file("h.mhd"), text("ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nHeaderSize = 99\n"
                                           "ElementType = MET_SHORT\nElementDataFile = d.raw\n"));
  EXPECT_EQ(readTimed(tmp.file("h.mhd")).code, "format.truncated");
}

TEST(FormatLies, HugeDetachedDataFileIsReadOnlyWhereTheVoxelsAre) {
  // An 8 GiB sparse data file behind a 2x2x2 header: 16 bytes are read, not 8 GiB.
  test::TempDir tmp;
  const std::string raw = tmp.file("huge.raw");
  test::writeBytes(raw, {});
  ASSERT_EQ(::truncate(raw.c_str(), off_t{8} << 30), 0);
  test::writeBytes(tmp.file("h.nhdr"), text("NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\n"
                                            "endian: little\nencoding: raw\nbyte skip: -1\ndata file: huge.raw\n"));
  Timed t = readTimed(tmp.file("h.nhdr"));
  EXPECT_EQ(t.code, "ok");
  EXPECT_LT(t.ms, kFastMs);
  test::writeBytes(tmp.file("h.mhd"), text("ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nHeaderSize = 4096\n"
                                           "ElementType = MET_SHORT\nElementDataFile = huge.raw\n"));
  t = readTimed(tmp.file("h.mhd"));
  EXPECT_EQ(t.code, "ok");
  EXPECT_LT(t.ms, kFastMs);
}

TEST(FormatLies, PlainNiftiIsReadOnlyWhereTheVoxelsAre) {
  // A valid .nii followed by 8 GiB of (sparse) trailing bytes: the voxels come back, quickly.
  test::TempDir tmp;
  auto v = test::patternVolume(PixelType::Int16, {6, 5, 4, 1});
  ASSERT_TRUE(io::writeImage(*v, tmp.file("tail.nii")).ok());
  ASSERT_EQ(::truncate(tmp.file("tail.nii").c_str(), off_t{8} << 30), 0);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = io::readImage(tmp.file("tail.nii"));
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_LT(ms, kFastMs);
  ASSERT_EQ((*r)->byteSize(), v->byteSize());
  EXPECT_EQ(std::memcmp((*r)->data(), v->data(), v->byteSize()), 0);
}

TEST(FormatLies, MalformedSizingFields) {
  test::TempDir tmp;
  const std::pair<std::string, std::string> nrrd[] = {
      {"NRRD0004\ntype: short\ndimension: 2\nsizes: 2 2 2\nendian: little\nencoding: raw\n\n", "format.bad_header"},
      {"NRRD0004\ntype: short\nsizes: 2 2 2\nendian: little\nencoding: raw\n\n", "format.bad_header"},
      {"NRRD0004\ntype: short\ndimension: 3\nsizes: 2 -2 2\nendian: little\nencoding: raw\n\n", "format.bad_header"},
      {"NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 99999999999999999999\nendian: little\nencoding: raw\n\n",
       "format.bad_header"},
      {"NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nendian: little\nencoding: raw\nbyte skip: -5\n\n",
       "format.bad_header"},
      {"NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nendian: little\nencoding: raw\nbyte skip: 1e3\n\n",
       "format.bad_header"},
      {"NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nendian: little\nencoding: raw\nbyte skip: 4\n\n"
       "0123456789abcdef",
       "format.truncated"},
  };
  for (const auto& [header, code] : nrrd) {
    test::writeBytes(tmp.file("m.nrrd"), text(header));
    const Timed t = readTimed(tmp.file("m.nrrd"));
    EXPECT_EQ(t.code, code) << header;
    EXPECT_LT(t.ms, kFastMs);
  }
  const std::pair<std::string, std::string> meta[] = {
      {"NDims = 3\nDimSize = 2 2 0\nElementType = MET_SHORT\nElementDataFile = LOCAL\n", "format.bad_header"},
      {"NDims = 3\nDimSize = 2 2 2\nElementNumberOfChannels = three\nElementType = MET_UCHAR\n"
       "ElementDataFile = LOCAL\n", "format.bad_header"},
      {"NDims = 3\nDimSize = 2 2 2\nHeaderSize = -7\nElementType = MET_SHORT\nElementDataFile = x.raw\n",
       "format.bad_header"},
      {"NDims = 3\nDimSize = 1048576 1048576 1048576\nElementType = MET_SHORT\nElementDataFile = LOCAL\n",
       "format.truncated"},
  };
  for (const auto& [header, code] : meta) {
    test::writeBytes(tmp.file("m.mha"), text(header));
    const Timed t = readTimed(tmp.file("m.mha"));
    EXPECT_EQ(t.code, code) << header;
    EXPECT_LT(t.ms, kFastMs);
  }
}

TEST(FormatLies, NonFiniteOrDegenerateGeometry) {
  test::TempDir tmp;
  const std::string raw8 = "\n\n01234567";
  test::writeBytes(tmp.file("o.nrrd"), text("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 2 2\nspace: LPS\n"
                                            "space directions: (1,0,0) (0,1,0) (0,0,1)\nspace origin: (nan,0,0)\n"
                                            "encoding: raw" + raw8));
  EXPECT_EQ(readTimed(tmp.file("o.nrrd")).code, "format.bad_header");
  const std::string tail = "DimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n01234567";
  test::writeBytes(tmp.file("o.mha"), text("NDims = 3\nOffset = 0 inf 0\n" + tail));
  EXPECT_EQ(readTimed(tmp.file("o.mha")).code, "format.bad_header");
  test::writeBytes(tmp.file("m.mha"), text("NDims = 3\nTransformMatrix = 0 0 0 0 1 0 0 0 1\n" + tail));
  EXPECT_EQ(readTimed(tmp.file("m.mha")).code, "format.bad_header");
  test::writeBytes(tmp.file("ok.mha"), text("NDims = 3\nTransformMatrix = 1 0 0 0 1 0 0 0 1\n" + tail));
  EXPECT_EQ(readTimed(tmp.file("ok.mha")).code, "ok");
  // NIfTI qform (sform_code 0) with a NaN offset: read, origin 0, and a warning that says so.
  auto b = smallNifti(tmp);
  poke<int16_t>(b, 254, 0);
  poke<float>(b, 272, std::numeric_limits<float>::quiet_NaN());
  test::writeBytes(tmp.file("q.nii"), b);
  const Timed t = readTimed(tmp.file("q.nii"));
  ASSERT_EQ(t.code, "ok");
  ASSERT_EQ(t.notes.warnings.size(), 1u);
  EXPECT_EQ(t.notes.warnings[0].code, "format.bad_orientation");
  EXPECT_FALSE(t.notes.warnings[0].path.empty());
  auto v = io::readImage(tmp.file("q.nii"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ((*v)->geometry.originMm.y, 0.0);
}

TEST(FormatLies, ReplacedValuesAreNeverSilent) {
  test::TempDir tmp;
  // MetaImage spacing 0 and NaN: read with 1 mm, and a warning that says so.
  test::writeBytes(tmp.file("sp.mha"), text("NDims = 3\nDimSize = 1 1 1\nElementSpacing = 0 nan 1\n"
                                            "ElementType = MET_UCHAR\nElementDataFile = LOCAL\nx"));
  Timed t = readTimed(tmp.file("sp.mha"));
  ASSERT_EQ(t.code, "ok");
  ASSERT_EQ(t.notes.warnings.size(), 1u);
  EXPECT_EQ(t.notes.warnings[0].code, "format.bad_spacing");
  EXPECT_FALSE(t.notes.warnings[0].path.empty());
  auto sp = io::readImage(tmp.file("sp.mha"));
  ASSERT_TRUE(sp.ok());
  EXPECT_FALSE((*sp)->geometry.spacingKnown);
  // NIfTI sform with a NaN and a zero column: unit axes assumed, with a warning.
  auto b = smallNifti(tmp);
  poke<float>(b, 280, std::numeric_limits<float>::quiet_NaN());
  for (int r = 0; r < 3; ++r) poke<float>(b, 280 + 16 * r + 4, 0.0f);
  test::writeBytes(tmp.file("nan.nii"), b);
  t = readTimed(tmp.file("nan.nii"));
  ASSERT_EQ(t.code, "ok");
  ASSERT_EQ(t.notes.warnings.size(), 1u);
  EXPECT_EQ(t.notes.warnings[0].code, "format.bad_orientation");
  EXPECT_FALSE(t.notes.warnings[0].path.empty());
  auto nan = io::readImage(tmp.file("nan.nii"));
  ASSERT_TRUE(nan.ok());
  EXPECT_FALSE((*nan)->geometry.spacingKnown);
  auto good = io::readImage(tmp.file("src.nii"));
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE((*good)->geometry.spacingKnown);
}

}  // namespace
}  // namespace cvx
