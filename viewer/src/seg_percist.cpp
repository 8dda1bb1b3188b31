// SPDX-License-Identifier: MIT
// The Segments dock's "Liver ref." (seg_panel.h): PERCIST's liver reference at the cursor.
#include "seg_panel.h"

#include <QLabel>

#include "seg_editing.h"

#include <cvx/viewstate/percist.h>
#include <cvx/viewstate/probe.h>
#include <cvx/viewstate/seg_terms.h>

namespace cvx::viewer {

void SegPanel::addLiverReference() {
  if (state_.layers().empty() || !state_.layers().front().volume) return;
  const int pet = view::petLayerOfFrame(state_, 0);  // the PET the reference's frame holds
  if (pet < 0) {
    message_->setText(tr("viewer.no_pet: PERCIST's liver reference is read on a PET, and no PET of this frame of "
                         "reference is open"));
    return;
  }
  auto ball = view::percistLiverBall(*state_.layers()[static_cast<size_t>(pet)].volume, state_.cursor());
  if (!ball) {
    message_->setText(QString::fromStdString(ball.error().str()));
    return;
  }
  Segment meta;
  meta.name = "Liver reference";  // a name of its own: the Liver term keeps it, and gives type and colour
  meta = view::withSegmentTermCode(meta, "10200004");
  meta.algorithm = SegmentAlgorithm::Manual;
  auto r = editing_.addSegment(meta, ball->data(), pet);
  message_->setText(r.ok() ? tr("Liver reference: a 3 cm ball on the PET at the cursor")
                           : QString::fromStdString(r.error().str()));
}

}  // namespace cvx::viewer
