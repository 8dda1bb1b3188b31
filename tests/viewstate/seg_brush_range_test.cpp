// SPDX-License-Identifier: MIT
// The brush's value range (SegEditor::beginStroke with a BrushRange, seg_edit.h): only voxels whose
// source value (stored * slope + intercept unless the volume holds modality values) lies in
// [lo, hi] change, read on the segmentation's own grid or, for a source on another grid,
// interpolated at the voxel's centre. Checked against brute force over every voxel of the grid,
// with the geometry (centreOf) and the rescale written out here.
#include <gtest/gtest.h>

#include <cvx/viewstate/seg_edit.h>
#include <cmath>

#include "seg_edit_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::centreOf;

namespace {

const std::array<int64_t, 3> kDims{40, 36, 22};
constexpr double kSlope = 2, kIntercept = -50;

Geometry anisoOblique() { return test::obliqueGeometry({0.7, 0.9, 2.3}, {-12.3, 5.1, 40.2}, 0.4, 0.25, -0.3); }

// A stored value per voxel and phase that varies quickly, so that a range keeps about half of a ball.
int16_t storedAt(int64_t i, int64_t j, int64_t k, int64_t t) {
  return static_cast<int16_t>((i * 7 + j * 13 + k * 29 + t * 50) % 100);
}

// On grid g: the segmentation's own series (its voxels' values).
std::shared_ptr<Volume> source(int64_t phases, const Geometry& g) {
  auto v = Volume::create(PixelType::Int16, {kDims[0], kDims[1], kDims[2], phases});
  EXPECT_TRUE(v.ok());
  (*v)->geometry = g;
  int16_t* p = (*v)->as<int16_t>();
  for (int64_t t = 0, n = 0; t < phases; ++t)
    for (int64_t k = 0; k < kDims[2]; ++k)
      for (int64_t j = 0; j < kDims[1]; ++j)
        for (int64_t i = 0; i < kDims[0]; ++i, ++n) p[n] = storedAt(i, j, k, t);
  (*v)->info.rescaleSlope = kSlope;
  (*v)->info.rescaleIntercept = kIntercept;
  return *v;
}

bool inRange(int64_t i, int64_t j, int64_t k, int64_t t, double lo, double hi) {
  const double hu = storedAt(i, j, k, t) * kSlope + kIntercept;
  return hu >= lo && hu <= hi;
}

const uint8_t* layer0(const Segmentation& s) { return s.layers()[0]->as<uint8_t>(); }

struct Counts {
  int64_t expected = 0, mismatches = 0, dropped = 0;  // dropped: in the ball, out of range
};

// Compares layer 0 with want(i, j, k, inBall).
template <class Want>
Counts compare(const Segmentation& seg, const Geometry& g, const BrushSphere& s, const Want& want) {
  Counts c;
  for (int64_t k = 0, n = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++n) {
        const bool ball = norm(centreOf(g, i, j, k) - s.centre) <= s.radiusMm;
        const bool in = want(i, j, k, ball);
        c.expected += in;
        c.dropped += ball && !in;
        c.mismatches += in != (layer0(seg)[n] == 1);
      }
  return c;
}

}  // namespace

TEST(SegBrushRange, PaintChangesOnlyVoxelsWhoseRescaledValueIsInRange) {
  const Geometry g = anisoOblique();
  Segmentation seg = test::withOneSegment(kDims, g);
  const auto vol = source(1, g);
  SegEditor ed(seg);
  const BrushSphere s{g.worldAt(17.3, 15.8, 10.4), 6.17};
  // Stored 20..49 after the rescale: -10..48 HU; the bounds are inclusive (stored 20 is -10, 49 is 48).
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint, BrushRange{vol.get(), 0, -10, 48}).ok());
  ASSERT_TRUE(ed.dab(s).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  const Counts c = compare(seg, g, s, [](int64_t i, int64_t j, int64_t k, bool ball) {
    return ball && inRange(i, j, k, 0, -10, 48);
  });
  EXPECT_GT(c.expected, 100);  // about 3/10 of a ball of ~667 voxels
  EXPECT_GT(c.dropped, 300);
  EXPECT_EQ(c.mismatches, 0);
  // One undo step puts back the empty layer.
  ASSERT_TRUE(ed.undo());
  for (int64_t n = 0; n < seg.voxelsPerLayer(); ++n) ASSERT_EQ(layer0(seg)[n], 0) << n;
}

TEST(SegBrushRange, EraseKeepsWhatLiesOutOfRangeAndDisksObeyItToo) {
  const Geometry g = anisoOblique();
  Segmentation seg = test::withOneSegment(kDims, g);
  const auto vol = source(1, g);
  SegEditor ed(seg);
  const BrushSphere s{g.worldAt(20.1, 17.2, 11.6), 5.3};
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());  // the whole ball
  ASSERT_TRUE(ed.dab(s).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Erase, BrushRange{vol.get(), 0, 0, 100}).ok());
  ASSERT_TRUE(ed.dab(s).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  Counts c = compare(seg, g, s, [](int64_t i, int64_t j, int64_t k, bool ball) {
    return ball && !inRange(i, j, k, 0, 0, 100);
  });
  EXPECT_GT(c.expected, 100);
  EXPECT_EQ(c.mismatches, 0);

  // A disk in the axial grid plane through voxel row k = 5 with a range: one slice, in range only.
  Segmentation flat = test::withOneSegment(kDims, Geometry{});
  SegEditor fe(flat);
  const Vec3 centre = Geometry{}.worldAt(20, 18, 5);
  const auto flatVol = source(1, Geometry{});
  ASSERT_TRUE(fe.beginStroke(0, BrushMode::Paint, BrushRange{flatVol.get(), 0, -50, 20}).ok());
  ASSERT_TRUE(fe.dab(BrushDisk{centre, {0, 0, 1}, 7.5}).ok());
  ASSERT_TRUE(fe.endStroke().ok());
  int64_t want = 0, mismatches = 0;
  for (int64_t k = 0, n = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++n) {
        const double dx = i - 20.0, dy = j - 18.0;  // unit spacing, identity directions
        const bool in = k == 5 && dx * dx + dy * dy <= 7.5 * 7.5 && inRange(i, j, k, 0, -50, 20);
        want += in;
        mismatches += in != (layer0(flat)[n] == 1);
      }
  EXPECT_GT(want, 40);
  EXPECT_EQ(mismatches, 0);
}

TEST(SegBrushRange, ReadsTheStrokesPhaseAndModalityValuesAsTheyAre) {
  const Geometry g = anisoOblique();
  const BrushSphere s{g.worldAt(15.5, 14.2, 9.8), 5.9};
  {  // phase 1 of two: its values, not phase 0's
    Segmentation seg = test::withOneSegment(kDims, g);
    const auto vol = source(2, g);
    SegEditor ed(seg);
    ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint, BrushRange{vol.get(), 1, 50, 148}).ok());
    ASSERT_TRUE(ed.dab(s).ok());
    ASSERT_TRUE(ed.endStroke().ok());
    const Counts c = compare(seg, g, s, [](int64_t i, int64_t j, int64_t k, bool ball) {
      return ball && inRange(i, j, k, 1, 50, 148);
    });
    EXPECT_GT(c.expected, 100);
    EXPECT_EQ(c.mismatches, 0);
  }
  {  // float modality values (rescale applied at load): compared as they are, NaN never in range
    Segmentation seg = test::withOneSegment(kDims, g);
    auto v = Volume::create(PixelType::Float32, {kDims[0], kDims[1], kDims[2], 1});
    ASSERT_TRUE(v.ok());
    float* p = (*v)->as<float>();
    for (int64_t k = 0, n = 0; k < kDims[2]; ++k)
      for (int64_t j = 0; j < kDims[1]; ++j)
        for (int64_t i = 0; i < kDims[0]; ++i, ++n) p[n] = (i + j) % 3 == 0 ? NAN : static_cast<float>(storedAt(i, j, k, 0)) / 10.f;
    (*v)->info.rescaleApplied = true;
    (*v)->geometry = g;
    (*v)->info.rescaleSlope = 1000;  // ignored: the voxels are modality values
    SegEditor ed(seg);
    ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint, BrushRange{v->get(), 0, 2.5, 7.0}).ok());
    ASSERT_TRUE(ed.dab(s).ok());
    ASSERT_TRUE(ed.endStroke().ok());
    const Counts c = compare(seg, g, s, [](int64_t i, int64_t j, int64_t k, bool ball) {
      const float value = static_cast<float>(storedAt(i, j, k, 0)) / 10.f;
      return ball && (i + j) % 3 != 0 && value >= 2.5f && value <= 7.0f;
    });
    EXPECT_GT(c.expected, 50);
    EXPECT_EQ(c.mismatches, 0);
  }
}

TEST(SegBrushRange, ARangeThatCannotBeReadIsRefusedWithACode) {
  Segmentation seg = test::withOneSegment(kDims, Geometry{});
  SegEditor ed(seg);
  const auto vol = source(2, Geometry{});
  auto colour = Volume::create(PixelType::RGB8, {kDims[0], kDims[1], kDims[2], 1});
  ASSERT_TRUE(colour.ok());
  (*colour)->geometry.originMm = {5, 0, 0};  // another grid: read through the sampler
  auto code = [&](BrushRange r) {
    const Status st = ed.beginStroke(0, BrushMode::Paint, r);
    return st.ok() ? std::string("ok") : st.error().code;
  };
  EXPECT_EQ(code({nullptr, 0, 0, 1}), "seg.edit_bad_range");
  EXPECT_EQ(code({colour->get(), 0, 0, 1}), "seg.edit_bad_range");  // a colour series on another grid
  EXPECT_EQ(code({vol.get(), 2, 0, 1}), "seg.edit_bad_range");     // no such phase
  EXPECT_EQ(code({vol.get(), -1, 0, 1}), "seg.edit_bad_range");
  EXPECT_EQ(code({vol.get(), 0, 5, 1}), "seg.edit_bad_range");     // lo > hi
  EXPECT_EQ(code({vol.get(), 0, NAN, 1}), "seg.edit_bad_range");
  EXPECT_FALSE(ed.inStroke());  // nothing was opened by a refusal
  EXPECT_EQ(code({vol.get(), 1, 3, 3}), "ok");  // a single value is a range
}

// A source on another grid of the same patient space (a PET over a CT's segmentation): the source
// interpolated at each voxel's centre. A linear ramp, value = the patient x coordinate in mm, is
// reproduced exactly by trilinear interpolation inside the source's grid, so the painted voxels
// are exactly the ball's whose centres have x in [lo, hi] and lie in the source's voxel box.
TEST(SegBrushRange, ASourceOnAnotherGridIsReadAtTheVoxelCentres) {
  const Geometry g = anisoOblique();
  Segmentation seg = test::withOneSegment(kDims, g);
  auto src = Volume::create(PixelType::Float32, {30, 30, 30, 1});
  ASSERT_TRUE(src.ok());
  Volume& v = **src;
  v.geometry.spacingMm = {2.5, 2.5, 2.5};
  v.geometry.originMm = {-40, -30, -10};
  v.info.rescaleApplied = true;
  float* p = v.as<float>();
  for (int64_t k = 0, n = 0; k < 30; ++k)
    for (int64_t j = 0; j < 30; ++j)
      for (int64_t i = 0; i < 30; ++i, ++n) p[n] = static_cast<float>(v.geometry.worldAt(double(i), double(j), double(k)).x);
  const BrushSphere s{g.worldAt(17.3, 15.8, 10.4), 9.5};
  const double lo = s.centre.x - 3, hi = s.centre.x + 4;
  SegEditor ed(seg);
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint, BrushRange{&v, 0, lo, hi}).ok());
  ASSERT_TRUE(ed.dab(s).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  const Vec3 boxLo = v.geometry.originMm - Vec3{1.25, 1.25, 1.25}, boxHi = v.geometry.originMm + Vec3{73.75, 73.75, 73.75};
  int64_t want = 0, outside = 0, mismatches = 0, nearEdge = 0;
  for (int64_t k = 0, n = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++n) {
        const Vec3 c = centreOf(g, i, j, k);
        if (norm(c - s.centre) > s.radiusMm) continue;
        const bool inBox = c.x >= boxLo.x && c.x <= boxHi.x && c.y >= boxLo.y && c.y <= boxHi.y && c.z >= boxLo.z && c.z <= boxHi.z;
        outside += !inBox;
        // 1e-3 mm from a bound, float rounding may decide either way: not counted.
        if (std::fabs(c.x - lo) < 1e-3 || std::fabs(c.x - hi) < 1e-3) {
          ++nearEdge;
          continue;
        }
        const bool in = inBox && c.x >= lo && c.x <= hi;
        want += in;
        mismatches += in != (layer0(seg)[n] == 1);
      }
  EXPECT_GT(want, 200);
  EXPECT_EQ(mismatches, 0);
  EXPECT_LT(nearEdge, 5);
}
