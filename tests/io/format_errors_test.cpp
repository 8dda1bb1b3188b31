// SPDX-License-Identifier: MIT
// Bad input to the image-format readers and writers: each case a clear, stable error code.
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

using test::codeOf;
using test::fileBytes;
using test::text;

TEST(FormatErrors, MissingFileAndUnknownExtension) {
  test::TempDir tmp;
  EXPECT_EQ(codeOf(tmp.file("nothere.nii")), "io.open_failed");
  test::writeBytes(tmp.file("x.png"), {1, 2, 3});
  EXPECT_EQ(codeOf(tmp.file("x.png")), "format.unsupported");
}

TEST(FormatErrors, EveryTruncationOfEachFormatFailsCleanly) {
  auto v = test::patternVolume(PixelType::Int16, {6, 5, 4, 1});
  test::TempDir tmp;
  for (const char* ext : {".nii", ".nii.gz", ".nrrd", ".mha"}) {
    const std::string good = tmp.file(std::string("good") + ext);
    ASSERT_TRUE(io::writeImage(*v, good).ok());
    const auto bytes = fileBytes(good);
    for (size_t cut : {size_t{0}, size_t{3}, size_t{40}, size_t{200}, bytes.size() / 2, bytes.size() - 1}) {
      const std::string bad = tmp.file(std::string("cut") + ext);
      test::writeBytes(bad, std::vector<uint8_t>(bytes.begin(), bytes.begin() + cut));
      const std::string code = codeOf(bad);
      EXPECT_TRUE(code == "format.truncated" || code == "format.bad_header" || code == "format.bad_data")
          << ext << " cut at " << cut << " gave " << code;
    }
  }
}

TEST(FormatErrors, RandomBytesAreNotAHeader) {
  test::TempDir tmp;
  std::vector<uint8_t> junk(1000);
  for (size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<uint8_t>(i * 37 + 11);
  for (const char* ext : {".nii", ".nrrd"}) {
    test::writeBytes(tmp.file(std::string("j") + ext), junk);
    EXPECT_EQ(codeOf(tmp.file(std::string("j") + ext)), "format.bad_header") << ext;
  }
  test::writeBytes(tmp.file("j.mha"), junk);
  const std::string code = codeOf(tmp.file("j.mha"));
  EXPECT_TRUE(code == "format.bad_header" || code == "format.truncated") << code;
}

TEST(FormatErrors, HugeDimsInATinyFileAreRefusedBeforeAllocating) {
  test::TempDir tmp;
  test::writeBytes(tmp.file("big.nrrd"),
                   text("NRRD0004\ntype: float\ndimension: 3\nsizes: 100000 100000 100000\n"
                        "endian: little\nencoding: raw\n\nxxxx"));
  EXPECT_EQ(codeOf(tmp.file("big.nrrd")), "format.truncated");  // 4e15 bytes claimed
  test::writeBytes(tmp.file("big2.nrrd"),
                   text("NRRD0004\ntype: float\ndimension: 3\nsizes: 4000 4000 4000\n"
                        "endian: little\nencoding: gzip\n\nxxxx"));
  EXPECT_EQ(codeOf(tmp.file("big2.nrrd")), "format.truncated");
  test::writeBytes(tmp.file("big.mha"),
                   text("ObjectType = Image\nNDims = 3\nDimSize = 4000 4000 4000\nElementType = MET_SHORT\n"
                        "CompressedData = True\nElementDataFile = LOCAL\nabc"));
  EXPECT_EQ(codeOf(tmp.file("big.mha")), "format.truncated");
}

TEST(FormatErrors, UnsupportedContent) {
  test::TempDir tmp;
  test::writeBytes(tmp.file("t.nrrd"), text("NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\n"
                                            "endian: little\nencoding: bzip2\n\n"));
  EXPECT_EQ(codeOf(tmp.file("t.nrrd")), "format.unsupported");
  test::writeBytes(tmp.file("t.mha"), text("ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\n"
                                           "ElementType = MET_LONG_LONG\nElementDataFile = LOCAL\n"));
  EXPECT_EQ(codeOf(tmp.file("t.mha")), "format.unsupported");
  test::writeBytes(tmp.file("m.mha"), text("ObjectType = Image\nNDims = 3\nDimSize = 2 2\n"
                                           "ElementType = MET_SHORT\nElementDataFile = LOCAL\n"));
  EXPECT_EQ(codeOf(tmp.file("m.mha")), "format.bad_header");
  test::writeBytes(tmp.file("nd.nhdr"), text("NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\n"
                                             "endian: little\nencoding: raw\ndata file: gone.raw\n"));
  EXPECT_EQ(codeOf(tmp.file("nd.nhdr")), "io.open_failed");
}

TEST(FormatErrors, CorruptGzipIsBadData) {
  auto v = test::patternVolume(PixelType::UInt8, {16, 16, 4, 1});
  test::TempDir tmp;
  ASSERT_TRUE(io::writeImage(*v, tmp.file("g.nii.gz")).ok());
  auto bytes = fileBytes(tmp.file("g.nii.gz"));
  for (size_t i = 20; i < bytes.size() - 8; i += 3) bytes[i] ^= 0x5a;
  test::writeBytes(tmp.file("g.nii.gz"), bytes);
  const std::string code = codeOf(tmp.file("g.nii.gz"));
  EXPECT_TRUE(code == "format.bad_data" || code == "format.bad_header" || code == "format.truncated") << code;
}

TEST(FormatErrors, WriteFailuresAndUnwritableExtensions) {
  auto v = test::patternVolume(PixelType::UInt8, {2, 2, 2, 1});
  auto s = io::writeImage(*v, "/nonexistent_dir_cvx/x.nii");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "io.write_failed");
  test::TempDir tmp;
  s = io::writeImage(*v, tmp.file("x.mhd"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "format.unsupported");
}

}  // namespace
}  // namespace cvx
