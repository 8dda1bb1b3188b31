// SPDX-License-Identifier: MIT
// NIfTI headers built byte by byte here (offsets from the NIfTI-1 spec, nifti1.h), not by our
// writer: known sform / qform / pixdim affines, big-endian files, converted datatypes, errors.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/io/formats.h>

#include "format_test_util.h"

namespace cvx {
namespace {

// A NIfTI-1 single-file header (348 bytes + 4 extension bytes), little or big endian.
struct Nifti1 {
  std::vector<uint8_t> b = std::vector<uint8_t>(352, 0);
  bool big = false;
  template <class T>
  void put(size_t off, T v) {
    uint8_t tmp[sizeof(T)];
    std::memcpy(tmp, &v, sizeof(T));
    for (size_t i = 0; i < sizeof(T); ++i) b[off + i] = big ? tmp[sizeof(T) - 1 - i] : tmp[i];
  }
  Nifti1(bool bigEndian, std::array<int16_t, 4> dims, int16_t datatype, int16_t bitpix) : big(bigEndian) {
    put<int32_t>(0, 348);
    put<int16_t>(40, dims[3] > 1 ? 4 : 3);
    for (int i = 0; i < 4; ++i) put<int16_t>(42 + 2 * i, dims[i]);
    put<int16_t>(70, datatype);
    put<int16_t>(72, bitpix);
    put<float>(108, 352.0f);
    b[344] = 'n', b[345] = '+', b[346] = '1';
  }
  void pixdim(std::array<float, 5> p) {
    for (int i = 0; i < 5; ++i) put<float>(76 + 4 * i, p[i]);
  }
  void sform(const float s[3][4]) {
    put<int16_t>(254, 1);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 4; ++c) put<float>(280 + 16 * r + 4 * c, s[r][c]);
  }
  void qform(float b_, float c_, float d_, float x, float y, float z) {
    put<int16_t>(252, 1);
    put<float>(256, b_), put<float>(260, c_), put<float>(264, d_);
    put<float>(268, x), put<float>(272, y), put<float>(276, z);
  }
};

void expectVec(Vec3 a, Vec3 b, double tol = 1e-5) {
  EXPECT_NEAR(a.x, b.x, tol);
  EXPECT_NEAR(a.y, b.y, tol);
  EXPECT_NEAR(a.z, b.z, tol);
}

std::shared_ptr<Volume> readOk(const std::string& path, io::ImageReadNotes* notes = nullptr) {
  io::ImageReadNotes local;
  auto r = io::readImage(path, notes ? *notes : local);
  EXPECT_TRUE(r.ok()) << r.error().str();
  return r.ok() ? *r : nullptr;
}

TEST(NiftiAnalytic, SformMapsVoxelsToLps) {
  Nifti1 h(false, {3, 4, 5, 1}, 4, 16);
  h.pixdim({1, 2, 3, 4, 0});
  // An oblique sform: voxel (i,j,k) -> RAS x = -2i + 0.5k + 90, y = 3j - 120, z = 0.25i + 4k - 60.
  const float s[3][4] = {{-2, 0, 0.5f, 90}, {0, 3, 0, -120}, {0.25f, 0, 4, -60}};
  h.sform(s);
  std::vector<uint8_t> bytes = h.b;
  for (int i = 0; i < 3 * 4 * 5; ++i) bytes.push_back(static_cast<uint8_t>(i)), bytes.push_back(0);
  test::TempDir tmp;
  test::writeBytes(tmp.file("s.nii"), bytes);
  auto v = readOk(tmp.file("s.nii"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->dims(), (std::array<int64_t, 4>{3, 4, 5, 1}));
  // Voxel (2, 1, 3): RAS (-4 + 1.5 + 90, 3 - 120, 0.5 + 12 - 60) = (87.5, -117, -47.5) -> LPS negates x, y.
  expectVec(v->geometry.worldAt(2, 1, 3), {-87.5, 117, -47.5});
  expectVec(v->geometry.worldAt(0, 0, 0), {-90, 120, -60});
  EXPECT_EQ(v->as<int16_t>()[2 + 3 * 1 + 12 * 3], 2 + 3 * 1 + 12 * 3);
  // The helper gives back the file's RAS affine.
  const Mat4 ras = io::niftiRasFromVoxel(v->geometry);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(ras.m[r][c], s[r][c], 1e-5);
}

TEST(NiftiAnalytic, QformQuaternionWithNegativeQfac) {
  Nifti1 h(false, {2, 2, 2, 1}, 2, 8);
  h.pixdim({-1, 2, 3, 4, 0});  // qfac = -1 flips the third axis
  // 90 deg about z: (b, c, d) = (0, 0, sin 45); R = [[0,-1,0],[1,0,0],[0,0,1]].
  h.qform(0, 0, static_cast<float>(std::sqrt(0.5)), 10, 20, 30);
  std::vector<uint8_t> bytes = h.b;
  bytes.resize(bytes.size() + 8, 7);
  test::TempDir tmp;
  test::writeBytes(tmp.file("q.nii"), bytes);
  auto v = readOk(tmp.file("q.nii"));
  ASSERT_TRUE(v);
  // Voxel (1,1,1): RAS = (10 - 3, 20 + 2, 30 - 4) = (7, 22, 26); LPS = (-7, -22, 26).
  expectVec(v->geometry.worldAt(1, 1, 1), {-7, -22, 26});
  expectVec(v->geometry.spacingMm, {2, 3, 4});
}

TEST(NiftiAnalytic, NoTransformUsesPixdimAndWarns) {
  Nifti1 h(false, {2, 2, 1, 1}, 2, 8);
  h.pixdim({1, 1.5f, 2.5f, 3, 0});
  std::vector<uint8_t> bytes = h.b;
  bytes.resize(bytes.size() + 4, 1);
  test::TempDir tmp;
  test::writeBytes(tmp.file("p.nii"), bytes);
  io::ImageReadNotes notes;
  auto v = readOk(tmp.file("p.nii"), &notes);
  ASSERT_TRUE(v);
  expectVec(v->geometry.worldAt(1, 1, 0), {-1.5, -2.5, 0});
  ASSERT_EQ(notes.warnings.size(), 1u);
  EXPECT_EQ(notes.warnings[0].code, "format.no_orientation");
}

TEST(NiftiAnalytic, BigEndianInt16And4DTimes) {
  Nifti1 h(true, {2, 1, 1, 3}, 4, 16);
  h.pixdim({1, 1, 1, 1, 0.5f});
  h.put<uint8_t>(123, 2 | 8);  // mm, seconds
  h.put<float>(112, 2.0f);     // scl_slope
  h.put<float>(116, -10.0f);   // scl_inter
  const float s[3][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
  h.sform(s);
  std::vector<uint8_t> bytes = h.b;
  for (int16_t x : {int16_t(-2), int16_t(300), int16_t(-32768), int16_t(1), int16_t(2), int16_t(258)})
    bytes.push_back(static_cast<uint8_t>(static_cast<uint16_t>(x) >> 8)), bytes.push_back(static_cast<uint8_t>(x & 0xff));
  test::TempDir tmp;
  test::writeBytes(tmp.file("be.nii"), bytes);
  auto v = readOk(tmp.file("be.nii"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->dims(), (std::array<int64_t, 4>{2, 1, 1, 3}));
  const int16_t want[] = {-2, 300, -32768, 1, 2, 258};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(v->as<int16_t>()[i], want[i]);
  ASSERT_EQ(v->timesMs.size(), 3u);
  EXPECT_DOUBLE_EQ(v->timesMs[2], 1000.0);
  EXPECT_DOUBLE_EQ(v->info.rescaleSlope, 2.0);
  EXPECT_DOUBLE_EQ(v->info.rescaleIntercept, -10.0);
  EXPECT_FALSE(v->info.rescaleApplied);
}

TEST(NiftiAnalytic, Int32AndFloat64BecomeFloat32AndSaySo) {
  test::TempDir tmp;
  {
    Nifti1 h(false, {3, 1, 1, 1}, 8, 32);
    std::vector<uint8_t> bytes = h.b;
    for (int32_t x : {-70000, 0, 123456}) {
      uint8_t t[4];
      std::memcpy(t, &x, 4);
      bytes.insert(bytes.end(), t, t + 4);
    }
    test::writeBytes(tmp.file("i32.nii"), bytes);
    io::ImageReadNotes notes;
    auto v = readOk(tmp.file("i32.nii"), &notes);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), PixelType::Float32);
    EXPECT_TRUE(notes.convertedToFloat32);
    EXPECT_EQ(notes.filePixelType, "int32");
    EXPECT_FLOAT_EQ(v->as<float>()[0], -70000.0f);
    EXPECT_FLOAT_EQ(v->as<float>()[2], 123456.0f);
  }
  {
    Nifti1 h(false, {2, 1, 1, 1}, 64, 64);
    std::vector<uint8_t> bytes = h.b;
    for (double x : {-1.25, 1e6}) {
      uint8_t t[8];
      std::memcpy(t, &x, 8);
      bytes.insert(bytes.end(), t, t + 8);
    }
    test::writeBytes(tmp.file("f64.nii"), bytes);
    io::ImageReadNotes notes;
    auto v = readOk(tmp.file("f64.nii"), &notes);
    ASSERT_TRUE(v);
    EXPECT_TRUE(notes.convertedToFloat32);
    EXPECT_FLOAT_EQ(v->as<float>()[0], -1.25f);
    EXPECT_FLOAT_EQ(v->as<float>()[1], 1e6f);
  }
}

TEST(NiftiAnalytic, OurWriterPutsTheSpecFieldsWhereTheSpecSays) {
  auto v = test::patternVolume(PixelType::Int16, {4, 3, 2, 1});
  test::TempDir tmp;
  ASSERT_TRUE(io::writeImage(*v, tmp.file("w.nii")).ok());
  std::ifstream f(tmp.file("w.nii"), std::ios::binary);
  std::vector<char> b((std::istreambuf_iterator<char>(f)), {});
  ASSERT_GE(b.size(), 352u + 4 * 3 * 2 * 2);
  auto i16 = [&](size_t o) { int16_t x; std::memcpy(&x, &b[o], 2); return x; };
  auto f32 = [&](size_t o) { float x; std::memcpy(&x, &b[o], 4); return x; };
  EXPECT_EQ(i16(40), 3);
  EXPECT_EQ(i16(42), 4);
  EXPECT_EQ(i16(70), 4);   // NIFTI_TYPE_INT16
  EXPECT_EQ(i16(252), 1);  // qform_code
  EXPECT_EQ(i16(254), 1);  // sform_code
  EXPECT_EQ(std::string(&b[344], 3), "n+1");
  // srow_x = -(LPS row x): RAS x of voxel (0,0,0) is -origin.x.
  EXPECT_NEAR(f32(280 + 12), -v->geometry.originMm.x, 1e-4);
  EXPECT_NEAR(f32(296 + 12), -v->geometry.originMm.y, 1e-4);
  EXPECT_NEAR(f32(312 + 12), v->geometry.originMm.z, 1e-4);
  // The qform (quaternion) agrees with the sform: rebuild R from (b,c,d), compare column 0.
  const double qb = f32(256), qc = f32(260), qd = f32(264), qa = std::sqrt(1 - qb * qb - qc * qc - qd * qd);
  const Vec3 col0{qa * qa + qb * qb - qc * qc - qd * qd, 2 * (qb * qc + qa * qd), 2 * (qb * qd - qa * qc)};
  const Vec3& d0 = v->geometry.direction[0];
  expectVec(col0, {-d0.x, -d0.y, d0.z}, 1e-5);
}

// NIfTI-2 (nifti2.h): 540-byte header, int64 dims, double pixdim/srow, vox_offset 544.
TEST(NiftiAnalytic, Nifti2SformAndData) {
  std::vector<uint8_t> b(544, 0);
  auto put = [&](size_t off, auto v) { std::memcpy(&b[off], &v, sizeof(v)); };
  put(0, int32_t{540});
  std::memcpy(&b[4], "n+2\0\r\n\032\n", 8);
  put(12, int16_t{512});  // uint16
  put(14, int16_t{16});
  const int64_t dim[8] = {3, 2, 3, 1, 1, 1, 1, 1};
  for (int i = 0; i < 8; ++i) put(16 + 8 * i, dim[i]);
  for (int i = 0; i < 8; ++i) put(104 + 8 * i, 1.0);
  put(168, int64_t{544});
  put(348, int32_t{2});  // sform_code aligned
  const double s[3][4] = {{0, -1.5, 0, 12.25}, {2, 0, 0, -7}, {0, 0, 5, 100}};
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) put(400 + 32 * r + 8 * c, s[r][c]);
  b.resize(544 + 12);
  for (uint16_t v = 0; v < 6; ++v) put(544 + 2 * v, static_cast<uint16_t>(60000 + v));
  test::TempDir tmp;
  test::writeBytes(tmp.file("n2.nii"), b);
  io::ImageReadNotes notes;
  auto v = readOk(tmp.file("n2.nii"), &notes);
  ASSERT_TRUE(v);
  EXPECT_EQ(notes.format, "nifti2");
  EXPECT_EQ(v->dims(), (std::array<int64_t, 4>{2, 3, 1, 1}));
  EXPECT_EQ(v->as<uint16_t>()[5], 60005);
  // Voxel (1,2,0): RAS (-3 + 12.25, 2 - 7, 100) = (9.25, -5, 100) -> LPS (-9.25, 5, 100).
  expectVec(v->geometry.worldAt(1, 2, 0), {-9.25, 5, 100}, 1e-12);
}

}  // namespace
}  // namespace cvx
