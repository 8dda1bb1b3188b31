// SPDX-License-Identifier: MIT
// The Segments dock's "Liver ref." (seg_panel.h): PERCIST's liver reference at the cursor.
#include "seg_panel.h"

#include <QLabel>

#include <algorithm>
#include <cstdio>

#include "seg_editing.h"

#include <cvx/viewstate/percist.h>
#include <cvx/viewstate/probe.h>
#include <cvx/viewstate/seg_report.h>
#include <cvx/viewstate/seg_terms.h>
#include <cvx/viewstate/suv.h>

namespace cvx::viewer {

void SegPanel::addLiverReference() {
  if (state_.layers().empty() || !state_.layers().front().volume) return;
  auto say = [this](const std::string& text) { message_->setText(QString::fromStdString(text)); };
  // The PET of the reference's frame read in SUVbw, with SUL: else no reference could ever be read.
  const int anyPet = view::petLayerOfFrame(state_, 0), pet = view::petLayerFor(state_, 0);
  if (anyPet < 0)
    return say("viewer.no_pet: PERCIST's liver reference is read on a PET, and no PET of this frame of reference is "
               "open");
  const Volume& v = *state_.layers()[static_cast<size_t>(pet >= 0 ? pet : anyPet)].volume;
  if (pet < 0) {
    const auto suv = view::suvBodyWeight(v.info);
    return say("no liver reference: the PET is not read in SUVbw" + (suv ? std::string() : " (" + suv.error().str() + ")"));
  }
  if (const auto sul = view::suvLeanBodyMass(v.info); !sul) return say("no liver reference without SUL: " + sul.error().str());
  auto ball = view::percistLiverBall(v, state_.cursor());
  if (!ball) return say(ball.error().str());
  // A reference on this PET already: moved here (one undo step), not a second one beside it.
  Status done;
  bool moved = false;
  for (int i = 0; i < static_cast<int>(state_.segmentations().size()) && !moved; ++i) {
    const view::SegmentationLayer& sl = state_.segmentations()[static_cast<size_t>(i)];
    if (sl.layer != pet) continue;
    const auto& segments = sl.segmentation->segments();
    for (size_t k = 0; k < segments.size() && !moved; ++k)
      if (view::isLiverReference(segments[k])) done = editing_.replaceSegments(i, {k}, ball->data()), moved = true;
  }
  if (!moved) {
    Segment meta;
    meta.name = view::kPercistReferenceName;  // a name of its own: the Liver term keeps it, gives type and colour
    meta = view::withSegmentTermCode(meta, "10200004");
    meta.algorithm = SegmentAlgorithm::Manual;
    auto r = editing_.addSegment(meta, ball->data(), pet);
    if (!r.ok()) done = r.error();
  }
  if (!done.ok()) return say(done.error().str());
  const double ml = static_cast<double>(std::count(ball->begin(), ball->end(), 1)) * voxelVolumeMm3(v.geometry) / 1000;
  std::string text = std::string("Liver reference ") + (moved ? "moved" : "placed") + ": a 3 cm ball on the PET at the cursor";
  if (ml < 0.9 * view::kPercistLiverMl) {  // cut by the PET's edge: fewer voxels than the ball holds
    char cut[128];
    std::snprintf(cut, sizeof cut, "; seg.ball_clipped: the PET's edge cuts it (%.1f of %.1f mL): move it into the liver",
                  ml, view::kPercistLiverMl);
    text += cut;
  }
  say(text);
}

}  // namespace cvx::viewer
