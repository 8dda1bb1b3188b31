// SPDX-License-Identifier: MIT
// The segmentation editor's steps (cvx/viewstate/seg_edit.h): strokes, segment add/remove/info,
// undo/redo by changed bricks, the history's memory cap and the journal. The brush and scissors
// geometry is in seg_brush.cpp.
#include <cvx/viewstate/seg_edit.h>

#include <algorithm>
#include <cmath>

namespace cvx::view {
namespace {

bool finitePositive(double v) { return std::isfinite(v) && v > 0; }
Error badSegment(size_t i) { return makeError("seg.edit_bad_segment", "no segment " + std::to_string(i)); }

size_t segmentBytes(const std::vector<Segment>& segs) {
  size_t b = 0;
  for (const Segment& s : segs)
    b += sizeof(Segment) + s.name.size() + s.algorithmName.size() + s.algorithmVersion.size() +
         s.category.meaning.size() + s.type.meaning.size();
  return b;
}

}  // namespace

SegEditor::SegEditor(Segmentation& seg, SegJournal* journal) : seg_(seg), journal_(journal) {
  for (int a = 0; a < 3; ++a) nb_[a] = (seg.dims()[a] + kBrickEdge - 1) / kBrickEdge;
}

void SegEditor::setHistoryLimitBytes(size_t bytes) {
  limit_ = bytes;
  trimHistory();
}

Status SegEditor::checkSegment(size_t segment) const {
  if (segment >= seg_.segments().size() || seg_.segments()[segment].layer >= seg_.layers().size() ||
      seg_.segments()[segment].label == 0)
    return badSegment(segment);
  return {};
}

void SegEditor::openStep() {
  open_.ids.clear();
  open_.before.clear();
  open_.index.clear();
  open_.lastKey = ~uint64_t{0};
}

void SegEditor::touch(uint32_t l, int64_t x, int64_t y, int64_t z) {
  const int64_t bx = x / kBrickEdge, by = y / kBrickEdge, bz = z / kBrickEdge;
  const uint64_t key = static_cast<uint64_t>(((l * nb_[2] + bz) * nb_[1] + by) * nb_[0] + bx);
  if (key == open_.lastKey) return;
  open_.lastKey = key;
  if (open_.index.count(key)) return;
  BrickId id{l, static_cast<uint32_t>(bx), static_cast<uint32_t>(by), static_cast<uint32_t>(bz)};
  open_.index.emplace(key, open_.ids.size());
  open_.ids.push_back(id);
  readBrick(seg_, id, scratch_);
  open_.before.emplace_back();
  rleEncode(scratch_.data(), scratch_.size(), open_.before.back());  // kept encoded: no layer copy
}

size_t SegEditor::stepBytes(const Step& s) {
  size_t b = sizeof(Step) + segmentBytes(s.otherSegments);
  for (const BrickImage& i : s.bricks) b += sizeof(BrickImage) + i.rle.capacity();
  return b;
}

Status SegEditor::closeStep(bool segmentsChanged, std::vector<Segment> segmentsBefore) {
  Step step;
  std::vector<BrickId> changed;
  std::vector<uint8_t> now;
  for (size_t k = 0; k < open_.ids.size(); ++k) {
    readBrick(seg_, open_.ids[k], scratch_);
    now.clear();
    rleEncode(scratch_.data(), scratch_.size(), now);
    if (now == open_.before[k]) continue;  // the encoding is canonical: same bytes, same runs
    BrickImage img{open_.ids[k], std::move(open_.before[k])};
    img.rle.shrink_to_fit();
    step.bricks.push_back(std::move(img));
    changed.push_back(open_.ids[k]);
  }
  openStep();  // frees the before-images
  if (step.bricks.empty() && !segmentsChanged) return {};
  step.segmentsChanged = segmentsChanged;
  if (segmentsChanged) step.otherSegments = std::move(segmentsBefore);
  step.bytes = stepBytes(step);
  for (const Step& r : redo_) bytes_ -= r.bytes;
  redo_.clear();
  bytes_ += step.bytes;
  undo_.push_back(std::move(step));
  trimHistory();
  if (journal_) {
    journalStatus_ = journal_->appendStep(SegJournal::Op::Apply, seg_, changed, segmentsChanged);
    return journalStatus_;
  }
  return {};
}

void SegEditor::trimHistory() {
  while (bytes_ > limit_ && undo_.size() > (redo_.empty() ? 1u : 0u)) {
    bytes_ -= undo_.front().bytes;
    undo_.pop_front();
  }
}

bool SegEditor::swapStep(Step& s, SegJournal::Op op) {
  std::vector<uint8_t> stored, now;
  std::vector<BrickId> ids;
  for (BrickImage& img : s.bricks) {
    readBrick(seg_, img.id, now);
    stored.resize(now.size());
    if (!rleDecode(img.rle.data(), img.rle.size(), stored.data(), stored.size())) return false;
    writeBrick(seg_, img.id, stored.data());
    img.rle.clear();
    rleEncode(now.data(), now.size(), img.rle);
    img.rle.shrink_to_fit();
    ids.push_back(img.id);
  }
  if (s.segmentsChanged) {
    // A table with fewer segments coming back (an add undone, a removal redone) removes one.
    if (s.otherSegments.size() < seg_.segments().size()) ++removals_;
    std::swap(seg_.segments(), s.otherSegments);
  }
  bytes_ -= s.bytes;
  s.bytes = stepBytes(s);
  bytes_ += s.bytes;
  if (journal_) journalStatus_ = journal_->appendStep(op, seg_, ids, s.segmentsChanged);
  return true;
}

void SegEditor::clearHistory() {
  undo_.clear();
  redo_.clear();
  bytes_ = 0;
}

bool SegEditor::undo() {
  if (undo_.empty() || stroke_.active) return false;
  Step s = std::move(undo_.back());
  undo_.pop_back();
  const bool ok = swapStep(s, SegJournal::Op::Undo);
  redo_.push_back(std::move(s));
  return ok;
}

bool SegEditor::redo() {
  if (redo_.empty() || stroke_.active) return false;
  Step s = std::move(redo_.back());
  redo_.pop_back();
  const bool ok = swapStep(s, SegJournal::Op::Redo);
  undo_.push_back(std::move(s));
  trimHistory();
  return ok;
}

Status SegEditor::beginStroke(size_t segment, BrushMode mode, std::optional<BrushRange> range) {
  if (stroke_.active) return makeError("seg.edit_no_stroke", "a stroke is already open");
  CVX_TRY(checkSegment(segment));
  std::function<bool(int64_t, int64_t, int64_t)> inRange;
  if (range) {
    const Volume* v = range->source;
    if (!v) return makeError("seg.edit_bad_range", "a value range needs a series");
    if (range->phase < 0 || range->phase >= v->dims()[3])
      return makeError("seg.edit_bad_range", "no phase " + std::to_string(range->phase));
    if (!std::isfinite(range->lo) || !std::isfinite(range->hi) || range->lo > range->hi)
      return makeError("seg.edit_bad_range", "a value range needs finite bounds, low <= high");
    auto test = rangeTest(seg_, *range);
    if (!test) return test.error();
    inRange = std::move(*test);
  }
  openStep();
  stroke_ = StrokeState{};
  stroke_.active = true;
  stroke_.segment = segment;
  stroke_.mode = mode;
  stroke_.range = range;
  stroke_.inRange = std::move(inRange);
  return {};
}

Status SegEditor::dab(const BrushSphere& s) {
  if (!stroke_.active) return makeError("seg.edit_no_stroke", "a dab outside a stroke");
  if (!finitePositive(s.radiusMm) || !isFinite(s.centre))
    return makeError("seg.edit_bad_brush", "a brush radius must be finite and > 0 mm");
  if (stroke_.hasLast) {
    const double r = std::min(s.radiusMm, stroke_.lastRadius);
    const int steps = std::max(1, static_cast<int>(std::ceil(norm(s.centre - stroke_.lastCentre) / (r / 2))));
    for (int k = 1; k < steps; ++k) {
      const double t = static_cast<double>(k) / steps;
      applySphere({stroke_.lastCentre + (s.centre - stroke_.lastCentre) * t,
                   stroke_.lastRadius + (s.radiusMm - stroke_.lastRadius) * t});
    }
  }
  applySphere(s);
  stroke_.hasLast = true;
  stroke_.lastCentre = s.centre;
  stroke_.lastRadius = s.radiusMm;
  return {};
}

Status SegEditor::dab(const BrushDisk& d) {
  if (!stroke_.active) return makeError("seg.edit_no_stroke", "a dab outside a stroke");
  if (!finitePositive(d.radiusMm) || !isFinite(d.centre) || !isFinite(d.normal) ||
      !(norm(d.normal) > 1e-12))
    return makeError("seg.edit_bad_brush", "a disk needs a finite radius > 0 mm and a non-zero normal");
  BrushDisk disk = d;
  disk.normal = normalized(d.normal);
  if (stroke_.hasLast) {
    const double r = std::min(d.radiusMm, stroke_.lastRadius);
    const int steps = std::max(1, static_cast<int>(std::ceil(norm(d.centre - stroke_.lastCentre) / (r / 2))));
    for (int k = 1; k < steps; ++k) {
      const double t = static_cast<double>(k) / steps;
      BrushDisk mid = disk;
      mid.centre = stroke_.lastCentre + (d.centre - stroke_.lastCentre) * t;
      mid.radiusMm = stroke_.lastRadius + (d.radiusMm - stroke_.lastRadius) * t;
      applyDisk(mid);
    }
  }
  applyDisk(disk);
  stroke_.hasLast = true;
  stroke_.lastCentre = d.centre;
  stroke_.lastRadius = d.radiusMm;
  return {};
}

Status SegEditor::endStroke() {
  if (!stroke_.active) return makeError("seg.edit_no_stroke", "endStroke without a stroke");
  stroke_ = StrokeState{};
  return closeStep(false, {});
}

Result<size_t> SegEditor::addSegment(Segment meta, const uint8_t* mask) {
  if (stroke_.active) return makeError("seg.edit_no_stroke", "a stroke is open");
  auto& segs = seg_.segments();
  const LayerSlot slot = seg_.slotFor(mask);  // the model's rule: the first layer it overlaps nothing in
  const size_t layer = slot.layer;
  const uint8_t label = slot.label;
  if (slot.newLayer) {
    auto added = seg_.addLayer();
    if (!added) return added.error();
  }
  std::vector<Segment> before = segs;
  openStep();
  if (mask) {
    uint8_t* p = seg_.layers()[layer]->as<uint8_t>();
    const auto& d = seg_.dims();
    for (int64_t z = 0, i = 0; z < d[2]; ++z)
      for (int64_t y = 0; y < d[1]; ++y)
        for (int64_t x = 0; x < d[0]; ++x, ++i)
          if (mask[i]) touch(static_cast<uint32_t>(layer), x, y, z), p[i] = label;
  }
  meta.layer = static_cast<uint32_t>(layer);
  meta.label = label;
  if (meta.number == 0) {
    uint16_t highest = 0;
    for (const Segment& s : segs) highest = std::max(highest, s.number);
    meta.number = static_cast<uint16_t>(highest + 1);
  }
  segs.push_back(std::move(meta));
  const Status st = closeStep(true, std::move(before));
  (void)st;  // a journal error is kept in journalStatus(); the segment stands
  return segs.size() - 1;
}

Status SegEditor::removeSegment(size_t segment) {
  if (stroke_.active) return makeError("seg.edit_no_stroke", "a stroke is open");
  if (segment >= seg_.segments().size()) return badSegment(segment);
  ++removals_;
  std::vector<Segment> before = seg_.segments();
  const Segment s = before[segment];
  openStep();
  if (s.layer < seg_.layers().size() && s.label != 0) {
    uint8_t* p = seg_.layers()[s.layer]->as<uint8_t>();
    const auto& d = seg_.dims();
    for (int64_t z = 0, i = 0; z < d[2]; ++z)
      for (int64_t y = 0; y < d[1]; ++y)
        for (int64_t x = 0; x < d[0]; ++x, ++i)
          if (p[i] == s.label) touch(s.layer, x, y, z), p[i] = 0;
  }
  seg_.segments().erase(seg_.segments().begin() + static_cast<std::ptrdiff_t>(segment));
  return closeStep(true, std::move(before));
}

Status SegEditor::setSegmentInfo(size_t segment, Segment info) {
  if (stroke_.active) return makeError("seg.edit_no_stroke", "a stroke is open");
  if (segment >= seg_.segments().size()) return badSegment(segment);
  std::vector<Segment> before = seg_.segments();
  info.layer = before[segment].layer;
  info.label = before[segment].label;
  openStep();
  seg_.segments()[segment] = std::move(info);
  return closeStep(true, std::move(before));
}

Status SegEditor::replaceMask(size_t segment, const uint8_t* mask) { return replaceMasks({segment}, mask, false); }

Status SegEditor::replaceMasks(const std::vector<size_t>& segments, const uint8_t* labels, bool byLabel) {
  if (stroke_.active) return makeError("seg.edit_no_stroke", "a stroke is open");
  for (size_t k : segments)
    if (Status ok = checkSegment(k); !ok) return ok;
  const auto& d = seg_.dims();
  openStep();
  for (size_t k = 0; k < segments.size(); ++k) {
    const Segment& s = seg_.segments()[segments[k]];
    uint8_t* v = seg_.layers()[s.layer]->as<uint8_t>();
    const auto want = static_cast<uint8_t>(k + 1);
    for (int64_t z = 0, i = 0; z < d[2]; ++z)
      for (int64_t y = 0; y < d[1]; ++y)
        for (int64_t x = 0; x < d[0]; ++x, ++i) {
          const bool in = labels && (byLabel ? labels[i] == want : labels[i] != 0);
          if (in == (v[i] == s.label)) continue;
          touch(s.layer, x, y, z);
          v[i] = in ? s.label : 0;
        }
  }
  return closeStep(false, {});
}

}  // namespace cvx::view
