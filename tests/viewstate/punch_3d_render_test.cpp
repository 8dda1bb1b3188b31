// SPDX-License-Identifier: MIT
// The punched phases (PunchedPhases) and the renderer under punches (punch_3d.h, render_3d.h): the
// copy's values, made once and found without waiting, what is drawn and picked, against the same
// volume edited by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include <cvx/viewstate/punch_3d.h>
#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/tf_edit.h>

#include "punch_3d_test_util.h"
#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;
using namespace cvx::test::punch;

TEST(Punch3d, APunchedPhaseHoldsItsLowestValueWhereRemovedAndIsMadeOnce) {
  auto v = balls({{0, 0, 0}}, 8, 2);  // phase 1's ball is 1001
  int16_t* p1 = v->as<int16_t>() + v->voxelsPerPhase();
  p1[5] = -7;  // phase 1's lowest value
  PunchedPhases cache;
  const std::vector<Punch3D> punches{lassoPunch(square(4.5, 0), false)};
  auto a = cache.get(v, 1, 1, punches);
  ASSERT_TRUE(a.ok()) << a.error().str();
  ASSERT_NE(a->volume, v);
  EXPECT_EQ(a->phase, 0);
  ASSERT_EQ(a->volume->dims()[3], 1);
  auto removed = punchedVoxels(v->geometry, {kN, kN, kN}, punches).value();
  const int16_t* c = a->volume->as<int16_t>();
  for (int64_t i = 0; i < v->voxelsPerPhase(); ++i)
    ASSERT_EQ(c[i], removed[static_cast<size_t>(i)] ? -7 : p1[i]) << i;
  EXPECT_EQ(cache.get(v, 1, 1, punches)->volume, a->volume) << "kept while nothing changes";
  auto b = cache.get(v, 1, 2, punches);  // the voxels changed in place
  EXPECT_NE(b->volume, a->volume);
  EXPECT_EQ(cache.kept(), 1u) << "the copy of the old voxels is dropped";
  auto none = cache.get(v, 1, 2, {});
  EXPECT_EQ(none->volume, v);
  EXPECT_EQ(none->phase, 1);
  EXPECT_EQ(cache.get(v, 2, 1, punches).error().code, "render.bad_request");
}

TEST(Punch3d, TheRendererDrawsWhatIsLeftAsTheSeriesEditedByHandFramedAsTheSeries) {
  // Two balls, left and right; a lasso round the image's right half (the patient's left, +x) from the front.
  auto v = balls({{-10, 0, 0}, {10, 0, 0}});
  auto byHand = balls({{-10, 0, 0}});
  VolumeRenderer plain;
  auto frame = plain.contentFrame(v, 0, test::opaqueWhite());
  ASSERT_TRUE(frame.ok());
  // A relative preset's [p1, p99] are the series' own (punching the right ball away would drop p99 to air).
  TransferPreset relative = test::opaqueWhite();
  relative.relative = true;
  for (TfPoint& p : relative.points) p.value /= 1000;
  auto absolute = editablePreset(relative, *v);
  ASSERT_TRUE(absolute.ok());
  for (const auto& [preset, drawnAs] :
       {std::pair{test::opaqueWhite(), test::opaqueWhite()}, std::pair{relative, *absolute}})
    for (const bool perspective : {false, true}) {
      Camera3DView cam = front(perspective);
      cam.frame = *frame;  // the view framed the series' content
      VolumeRenderer punched;
      Quality3D q;
      q.jitter = false;
      ScissorsCut cut = square(12, 0, perspective, orbitCamera(*v, cam, 64, 64).eye);
      for (Vec3& p : cut.polygon) p.x += 12.5;  // x in [0.5, 24.5]: the right ball, no voxel of the left
      punched.setPunches({lassoPunch(cut, false)});
      auto im = punched.draw(v, 0, preset, cam, 64, 64, q);
      ASSERT_TRUE(im.ok()) << im.error().str();
      VolumeRenderer reference;
      Camera3DView refCam = cam;
      refCam.frame.volume = byHand->serial();  // the same frame, of the hand-edited copy
      auto want = reference.draw(byHand, 0, drawnAs, refCam, 64, 64, q);
      ASSERT_TRUE(want.ok());
      EXPECT_EQ((*im)->pixels, (*want)->pixels)
          << "perspective " << perspective << ", relative " << preset.relative;
      int drawn = 0;
      for (uint32_t px : (*im)->pixels) drawn += (px & 0xFF) > 64;
      EXPECT_GT(drawn, 20) << "the left ball is still there";
    }
}

TEST(Punch3d, PickingSeesThroughTheVoxelsAPunchRemoves) {
  // A ball in front (y = -12) and one behind (y = +12): leaving the front one out, a pick at the image's
  // centre finds the back one's front surface (y about +12 - 5).
  auto v = balls({{0, -12, 0}, {0, 12, 0}});
  auto seg = segmentWhere(*v, [](Vec3 w) { return w.y < 0; });
  VolumeRenderer r;
  const Camera3DView cam = front(false);
  auto before = r.pick(v, 0, test::opaqueWhite(), cam, 64, 64, 32, 32);
  ASSERT_TRUE(before.has_value());
  EXPECT_NEAR(before->y, -17, 1.5);
  r.setPunches({segmentPunch(*seg, 0, false).value()});
  auto after = r.pick(v, 0, test::opaqueWhite(), cam, 64, 64, 32, 32);
  ASSERT_TRUE(after.has_value());
  EXPECT_NEAR(after->y, 7, 1.5);
  r.setPunches({});
  EXPECT_NEAR(r.pick(v, 0, test::opaqueWhite(), cam, 64, 64, 32, 32)->y, -17, 1.5) << "no punch: as before";
}

TEST(Punch3d, FindNeverMakesACopyAndSaysWhyAMakeFailed) {
  auto v = balls({{0, 0, 0}});
  PunchedPhases cache;
  const std::vector<Punch3D> punches{lassoPunch(square(4.5, 0), false)};
  auto before = cache.find(v, 0, 1, punches);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->has_value()) << "not made yet";
  EXPECT_EQ(cache.kept(), 0u);
  auto made = cache.get(v, 0, 1, punches);
  ASSERT_TRUE(made.ok());
  auto after = cache.find(v, 0, 1, punches);
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_EQ((*after)->volume, made->volume);
  auto colour = Volume::create(PixelType::RGB8, {8, 8, 8, 1}).value();
  EXPECT_EQ(cache.get(colour, 0, 1, punches).error().code, "render.bad_request");
  EXPECT_EQ(cache.find(colour, 0, 1, punches).error().code, "render.bad_request")
      << "the failure, not a wait";
  // Renderers asking for one copy at once get one copy.
  std::shared_ptr<const Volume> a, b;
  std::thread t([&] { a = cache.get(v, 0, 2, punches)->volume; });
  b = cache.get(v, 0, 2, punches)->volume;
  t.join();
  EXPECT_EQ(a, b);
  // No punches: the copies of v go.
  EXPECT_EQ(cache.get(v, 0, 2, {})->volume, v);
  EXPECT_EQ(cache.kept(), 0u);
}

TEST(Punch3d, ARendererThatNeverWaitsDrawsThePunchedPhaseOnceAnotherHasMadeIt) {
  auto v = balls({{-10, 0, 0}, {10, 0, 0}});
  auto shared = std::make_shared<PunchedPhases>();
  const std::vector<Punch3D> punches{lassoPunch(square(12, 0), false)};
  Quality3D q;
  q.jitter = false;
  VolumeRenderer preview, worker;
  preview.buildMaps(false);
  for (VolumeRenderer* r : {&preview, &worker}) {
    r->sharePunched(shared);
    r->setPunches(punches);
  }
  auto pending = preview.draw(v, 0, test::opaqueWhite(), front(), 48, 48, q);
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.error().code, "render.punch_pending");
  auto full = worker.draw(v, 0, test::opaqueWhite(), front(), 48, 48, q);
  ASSERT_TRUE(full.ok());
  const std::vector<uint32_t> want = (*full)->pixels;
  auto drawn = preview.draw(v, 0, test::opaqueWhite(), front(), 48, 48, q);
  ASSERT_TRUE(drawn.ok()) << drawn.error().str();
  EXPECT_EQ((*drawn)->pixels, want);
  // A 4D series: a loop's phases are made as they are drawn, the preview waiting for them.
  auto loop = balls({{-10, 0, 0}, {10, 0, 0}}, 5, 2);
  EXPECT_TRUE(preview.draw(loop, 1, test::opaqueWhite(), front(), 48, 48, q).ok());
}
