// Headers that lie, written byte by byte by the test itself: each class of lie fails with its full
// code, in milliseconds (steady_clock), before anything is allocated; the rest of a series loads;
// symlink loops are scanned without an exception.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <cvx/io/dicom.h>

#include "crafted_dicom.h"
#include "decode_synth_util.h"

namespace cr = cvx::test::crafted;
namespace fs = std::filesystem;
using cvx::test::dec::TempDir;

namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// Failing fast means milliseconds; honouring the lie (allocating or reading gigabytes) takes seconds.
// The bound only tells the two apart: 1 s, for CI runs tests side by side on a loaded machine (100 ms
// failed 3 runs in 30 with -j4 on 2 cores while a build ran: 103-118 ms) and AddressSanitizer slows a
// scan several times.
constexpr double kBoundMs = 1000;

// The image with native Pixel Data filling the file to exactly 32 KiB (declared length = bytes held).
std::string native32KiB(const cr::Image& im) {
  const size_t head = im.header().size() + 12;  // + the Pixel Data element header
  return im.native(std::string(32768 - head, '\x01'));
}

// readHeader on the file: the error it gives (must fail) and how long it took.
struct Outcome {
  std::string code, message;
  double ms = 0;
};
Outcome readLie(const std::string& path) {
  const auto t0 = Clock::now();
  const auto r = cvx::io::readHeader(path);
  Outcome o;
  o.ms = msSince(t0);
  if (r.ok()) {
    ADD_FAILURE() << path << " was read as a valid image";
    return o;
  }
  o.code = r.error().code;
  o.message = r.error().message;
  std::printf("  [measured] %s: %s in %.2f ms\n", fs::path(path).filename().c_str(), o.code.c_str(), o.ms);
  return o;
}

// The same file through scan + plan (what `cinevox info` does): skipped with `code`, no series.
void expectSkippedByScan(const std::string& path, const std::string& code) {
  const auto t0 = Clock::now();
  auto scanned = cvx::io::scan(path);
  ASSERT_TRUE(scanned.ok());
  const auto groups = cvx::io::planSeries(*scanned);
  const double ms = msSince(t0);
  EXPECT_TRUE(scanned->files.empty());
  ASSERT_EQ(scanned->skipped.size(), 1u);
  EXPECT_EQ(scanned->skipped[0].code, code);
  EXPECT_TRUE(groups.series.empty());
  EXPECT_LT(ms, kBoundMs);
}

// DCMTK's one-time start (its data dictionary) is paid on a valid file that the fast parser
// declines (an element out of tag order), so that a timed read measures the file alone.
void warmUpDcmtk(const TempDir& dir) {
  cr::Image valid = cr::ctSlice(0, 1);
  valid.trailer = cr::element(0x0008, 0x0020, "DA", "20260101");
  cr::write(dir.file("warm_up.dcm"), valid.native(cr::ctPixels(1)));
  ASSERT_TRUE(cvx::io::readHeader(dir.file("warm_up.dcm")).ok());
}

}  // namespace

// The base image of every lie is valid: DCMTK-independent bytes that CineVox reads and decodes
// to exactly the pixels written (so each failure below is the lie's, not the writer's).
TEST(CraftedHeader, TheUnalteredImageLoadsWithItsPixels) {
  TempDir dir;
  const std::string path = dir.file("valid.dcm");
  cr::write(path, cr::ctSlice(0, 7).native(cr::ctPixels(7)));
  auto vol = cvx::io::loadPath(path);
  ASSERT_TRUE(vol.ok()) << vol.error().str();
  ASSERT_EQ((*vol)->dims()[0], 16);
  ASSERT_EQ((*vol)->dims()[1], 16);
  const auto* v = reinterpret_cast<const int16_t*>((*vol)->data());
  for (int i = 0; i < 256; ++i) ASSERT_EQ(v[i], 7 * 1000 + i) << i;
}

TEST(CraftedHeader, RowsAndColumns65535In32KiBFailFastWithPixelLength) {
  TempDir dir;
  cr::Image im = cr::ctSlice(0, 1);
  im.setUS(0x0028, 0x0010, 65535);
  im.setUS(0x0028, 0x0011, 65535);
  const std::string path = dir.file("rows65535.dcm");
  cr::write(path, native32KiB(im));
  ASSERT_EQ(fs::file_size(path), 32768u);
  const Outcome o = readLie(path);
  EXPECT_EQ(o.code, "dicom.pixel_length");
  // 65535 x 65535 x 2 bytes = 8589672450 bytes, stated in the message with the bytes held.
  EXPECT_NE(o.message.find("need 8589672450"), std::string::npos) << o.message;
  EXPECT_LT(o.ms, kBoundMs);
  expectSkippedByScan(path, "dicom.pixel_length");
}

TEST(CraftedHeader, AMillionNativeFramesIn32KiBFailFastWithPixelLength) {
  TempDir dir;
  cr::Image im = cr::ctSlice(0, 1);
  im.set(0x0028, 0x0008, "IS", "1000000");
  const std::string path = dir.file("frames1e6.dcm");
  cr::write(path, native32KiB(im));
  const Outcome o = readLie(path);
  EXPECT_EQ(o.code, "dicom.pixel_length");
  EXPECT_NE(o.message.find("1000000 frame(s) need 512000000"), std::string::npos) << o.message;  // 16*16*2*1e6
  EXPECT_LT(o.ms, kBoundMs);
  expectSkippedByScan(path, "dicom.pixel_length");
}

// The same lie in a file the fast parser declines (an element out of tag order): DCMTK's path
// applies the same check before listing a million frames.
TEST(CraftedHeader, AMillionFramesThroughTheDcmtkPathFailFastToo) {
  TempDir dir;
  warmUpDcmtk(dir);
  cr::Image im = cr::ctSlice(0, 1);
  im.set(0x0028, 0x0008, "IS", "1000000");
  im.trailer = cr::element(0x0008, 0x0020, "DA", "20260101");  // after group 0028: out of order
  const std::string path = dir.file("frames1e6_dcmtk.dcm");
  cr::write(path, native32KiB(im));
  const Outcome o = readLie(path);
  EXPECT_EQ(o.code, "dicom.pixel_length");
  EXPECT_LT(o.ms, kBoundMs);
}

TEST(CraftedHeader, AMillionEncapsulatedFramesWithThreeFragmentsFailWithBadFragments) {
  TempDir dir;
  warmUpDcmtk(dir);
  for (bool dcmtkPath : {false, true}) {
    cr::Image im = cr::ctSlice(0, 1);
    im.transferSyntax = cr::kJpegLossless;
    im.set(0x0028, 0x0008, "IS", "1000000");
    if (dcmtkPath) im.trailer = cr::element(0x0008, 0x0020, "DA", "20260101");
    const std::string path = dir.file(dcmtkPath ? "enc_dcmtk.dcm" : "enc.dcm");
    cr::write(path, im.encapsulated({std::string(1000, 'a'), std::string(1000, 'b'), std::string(1000, 'c')}));
    const Outcome o = readLie(path);
    EXPECT_EQ(o.code, "dicom.bad_fragments") << o.message;
    EXPECT_NE(o.message.find("holds 3 fragment(s)"), std::string::npos) << o.message;
    EXPECT_LT(o.ms, kBoundMs);
  }
}

// A compressed frame cannot be bounded by its byte count, but its codestream states its size: a
// header claiming 65535 x 65535 over a 16 x 16 JPEG (SOF3) or JPEG 2000 (SIZ) codestream is refused
// before the volume is allocated; the same codestream under a truthful header is read.
TEST(CraftedHeader, RowsAndColumnsBeyondTheCodestreamAreAPixelMismatch) {
  TempDir dir;
  warmUpDcmtk(dir);
  // JPEG lossless: SOI, SOF3 (length 11, P 16, Y 16, X 16, one component), EOI (ITU-T T.81 B.2.2).
  const std::string jpeg("\xFF\xD8\xFF\xC3\x00\x0B\x10\x00\x10\x00\x10\x01\x01\x11\x00\xFF\xD9", 17);
  // JPEG 2000: SOC, SIZ (Lsiz 41, Rsiz 0, Xsiz 16, Ysiz 16, XOsiz 0, YOsiz 0, ...) (ITU-T T.800 A.5.1).
  std::string j2k("\xFF\x4F\xFF\x51\x00\x29\x00\x00", 8);
  for (uint32_t v : {16u, 16u, 0u, 0u, 16u, 16u, 0u, 0u})  // Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz
    for (int shift : {24, 16, 8, 0}) j2k += static_cast<char>((v >> shift) & 0xFF);  // big endian
  j2k.resize(48, '\0');
  struct Case {
    const char* name;
    const char* syntax;
    std::string codestream;
    bool dcmtkPath;
  };
  for (const Case& c : {Case{"jpeg", cr::kJpegLossless, jpeg, false}, Case{"jpeg_dcmtk", cr::kJpegLossless, jpeg, true},
                        Case{"j2k", "1.2.840.10008.1.2.4.90", j2k, false}}) {
    for (const uint16_t size : {uint16_t{65535}, uint16_t{16}}) {
      cr::Image im = cr::ctSlice(0, 1);
      im.transferSyntax = c.syntax;
      im.setUS(0x0028, 0x0010, size);
      im.setUS(0x0028, 0x0011, size);
      if (c.dcmtkPath) im.trailer = cr::element(0x0008, 0x0020, "DA", "20260101");
      const std::string path = dir.file(std::string(c.name) + "_" + std::to_string(size) + ".dcm");
      cr::write(path, im.encapsulated({c.codestream}));
      if (size == 16) {
        EXPECT_TRUE(cvx::io::readHeader(path).ok()) << c.name;
        continue;
      }
      const Outcome o = readLie(path);
      EXPECT_EQ(o.code, "dicom.pixel_mismatch") << c.name << ": " << o.message;
      EXPECT_NE(o.message.find("codestream is 16x16"), std::string::npos) << o.message;
      EXPECT_LT(o.ms, kBoundMs);
    }
  }
}

TEST(CraftedHeader, AFragmentLongerThanTheFileFailsAsTruncated) {
  TempDir dir;
  cr::Image im = cr::ctSlice(0, 1);
  im.transferSyntax = cr::kJpegLossless;
  std::string bytes = im.encapsulated({std::string(1000, 'a')}, /*delimit=*/false);
  // The fragment's item length (the 4 bytes before its value) says 1 GiB; the file holds 1000.
  const size_t lengthAt = bytes.size() - 1000 - 4;
  bytes[lengthAt] = 0, bytes[lengthAt + 1] = 0, bytes[lengthAt + 2] = 0, bytes[lengthAt + 3] = 0x40;
  const std::string path = dir.file("item1g.dcm");
  cr::write(path, bytes);
  const Outcome o = readLie(path);
  EXPECT_EQ(o.code, "dicom.truncated") << o.message;
  EXPECT_LT(o.ms, kBoundMs);
}

TEST(CraftedHeader, NativePixelDataLongerThanTheFileFailsAsTruncated) {
  TempDir dir;
  const std::string path = dir.file("len2g.dcm");
  cr::write(path, cr::ctSlice(0, 1).native(cr::ctPixels(1), 0x7FFFFFF0u));  // claims 2 GiB, holds 512 bytes
  const Outcome o = readLie(path);
  EXPECT_EQ(o.code, "dicom.truncated") << o.message;
  EXPECT_LT(o.ms, kBoundMs);
}

TEST(CraftedHeader, AbsurdBitsAllocatedAndSamplesPerPixelAreUnsupportedPixel) {
  TempDir dir;
  struct Lie {
    uint16_t element, value;
    const char* says;
  };
  for (const Lie& lie : {Lie{0x0100, 40, "BitsAllocated 40"}, Lie{0x0100, 0, "BitsAllocated 0"},
                         Lie{0x0100, 65535, "BitsAllocated 65535"}, Lie{0x0002, 0, "SamplesPerPixel 0"},
                         Lie{0x0002, 255, "SamplesPerPixel 255"}}) {
    cr::Image im = cr::ctSlice(0, 1);
    im.setUS(0x0028, lie.element, lie.value);
    const std::string path = dir.file(std::to_string(lie.element) + "_" + std::to_string(lie.value) + ".dcm");
    cr::write(path, native32KiB(im));
    const Outcome o = readLie(path);
    EXPECT_EQ(o.code, "dicom.unsupported_pixel") << lie.says;
    EXPECT_EQ(o.message.rfind(lie.says, 0), 0u) << o.message;
    EXPECT_LT(o.ms, kBoundMs);
  }
}

// A Siemens mosaic claiming 65535 tiles in a 16 x 16 image (less than one pixel a tile): a warning
// and one image, not a loop over 65535 tiles.
TEST(CraftedHeader, AMosaicTileCountBeyondThePixelsIsAWarning) {
  TempDir dir;
  cr::Image im = cr::ctSlice(0, 1);
  im.set(0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\M\\MOSAIC");
  im.set(0x0019, 0x0010, "LO", "SIEMENS MR HEADER");
  im.setUS(0x0019, 0x100A, 65535);  // NumberOfImagesInMosaic
  cr::write(dir.file("mosaic.dcm"), im.native(cr::ctPixels(1)));
  const auto t0 = Clock::now();
  auto scanned = cvx::io::scan(dir.file(""));
  ASSERT_TRUE(scanned.ok());
  const auto groups = cvx::io::planSeries(*scanned);
  const double ms = msSince(t0);
  ASSERT_EQ(groups.series.size(), 1u);
  const auto& plan = groups.series[0];
  EXPECT_EQ(plan.dims, (std::array<int64_t, 4>{16, 16, 1, 1}));
  bool warned = false;
  for (const auto& w : plan.warnings)
    if (w.code == "dicom.bad_mosaic") {
      warned = true;
      EXPECT_NE(w.message.find("NumberOfImagesInMosaic 65535"), std::string::npos) << w.message;
      EXPECT_NE(w.message.find("read as one image"), std::string::npos) << w.message;
    }
  EXPECT_TRUE(warned);
  EXPECT_LT(ms, kBoundMs);
}

// Five slices, 1 mm apart; the last one lies (65535 x 65535 in 32 KiB). The other four load, with
// their own pixels, as one evenly spaced volume.
TEST(CraftedHeader, OneLyingFileIsSkippedAndTheRestOfItsSeriesLoads) {
  TempDir dir;
  for (int k = 0; k < 5; ++k) {
    cr::Image im = cr::ctSlice(k, k + 1);
    if (k == 4) {
      im.setUS(0x0028, 0x0010, 65535);
      im.setUS(0x0028, 0x0011, 65535);
      cr::write(dir.file("s" + std::to_string(k) + ".dcm"), native32KiB(im));
    } else {
      cr::write(dir.file("s" + std::to_string(k) + ".dcm"), im.native(cr::ctPixels(k + 1)));
    }
  }
  const auto t0 = Clock::now();
  auto scanned = cvx::io::scan(dir.file(""));
  ASSERT_TRUE(scanned.ok());
  EXPECT_EQ(scanned->files.size(), 4u);
  ASSERT_EQ(scanned->skipped.size(), 1u);
  EXPECT_EQ(fs::path(scanned->skipped[0].path).filename(), "s4.dcm");
  EXPECT_EQ(scanned->skipped[0].code, "dicom.pixel_length");
  const auto groups = cvx::io::planSeries(*scanned);
  ASSERT_EQ(groups.series.size(), 1u);
  const auto& plan = groups.series[0];
  EXPECT_EQ(plan.dims[2], 4);
  EXPECT_DOUBLE_EQ(plan.geometry.spacingMm.z, 1.0);
  auto vol = cvx::io::loadSeries(*scanned, plan);
  const double ms = msSince(t0);
  ASSERT_TRUE(vol.ok()) << vol.error().str();
  const auto* v = reinterpret_cast<const int16_t*>((*vol)->data());
  for (int z = 0; z < 4; ++z)
    for (int i = 0; i < 256; i += 51) EXPECT_EQ(v[z * 256 + i], (z + 1) * 1000 + i) << z << " " << i;
  EXPECT_LT(ms, kBoundMs);
  std::printf("  [measured] scan+plan+load of 5 files, one lying: %.2f ms\n", ms);
}

// A DICOMDIR that is a symlink to itself (ELOOP on every stat), and a folder symlink loop: the
// scan reads the real images and throws nothing.
TEST(CraftedHeader, SymlinkLoopsAreScannedWithoutAnException) {
  TempDir dir;
  for (int k = 0; k < 2; ++k)
    cr::write(dir.file("s" + std::to_string(k) + ".dcm"), cr::ctSlice(k, k + 1).native(cr::ctPixels(k + 1)));
  ASSERT_EQ(::symlink("DICOMDIR", dir.file("DICOMDIR").c_str()), 0);
  fs::create_directory(dir.file("sub"));
  ASSERT_EQ(::symlink("../sub", dir.file("sub/loop").c_str()), 0);
  ASSERT_EQ(::symlink("self", dir.file("self").c_str()), 0);
  for (bool recursive : {true, false}) {
    cvx::io::ScanOptions opt;
    opt.recursive = recursive;
    cvx::Result<cvx::io::ScanResult> scanned = cvx::io::ScanResult{};
    EXPECT_NO_THROW(scanned = cvx::io::scan(dir.file(""), opt));
    ASSERT_TRUE(scanned.ok()) << scanned.error().str();
    EXPECT_EQ(scanned->files.size(), 2u);
    const auto groups = cvx::io::planSeries(*scanned);
    ASSERT_EQ(groups.series.size(), 1u);
    EXPECT_EQ(groups.series[0].dims[2], 2);
  }
  // The loop itself as the path: a coded error, no exception.
  cvx::Result<cvx::io::ScanResult> self = cvx::io::ScanResult{};
  EXPECT_NO_THROW(self = cvx::io::scan(dir.file("DICOMDIR")));
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().code, "io.not_found");
}
