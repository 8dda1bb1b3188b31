// SPDX-License-Identifier: MIT
// NRRD and MetaImage files written by hand here (not by our writers): known geometry in LPS/RAS,
// detached data, big-endian data, RGB, and ITK's TransformMatrix order.
#include <gtest/gtest.h>

#include <cvx/io/formats.h>

#include "format_test_util.h"

namespace cvx {
namespace {

using test::text;

void expectVec(Vec3 a, Vec3 b, double tol = 1e-9) {
  EXPECT_NEAR(a.x, b.x, tol);
  EXPECT_NEAR(a.y, b.y, tol);
  EXPECT_NEAR(a.z, b.z, tol);
}

TEST(NrrdHandWritten, RasSpaceDetachedBigEndian) {
  test::TempDir tmp;
  test::writeBytes(tmp.file("a.nhdr"),
                   text("NRRD0005\n# comment\ntype: short\ndimension: 3\n"
                        "space: right-anterior-superior\nsizes: 2 1 2\n"
                        "space directions: (0,2,0) (-1.5,0,0) (0,0,3)\nkinds: domain domain domain\n"
                        "endian: big\nencoding: raw\nspace origin: (10,20,30)\ndata file: a.raw\n"));
  test::writeBytes(tmp.file("a.raw"), {0x01, 0x02, 0xff, 0xfe, 0x80, 0x00, 0x00, 0x07});
  auto r = io::readImage(tmp.file("a.nhdr"));
  ASSERT_TRUE(r.ok()) << r.error().str();
  const Volume& v = **r;
  EXPECT_EQ(v.dims(), (std::array<int64_t, 4>{2, 1, 2, 1}));
  EXPECT_EQ(v.as<int16_t>()[0], 0x0102);
  EXPECT_EQ(v.as<int16_t>()[1], -2);
  EXPECT_EQ(v.as<int16_t>()[2], -32768);
  EXPECT_EQ(v.as<int16_t>()[3], 7);
  // RAS (10,20,30) + i*(0,2,0) + k*(0,0,3): voxel (1,0,1) -> RAS (10,22,33) -> LPS (-10,-22,33).
  expectVec(v.geometry.worldAt(1, 0, 1), {-10, -22, 33});
  expectVec(v.geometry.spacingMm, {2, 1.5, 3});
}

TEST(NrrdHandWritten, RgbAndTimeAxes) {
  test::TempDir tmp;
  std::string h = "NRRD0004\ntype: uint8\ndimension: 5\nspace: left-posterior-superior\n"
                  "sizes: 3 2 1 1 2\nspace directions: none (1,0,0) (0,1,0) (0,0,1) none\n"
                  "kinds: RGB-color domain domain domain time\nspacings: nan nan nan nan 40\n"
                  "endian: little\nencoding: raw\n\n";
  std::vector<uint8_t> b = text(h);
  for (uint8_t i = 0; i < 12; ++i) b.push_back(i);
  test::writeBytes(tmp.file("rgb.nrrd"), b);
  auto r = io::readImage(tmp.file("rgb.nrrd"));
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_EQ((*r)->type(), PixelType::RGB8);
  EXPECT_EQ((*r)->dims(), (std::array<int64_t, 4>{2, 1, 1, 2}));
  EXPECT_EQ((*r)->as<uint8_t>()[11], 11);
  ASSERT_EQ((*r)->timesMs.size(), 2u);
  EXPECT_DOUBLE_EQ((*r)->timesMs[1], 40.0);
}

// ITK's MetaImageIO writes TransformMatrix row a = direction of axis a (see its Write()):
// the matrix below says axis 0 runs along +y and axis 1 along -x.
TEST(MetaHandWritten, TransformMatrixRowsAreAxisDirections) {
  test::TempDir tmp;
  test::writeBytes(tmp.file("m.mhd"),
                   text("ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = True\n"
                        "TransformMatrix = 0 1 0 -1 0 0 0 0 1\nOffset = 5 6 7\nElementSpacing = 2 3 4\n"
                        "DimSize = 2 2 1\nElementType = MET_USHORT\nElementDataFile = m.raw\n"));
  test::writeBytes(tmp.file("m.raw"), {0xff, 0xff, 0x00, 0x01, 0x12, 0x34, 0x80, 0x00});
  auto r = io::readImage(tmp.file("m.mhd"));
  ASSERT_TRUE(r.ok()) << r.error().str();
  const Volume& v = **r;
  EXPECT_EQ(v.as<uint16_t>()[0], 65535);
  EXPECT_EQ(v.as<uint16_t>()[2], 0x1234);
  // voxel (1,1,0): (5,6,7) + 1*2*(0,1,0) + 1*3*(-1,0,0) = (2, 8, 7)
  expectVec(v.geometry.worldAt(1, 1, 0), {2, 8, 7});
}

TEST(MetaHandWritten, LocalRgbWithHeaderSizeMinusOneInDetachedFile) {
  test::TempDir tmp;
  test::writeBytes(tmp.file("c.mha"),
                   text("ObjectType = Image\nNDims = 2\nDimSize = 2 1\nElementNumberOfChannels = 3\n"
                        "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n"));
  auto bytes = text("ObjectType = Image\nNDims = 2\nDimSize = 2 1\nElementNumberOfChannels = 3\n"
                    "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n");
  for (uint8_t i = 1; i <= 6; ++i) bytes.push_back(i);
  test::writeBytes(tmp.file("c.mha"), bytes);
  auto r = io::readImage(tmp.file("c.mha"));
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_EQ((*r)->type(), PixelType::RGB8);
  EXPECT_EQ((*r)->as<uint8_t>()[5], 6);
  test::writeBytes(tmp.file("d.mhd"), text("NDims = 3\nDimSize = 2 1 1\nHeaderSize = -1\n"
                                           "ElementType = MET_UCHAR\nElementDataFile = d.raw\n"));
  test::writeBytes(tmp.file("d.raw"), {9, 9, 9, 42, 43});  // 3 bytes of someone's header, then data
  r = io::readImage(tmp.file("d.mhd"));
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_EQ((*r)->as<uint8_t>()[0], 42);
  EXPECT_EQ((*r)->as<uint8_t>()[1], 43);
}

}  // namespace
}  // namespace cvx
