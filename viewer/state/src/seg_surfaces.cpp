// SPDX-License-Identifier: MIT
#include <cvx/viewstate/seg_surfaces.h>

#include <chrono>
#include <set>

#if CVX_HAVE_MESH
#include <cvx/mesh/surface.h>
#endif

namespace cvx::view {

SegmentSurfaces::Maker SegmentSurfaces::defaultMaker() {
#if CVX_HAVE_MESH
  return [](const std::vector<uint8_t>& mask, std::array<int64_t, 3> dims, const Geometry& g, Progress* cancel) {
    mesh::SurfaceOptions o;
    o.maxTriangles = kDisplayTriangles;
    return mesh::segmentSurface(mask.data(), dims, g, o, cancel);
  };
#else
  return {};
#endif
}

SegmentSurfaces::SegmentSurfaces(Maker maker) : maker_(std::move(maker)) {}

SegmentSurfaces::~SegmentSurfaces() {
  if (cancel_) cancel_->cancel();
  if (job_.valid()) job_.wait();
}

bool SegmentSurfaces::update(const ViewerState& s) {
  if (!maker_ || job_.valid()) return false;
  // Forget the surfaces of segmentations that are gone.
  std::set<const Segmentation*> present;
  for (const SegmentationLayer& l : s.segmentations()) present.insert(l.segmentation.get());
  std::erase_if(cache_, [&](const auto& e) { return !present.count(e.first.seg); });

  // A snapshot of each label layer a task reads (1 byte a voxel), shared by that layer's segments: the
  // worker makes one segment's mask at a time from it, so that a label map of a hundred organs holds
  // its layer and one mask, not a hundred masks.
  using Bytes = std::shared_ptr<const std::vector<uint8_t>>;
  struct Task {
    Key key;
    uint64_t revision;
    Bytes layer;
    uint8_t label;
    std::array<int64_t, 3> dims;
    Geometry geometry;
    std::array<uint8_t, 3> rgb;
    std::string name;
  };
  std::vector<Task> tasks;
  for (const SegmentationLayer& l : s.segmentations()) {
    if (!l.visible || !l.segmentation) continue;
    const Segmentation& seg = *l.segmentation;
    std::map<uint32_t, Bytes> copies;
    for (size_t i = 0; i < seg.segments().size() && i < l.segments.size(); ++i) {
      if (!l.segments[i].visible) continue;
      const Key key{&seg, i};
      const auto it = cache_.find(key);
      if (it != cache_.end() && it->second.revision == l.revision) continue;
      const Segment& g = seg.segments()[i];
      if (g.layer >= seg.layers().size() || !seg.layers()[g.layer]) continue;
      Bytes& copy = copies[g.layer];
      if (!copy) {
        const uint8_t* v = seg.layers()[g.layer]->as<uint8_t>();
        copy = std::make_shared<const std::vector<uint8_t>>(v, v + seg.voxelsPerLayer());
      }
      tasks.push_back({key, l.revision, copy, g.label, seg.dims(), seg.geometry(), g.rgb, g.name});
    }
  }
  if (tasks.empty()) return false;
  cancel_ = std::make_shared<Progress>();
  job_ = std::async(std::launch::async, [maker = maker_, tasks = std::move(tasks), cancel = cancel_]() mutable {
    Built b;
    std::vector<uint8_t> mask;
    for (Task& t : tasks) {
      if (cancel->cancelled()) break;  // the owner is going: what is left is not built
      Entry e{t.revision, nullptr};
      mask.resize(t.layer->size());
      for (size_t i = 0; i < mask.size(); ++i) mask[i] = (*t.layer)[i] == t.label;
      t.layer.reset();  // the layer's snapshot goes with its last segment
      auto m = maker(mask, t.dims, t.geometry, cancel.get());
      if (m) {
        m->rgb = t.rgb;
        m->name = t.name;
        if (!m->empty()) e.mesh = std::make_shared<const Mesh>(std::move(*m));
      } else if (b.error.empty()) {
        b.error = t.name + ": " + m.error().str();
      }
      b.entries.emplace_back(t.key, std::move(e));
    }
    return b;
  });
  return true;
}

bool SegmentSurfaces::collect() {
  if (!job_.valid() || job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
  Built b = job_.get();
  for (auto& [key, entry] : b.entries) cache_[key] = std::move(entry);
  error_ = std::move(b.error);
  return true;
}

template <class F>
void SegmentSurfaces::forEachShown(const ViewerState& s, Skip skip, F f) const {
  for (size_t k = 0; k < s.segmentations().size(); ++k) {
    const SegmentationLayer& l = s.segmentations()[k];
    if (!l.visible || !l.segmentation) continue;
    for (size_t i = 0; i < l.segments.size(); ++i) {
      if (!l.segments[i].visible || Skip(static_cast<int>(k), static_cast<int>(i)) == skip) continue;
      const auto it = cache_.find(Key{l.segmentation.get(), i});
      if (it != cache_.end() && it->second.mesh) f(it->second.mesh, l.segments[i]);
    }
  }
}

std::vector<std::shared_ptr<const Mesh>> SegmentSurfaces::meshes(const ViewerState& s, Skip skip) const {
  std::vector<std::shared_ptr<const Mesh>> out;
  forEachShown(s, skip, [&](const std::shared_ptr<const Mesh>& m, const SegmentDisplay&) { out.push_back(m); });
  return out;
}

std::vector<float> SegmentSurfaces::opacities(const ViewerState& s, Skip skip) const {
  std::vector<float> out;
  forEachShown(s, skip, [&](const std::shared_ptr<const Mesh>&, const SegmentDisplay& d) {
    out.push_back(static_cast<float>(d.opacity3d));
  });
  return out;
}

void SegmentSurfaces::buildNow(const ViewerState& s) {
  if (job_.valid()) job_.wait();
  collect();
  if (update(s)) {
    job_.wait();
    collect();
  }
}

}  // namespace cvx::view
