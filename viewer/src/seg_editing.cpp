// SPDX-License-Identifier: MIT
#include "seg_editing.h"

#include <algorithm>


namespace cvx::viewer {
SegEditing::SegEditing(view::ViewerState& state, std::string journalDir) : state_(state), dir_(std::move(journalDir)) {}

SegEditing::~SegEditing() {
  if (abandoned_) return;
  for (auto& [key, e] : entries_)
    if (e.journal) (void)e.journal->close();
}

int SegEditing::indexOf(const Segmentation* s) const {
  for (size_t i = 0; i < state_.segmentations().size(); ++i)
    if (state_.segmentations()[i].segmentation.get() == s) return static_cast<int>(i);
  return -1;
}

Result<SegEditing::Entry*> SegEditing::entryOf(int index) {
  if (index < 0 || index >= static_cast<int>(state_.segmentations().size()))
    return makeError("seg.no_active", "no segmentation to edit");
  const auto& seg = state_.segmentations()[static_cast<size_t>(index)].segmentation;
  Entry& e = entries_[seg.get()];
  if (!e.editor) {
    e.seg = seg;
    auto journal = view::SegJournal::create(dir_, *seg);
    if (journal.ok()) e.journal = std::move(*journal);  // without one the edits still work, unjournaled
    e.editor = std::make_unique<view::SegEditor>(*seg, e.journal.get());
  }
  return &e;
}

Status SegEditing::beginStroke(view::BrushMode mode) {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose or add a segment to paint");
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  std::optional<view::BrushRange> range;
  if (brushRange) {
    const int layer = state_.segmentations()[static_cast<size_t>(index)].layer;
    const Volume* source = layer >= 0 && layer < static_cast<int>(state_.layers().size())
                               ? state_.layers()[static_cast<size_t>(layer)].volume.get()
                               : nullptr;
    const int64_t phase = source ? std::min<int64_t>(state_.phase(), source->dims()[3] - 1) : 0;
    range = view::BrushRange{source, phase, brushRange->first, brushRange->second};
  }
  CVX_TRY((*e)->editor->beginStroke(static_cast<size_t>(segment), mode, range));
  stroke_ = (*e)->editor.get();
  strokeIndex_ = index;
  return {};
}

Status SegEditing::scissors(const view::ScissorsCut& cut, view::ScissorsMode mode) {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose or add a segment to cut");
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  CVX_TRY((*e)->editor->scissors(static_cast<size_t>(segment), cut, mode));
  state_.segmentationEdited(index);
  return {};
}

Status SegEditing::dab(Vec3 centre, Vec3 normal) {
  if (brushSphere) return dabSphere(centre);
  if (!stroke_) return makeError("seg.edit_no_stroke", "a dab outside a stroke");
  view::BrushDisk d;
  d.centre = centre;
  d.normal = normal;
  d.radiusMm = brushMm;
  CVX_TRY(stroke_->dab(d));
  state_.segmentationEdited(strokeIndex_);
  return {};
}

Status SegEditing::dabSphere(Vec3 centre) {
  if (!stroke_) return makeError("seg.edit_no_stroke", "a dab outside a stroke");
  CVX_TRY(stroke_->dab(view::BrushSphere{centre, brushMm}));
  state_.segmentationEdited(strokeIndex_);
  return {};
}

Status SegEditing::endStroke() {
  if (!stroke_) return {};
  const Status st = stroke_->endStroke();
  stroke_ = nullptr;
  state_.segmentationEdited(strokeIndex_);
  return st;
}

Result<std::pair<int, int>> SegEditing::addSegment(Segment meta, const uint8_t* mask) {
  if (state_.layers().empty() || !state_.layers().front().volume)
    return makeError("seg.no_reference", "open a series first");
  int index = state_.activeSegment().first;
  if (index < 0 || state_.segmentations()[static_cast<size_t>(index)].layer != 0) {
    auto s = std::make_shared<Segmentation>(Segmentation::onGridOf(*state_.layers().front().volume));
    auto added = state_.addSegmentation(s, 0, "edits");
    if (!added.ok()) return added.error();
    index = *added;
  }
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  auto k = (*e)->editor->addSegment(std::move(meta), mask);
  if (!k.ok()) return k.error();
  state_.segmentationEdited(index);
  state_.setActiveSegment(index, static_cast<int>(*k));
  return std::pair<int, int>{index, static_cast<int>(*k)};
}

Status SegEditing::replaceSegments(int index, const std::vector<size_t>& segments, const uint8_t* labels) {
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  Status ok = (*e)->editor->replaceMasks(segments, labels);
  state_.segmentationEdited(index);
  return ok;
}

Status SegEditing::setActiveSegmentInfo(const Segment& info) {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose a segment first");
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  CVX_TRY((*e)->editor->setSegmentInfo(static_cast<size_t>(segment), info));
  state_.segmentationEdited(index);
  return {};
}

Status SegEditing::removeActiveSegment() {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose a segment first");
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  CVX_TRY((*e)->editor->removeSegment(static_cast<size_t>(segment)));
  removedFrom_ = state_.segmentations()[static_cast<size_t>(index)].segmentation.get();  // Undo finds it
  state_.segmentationEdited(index);
  return {};
}

bool SegEditing::undo() {
  const int index = state_.activeSegment().first >= 0 ? state_.activeSegment().first : indexOf(removedFrom_);
  auto e = entryOf(index);
  if (!e.ok() || !(*e)->editor->undo()) return false;
  state_.segmentationEdited(index);
  if (state_.activeSegment().first < 0 && !state_.segmentations()[static_cast<size_t>(index)].segments.empty())
    state_.setActiveSegment(index, 0);  // the removed segment is back
  return true;
}

bool SegEditing::redo() {
  const int index = state_.activeSegment().first;
  auto e = entryOf(index);
  if (!e.ok() || !(*e)->editor->redo()) return false;
  state_.segmentationEdited(index);
  return true;
}

Result<int> SegEditing::recoverPending() {
  if (state_.layers().empty() || !state_.layers().front().volume) return 0;
  const Volume& ref = *state_.layers().front().volume;
  int n = 0;
  for (const std::string& path : pending()) {
    auto r = view::SegJournal::recover(path);
    if (!r.ok()) continue;  // unreadable: left
    const std::string& uid = r->seg.reference.seriesInstanceUid;
    if (!uid.empty() && !ref.info.seriesInstanceUid.empty() && uid != ref.info.seriesInstanceUid) continue;
    auto seg = std::make_shared<Segmentation>(std::move(r->seg));
    auto added = state_.addSegmentation(seg, 0, "recovered");
    if (!added.ok()) continue;  // another grid (seg.bad_geometry): another series' edits, left
    if (auto e = entryOf(*added); !e.ok()) return e.error();  // journaled anew from its recovered content
    (void)view::SegJournal::discard(path);
    ++n;
  }
  return n;
}

}  // namespace cvx::viewer
