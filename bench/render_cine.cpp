// SPDX-License-Identifier: MIT
#include "render_cine.h"

#include <chrono>
#include <memory>
#include <vector>

#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/tf_presets.h>

namespace cvx::bench {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

CineResult runCine(const Volume& ct, const RenderSetup& s, int phases) {
  CineResult r;
  auto cine = cineSeriesOf(ct, phases);
  if (!cine) return r.error = cine.error().str(), r;
  std::shared_ptr<const Volume> v = *cine;
  auto preset = view::loadTransferPreset("ct-bone");
  if (!preset) return r.error = preset.error().str(), r;
  const int w = s.width / 2, h = s.height / 2;
  view::VolumeRenderer kept;
  auto frame = [&](view::VolumeRenderer& renderer, int t) -> double {
    const auto t0 = Clock::now();
    auto im = renderer.draw(v, t, *preset, view::Camera3DView{}, w, h);
    if (!im) r.error = im.error().str();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  std::vector<double> first, loop, rebuilt;
  for (int t = 0; t < phases && r.error.empty(); ++t) first.push_back(frame(kept, t));
  for (int t = 0; t < phases && r.error.empty(); ++t) {
    loop.push_back(frame(kept, t));
    view::VolumeRenderer fresh;  // the peer: every phase change rebuilds the maps
    rebuilt.push_back(frame(fresh, t));
  }
  // A view at rest on phase 0 builds the other phases' maps in the background (what the 3D view
  // does once its full-resolution picture is up), then plays its first pass.
  auto bricks = std::make_shared<view::PhaseBricks>();
  view::VolumeRenderer rested;
  rested.shareBricks(bricks);
  std::vector<double> restedFirst;
  if (r.error.empty()) {
    frame(rested, 0);
    const auto t0 = Clock::now();
    rested.prefetchMaps();
    bricks->waitForPrefetch();
    r.aheadMs = 1e3 * std::chrono::duration<double>(Clock::now() - t0).count();
    for (int t = 1; t < phases && r.error.empty(); ++t) restedFirst.push_back(frame(rested, t));
  }
  // The 3D view's first picture of a series, on the UI thread: a preview renderer that builds the
  // phase's maps first (before 2026-12-05), against one that never builds them and draws without
  // skipping until the worker has (view::VolumeRenderer::buildMaps(false)). Each on a copy of the
  // phase, so that no map is kept from before; both in turn, several times.
  std::vector<double> building, looking;
  for (int i = 0; i < 3 && r.error.empty(); ++i) {
    auto copy = cineSeriesOf(ct, 1);
    if (!copy) return r.error = copy.error().str(), r;
    const std::shared_ptr<const Volume> one = *copy;
    view::VolumeRenderer builds, looks;
    looks.buildMaps(false);
    auto timed = [&](view::VolumeRenderer& renderer) {
      const auto t0 = Clock::now();
      auto im = renderer.draw(one, 0, *preset, view::Camera3DView{}, w, h);
      if (!im) r.error = im.error().str();
      return std::chrono::duration<double>(Clock::now() - t0).count();
    };
    building.push_back(timed(builds));
    looking.push_back(timed(looks));
  }
  r.previewBuilding = timingOf(building);
  r.previewLooking = timingOf(looking);
  r.first = timingOf(first);
  r.loop = timingOf(loop);
  r.rebuilt = timingOf(rebuilt);
  r.restedFirst = timingOf(restedFirst);
  return r;
}

}  // namespace cvx::bench
