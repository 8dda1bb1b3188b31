// Label maps read as segments onto a series' grid (io::readLabelMap): dcmqi's liver NRRD equals
// dcmqi's liver SEG on the CT voxel for voxel; a cropped, offset map lands at its offset in patient
// space (nearest neighbour, with a warning); a round trip through NIfTI keeps every segment; and
// bad maps fail with seg.bad_label_map.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <cvx/io/dicom.h>
#include <cvx/io/formats.h>
#include <cvx/io/seg.h>

#include "temp_dir.h"
#include "test_data.h"

namespace cvx::io {
namespace {

std::shared_ptr<Volume> makeVolume(PixelType type, std::array<int64_t, 3> d, const Geometry& g) {
  auto v = Volume::create(type, {d[0], d[1], d[2], 1});
  EXPECT_TRUE(v.ok());
  (*v)->geometry = g;
  return *v;
}

// A 20x18x10 reference with anisotropic spacing and an oblique-free but offset origin.
Geometry referenceGeometry() {
  Geometry g;
  g.spacingMm = {0.7, 0.9, 2.5};
  g.originMm = {-10, 5, 30};
  return g;
}

TEST(LabelMapRead, DcmqiLiverNrrdEqualsDcmqiLiverSegOnTheCt) {
  CVX_REQUIRE_FOLDER("seg");
  auto ct = loadPath(test::dataPath("seg/ct-3slice"));
  ASSERT_TRUE(ct.ok()) << ct.error().str();
  std::vector<Diagnostic> warnings;
  auto map = readLabelMap(test::dataPath("seg/liver_seg.nrrd"), **ct, &warnings);
  ASSERT_TRUE(map.ok()) << map.error().str();
  auto seg = readSeg(test::dataPath("seg/liver.dcm"), ct->get());
  ASSERT_TRUE(seg.ok()) << seg.error().str();
  ASSERT_EQ(map->segments().size(), 1u);
  EXPECT_EQ(map->segments()[0].name, "Label 1");
  EXPECT_EQ(map->segments()[0].number, 1);
  const std::vector<uint8_t> a = map->mask(0), b = seg->segmentation.mask(0);
  ASSERT_EQ(a.size(), b.size());
  int64_t differ = 0;
  for (size_t i = 0; i < a.size(); ++i) differ += a[i] != b[i];
  EXPECT_EQ(differ, 0);
  EXPECT_EQ(map->voxelCount(0), 36233 + 35645 + 35220);  // the NRRD's labelled voxels (counted with Python)
  EXPECT_EQ(map->reference.seriesInstanceUid, (*ct)->info.seriesInstanceUid);
}

TEST(LabelMapRead, ACroppedMapLandsAtItsOffsetInPatientSpace) {
  const Geometry ref = referenceGeometry();
  auto reference = makeVolume(PixelType::Int16, {20, 18, 10}, ref);
  // The map: 8x7x4 voxels of the same spacing whose first voxel is the reference's (5, 6, 3).
  Geometry g = ref;
  g.originMm = ref.worldAt(5, 6, 3);
  auto map = makeVolume(PixelType::UInt16, {8, 7, 4}, g);
  uint16_t* m = map->as<uint16_t>();
  for (int64_t z = 0, i = 0; z < 4; ++z)
    for (int64_t y = 0; y < 7; ++y)
      for (int64_t x = 0; x < 8; ++x, ++i) m[i] = x < 3 ? 7 : (y >= 4 && z >= 2) ? 300 : 0;
  test::TempDir dir;
  const std::string path = dir.path() + "/crop.nrrd";
  ASSERT_TRUE(writeImage(*map, path).ok());

  std::vector<Diagnostic> warnings;
  auto seg = readLabelMap(path, *reference, &warnings);
  ASSERT_TRUE(seg.ok()) << seg.error().str();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].code, "seg.label_map_resampled");
  ASSERT_EQ(seg->segments().size(), 2u);
  EXPECT_EQ(seg->segments()[0].name, "Label 7");
  EXPECT_EQ(seg->segments()[1].number, 300);
  EXPECT_NE(seg->segments()[0].rgb, seg->segments()[1].rgb);
  const auto seven = seg->mask(0), big = seg->mask(1);
  int64_t wrong = 0;
  for (int64_t z = 0, i = 0; z < 10; ++z)
    for (int64_t y = 0; y < 18; ++y)
      for (int64_t x = 0; x < 20; ++x, ++i) {
        const bool inside = x >= 5 && x < 13 && y >= 6 && y < 13 && z >= 3 && z < 7;
        const bool want7 = inside && x - 5 < 3;
        const bool want300 = inside && x - 5 >= 3 && y - 6 >= 4 && z - 3 >= 2;
        wrong += (seven[i] != 0) != want7;
        wrong += (big[i] != 0) != want300;
      }
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(seg->voxelCount(0), 3 * 7 * 4);
  EXPECT_EQ(seg->voxelCount(1), 5 * 3 * 2);
}

TEST(LabelMapRead, ANiftiRoundTripKeepsEverySegment) {
  auto reference = makeVolume(PixelType::Int16, {20, 18, 10}, referenceGeometry());
  Segmentation s = Segmentation::onGridOf(*reference);
  std::vector<uint8_t> a(20 * 18 * 10, 0), b(a.size(), 0);
  for (size_t i = 0; i < a.size(); ++i) (i % 7 == 0 ? a : i % 5 == 0 ? b : a)[i] = (i % 7 == 0 || i % 5 == 0);
  ASSERT_TRUE(s.addSegment(Segment{}, a.data()).ok());
  ASSERT_TRUE(s.addSegment(Segment{}, b.data()).ok());
  ASSERT_EQ(s.layers().size(), 1u);  // disjoint: one layer, labels 1 and 2
  test::TempDir dir;
  const std::string path = dir.path() + "/labels.nii.gz";
  ASSERT_TRUE(writeLabelMap(s, 0, path).ok());
  std::vector<Diagnostic> warnings;
  auto back = readLabelMap(path, *reference, &warnings);
  ASSERT_TRUE(back.ok()) << back.error().str();
  EXPECT_TRUE(warnings.empty()) << warnings[0].str();
  ASSERT_EQ(back->segments().size(), 2u);
  EXPECT_EQ(back->mask(0), a);
  EXPECT_EQ(back->mask(1), b);
}

TEST(LabelMapRead, BadMapsFailWithACode) {
  auto reference = makeVolume(PixelType::Int16, {20, 18, 10}, referenceGeometry());
  test::TempDir dir;
  auto write = [&](const Volume& v, const std::string& name) {
    const std::string path = dir.path() + "/" + name;
    EXPECT_TRUE(writeImage(v, path).ok());
    return path;
  };
  auto fractional = makeVolume(PixelType::Float32, {20, 18, 10}, referenceGeometry());
  fractional->as<float>()[17] = 1.5f;
  auto r = readLabelMap(write(*fractional, "half.nrrd"), *reference);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "seg.bad_label_map");
  auto empty = makeVolume(PixelType::UInt8, {20, 18, 10}, referenceGeometry());
  r = readLabelMap(write(*empty, "empty.nrrd"), *reference);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "seg.bad_label_map");
  Geometry far = referenceGeometry();
  far.originMm = {500, 500, 500};
  auto away = makeVolume(PixelType::UInt8, {4, 4, 4}, far);
  away->as<uint8_t>()[0] = 1;
  r = readLabelMap(write(*away, "away.nrrd"), *reference);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "seg.bad_label_map");
  r = readLabelMap(dir.path() + "/missing.nrrd", *reference);
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace cvx::io
