// SPDX-License-Identifier: MIT
#include "seg_editing.h"

#include <algorithm>
#include <cmath>

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

int SegEditing::editedIndex() const {
  const int active = state_.activeSegment().first;
  return active >= 0 ? active : indexOf(lastEdited_);
}

void SegEditing::edited(int index) {
  lastEdited_ = state_.segmentations()[static_cast<size_t>(index)].segmentation.get();
  state_.segmentationEdited(index);
}

Status SegEditing::beginStroke(view::BrushMode mode) {
  if (stroke_) (void)endStroke();  // one whose release never came: it ends with what it painted
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose or add a segment to paint");
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  std::optional<view::BrushRange> range;
  std::shared_ptr<const Volume> source;
  if (brushRange) {
    int layer = state_.layerOfSerial(brushRangeSerial);
    if (layer < 0) layer = state_.segmentations()[static_cast<size_t>(index)].layer;
    if (layer >= 0 && layer < static_cast<int>(state_.layers().size()))
      source = state_.layers()[static_cast<size_t>(layer)].volume;
    const int64_t phase = source ? state_.phaseOf(*source) : 0;
    range = view::BrushRange{source.get(), phase, std::min(brushRange->first, brushRange->second),
                             std::max(brushRange->first, brushRange->second)};
  }
  CVX_TRY((*e)->editor->beginStroke(static_cast<size_t>(segment), mode, range));
  stroke_ = (*e)->editor.get();
  strokeSource_ = std::move(source);  // read by every dab until the stroke ends, whatever the layers do
  lastEdited_ = state_.segmentations()[static_cast<size_t>(index)].segmentation.get();
  return {};
}

Status SegEditing::island(Vec3 at, bool keep, bool nearest) {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose a segment to keep or remove a piece of");
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  const Segmentation& sg = *state_.segmentations()[static_cast<size_t>(index)].segmentation;
  const Vec3 i = sg.geometry().voxelFromWorld().applyPoint(at);
  std::array<int64_t, 3> seed{std::llround(i.x), std::llround(i.y), std::llround(i.z)};
  if (nearest) {  // a point picked on a surface lies on the segment's edge: its nearest voxel among the 27
    const std::vector<uint8_t> mask = sg.mask(static_cast<size_t>(segment));
    const auto& d = sg.dims();
    const std::array<int64_t, 3> c = seed;
    double best = 1e30;
    for (int dz = -1; dz <= 1; ++dz)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int64_t x = c[0] + dx, y = c[1] + dy, z = c[2] + dz;
          if (x < 0 || y < 0 || z < 0 || x >= d[0] || y >= d[1] || z >= d[2] ||
              !mask[static_cast<size_t>((z * d[1] + y) * d[0] + x)])
            continue;
          const double dist = (x - i.x) * (x - i.x) + (y - i.y) * (y - i.y) + (z - i.z) * (z - i.z);
          if (dist < best) best = dist, seed = {x, y, z};
        }
  }
  CVX_TRY((*e)->editor->island(static_cast<size_t>(segment), seed, keep));
  edited(index);
  return {};
}

Result<std::shared_ptr<const view::LevelTrace>> SegEditing::levelTrace(Vec3 at, Vec3 normal) {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose or add a segment to trace into");
  const auto& entry = state_.segmentations()[static_cast<size_t>(index)];
  const int layer = entry.layer;
  if (layer < 0 || layer >= static_cast<int>(state_.layers().size()) ||
      !state_.layers()[static_cast<size_t>(layer)].volume)
    return makeError("seg.no_series", "the segment's series is not open");
  const Volume& v = *state_.layers()[static_cast<size_t>(layer)].volume;
  const Segmentation& sg = *entry.segmentation;
  auto axis = view::sliceAxis(sg.geometry(), normal);
  if (!axis) return axis.error();
  const Vec3 i = sg.geometry().voxelFromWorld().applyPoint(at);
  if (!std::isfinite(i.x) || !std::isfinite(i.y) || !std::isfinite(i.z))
    return makeError("seg.edit_no_island", "the point lies outside the grid");
  const TraceKey key{v.serial(), v.slicesReady(), state_.phaseOf(v), *axis,
                     {std::llround(i.x), std::llround(i.y), std::llround(i.z)}};
  if (trace_ && key == traceKey_ && traceSeg_.lock() == entry.segmentation) return trace_;
  auto t = view::levelTrace(sg, v, key.phase, key.seed, key.axis);
  if (!t) return t.error();
  traceKey_ = key;
  traceSeg_ = entry.segmentation;
  trace_ = std::make_shared<const view::LevelTrace>(std::move(*t));
  return trace_;
}

Status SegEditing::fillTrace(const view::LevelTrace& t, view::BrushMode mode) {
  return oneDab(mode, [&](view::SegEditor& e) { return e.dab(t); });
}

Status SegEditing::oneDab(view::BrushMode mode, const std::function<Status(view::SegEditor&)>& dab) {
  CVX_TRY(beginStroke(mode));
  const Status st = dab(*stroke_);
  const Status ended = endStroke();  // a dab refused changed nothing: no undo step
  return st.ok() ? ended : st;
}

Status SegEditing::scissors(const view::ScissorsCut& cut, view::ScissorsMode mode) {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose or add a segment to cut");
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  CVX_TRY((*e)->editor->scissors(static_cast<size_t>(segment), cut, mode));
  edited(index);
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
  state_.segmentationEdited(indexOf(&stroke_->segmentation()));
  return {};
}

Status SegEditing::fillOutline(const std::vector<Vec3>& points, Vec3 normal, view::BrushMode mode) {
  return oneDab(mode, [&](view::SegEditor& e) { return e.dab(view::BrushPolygon{points, normal}); });
}

Status SegEditing::dabSphere(Vec3 centre) {
  if (!stroke_) return makeError("seg.edit_no_stroke", "a dab outside a stroke");
  CVX_TRY(stroke_->dab(view::BrushSphere{centre, brushMm}));
  state_.segmentationEdited(indexOf(&stroke_->segmentation()));
  return {};
}

Status SegEditing::endStroke() {
  if (!stroke_) return {};
  const Status st = stroke_->endStroke();
  const int index = indexOf(&stroke_->segmentation());  // -1 when its segmentation went meanwhile
  stroke_ = nullptr;
  strokeSource_.reset();
  state_.segmentationEdited(index);
  return st;
}

Result<std::pair<int, int>> SegEditing::addSegment(Segment meta, const uint8_t* mask, int layer) {
  const auto& layers = state_.layers();
  if (layer < 0 || layer >= static_cast<int>(layers.size()) || !layers[static_cast<size_t>(layer)].volume)
    return makeError("seg.no_reference", "open a series first");
  int index = targetFor(layer);
  if (index < 0) {
    auto s = std::make_shared<Segmentation>(Segmentation::onGridOf(*layers[static_cast<size_t>(layer)].volume));
    auto added = state_.addSegmentation(s, layer, "edits");
    if (!added.ok()) return added.error();
    index = *added;
  }
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  auto k = (*e)->editor->addSegment(std::move(meta), mask);
  if (!k.ok()) return k.error();
  edited(index);
  state_.setActiveSegment(index, static_cast<int>(*k));
  return std::pair<int, int>{index, static_cast<int>(*k)};
}

int SegEditing::targetFor(int layer) const {
  const auto& segs = state_.segmentations();
  int index = editedIndex();  // without an active segment: the segmentation edited last (all its segments removed)
  if (index >= 0 && segs[static_cast<size_t>(index)].layer != layer) index = -1;
  for (int i = static_cast<int>(segs.size()) - 1; index < 0 && i >= 0; --i)
    if (segs[static_cast<size_t>(i)].layer == layer) index = i;
  return index;
}

Status SegEditing::replaceSegments(int index, const std::vector<size_t>& segments, const uint8_t* labels) {
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  Status ok = (*e)->editor->replaceMasks(segments, labels);
  edited(index);
  return ok;
}

uint64_t SegEditing::removalsOf(int index) {
  auto e = entryOf(index);
  return e.ok() ? (*e)->editor->removals() : 0;
}

Status SegEditing::applyRunResult(const Segmentation& seg, uint16_t number, uint64_t removals, const Volume& input,
                                  const Volume& result) {
  const auto gone = [] { return makeError("seg.segment_gone", "the segment the run read was removed during the run"); };
  const int index = indexOf(&seg);
  if (index < 0) return gone();
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  const int64_t segment = (*e)->editor->removals() == removals ? seg.findByNumber(number) : -1;
  const auto n = static_cast<int64_t>(seg.voxelsPerLayer());
  if (segment < 0 || input.type() != PixelType::UInt8 || result.type() != PixelType::UInt8 ||
      input.voxelsPerPhase() != n || result.voxelsPerPhase() != n)
    return gone();
  const uint8_t* in = input.as<uint8_t>();
  const uint8_t* out = result.as<uint8_t>();
  std::vector<uint8_t> want = seg.mask(static_cast<size_t>(segment));
  for (size_t i = 0; i < want.size(); ++i) {
    const bool was = in[i] != 0, is = out[i] != 0;
    if (was != is) want[i] = is;  // what the run changed; the rest as it is now
  }
  CVX_TRY((*e)->editor->place(static_cast<size_t>(segment), want.data()));
  edited(index);
  return {};
}

Status SegEditing::combineActive(view::SegLogic op, size_t other) {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose a segment first");
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  CVX_TRY((*e)->editor->combine(static_cast<size_t>(segment), op, other));
  edited(index);
  return {};
}

Status SegEditing::setActiveSegmentInfo(const Segment& info) {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose a segment first");
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  CVX_TRY((*e)->editor->setSegmentInfo(static_cast<size_t>(segment), info));
  edited(index);
  return {};
}

Status SegEditing::removeActiveSegment() {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose a segment first");
  auto e = entryOf(index);
  if (!e.ok()) return e.error();
  CVX_TRY((*e)->editor->removeSegment(static_cast<size_t>(segment)));
  edited(index);  // its last segment gone, Undo still finds it
  return {};
}

bool SegEditing::undo() { return step(true); }
bool SegEditing::redo() { return step(false); }

bool SegEditing::step(bool back) {
  const int index = editedIndex();
  auto e = entryOf(index);
  if (!e.ok() || !(back ? (*e)->editor->undo() : (*e)->editor->redo())) return false;
  edited(index);
  if (state_.activeSegment().first < 0 && !state_.segmentations()[static_cast<size_t>(index)].segments.empty())
    state_.setActiveSegment(index, 0);  // a removed segment is back
  return true;
}

Result<int> SegEditing::recoverPending() {
  const auto& layers = state_.layers();
  int n = 0;
  for (const std::string& path : pending()) {
    auto r = view::SegJournal::recover(path);
    if (!r.ok()) continue;  // unreadable: left
    const std::string& uid = r->seg.reference.seriesInstanceUid;
    auto seg = std::make_shared<Segmentation>(std::move(r->seg));
    for (int i = 0; i < static_cast<int>(layers.size()); ++i) {
      const auto& v = layers[static_cast<size_t>(i)].volume;
      if (!v || (!uid.empty() && !v->info.seriesInstanceUid.empty() && uid != v->info.seriesInstanceUid)) continue;
      auto added = state_.addSegmentation(seg, i, "recovered");
      if (!added.ok()) continue;  // another grid (seg.bad_geometry)
      if (auto e = entryOf(*added); !e.ok()) return e.error();  // journaled anew from its recovered content
      (void)view::SegJournal::discard(path);
      ++n;
      break;
    }
  }
  return n;
}

}  // namespace cvx::viewer
