// SPDX-License-Identifier: MIT
// ViewerState's segmentations (state.h).
#include <cvx/viewstate/state.h>
#include <cvx/viewstate/seg_stats.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>
#include <utility>

namespace cvx::view {
namespace {

// The displays of s's segments: each one's own from `kept` (by Segment::number, else by position
// when numbers are unknown), the default for a new one.
std::vector<SegmentDisplay> displaysFor(const Segmentation& s, const std::vector<SegmentDisplay>& kept) {
  std::vector<SegmentDisplay> out;
  const auto& segs = s.segments();
  for (size_t j = 0; j < segs.size(); ++j) {
    SegmentDisplay d;
    bool found = false;
    for (const SegmentDisplay& o : kept)
      if (segs[j].number != 0 && o.number == segs[j].number) {
        d = o, found = true;
        break;
      }
    if (!found && j < kept.size() && kept[j].number == 0) d = kept[j];
    d.number = segs[j].number;
    out.push_back(d);
  }
  return out;
}

// Revisions unique across segmentations and viewer states.
uint64_t nextRevision() {
  static std::atomic<uint64_t> counter{0};
  return ++counter;
}

}  // namespace

Result<int> ViewerState::addSegmentation(std::shared_ptr<Segmentation> s, int layer, std::string name) {
  if (!s) return makeError("seg.bad_geometry", "no segmentation");
  if (layer < 0 || layer >= static_cast<int>(layers_.size()) || !layers_[static_cast<size_t>(layer)].volume)
    return makeError("seg.bad_geometry", "no image layer " + std::to_string(layer) + " to draw the segmentation on");
  if (!onSameGrid(*s, *layers_[static_cast<size_t>(layer)].volume))
    return makeError("seg.bad_geometry", "the segmentation's grid is not its image layer's");
  SegmentationLayer l;
  l.segmentation = std::move(s);
  l.layer = layer;
  l.segments = displaysFor(*l.segmentation, {});
  l.name = std::move(name);
  l.revision = nextRevision();
  segs_.push_back(std::move(l));
  const int index = static_cast<int>(segs_.size()) - 1;
  if (activeSeg_.first < 0 && !segs_.back().segments.empty()) activeSeg_ = {index, 0};
  notify(kSegmentation);
  return index;
}

void ViewerState::removeSegmentation(int index) {
  if (index < 0 || index >= static_cast<int>(segs_.size())) return;
  segs_.erase(segs_.begin() + index);
  if (activeSeg_.first == index) activeSeg_ = {-1, -1};
  else if (activeSeg_.first > index) --activeSeg_.first;
  notify(kSegmentation);
}

void ViewerState::dropSegmentationsOf(int layer) {
  bool changed = false;
  for (int i = static_cast<int>(segs_.size()) - 1; i >= 0; --i) {
    SegmentationLayer& s = segs_[static_cast<size_t>(i)];
    if (s.layer == layer) {
      segs_.erase(segs_.begin() + i);
      if (activeSeg_.first == i) activeSeg_ = {-1, -1};
      else if (activeSeg_.first > i) --activeSeg_.first;
      changed = true;
    } else if (s.layer > layer) {
      --s.layer;
    }
  }
  if (changed) notify(kSegmentation);
}

void ViewerState::setSegmentDisplay(int index, int segment, const SegmentDisplay& d) {
  if (index < 0 || index >= static_cast<int>(segs_.size())) return;
  auto& list = segs_[static_cast<size_t>(index)].segments;
  if (segment < 0 || segment >= static_cast<int>(list.size())) return;
  SegmentDisplay c = d;
  c.number = list[static_cast<size_t>(segment)].number;  // the state's, whatever the caller's copy says
  c.opacity = std::isfinite(c.opacity) ? std::clamp(c.opacity, 0.0, 1.0) : 0.5;
  c.opacity3d = std::isfinite(c.opacity3d) ? std::clamp(c.opacity3d, 0.0, 1.0) : 1.0;
  list[static_cast<size_t>(segment)] = c;
  notify(kSegmentation);
}

void ViewerState::setSegmentationOutline(int index, bool outline) {
  if (index < 0 || index >= static_cast<int>(segs_.size())) return;
  segs_[static_cast<size_t>(index)].outline = outline;
  notify(kSegmentation);
}

void ViewerState::setSegmentationVisible(int index, bool visible) {
  if (index < 0 || index >= static_cast<int>(segs_.size())) return;
  segs_[static_cast<size_t>(index)].visible = visible;
  notify(kSegmentation);
}

void ViewerState::segmentationEdited(int index) {
  if (index < 0 || index >= static_cast<int>(segs_.size())) return;
  SegmentationLayer& s = segs_[static_cast<size_t>(index)];
  s.segments = displaysFor(*s.segmentation, s.segments);
  s.revision = nextRevision();
  if (activeSeg_.first == index && activeSeg_.second >= static_cast<int>(s.segments.size()))
    activeSeg_ = s.segments.empty() ? std::pair{-1, -1} : std::pair{index, static_cast<int>(s.segments.size()) - 1};
  notify(kSegmentation);
}

void ViewerState::setThresholdPreview(const ThresholdPreview& t) {
  threshold_ = t;
  if (threshold_.lo > threshold_.hi) std::swap(threshold_.lo, threshold_.hi);
  threshold_.opacity = std::isfinite(t.opacity) ? std::clamp(t.opacity, 0.0, 1.0) : 0.5;
  notify(kSegmentation | kView3d);
}

void ViewerState::setActiveSegment(int index, int segment) {
  if (index < 0 || index >= static_cast<int>(segs_.size()) || segment < 0 ||
      segment >= static_cast<int>(segs_[static_cast<size_t>(index)].segments.size()))
    activeSeg_ = {-1, -1};
  else
    activeSeg_ = {index, segment};
  notify(kSegmentation);
}

}  // namespace cvx::view
