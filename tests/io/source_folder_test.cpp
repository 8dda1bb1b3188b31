// SPDX-License-Identifier: MIT
// io/source_folder.h: no export lands in a folder a series was read from.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include <cvx/io/formats.h>
#include <cvx/io/source_folder.h>

#include "temp_dir.h"

namespace fs = std::filesystem;
using namespace cvx;

namespace {

// A small volume whose slices were "read" from files in `dir` (the files need not exist: only their
// folder is compared).
std::shared_ptr<Volume> readFrom(const std::string& dir) {
  auto v = Volume::create(PixelType::Int16, {4, 3, 2, 1});
  if (!v.ok()) return nullptr;
  for (int z = 0; z < 2; ++z) (*v)->sources.push_back({dir + "/IM" + std::to_string(z) + ".dcm", 0, ""});
  return *v;
}

}  // namespace

TEST(SourceFolder, TheSeriesFolderByAnyNameIsRefusedAndOtherFoldersAreNot) {
  const test::TempDir tmp("cvx_srcdir");
  ASSERT_TRUE(tmp.ok());
  const std::string series = tmp.file("series"), other = tmp.file("exports");
  fs::create_directories(series + "/sub");
  fs::create_directories(other);
  fs::create_directory_symlink(series, tmp.file("link"));
  const auto v = readFrom(series);
  ASSERT_NE(v, nullptr);
  EXPECT_TRUE(io::inSourceFolder(*v, series + "/seg.dcm"));
  EXPECT_TRUE(io::inSourceFolder(*v, series + "/sub/../seg.dcm"));  // the same folder through ".."
  EXPECT_TRUE(io::inSourceFolder(*v, tmp.file("link") + "/seg.dcm"));  // and through a link
  EXPECT_TRUE(io::inSourceFolder(*v, series + "/not_yet/../x.nii.gz"));  // a path not there yet
  EXPECT_FALSE(io::inSourceFolder(*v, series + "/sub/seg.dcm"));  // a folder inside is another folder
  EXPECT_FALSE(io::inSourceFolder(*v, other + "/seg.dcm"));
  EXPECT_FALSE(io::inSourceFolder(*v, tmp.path() + "/seg.dcm"));  // nor is the one above
  const Status refused = io::refuseSourceFolder(*v, series + "/seg.dcm");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "io.into_source");
  EXPECT_TRUE(io::refuseSourceFolder(*v, other + "/seg.dcm").ok());

  // A volume without source files (read from NIfTI, or computed) has no folder to protect.
  const auto computed = Volume::create(PixelType::Int16, {4, 3, 2, 1});
  ASSERT_TRUE(computed.ok());
  EXPECT_FALSE(io::inSourceFolder(**computed, series + "/seg.dcm"));
}

TEST(SourceFolder, WriteImageRefusesTheFolderItsVolumeWasReadFrom) {
  const test::TempDir tmp("cvx_srcdir_w");
  ASSERT_TRUE(tmp.ok());
  const std::string series = tmp.file("series");
  fs::create_directories(series);
  const auto v = readFrom(series);
  ASSERT_NE(v, nullptr);
  for (const char* name : {"/v.nii.gz", "/v.nrrd", "/v.mha"}) {
    const Status st = io::writeImage(*v, series + name);
    ASSERT_FALSE(st.ok()) << name;
    EXPECT_EQ(st.error().code, "io.into_source") << name;
    EXPECT_FALSE(fs::exists(series + name)) << name;
  }
  EXPECT_TRUE(fs::is_empty(series));
  const Status elsewhere = io::writeImage(*v, tmp.file("v.nii.gz"));
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.error().str();
  EXPECT_TRUE(fs::exists(tmp.file("v.nii.gz")));
}
