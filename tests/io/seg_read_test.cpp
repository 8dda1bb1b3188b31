// Reading dcmqi's DICOM SEGs (../shared/data/seg): liver.dcm equals liver_seg.nrrd and
// partial_overlaps.dcm equals partial_overlaps-{1,2,3}.nrrd voxel for voxel, compared in patient
// space (the NRRDs read by io's NRRD reader); the Deflated Image Frame Compression twins equal the
// uncompressed files; malformed SEGs fail with codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cvx/io/dicom.h>
#include <cvx/io/formats.h>
#include <cvx/io/seg.h>

#include "seg_test_util.h"
#include "temp_dir.h"
#include "test_data.h"

namespace cvx::io {
namespace {

using test::dataPath;

std::shared_ptr<Volume> ct3() {
  auto v = loadPath(dataPath("seg/ct-3slice"));
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().str());
  return v.ok() ? *v : nullptr;
}

void expectLiver(const SegReadResult& r) {
  const Segmentation& s = r.segmentation;
  EXPECT_EQ(r.segmentationType, "BINARY");
  ASSERT_EQ(s.segments().size(), 1u);
  EXPECT_EQ(s.segments()[0].name, "Liver");
  EXPECT_EQ(s.segments()[0].number, 1);
  EXPECT_EQ(s.segments()[0].algorithm, SegmentAlgorithm::Semiautomatic);
  EXPECT_EQ(s.segments()[0].algorithmName, "SlicerEditor");
  EXPECT_EQ(s.segments()[0].type, (CodedTerm{"T-62000", "SRT", "Liver"}));
  EXPECT_EQ(s.segments()[0].category, (CodedTerm{"T-D0050", "SRT", "Tissue"}));
  // RecommendedDisplayCIELabValue 41661\41167\40792 is Slicer's liver colour, sRGB (221, 130, 101).
  EXPECT_NEAR(s.segments()[0].rgb[0], 221, 1);
  EXPECT_NEAR(s.segments()[0].rgb[1], 130, 1);
  EXPECT_NEAR(s.segments()[0].rgb[2], 101, 1);
  auto truth = readImage(dataPath("seg/liver_seg.nrrd"));
  ASSERT_TRUE(truth.ok()) << truth.error().str();
  int64_t count = 0;
  EXPECT_EQ(test::countDifferences(
                **truth, [](double v) { return v != 0; }, s.mask(0), s.geometry(), s.dims(), &count),
            0);
  EXPECT_EQ(count, 36233 + 35645 + 35220);  // the NRRD's labelled voxels per slice (counted with Python)
  EXPECT_EQ(s.voxelCount(0), count);
}

TEST(SegRead, LiverEqualsItsNrrdOnTheReferencedCt) {
  CVX_REQUIRE_FOLDER("seg");
  auto ct = ct3();
  ASSERT_TRUE(ct);
  auto r = readSeg(dataPath("seg/liver.dcm"), ct.get());
  ASSERT_TRUE(r.ok()) << r.error().str();
  expectLiver(*r);
  EXPECT_EQ(r->segmentation.reference.seriesInstanceUid,
            "1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1");
}

TEST(SegRead, LiverEqualsItsNrrdOnItsOwnGridWithTheRightReferences) {
  CVX_REQUIRE_FOLDER("seg");
  auto r = readSeg(dataPath("seg/liver.dcm"));
  ASSERT_TRUE(r.ok()) << r.error().str();
  expectLiver(*r);
  const Segmentation& s = r->segmentation;
  EXPECT_EQ(s.reference.seriesInstanceUid, "1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1");
  EXPECT_EQ(s.reference.frameOfReferenceUid, "1.2.392.200103.20080913.113635.3.2009.6.22.21.44.34.23882.1");
  // Each slice names the CT instance at the same position (the CT read by io's loader).
  auto ct = ct3();
  ASSERT_TRUE(ct);
  ASSERT_EQ(s.reference.sopInstanceUids.size(), 3u);
  for (int64_t z = 0; z < 3; ++z) {
    const Vec3 p = s.geometry().worldAt(0, 0, static_cast<double>(z));
    const Vec3 v = ct->geometry.voxelFromWorld().applyPoint(p);
    const auto k = static_cast<size_t>(std::lround(v.z));
    ASSERT_LT(k, ct->sources.size());
    EXPECT_EQ(s.reference.sopInstanceUids[static_cast<size_t>(z)], ct->sources[k].sopInstanceUid) << z;
  }
}

void expectPartialOverlaps(const SegReadResult& r) {
  const Segmentation& s = r.segmentation;
  ASSERT_EQ(s.segments().size(), 5u);
  std::shared_ptr<Volume> truth[3];
  for (int f = 0; f < 3; ++f) {
    auto t = readImage(dataPath("seg/partial_overlaps-" + std::to_string(f + 1) + ".nrrd"));
    ASSERT_TRUE(t.ok()) << t.error().str();
    truth[f] = *t;
  }
  // Which NRRD holds which segment number (its label value): -1: 1, 4, 5; -2: 2; -3: 3.
  const int fileOf[6] = {0, 0, 1, 2, 0, 0};
  std::vector<std::vector<uint8_t>> masks;
  for (uint16_t n = 1; n <= 5; ++n) {
    const int64_t i = s.findByNumber(n);
    ASSERT_GE(i, 0) << n;
    masks.push_back(s.mask(static_cast<size_t>(i)));
    int64_t count = 0;
    EXPECT_EQ(test::countDifferences(
                  *truth[fileOf[n]], [n](double v) { return v == n; }, masks.back(), s.geometry(), s.dims(),
                  &count),
              0)
        << "segment " << n;
    EXPECT_GT(count, 0) << n;
  }
  // The truth has overlapping segments, so one layer cannot hold them all.
  bool overlap = false;
  for (size_t a = 0; a < 5 && !overlap; ++a)
    for (size_t b = a + 1; b < 5 && !overlap; ++b)
      for (size_t v = 0; v < masks[a].size(); ++v)
        if (masks[a][v] && masks[b][v]) {
          overlap = true;
          break;
        }
  EXPECT_TRUE(overlap);
  EXPECT_GE(s.layers().size(), 2u);
}

TEST(SegRead, PartialOverlapsEqualTheirNrrdsOnTheReferencedCt) {
  CVX_REQUIRE_FOLDER("seg");
  auto ct = ct3();
  ASSERT_TRUE(ct);
  auto r = readSeg(dataPath("seg/partial_overlaps.dcm"), ct.get());
  ASSERT_TRUE(r.ok()) << r.error().str();
  expectPartialOverlaps(*r);
}

TEST(SegRead, PartialOverlapsEqualTheirNrrdsOnTheirOwnGrid) {
  CVX_REQUIRE_FOLDER("seg");
  auto r = readSeg(dataPath("seg/partial_overlaps.dcm"));
  ASSERT_TRUE(r.ok()) << r.error().str();
  expectPartialOverlaps(*r);
}

TEST(SegRead, DeflatedFramesEqualTheUncompressedTwins) {
  CVX_REQUIRE_FOLDER("deflate");
  for (std::string base : {"liver", "liver_nonbyte_aligned"}) {
    auto a = readSeg(dataPath("deflate/" + base + ".dcm"));
    auto b = readSeg(dataPath("deflate/" + base + "_deflate.dcm"));
    ASSERT_TRUE(a.ok()) << a.error().str();
    ASSERT_TRUE(b.ok()) << b.error().str();
    ASSERT_EQ(a->segmentation.segments().size(), b->segmentation.segments().size());
    EXPECT_EQ(a->segmentation.dims(), b->segmentation.dims());
    for (size_t i = 0; i < a->segmentation.segments().size(); ++i) {
      EXPECT_GT(a->segmentation.voxelCount(i), 0);
      EXPECT_EQ(a->segmentation.mask(i), b->segmentation.mask(i)) << base << " segment " << i;
    }
  }
}

TEST(SegRead, MalformedFilesFailWithCodes) {
  CVX_REQUIRE_FOLDER("seg");
  test::TempDir tmp("cvx_seg");
  ASSERT_TRUE(tmp.ok());
  std::ifstream in(dataPath("seg/liver.dcm"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 90000u);
  for (size_t cut : {size_t{700}, size_t{3000}, bytes.size() - 20000, bytes.size() - 1}) {
    const std::string p = tmp.file("cut_" + std::to_string(cut) + ".dcm");
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(cut));
    auto r = readSeg(p);
    ASSERT_FALSE(r.ok()) << "cut at " << cut;
    EXPECT_EQ(r.error().code.rfind("seg.", 0), 0u) << r.error().str();
  }
  // A CT is not a SEG; a missing file is io.not_found.
  auto ct = readSeg(dataPath("seg/ct-3slice/01.dcm"));
  ASSERT_FALSE(ct.ok());
  EXPECT_EQ(ct.error().code, "seg.not_seg");
  auto missing = readSeg(tmp.file("nothing.dcm"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "io.not_found");
}

// Bytes overwritten at random (a fixed seed) in the header and functional groups of liver.dcm:
// every copy either reads or fails with a code; none crashes.
TEST(SegRead, CorruptedHeadersNeverCrash) {
  CVX_REQUIRE_FOLDER("seg");
  test::TempDir tmp("cvx_segc");
  std::ifstream in(dataPath("seg/liver.dcm"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  uint64_t state = 12345;
  auto next = [&] { return (state = state * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; };
  int failed = 0;
  for (int copy = 0; copy < 60; ++copy) {
    std::string b = bytes;
    for (int k = 0; k < 8; ++k) b[static_cast<size_t>(next() % 6000)] = static_cast<char>(next() & 0xff);
    const std::string p = tmp.file("c" + std::to_string(copy) + ".dcm");
    std::ofstream(p, std::ios::binary).write(b.data(), static_cast<std::streamsize>(b.size()));
    auto r = readSeg(p);
    if (!r.ok()) {
      ++failed;
      EXPECT_FALSE(r.error().code.empty());
    }
  }
  std::printf("corrupted copies refused: %d of 60\n", failed);
}

// A fractional SEG made here with DCMTK from liver.dcm: 8-bit frames with v = (x + 2y + 5z) mod
// 201 and MaximumFractionalValue 200; "in" is 2v >= 200, i.e. v >= 100.
TEST(SegRead, FractionalFramesAreInFromHalfTheMaximum) {
  CVX_REQUIRE_FOLDER("seg");
  test::TempDir tmp("cvx_segf");
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(dataPath("seg/liver.dcm").c_str()).good());
  DcmDataset* ds = ff.getDataset();
  const int n = 512, frames = 3;
  std::vector<Uint8> px(static_cast<size_t>(n * n * frames));
  for (int z = 0; z < frames; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
        px[static_cast<size_t>((z * n + y) * n + x)] = static_cast<Uint8>((x + 2 * y + 5 * z) % 201);
  ASSERT_TRUE(ds->putAndInsertString(DCM_SegmentationType, "FRACTIONAL").good());
  ASSERT_TRUE(ds->putAndInsertString(DCM_SegmentationFractionalType, "PROBABILITY").good());
  ASSERT_TRUE(ds->putAndInsertUint16(DCM_MaximumFractionalValue, 200).good());
  ASSERT_TRUE(ds->putAndInsertUint16(DCM_BitsAllocated, 8).good());
  ASSERT_TRUE(ds->putAndInsertUint16(DCM_BitsStored, 8).good());
  ASSERT_TRUE(ds->putAndInsertUint16(DCM_HighBit, 7).good());
  ASSERT_TRUE(ds->putAndInsertUint8Array(DCM_PixelData, px.data(), px.size()).good());
  const std::string p = tmp.file("fractional.dcm");
  ASSERT_TRUE(ff.saveFile(p.c_str(), EXS_LittleEndianExplicit).good());
  auto r = readSeg(p);
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_EQ(r->segmentationType, "FRACTIONAL");
  EXPECT_EQ(r->maxFractionalValue, 200);
  const Segmentation& s = r->segmentation;
  ASSERT_EQ(s.segments().size(), 1u);
  const auto m = s.mask(0);
  // Frame f of liver.dcm lies at the position of the f-th frame; find its slice by position.
  DcmItem* pf = nullptr;
  int64_t wrong = 0;
  for (int f = 0; f < frames; ++f) {
    ASSERT_TRUE(ds->findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, pf, f).good());
    DcmItem* pos = nullptr;
    ASSERT_TRUE(pf->findAndGetSequenceItem(DCM_PlanePositionSequence, pos).good());
    Float64 xyz[3];
    for (int c = 0; c < 3; ++c)
      ASSERT_TRUE(pos->findAndGetFloat64(DCM_ImagePositionPatient, xyz[c], c).good());
    const Vec3 v = s.geometry().voxelFromWorld().applyPoint({xyz[0], xyz[1], xyz[2]});
    const auto k = static_cast<size_t>(std::lround(v.z));
    for (size_t i = 0; i < static_cast<size_t>(n * n); ++i)
      wrong += m[k * n * n + i] != (px[static_cast<size_t>(f) * n * n + i] >= 100);
  }
  EXPECT_EQ(wrong, 0);
}

// Frames without Plane Position are placed by the source SOP instance they reference; without a
// referenced volume such a SEG has no grid (seg.no_reference).
TEST(SegRead, FramesWithoutPositionsArePlacedByTheirSourceImage) {
  CVX_REQUIRE_FOLDER("seg");
  test::TempDir tmp("cvx_segn");
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(dataPath("seg/liver.dcm").c_str()).good());
  DcmDataset* ds = ff.getDataset();
  DcmItem* pf = nullptr;
  for (int f = 0; ds->findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, pf, f).good(); ++f)
    ASSERT_TRUE(pf->findAndDeleteElement(DCM_PlanePositionSequence).good());
  const std::string p = tmp.file("nopos.dcm");
  ASSERT_TRUE(ff.saveFile(p.c_str(), EXS_LittleEndianExplicit).good());
  auto ct = ct3();
  ASSERT_TRUE(ct);
  auto r = readSeg(p, ct.get());
  ASSERT_TRUE(r.ok()) << r.error().str();
  expectLiver(*r);
  auto own = readSeg(p);
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, "seg.no_reference");
}

TEST(SegRead, AVolumeOfAnotherFrameOfReferenceIsRefused) {
  CVX_REQUIRE_FOLDER("seg");
  auto ct = ct3();
  ASSERT_TRUE(ct);
  ct->info.frameOfReferenceUid = "1.2.3.4";
  auto r = readSeg(dataPath("seg/liver.dcm"), ct.get());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "seg.no_reference");
}

}  // namespace
}  // namespace cvx::io
