// SPDX-License-Identifier: MIT
// The Segments dock's PET actions (seg_panel.h): "Liver ref.", PERCIST's liver reference at the
// cursor, and "Go to max".
#include "seg_panel.h"

#include <QLabel>

#include <algorithm>
#include <cmath>
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
  // A reference read against this PET already (on its grid or on the CT's): moved here, on its own
  // grid, in one undo step; not a second one beside it.
  int at = -1;
  size_t atSegment = 0;
  for (int i = 0; i < static_cast<int>(state_.segmentations().size()) && at < 0; ++i) {
    const view::SegmentationLayer& sl = state_.segmentations()[static_cast<size_t>(i)];
    if (view::petLayerFor(state_, sl.layer) != pet) continue;
    const auto& segments = sl.segmentation->segments();
    for (size_t k = 0; k < segments.size() && at < 0; ++k)
      if (view::isLiverReference(segments[k])) at = i, atSegment = k;
  }
  const int gridLayer = at >= 0 ? state_.segmentations()[static_cast<size_t>(at)].layer : pet;
  const Volume& grid = *state_.layers()[static_cast<size_t>(gridLayer)].volume;
  auto ball = view::percistLiverBall(grid, state_.cursor());
  if (!ball) return say(ball.error().str());
  Status done;
  const bool moved = at >= 0;
  if (moved) {
    done = editing_.replaceSegments(at, {atSegment}, ball->data());
  } else {
    Segment meta;
    meta.name = view::kPercistReferenceName;  // a name of its own: the Liver term keeps it, gives type and colour
    meta = view::withSegmentTermCode(meta, "10200004");
    meta.algorithm = SegmentAlgorithm::Manual;
    auto r = editing_.addSegment(meta, ball->data(), pet);
    if (!r.ok()) done = r.error();
  }
  if (!done.ok()) return say(done.error().str());
  const double ml = static_cast<double>(std::count(ball->begin(), ball->end(), 1)) * voxelVolumeMm3(grid.geometry) / 1000;
  std::string text = std::string("Liver reference ") + (moved ? "moved" : "placed") + ": a 3 cm ball at the cursor";
  if (ml < 0.9 * view::kPercistLiverMl) {  // cut by the grid's edge: fewer voxels than the ball holds
    char cut[128];
    std::snprintf(cut, sizeof cut, "; seg.ball_clipped: the series' edge cuts it (%.1f of %.1f mL): move it into the liver",
                  ml, view::kPercistLiverMl);
    text += cut;
  }
  say(text);
}

void SegPanel::goToMax() {
  const auto [i, k] = state_.activeSegment();
  const view::SegmentReportRow* f = figures_.row(state_, i, k);
  if (!f || !f->pet || !std::isfinite(f->pet->suvMax))
    return message_->setText(tr("Go to max: the active segment has no PET uptake measured (yet)"));
  // From a view of the segment's frame: a prior study's offset, or an unlinked view's own cursor.
  const std::vector<int> frame = state_.layersOfFrame(state_.segmentations()[static_cast<size_t>(i)].layer);
  int from = -1;
  for (int v = 0; v < state_.viewCount() && from < 0; ++v)
    if (std::find(frame.begin(), frame.end(), state_.viewLayer(v)) != frame.end()) from = v;
  state_.setCursorUnsnapped(f->pet->maxAt, from);
}

}  // namespace cvx::viewer
