// SPDX-License-Identifier: MIT
// SegEditor::combine and place (seg_edit.h): logical operators between segments, and a segment's
// voxels replaced, other segments untouched.
#include <cvx/viewstate/seg_edit.h>

#include <deque>
#include <vector>

#include <cvx/core/hd/segment.h>

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

Status SegEditor::island(size_t segment, std::array<int64_t, 3> seed, bool keep, int connectivity) {
  if (stroke_.active) return makeError("seg.edit_no_stroke", "a stroke is open");
  CVX_TRY(checkSegment(segment));
  const int neighbours = hd::neighbourCount(connectivity);
  if (neighbours == 0) return makeError("seg.bad_connectivity", "connectivity must be 6 or 26");
  const auto& d = seg_.dims();
  const auto index = [&](int64_t x, int64_t y, int64_t z) {
    return static_cast<size_t>((z * d[1] + y) * d[0] + x);
  };
  for (size_t a = 0; a < 3; ++a)
    if (seed[a] < 0 || seed[a] >= d[a])
      return makeError("seg.edit_no_island", "the point lies outside the grid");
  std::vector<uint8_t> mask = seg_.mask(segment);
  if (!mask[index(seed[0], seed[1], seed[2])])
    return makeError("seg.edit_no_island",
                     "the point is not in the segment '" + seg_.segments()[segment].name + "'");
  // Breadth first from the seed: 2 marks the piece; the queue holds its front only.
  std::deque<std::array<int64_t, 3>> front{seed};
  mask[index(seed[0], seed[1], seed[2])] = 2;
  while (!front.empty()) {
    const auto [x, y, z] = front.front();
    front.pop_front();
    for (int n = 0; n < neighbours; ++n) {
      const hd::Offset3i o = hd::neighbourOffset(connectivity, n);
      const int64_t nx = x + o.dx, ny = y + o.dy, nz = z + o.dz;
      if (nx < 0 || ny < 0 || nz < 0 || nx >= d[0] || ny >= d[1] || nz >= d[2]) continue;
      uint8_t& m = mask[index(nx, ny, nz)];
      if (m != 1) continue;
      m = 2;
      front.push_back({nx, ny, nz});
    }
  }
  for (uint8_t& m : mask) m = keep ? m == 2 : m == 1;
  return place(segment, mask.data());
}

}  // namespace cvx::view
