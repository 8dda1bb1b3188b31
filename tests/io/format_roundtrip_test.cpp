// SPDX-License-Identifier: MIT
// Every writable format x every pixel type x 3D/4D: write, read back, compare all of it.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <tuple>

#include <cvx/io/formats.h>

#include "format_test_util.h"

namespace cvx {
namespace {

using Param = std::tuple<std::string, PixelType, bool>;  // extension, type, 4D

class FormatRoundTrip : public ::testing::TestWithParam<Param> {};

TEST_P(FormatRoundTrip, GeometryTimesAndVoxelsSurvive) {
  const auto& [ext, type, is4d] = GetParam();
  const std::array<int64_t, 4> dims{7, 5, 4, is4d ? 3 : 1};
  auto v = test::patternVolume(type, dims);
  v->info.rescaleSlope = 0.5;
  v->info.rescaleIntercept = -1024;
  test::TempDir tmp;
  const std::string path = tmp.file("vol" + ext);
  ASSERT_TRUE(io::writeImage(*v, path).ok());
  io::ImageReadNotes notes;
  auto r = io::readImage(path, notes);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const Volume& w = **r;
  EXPECT_EQ(w.type(), type);
  EXPECT_EQ(w.dims(), v->dims());
  EXPECT_FALSE(notes.convertedToFloat32);
  for (int a = 0; a < 3; ++a) EXPECT_NEAR(w.geometry.spacingMm[a], v->geometry.spacingMm[a], 1e-6);
  test::expectAffineNear(w.geometry.worldFromVoxel(), v->geometry.worldFromVoxel(), 1e-5);
  ASSERT_EQ(w.byteSize(), v->byteSize());
  EXPECT_EQ(std::memcmp(w.data(), v->data(), v->byteSize()), 0) << "voxels differ";
  if (is4d) {
    ASSERT_EQ(w.timesMs.size(), 3u);
    EXPECT_NEAR(w.timesMs[1] - w.timesMs[0], 250.0, 1e-3);
    EXPECT_NEAR(w.timesMs[2] - w.timesMs[0], 500.0, 1e-3);
  } else {
    EXPECT_TRUE(w.timesMs.empty());
  }
  if (ext.rfind(".nii", 0) == 0) {  // only NIfTI carries the rescale
    EXPECT_DOUBLE_EQ(w.info.rescaleSlope, 0.5);
    EXPECT_DOUBLE_EQ(w.info.rescaleIntercept, -1024);
  }
  EXPECT_EQ(w.slicesReady(), dims[2] * dims[3]);
}

std::string name(const ::testing::TestParamInfo<Param>& info) {
  std::string ext = std::get<0>(info.param).substr(1);
  for (char& c : ext)
    if (c == '.') c = '_';
  return ext + "_" + toString(std::get<1>(info.param)) + (std::get<2>(info.param) ? "_4D" : "_3D");
}

INSTANTIATE_TEST_SUITE_P(AllFormats, FormatRoundTrip,
                         ::testing::Combine(::testing::Values(".nii", ".nii.gz", ".nrrd", ".mha"),
                                            ::testing::Values(PixelType::UInt8, PixelType::Int16,
                                                              PixelType::UInt16, PixelType::Float32,
                                                              PixelType::RGB8),
                                            ::testing::Bool()),
                         name);

// 16- and 32-bit colour: NIfTI has no such type and no reader here takes it, so every format
// refuses it with a code and leaves no file behind.
TEST(FormatRoundTrip, WideColourIsRefusedInEveryFormat) {
  test::TempDir tmp;
  for (PixelType t : {PixelType::RGB16, PixelType::RGB32}) {
    auto v = test::patternVolume(t, {3, 2, 2, 1});
    for (const char* ext : {".nii", ".nii.gz", ".nrrd", ".mha"}) {
      const std::string path = tmp.file(std::string("wide_") + toString(t) + ext);
      auto s = io::writeImage(*v, path);
      ASSERT_FALSE(s.ok()) << toString(t) << ext;
      EXPECT_EQ(s.error().code, "format.unsupported") << toString(t) << ext;
      EXPECT_NE(s.error().message.find(t == PixelType::RGB16 ? "16-bit RGB" : "32-bit RGB"), std::string::npos);
      EXPECT_FALSE(std::filesystem::exists(path)) << path;
    }
  }
}

TEST(FormatRoundTrip, NiftiStartTimeAndMhaStartTimeKept) {
  auto v = test::patternVolume(PixelType::Int16, {4, 4, 2, 3});
  v->timesMs = {1000, 1500, 2000};
  test::TempDir tmp;
  for (const char* ext : {".nii", ".mha"}) {
    const std::string path = tmp.file(std::string("t") + ext);
    ASSERT_TRUE(io::writeImage(*v, path).ok());
    auto r = io::readImage(path);
    ASSERT_TRUE(r.ok()) << r.error().str();
    ASSERT_EQ((*r)->timesMs.size(), 3u);
    EXPECT_NEAR((*r)->timesMs[0], 1000.0, 1e-3) << ext;
    EXPECT_NEAR((*r)->timesMs[2], 2000.0, 1e-3) << ext;
  }
}

TEST(FormatRoundTrip, LeftHandedGridKeepsItsHandedness) {
  auto v = test::patternVolume(PixelType::Int16, {5, 4, 3, 1});
  v->geometry.direction[2] = v->geometry.direction[2] * -1.0;  // slices run against the normal
  test::TempDir tmp;
  for (const char* ext : {".nii", ".nrrd", ".mha"}) {
    const std::string path = tmp.file(std::string("lh") + ext);
    ASSERT_TRUE(io::writeImage(*v, path).ok());
    auto r = io::readImage(path);
    ASSERT_TRUE(r.ok()) << r.error().str();
    test::expectAffineNear((*r)->geometry.worldFromVoxel(), v->geometry.worldFromVoxel(), 1e-5);
  }
}

TEST(FormatRoundTrip, WritingReplacesAtomicallyAndLeavesNoTemp) {
  auto v = test::patternVolume(PixelType::UInt8, {3, 3, 3, 1});
  test::TempDir tmp;
  const std::string path = tmp.file("a.nrrd");
  ASSERT_TRUE(io::writeImage(*v, path).ok());
  v->as<uint8_t>()[0] = 42;
  ASSERT_TRUE(io::writeImage(*v, path).ok());
  auto r = io::readImage(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->as<uint8_t>()[0], 42);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(tmp.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

}  // namespace
}  // namespace cvx
