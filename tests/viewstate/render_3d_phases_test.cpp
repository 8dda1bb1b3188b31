// SPDX-License-Identifier: MIT
// VolumeRenderer on a 4D series (phase_bricks.h): a loop through the phases builds each phase's
// brick map once, and every phase is drawn with its own map: a ball that moves from phase to phase
// is where that phase has it, and a renderer that draws the phase first draws the same image.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include <cvx/viewstate/render_3d.h>

#include "device_like.h"

using namespace cvx;
using namespace cvx::view;

namespace {

constexpr int kPhases = 3;

// A 41^3 mm cube of air, 1 mm voxels, centred on the origin; in phase t a ball of radius 5 mm at
// x = -12 + 12 t mm (patient's right to left).
std::shared_ptr<Volume> movingBall() {
  auto v = Volume::create(PixelType::Int16, {41, 41, 41, kPhases}).value();
  v->geometry.originMm = {-20, -20, -20};
  int16_t* p = v->as<int16_t>();
  for (int t = 0; t < kPhases; ++t)
    for (int k = 0; k < 41; ++k)
      for (int j = 0; j < 41; ++j)
        for (int i = 0; i < 41; ++i) {
          const Vec3 w{i - 20.0, j - 20.0, k - 20.0};
          *p++ = norm(w - Vec3{-12.0 + 12.0 * t, 0, 0}) <= 5 ? 1000 : 0;
        }
  return v;
}

TransferPreset opaque(float r) {
  TransferPreset t;
  t.name = "test-opaque";
  t.points = {{0, r, 1, 1, 0}, {300, r, 1, 1, 0}, {600, r, 1, 1, 1}};
  return t;
}

// The drawn pixels' mean column (red above 64: the white preset), from the image's left (0) to its right (1).
double meanColumn(const RgbaImage& im) {
  double sx = 0, n = 0;
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x)
      if ((im.pixels[static_cast<size_t>(y) * im.width + x] & 0xFF) > 64) sx += (x + 0.5) / im.width, ++n;
  EXPECT_GT(n, 20) << "the ball is drawn";
  return n > 0 ? sx / n : -1;
}

std::vector<uint32_t> drawn(VolumeRenderer& r, const std::shared_ptr<Volume>& v, int phase, const TransferPreset& t) {
  auto im = r.draw(v, phase, t, Camera3DView{}, 64, 64);
  EXPECT_TRUE(im.ok()) << (im.ok() ? "" : im.error().str());
  return im.ok() ? (*im)->pixels : std::vector<uint32_t>{};
}

}  // namespace

// With prefetch on, each move of the phase asks the back end to copy the next one the way the loop
// runs (CUDA: onto the device while this one draws): forward, backward, across the ends, and with
// the revision the voxels have now. A first picture (of a revision too) and a redraw of the same
// phase ask for nothing.
TEST(Render3dPhases, EachMoveOfThePhaseAsksTheBackEndForTheNextOne) {
  const auto v = movingBall();
  const TransferPreset white = opaque(1);
  auto backend = std::make_shared<test::DeviceLike>();
  VolumeRenderer r;
  r.useBackend(backend);
  r.prefetchPhases(true);
  drawn(r, v, 0, white);
  drawn(r, v, 0, white);
  EXPECT_TRUE(backend->asked.empty());
  drawn(r, v, 1, white);  // forward: 2 next
  drawn(r, v, 2, white);  // 0 next, across the end
  drawn(r, v, 1, white);  // backward: 0 next
  drawn(r, v, 0, white);  // 2 next, across the start
  r.voxelsChanged();
  drawn(r, v, 2, white);  // the first picture of revision 2
  drawn(r, v, 1, white);  // backward: 0 next, of revision 2
  const std::vector<std::pair<int64_t, uint64_t>> want = {{2, 1}, {0, 1}, {0, 1}, {2, 1}, {0, 2}};
  ASSERT_EQ(backend->asked.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(backend->asked[i].first, want[i].first) << i;
    EXPECT_EQ(backend->asked[i].second, want[i].second) << i;
  }
  // Prefetch off (a single picture): nothing asked.
  VolumeRenderer still;
  auto quiet = std::make_shared<test::DeviceLike>();
  still.useBackend(quiet);
  drawn(still, v, 0, white);
  drawn(still, v, 1, white);
  EXPECT_TRUE(quiet->asked.empty());
}

TEST(Render3dPhases, ALoopBuildsEachPhasesBrickMapOnceAndDrawsEachPhaseWithItsOwn) {
  const auto v = movingBall();
  VolumeRenderer r;
  const TransferPreset white = opaque(1);
  std::vector<std::vector<uint32_t>> first;
  std::vector<double> columns;
  for (int t = 0; t < kPhases; ++t) {
    first.push_back(drawn(r, v, t, white));
    auto im = r.draw(v, t, white, Camera3DView{}, 64, 64);
    ASSERT_TRUE(im.ok());
    columns.push_back(meanColumn(**im));
  }
  // From the front the patient's right is on the image's left: the ball moves left to right.
  EXPECT_LT(columns[0], columns[1] - 0.1);
  EXPECT_LT(columns[1], columns[2] - 0.1);
  for (int pass = 0; pass < 2; ++pass)
    for (int t = kPhases - 1; t >= 0; --t) EXPECT_EQ(drawn(r, v, t, white), first[static_cast<size_t>(t)]) << t;
  EXPECT_EQ(r.phaseBricks().rangeBuilds(), static_cast<uint64_t>(kPhases));
  EXPECT_EQ(r.phaseBricks().skipBuilds(), static_cast<uint64_t>(kPhases));
  EXPECT_EQ(r.phaseBricks().phasesKept(), static_cast<size_t>(kPhases));
  for (int t = 0; t < kPhases; ++t) {  // a renderer that starts at phase t: the same picture
    VolumeRenderer fresh;
    EXPECT_EQ(drawn(fresh, v, t, white), first[static_cast<size_t>(t)]) << t;
  }

  // Another table of other colours, the same opacities: the skip maps stay (they depend on opacity).
  const TransferPreset cyan = opaque(0);
  for (int t = 0; t < kPhases; ++t) {
    VolumeRenderer fresh;
    EXPECT_EQ(drawn(r, v, t, cyan), drawn(fresh, v, t, cyan)) << t;
    EXPECT_NE(drawn(r, v, t, cyan), first[static_cast<size_t>(t)]) << "the new table draws";
  }
  EXPECT_EQ(r.phaseBricks().rangeBuilds(), static_cast<uint64_t>(kPhases));
  EXPECT_EQ(r.phaseBricks().skipBuilds(), static_cast<uint64_t>(kPhases));
  // Other opacities: each phase's skip map is built again when the phase is drawn, its ranges kept.
  TransferPreset later = white;
  later.points = {{0, 1, 1, 1, 0}, {500, 1, 1, 1, 0}, {900, 1, 1, 1, 1}};
  for (int t = 0; t < kPhases; ++t) {
    VolumeRenderer fresh;
    EXPECT_EQ(drawn(r, v, t, later), drawn(fresh, v, t, later)) << t;
  }
  EXPECT_EQ(r.phaseBricks().rangeBuilds(), static_cast<uint64_t>(kPhases));
  EXPECT_EQ(r.phaseBricks().skipBuilds(), static_cast<uint64_t>(2 * kPhases));

  // Voxels changed in place (phase 1's ball gone): its ranges are built again, and it draws nothing.
  for (int64_t i = 0; i < v->voxelsPerPhase(); ++i) v->as<int16_t>()[v->voxelsPerPhase() + i] = 0;
  r.voxelsChanged();
  const std::vector<uint32_t> empty = drawn(r, v, 1, white);
  ASSERT_FALSE(empty.empty());
  for (uint32_t px : empty) ASSERT_EQ(px & 0xFFFFFFu, 0u) << "the old map or voxels drew the ball";
  EXPECT_EQ(r.phaseBricks().rangeBuilds(), static_cast<uint64_t>(kPhases + 1));
  EXPECT_EQ(r.phaseBricks().phasesKept(), 1u);
}

// The 3D view's two renderers (preview and full resolution) share one PhaseBricks: each phase's map
// is built once for both, and with prefetch on, moving to another phase builds the rest ahead, so
// that a loop afterwards builds nothing while drawing; every picture equals a fresh renderer's.
TEST(Render3dPhases, TwoRenderersShareThePhasesMapsAndTheRestAreBuiltAhead) {
  const auto v = movingBall();
  const TransferPreset white = opaque(1);
  auto bricks = std::make_shared<PhaseBricks>();
  VolumeRenderer coarse, fine;
  coarse.shareBricks(bricks);
  fine.shareBricks(bricks);
  for (int t = 0; t < kPhases; ++t) {
    VolumeRenderer fresh;
    const auto want = drawn(fresh, v, t, white);
    EXPECT_EQ(drawn(coarse, v, t, white), want) << t;
    EXPECT_EQ(drawn(fine, v, t, white), want) << t;
  }
  EXPECT_EQ(bricks->rangeBuilds(), static_cast<uint64_t>(kPhases));
  EXPECT_EQ(bricks->skipBuilds(), static_cast<uint64_t>(kPhases));
  EXPECT_EQ(bricks->prefetched(), 0u) << "prefetch is off by default";

  // Another series' renderer with prefetch: a first picture alone builds only its phase; moving to
  // the next builds the rest ahead.
  const auto w = movingBall();
  auto ahead = std::make_shared<PhaseBricks>();
  VolumeRenderer view;
  view.shareBricks(ahead);
  view.prefetchPhases(true);
  drawn(view, w, 0, white);
  ahead->waitForPrefetch();
  EXPECT_EQ(ahead->rangeBuilds(), 1u);
  drawn(view, w, 1, white);
  ahead->waitForPrefetch();
  EXPECT_EQ(ahead->prefetched(), static_cast<uint64_t>(kPhases - 2));
  EXPECT_EQ(ahead->phasesKept(), static_cast<size_t>(kPhases));
  const uint64_t built = ahead->rangeBuilds();
  for (int pass = 0; pass < 2; ++pass)
    for (int t = 0; t < kPhases; ++t) {
      VolumeRenderer fresh;
      EXPECT_EQ(drawn(view, w, t, white), drawn(fresh, w, t, white)) << t;
    }
  ahead->waitForPrefetch();
  EXPECT_EQ(ahead->rangeBuilds(), built) << "a loop after the prefetch builds nothing";
  EXPECT_EQ(ahead->rangeBuilds(), static_cast<uint64_t>(kPhases));
}

// A renderer that never builds maps (the 3D view's preview on the UI thread) draws without skipping
// until a renderer sharing its PhaseBricks, or the prefetch, has built the phase's map for its table,
// then with it: every picture equals a fresh renderer's.
TEST(Render3dPhases, ARendererThatNeverBuildsMapsDrawsTheSamePictureAndSkipsOnceTheMapIsThere) {
  const auto v = movingBall();
  const TransferPreset white = opaque(1);
  auto bricks = std::make_shared<PhaseBricks>();
  VolumeRenderer look, worker;
  look.shareBricks(bricks);
  worker.shareBricks(bricks);
  look.buildMaps(false);
  auto same = [&](int t, const TransferPreset& preset) {
    VolumeRenderer fresh;
    EXPECT_EQ(drawn(look, v, t, preset), drawn(fresh, v, t, preset)) << t;
  };
  same(0, white);
  EXPECT_FALSE(look.skippedEmpty());
  EXPECT_EQ(bricks->rangeBuilds(), 0u) << "the looking renderer built a map";
  drawn(worker, v, 0, white);
  EXPECT_TRUE(worker.skippedEmpty());
  same(0, white);
  EXPECT_TRUE(look.skippedEmpty()) << "the map the worker built is used";
  TransferPreset later = white;  // other opacities: no map for them yet
  later.points = {{0, 1, 1, 1, 0}, {500, 1, 1, 1, 0}, {900, 1, 1, 1, 1}};
  same(0, later);
  EXPECT_FALSE(look.skippedEmpty());
  EXPECT_EQ(bricks->skipBuilds(), 1u);
  // Moving to another phase with prefetch on: that phase's map is built in the background first.
  look.prefetchPhases(true);
  same(1, later);
  EXPECT_FALSE(look.skippedEmpty());
  bricks->waitForPrefetch();
  same(1, later);
  EXPECT_TRUE(look.skippedEmpty());
  EXPECT_EQ(bricks->rangeBuilds(), static_cast<uint64_t>(kPhases)) << "each phase's ranges once";
}

// Two renderers sharing the maps and the voxels' count (the 3D view's preview and worker): after
// the voxels change, the first to draw clears and rebuilds the phase's map, the second finds it
// (before, each cleared on its own, so the second threw away the map the first had just built).
TEST(Render3dPhases, RenderersSharingTheCountClearTheMapsOncePerChange) {
  const auto v = movingBall();
  const TransferPreset white = opaque(1);
  auto bricks = std::make_shared<PhaseBricks>();
  VolumeRenderer coarse, fine;
  coarse.shareBricks(bricks);
  fine.shareBricks(bricks);
  drawn(coarse, v, 0, white);
  drawn(fine, v, 0, white);
  EXPECT_EQ(bricks->rangeBuilds(), 1u);
  coarse.setVoxelsRevision(2);
  fine.setVoxelsRevision(2);
  VolumeRenderer fresh;
  const auto want = drawn(fresh, v, 0, white);
  EXPECT_EQ(drawn(coarse, v, 0, white), want);
  EXPECT_EQ(bricks->rangeBuilds(), 2u) << "the change rebuilt the map once";
  EXPECT_EQ(drawn(fine, v, 0, white), want);
  EXPECT_EQ(bricks->rangeBuilds(), 2u) << "the second renderer cleared the map the first rebuilt";
  EXPECT_FALSE(bricks->clearFor(2));
  EXPECT_TRUE(bricks->clearFor(3));
}
