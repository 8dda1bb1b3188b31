// SPDX-License-Identifier: MIT
// Segment surfaces for the 3D view: one mesh per visible segment of the viewer state's
// segmentations, built off the UI thread and kept while the segmentation's revision stays. The 3D
// view draws them as surfaces into the depth the ray caster respects (render/mesh_raster.h), so a
// surface sits correctly inside a translucent volume; a translucent one at its segment's opacity3d.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/mesh.h>
#include <cvx/core/progress.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

class SegmentSurfaces {
 public:
  // Makes the surface of a mask snapshot (dims x, y, z bytes, non-zero inside) on grid g; stops
  // early (any result: it is dropped) once `cancel` is cancelled, which the destructor does.
  using Maker = std::function<Result<Mesh>(const std::vector<uint8_t>& mask, std::array<int64_t, 3> dims,
                                           const Geometry& g, Progress* cancel)>;
  // cvx::mesh::segmentSurface (flying edges, smoothing, decimation; capped at kDisplayTriangles per
  // segment) where the build has VTK; null where it has not (then no surface is drawn).
  static Maker defaultMaker();
  static constexpr int64_t kDisplayTriangles = 400000;

  explicit SegmentSurfaces(Maker maker = defaultMaker());
  // Cancels a build in flight and waits for it to stop: closing the window mid-build of a large
  // segment returns in moments, not after the build's seconds (the VTK filters abort).
  ~SegmentSurfaces();
  SegmentSurfaces(const SegmentSurfaces&) = delete;
  SegmentSurfaces& operator=(const SegmentSurfaces&) = delete;

  bool available() const { return static_cast<bool>(maker_); }

  // Starts building, on a worker thread, the surfaces of visible segments that have none yet or
  // whose segmentation's revision changed. The masks are copied here, on the caller's (the
  // editor's) thread, so the worker never reads a segmentation being edited. One build at a time:
  // a change made while one runs is picked up by the next update(). True when a build started.
  bool update(const ViewerState& s);
  // Takes a finished build; true when the meshes changed (the view redraws).
  bool collect();
  bool building() const { return job_.valid(); }
  // The built meshes of the state's visible segments, in segmentation and segment order, but for
  // segment skip.second of segmentation skip.first (the one a 3D brush paints: it paints onto what
  // lies under its own surface).
  using Skip = std::pair<int, int>;
  std::vector<std::shared_ptr<const Mesh>> meshes(const ViewerState& s, Skip skip = {-1, -1}) const;
  // Their segments' surface opacities (SegmentDisplay::opacity3d), in the same order.
  std::vector<float> opacities(const ViewerState& s, Skip skip = {-1, -1}) const;
  // The last build's first error ("" when none): the view shows it.
  const std::string& error() const { return error_; }
  // update(), then wait for the build and collect() it (the headless renderer).
  void buildNow(const ViewerState& s);

 private:
  struct Key {
    const Segmentation* seg;
    size_t segment;
    bool operator<(const Key& o) const { return seg != o.seg ? seg < o.seg : segment < o.segment; }
  };
  struct Entry {
    uint64_t revision = 0;
    std::shared_ptr<const Mesh> mesh;  // null: empty segment or failed
  };
  // f(mesh, display) for each built mesh of a visible segment, in segmentation and segment order.
  template <class F>
  void forEachShown(const ViewerState& s, Skip skip, F f) const;
  struct Built {
    std::vector<std::pair<Key, Entry>> entries;
    std::string error;
  };
  Maker maker_;
  std::map<Key, Entry> cache_;
  std::future<Built> job_;
  std::shared_ptr<Progress> cancel_;  // the build in flight's
  std::string error_;
};

}  // namespace cvx::view
