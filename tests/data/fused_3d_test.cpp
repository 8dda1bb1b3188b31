// SPDX-License-Identifier: MIT
// The 3D view's fused layer (render_3d.h Fused3D, state.h fusedLayer3d) on the real PET/CT pair of
// ../shared/data/pet_ct: the renderer draws exactly render::raycastCpuFused with the fusion
// cvx::fusionParams gives for the two grids and the PET preset in Bq/ml; a layer that cannot be
// fused leaves the CT's own image and says why; the state picks the visible PET of the CT's frame.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include <cvx/io/dicom.h>
#include <cvx/render/raycast.h>
#include <cvx/viewstate/phase_bricks.h>
#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/state.h>
#include <cvx/viewstate/tf_edit.h>
#include <cvx/viewstate/tf_presets.h>

#include "shared_volume.h"
#include "test_data.h"

namespace {

using namespace cvx;
using namespace cvx::view;

struct Pair {
  std::shared_ptr<const Volume> ct, pet;
  TransferPreset bone, hot;
};

bool loadPair(Pair& p) {
  p.ct = test::loadShared("pet_ct/CT");
  p.pet = test::loadShared("pet_ct/PT");
  auto bone = loadTransferPreset("ct-bone");
  auto hot = loadTransferPreset("pet-hot-iron");
  if (!p.ct || !p.pet || !bone || !hot) return false;
  p.bone = *bone;
  p.hot = *hot;
  return true;
}

constexpr int kW = 80, kH = 64;

TEST(Fused3d, RendererDrawsTheFusedPassOfTheRayCaster) {
  CVX_REQUIRE_FOLDER("pet_ct");
  Pair pr;
  ASSERT_TRUE(loadPair(pr));
  Camera3DView cam;
  cam.azimuthDeg = 30;
  Quality3D q;
  q.jitter = false;
  VolumeRenderer alone, fused;
  ASSERT_TRUE(alone.draw(pr.ct, 0, pr.bone, cam, kW, kH, q).ok());
  fused.setFused(Fused3D{pr.pet, 0, pr.hot});
  ASSERT_TRUE(fused.draw(pr.ct, 0, pr.bone, cam, kW, kH, q).ok());
  EXPECT_TRUE(fused.fusedNote().empty()) << fused.fusedNote();

  // The same pass through the CPU ray caster: the CT's parameters (as the renderer without fusion
  // builds them, skipping off), the PET's table in Bq/ml, and fusionParams for the two grids.
  auto bone = buildTransferTable(pr.bone.points, pr.bone.unitDistanceMm);
  auto hotBq = editablePreset(pr.hot, *pr.pet);
  ASSERT_TRUE(bone && hotBq);
  auto hot = buildTransferTable(hotBq->points, hotBq->unitDistanceMm);
  ASSERT_TRUE(hot.ok());
  hd::RaycastParams p = raycastParams(pr.ct->geometry, pr.ct->dims(), orbitCamera(*pr.ct, cam, kW, kH), kW, kH);
  const Vec3 s = pr.ct->geometry.spacingMm;
  p.stepMm = static_cast<float>(0.5 * std::min({s.x, s.y, s.z}));
  p.shading.on = true;
  p.shading.ambient = static_cast<float>(pr.bone.shading.ambient);
  p.shading.diffuse = static_cast<float>(pr.bone.shading.diffuse);
  p.shading.specular = static_cast<float>(pr.bone.shading.specular);
  p.shading.power = static_cast<float>(pr.bone.shading.power);
  p.fusion = fusionParams(pr.ct->geometry, pr.pet->geometry, pr.pet->dims(), hot->view());
  std::vector<float> rgba(4 * kW * kH);
  ASSERT_TRUE(render::raycastCpuFused(*pr.ct, 0, *pr.pet, 0, p, bone->view(), kW, kH, rgba.data()).ok());
  ASSERT_EQ(fused.rgba().size(), rgba.size());
  size_t differ = 0, changed = 0;
  for (size_t i = 0; i < rgba.size(); ++i) {
    differ += fused.rgba()[i] != rgba[i];
    changed += fused.rgba()[i] != alone.rgba()[i];
  }
  EXPECT_EQ(differ, 0u);
  EXPECT_GT(changed, 100u);  // the PET adds something to the CT's picture
}

// The 3D view's preview never builds a pair's map (on the UI thread: 12-17 ms here); it draws
// without skipping, the same picture, until its worker (sharing its PhaseBricks) has built it.
TEST(Fused3d, ThePreviewFindsThePairMapItsWorkerBuilt) {
  CVX_REQUIRE_FOLDER("pet_ct");
  Pair pr;
  ASSERT_TRUE(loadPair(pr));
  Camera3DView cam;
  Quality3D q;
  q.jitter = false;
  auto shared = std::make_shared<PhaseBricks>();
  VolumeRenderer preview, worker;
  preview.shareBricks(shared);
  worker.shareBricks(shared);
  preview.buildMaps(false);
  preview.setFused(Fused3D{pr.pet, 0, pr.hot});
  worker.setFused(Fused3D{pr.pet, 0, pr.hot});
  ASSERT_TRUE(preview.draw(pr.ct, 0, pr.bone, cam, kW, kH, q).ok());
  EXPECT_FALSE(preview.skippedEmpty());
  const std::vector<float> before = preview.rgba();
  ASSERT_TRUE(worker.draw(pr.ct, 0, pr.bone, cam, kW, kH, q).ok());
  EXPECT_TRUE(worker.skippedEmpty());
  EXPECT_EQ(shared->pairBuilds(), 1u);
  EXPECT_EQ(worker.rgba(), before);
  ASSERT_TRUE(preview.draw(pr.ct, 0, pr.bone, cam, kW, kH, q).ok());
  EXPECT_TRUE(preview.skippedEmpty());  // the CT's map and the pair's, both from the worker
  EXPECT_EQ(preview.rgba(), before);
  EXPECT_EQ(shared->pairBuilds(), 1u);
  // The layer's opacities change (a drag on its curve): the preview draws without skipping again,
  // the worker builds the new pair's map once.
  TransferPreset hotter = pr.hot;
  for (TfPoint& p : hotter.points) p.alpha = std::min(1.0f, 2 * p.alpha);
  preview.setFused(Fused3D{pr.pet, 0, hotter});
  worker.setFused(Fused3D{pr.pet, 0, hotter});
  ASSERT_TRUE(preview.draw(pr.ct, 0, pr.bone, cam, kW, kH, q).ok());
  EXPECT_FALSE(preview.skippedEmpty());
  EXPECT_NE(preview.rgba(), before);
  const std::vector<float> unskipped = preview.rgba();
  ASSERT_TRUE(worker.draw(pr.ct, 0, pr.bone, cam, kW, kH, q).ok());
  ASSERT_TRUE(worker.draw(pr.ct, 0, pr.bone, cam, kW, kH, q).ok());
  EXPECT_EQ(shared->pairBuilds(), 2u);
  // Only the skip map is new: the PET's ranges over the CT's bricks are the first map's (they do not
  // depend on its table), and the map from them skips nothing that is drawn.
  EXPECT_EQ(shared->fusedRangeBuilds(), 1u);
  EXPECT_TRUE(worker.skippedEmpty());
  EXPECT_EQ(worker.rgba(), unskipped);
  ASSERT_TRUE(preview.draw(pr.ct, 0, pr.bone, cam, kW, kH, q).ok());
  EXPECT_TRUE(preview.skippedEmpty());
  EXPECT_EQ(preview.rgba(), worker.rgba());
}

TEST(Fused3d, ALayerThatCannotBeFusedLeavesTheVolumeAloneAndSaysWhy) {
  CVX_REQUIRE_FOLDER("pet_ct");
  Pair pr;
  ASSERT_TRUE(loadPair(pr));
  Quality3D q;
  q.jitter = false;
  VolumeRenderer alone, fused;
  ASSERT_TRUE(alone.draw(pr.ct, 0, pr.bone, {}, kW, kH, q).ok());
  fused.setFused(Fused3D{pr.ct, 0, pr.hot});  // an SUV preset on a CT: tf.no_suv
  ASSERT_TRUE(fused.draw(pr.ct, 0, pr.bone, {}, kW, kH, q).ok());
  EXPECT_NE(fused.fusedNote().find("tf.no_suv"), std::string::npos) << fused.fusedNote();
  EXPECT_EQ(fused.rgba(), alone.rgba());
  fused.setFused(Fused3D{pr.pet, 3, pr.hot});  // the PET has one phase
  ASSERT_TRUE(fused.draw(pr.ct, 0, pr.bone, {}, kW, kH, q).ok());
  EXPECT_NE(fused.fusedNote().find("render.bad_request"), std::string::npos) << fused.fusedNote();
  fused.setFused(std::nullopt);
  ASSERT_TRUE(fused.draw(pr.ct, 0, pr.bone, {}, kW, kH, q).ok());
  EXPECT_TRUE(fused.fusedNote().empty());
}

TEST(Fused3d, StateFusesTheVisibleLayerOfTheReferenceFrame) {
  CVX_REQUIRE_FOLDER("pet_ct");
  Pair pr;
  ASSERT_TRUE(loadPair(pr));
  ViewerState s;
  EXPECT_EQ(s.fusedLayer3d(), -1);
  s.addLayer(pr.ct);
  EXPECT_EQ(s.fusedLayer3d(), -1);
  s.addLayer(pr.pet);  // one FrameOfReferenceUID (the folder's README)
  EXPECT_EQ(s.fusedLayer3d(), 1);
  EXPECT_EQ(s.fusedPhase3d(), 0);
  s.setLayerVisible(1, false);
  EXPECT_EQ(s.fusedLayer3d(), -1);
  s.setLayerVisible(1, true);
  s.setFusion3d(false);  // the reference alone, the layer untouched
  EXPECT_EQ(s.fusedLayer3d(), -1);
  EXPECT_TRUE(s.layers()[1].visible);
  s.setFusion3d(true);
  EXPECT_EQ(s.fusedLayer3d(), 1);
  // Its preset: the modality's unless one is chosen; the editor's edit of it is drawn until a preset
  // is chosen, and leaves the volume's own preset and edit alone.
  EXPECT_EQ(s.fusedPresetName3d(), "pet-hot-iron");
  EXPECT_EQ(s.editedFusedPreset3d(), nullptr);
  TransferPreset edit = pr.hot;
  edit.points[3].alpha = 1;
  ASSERT_TRUE(s.setEditedFusedPreset3d(edit).ok());
  ASSERT_NE(s.editedFusedPreset3d(), nullptr);
  EXPECT_EQ(s.editedFusedPreset3d()->points[3].alpha, 1.0f);
  EXPECT_EQ(s.editedPreset3d(), nullptr);
  edit.points[3].value = -1;  // before point 2: refused, the edit kept
  const Status bad = s.setEditedFusedPreset3d(edit);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "tf.bad_points");
  EXPECT_EQ(s.editedFusedPreset3d()->points[3].value, pr.hot.points[3].value);
  s.setPreset3d("ct-soft-tissue");  // the volume's preset: the layer's edit stays
  EXPECT_NE(s.editedFusedPreset3d(), nullptr);
  s.setFusedPreset3d("ct-bone");
  EXPECT_EQ(s.editedFusedPreset3d(), nullptr);
  EXPECT_EQ(s.fusedPresetName3d(), "ct-bone");
  s.setFusedPreset3d("");
  // Another frame of reference is not fused: the same PET with its frame changed.
  auto other = io::loadPath(test::dataPath("pet_ct/PT"));
  ASSERT_TRUE(other.ok());
  (*other)->info.frameOfReferenceUid += ".9";
  s.removeLayer(1);
  s.addLayer(std::shared_ptr<const Volume>(std::move(*other)));
  EXPECT_EQ(s.fusedLayer3d(), -1);
}

}  // namespace
