// SPDX-License-Identifier: MIT
// SegEditor::combine and place (seg_edit.h): logical operators between segments, and a segment's
// voxels replaced, other segments untouched.
#include <cvx/viewstate/seg_edit.h>

#include <vector>

namespace cvx::view {

Status SegEditor::combine(size_t target, SegLogic op, size_t other) {
  if (stroke_.active) return makeError("seg.edit_no_stroke", "a stroke is open");
  CVX_TRY(checkSegment(target));
  if (op != SegLogic::Invert) CVX_TRY(checkSegment(other));
  std::vector<uint8_t> want = seg_.mask(target);
  const std::vector<uint8_t> b = op == SegLogic::Invert ? std::vector<uint8_t>() : seg_.mask(other);
  for (size_t i = 0; i < want.size(); ++i) {
    switch (op) {
      case SegLogic::Add: want[i] = want[i] | b[i]; break;
      case SegLogic::Intersect: want[i] = want[i] & b[i]; break;
      case SegLogic::Subtract: want[i] = want[i] & !b[i]; break;
      case SegLogic::Invert: want[i] = !want[i]; break;
      case SegLogic::Copy: want[i] = b[i]; break;
    }
  }
  return place(target, want.data());
}

Status SegEditor::place(size_t target, const uint8_t* mask) {
  if (stroke_.active) return makeError("seg.edit_no_stroke", "a stroke is open");
  CVX_TRY(checkSegment(target));
  const std::vector<uint8_t> none(mask ? 0 : static_cast<size_t>(seg_.voxelsPerLayer()), 0);
  const uint8_t* want = mask ? mask : none.data();
  const size_t count = static_cast<size_t>(seg_.voxelsPerLayer());
  auto& segs = seg_.segments();
  const Segment was = segs[target];
  const uint8_t* own = seg_.layers()[was.layer]->as<uint8_t>();
  // Its own layer serves while the result meets no other segment's voxel there.
  bool moves = false;
  for (size_t i = 0; i < count && !moves; ++i) moves = want[i] && own[i] != 0 && own[i] != was.label;
  LayerSlot slot{was.layer, was.label, false};
  if (moves) {
    slot = seg_.slotFor(want);  // not its own layer: the result meets another segment there
    if (slot.newLayer) {
      auto added = seg_.addLayer();
      if (!added) return added.error();
    }
  }
  std::vector<Segment> before = segs;
  openStep();
  const auto& d = seg_.dims();
  uint8_t* from = seg_.layers()[was.layer]->as<uint8_t>();
  uint8_t* to = seg_.layers()[slot.layer]->as<uint8_t>();
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) {
        const size_t k = static_cast<size_t>(i);
        if (from[k] == was.label && (moves || !want[k])) touch(was.layer, x, y, z), from[k] = 0;
        if (want[k] && to[k] != slot.label) touch(static_cast<uint32_t>(slot.layer), x, y, z), to[k] = slot.label;
      }
  segs[target].layer = static_cast<uint32_t>(slot.layer);
  segs[target].label = slot.label;
  return closeStep(moves, std::move(before));
}

}  // namespace cvx::view
