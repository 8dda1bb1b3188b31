// SPDX-License-Identifier: MIT
// The Segments dock's PET actions (seg_panel.h): "Liver ref." and "Blood pool ref.", PERCIST's
// references at the active view's cursor, "Go to max", and the PERCIST response line.
#include "seg_panel.h"

#include <QCoreApplication>
#include <QLabel>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "seg_editing.h"
#include "seg_run.h"

#include <cvx/viewstate/overlay.h>
#include <cvx/viewstate/percist.h>
#include <cvx/viewstate/percist_response.h>
#include <cvx/viewstate/probe.h>
#include <cvx/viewstate/seg_report.h>
#include <cvx/viewstate/seg_terms.h>
#include <cvx/viewstate/suv.h>

namespace cvx::viewer {

void SegPanel::addReference(bool bloodPool) {
  if (state_.layers().empty() || !state_.layers().front().volume) return;
  auto say = [this](const std::string& text) { message_->setText(QString::fromStdString(text)); };
  const std::string name = bloodPool ? view::kPercistBloodPoolName : view::kPercistReferenceName;
  const std::string what = bloodPool ? "blood pool reference" : "liver reference";
  // The PET of the active view's frame (a prior study's: PERCIST's baseline) read in SUVbw, with SUL:
  // else no reference could ever be read. At that view's cursor.
  const int view = activeView_ ? activeView_() : -1;
  const bool inView = view >= 0 && view < state_.viewCount() && state_.viewLayer(view) >= 0;
  const int own = inView ? state_.viewLayer(view) : 0;
  const int anyPet = view::petLayerOfFrame(state_, own), pet = view::petLayerFor(state_, own);
  if (anyPet < 0)
    return say("viewer.no_pet: PERCIST's " + what + " is read on a PET, and no PET of this frame of reference is open");
  const Volume& v = *state_.layers()[static_cast<size_t>(pet >= 0 ? pet : anyPet)].volume;
  if (pet < 0) {
    const auto suv = view::suvBodyWeight(v.info);
    return say("no " + what + ": the PET is not read in SUVbw" + (suv ? std::string() : " (" + suv.error().str() + ")"));
  }
  if (const auto sul = view::suvLeanBodyMass(v.info); !sul) return say("no " + what + " without SUL: " + sul.error().str());
  // This kind of reference read against this PET already (on its grid or on the CT's): moved here, on
  // its own grid, in one undo step; not a second one beside it.
  const auto [at, atSegment] =
      view::segmentReadAgainst(state_, pet, bloodPool ? view::isBloodPoolReference : view::isLiverReference);
  const int gridLayer = at >= 0 ? state_.segmentations()[static_cast<size_t>(at)].layer : pet;
  const Volume& grid = *state_.layers()[static_cast<size_t>(gridLayer)].volume;
  const Vec3 c = inView ? state_.viewCursor(view) : state_.cursor();
  int64_t whole = 0;  // what the shape holds uncut here
  auto shape = bloodPool ? view::percistBloodPoolCylinder(grid, c, &whole) : view::percistLiverBall(grid, c, &whole);
  if (!shape) return say(shape.error().str());
  Status done;
  const bool moved = at >= 0;
  if (moved) {
    done = editing_.replaceSegments(at, {atSegment}, shape->data());
  } else {
    Segment meta;
    meta.name = name;  // a name of its own: the term (Liver, Aorta) keeps it, gives type and colour
    meta = view::withSegmentTermCode(meta, bloodPool ? "15825003" : "10200004");
    meta.algorithm = SegmentAlgorithm::Manual;
    auto r = editing_.addSegment(meta, shape->data(), pet);
    if (!r.ok()) done = r.error();
  }
  if (!done.ok()) return say(done.error().str());
  const int64_t n = std::count(shape->begin(), shape->end(), 1);
  const double ml = static_cast<double>(n) * voxelVolumeMm3(grid.geometry) / 1000;
  const double full = static_cast<double>(whole) * voxelVolumeMm3(grid.geometry) / 1000;
  std::string text = name + (moved ? " moved" : " placed") + (bloodPool ? ": a 1 x 2 cm cylinder" : ": a 3 cm ball") +
                     " at the cursor";
  if (!v.info.studyDate.empty()) text += " on the PET of " + view::formatDicomDate(v.info.studyDate);  // which study's
  // The liver's rules where both are placed (percist.h): a blood pool reference waits until it is deleted.
  if (bloodPool && view::segmentReadAgainst(state_, pet, view::isLiverReference).first >= 0)
    text += "; this PET has a liver reference, which PERCIST reads first: delete it to read the blood pool";
  if (static_cast<double>(n) < 0.9 * static_cast<double>(whole)) {  // cut by the grid's edge: fewer voxels than it holds
    char cut[160];
    std::snprintf(cut, sizeof cut, "; seg.ball_clipped: the series' edge cuts it (%.2f of %.2f mL): move it into the %s",
                  ml, full, bloodPool ? "aorta" : "liver");
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
  const int layer = state_.segmentations()[static_cast<size_t>(i)].layer;
  const int from = view::viewOfFrame(state_, layer, activeView_ ? activeView_() : -1);
  const std::string frame = state_.frameOf(layer);
  if (from >= 0 || frame == state_.frameOf(0)) return state_.setCursorUnsnapped(f->pet->maxAt, from);
  if (const auto offset = state_.frameOffset(frame)) return state_.setCursorUnsnapped(f->pet->maxAt - *offset);
  message_->setText(tr("Go to max: no view shows that study's frame of reference: drop its series into a view"));
}

namespace {

// PERCIST against the PET's reference (percist.h), where there is one.
QString percistLine(const std::vector<view::SegmentReportRow>& all, const view::SegmentReportRow& r) {
  const std::string t = view::percistText(all, r);
  return t.empty() ? QString() : "\nPERCIST " + QString::fromStdString(t);
}

// PERCIST's figures in SUL (suv.h's suvLeanBodyMass), or why the header allows none.
QString sulLine(const view::SegmentReportRow& r) {
  if (!(r.sulPerSuv > 0))
    return QCoreApplication::translate("SegPanel", "\nSUL: none (%1)").arg(QString::fromStdString(r.sulError.code));
  return QCoreApplication::translate("SegPanel", "\nSULpeak %1, SULmax %2 (PERCIST, lean body mass)")
      .arg(r.pet->suvPeak * r.sulPerSuv, 0, 'f', 2)
      .arg(r.pet->suvMax * r.sulPerSuv, 0, 'f', 2);
}

}  // namespace

QString petFiguresText(const view::ViewerState& state, const view::SegmentationLayer& sl, const view::SegmentReportRow& r,
                       const std::vector<view::SegmentReportRow>& all) {
  if (view::petLayerFor(state, sl.layer) < 0) return {};
  // Figures of the segment that was active before (its uptake comes with the next job).
  if (!r.petMeasured) return QCoreApplication::translate("SegPanel", "\nPET: measuring…");
  if (r.voxels == 0) return {};
  if (!r.pet) {
    return r.error.code.empty() ? QCoreApplication::translate("SegPanel", "\nPET: the segment lies outside the PET")
                                : "\nPET: " + QString::fromStdString(r.error.str());
  }
  return QCoreApplication::translate("SegPanel", "\nPET: SUVmax %1, SUVpeak %2, SUVmean %3; MTV %4 mL, TLG %5")
      .arg(r.pet->suvMax, 0, 'f', 2)
      .arg(r.pet->suvPeak, 0, 'f', 2)
      .arg(r.pet->suvMean, 0, 'f', 2)
      .arg(r.pet->mtvMl, 0, 'f', 1)
      .arg(r.pet->tlg, 0, 'f', 1) + sulLine(r) + percistLine(all, r);
}

bool anyPet(const view::ViewerState& state) {
  return std::any_of(state.layers().begin(), state.layers().end(),
                     [](const view::Layer& l) { return l.volume && l.volume->info.modality == "PT"; });
}

QLabel* newResponseLabel(QWidget* parent) {
  auto* l = new QLabel(parent);
  l->setObjectName("segPercistResponse");
  l->setWordWrap(true);
  l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  l->setToolTip(QObject::tr("PERCIST 1.0: the hottest measurable lesion of the last PET with a reference against "
                            "the first's (each PET needs its own reference and lesions)"));
  l->hide();
  return l;
}

void SegPanel::showResponse(const std::vector<view::SegmentReportRow>& all) {
  const view::PercistFrames frames = view::percistFrames(state_);  // new lesions where the studies are linked
  const auto r = view::percistResponse(all, &frames);
  response_->setText(r ? QString::fromStdString(view::percistResponseText(*r, all)) : QString());
  response_->setVisible(r.has_value());
}

QString SegPanel::responseText() const { return response_->text(); }

void SegPanel::setActiveView(std::function<int()> activeView) {
  activeView_ = activeView;
  if (auto* run = findChild<SegRunPanel*>()) run->setActiveView(std::move(activeView));
}

}  // namespace cvx::viewer
