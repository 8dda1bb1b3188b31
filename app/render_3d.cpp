// SPDX-License-Identifier: MIT
#include "render_3d.h"

#include <cstdio>
#include <vector>

#include <cvx/io/png.h>
#include <cvx/io/seg.h>
#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/seg_surfaces.h>
#include <cvx/viewstate/slices_3d.h>
#include <cvx/viewstate/tf_presets.h>

namespace cvx::app {

Status writeImage(const std::string& path, const view::RgbaImage& image) {
  std::vector<uint8_t> rgb(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 3);
  for (size_t i = 0; i < image.pixels.size(); ++i)  // 0xAABBGGRR
    for (size_t c = 0; c < 3; ++c) rgb[3 * i + c] = static_cast<uint8_t>((image.pixels[i] >> (8 * c)) & 0xFF);
  return io::writePng(path, image.width, image.height, 3, rgb.data());
}

Status addSegmentation(view::ViewerState& state, const std::string& path, double opacity3d) {
  if (path.empty()) return {};
  std::vector<Diagnostic> warnings;
  auto seg = io::readAnySegmentation(path, *state.layers().front().volume, &warnings);
  for (const Diagnostic& w : warnings) std::fprintf(stderr, "warning %s: %s\n", w.code.c_str(), w.message.c_str());
  if (!seg) return seg.error();
  bool any = false;  // a segmentation that draws nothing is refused, so that a script can tell
  for (size_t k = 0; k < seg->segments().size(); ++k) any = any || seg->voxelCount(k) > 0;
  if (!any) return makeError("render.no_segment", "the segmentation has no voxel on the series' grid", path);
  auto index = state.addSegmentation(std::make_shared<Segmentation>(std::move(*seg)), 0);
  if (!index) return index.error();
  for (size_t k = 0; k < state.segmentations()[static_cast<size_t>(*index)].segments.size(); ++k) {
    view::SegmentDisplay d = state.segmentations()[static_cast<size_t>(*index)].segments[k];
    d.opacity3d = opacity3d;
    state.setSegmentDisplay(*index, static_cast<int>(k), d);
  }
  return {};
}

namespace {
// The punches of r.punches, by the segments of the state's segmentation.
Result<std::vector<view::Punch3D>> segmentPunches(const view::ViewerState& state, const View3dRequest& r) {
  std::vector<view::Punch3D> punches;
  if (r.punches.empty() || state.segmentations().empty()) return punches;
  const Segmentation& sg = *state.segmentations().front().segmentation;
  std::vector<size_t> kept;  // one punch keeps them all; each removed one is a punch of its own
  for (const auto& [name, keep] : r.punches) {
    std::optional<size_t> found;
    for (size_t k = 0; k < sg.segments().size() && !found; ++k)
      if (sg.segments()[k].name == name) found = k;
    for (size_t k = 0; k < sg.segments().size() && !found; ++k)
      if (std::to_string(k + 1) == name) found = k;
    if (!found)
      return makeError("render.bad_segment", "the segmentation has no segment '" + name + "'", r.seg);
    if (keep) {
      kept.push_back(*found);
      continue;
    }
    auto p = view::segmentPunch(sg, *found, false);
    if (!p) return p.error();
    punches.push_back(std::move(*p));
  }
  if (!kept.empty()) {
    auto p = view::segmentPunch(sg, kept, true);
    if (!p) return p.error();
    punches.insert(punches.begin(), std::move(*p));
  }
  return punches;
}
}  // namespace

Status render3d(const View3dRequest& r, std::shared_ptr<const Volume> vol) {
  auto preset = view::loadTransferPreset(r.preset);
  if (!preset) return preset.error();
  view::Camera3DView camera;
  camera.azimuthDeg = r.azimuth;
  camera.elevationDeg = r.elevation;
  camera.zoom = r.zoom;
  camera.perspective = r.perspective;
  view::VolumeRenderer renderer;
  renderer.setClipPlanes(r.clips);
  renderer.setClipSurfaces(r.cutSurfaces);
  if (!r.slices.empty() || !r.seg.empty()) {  // the viewer's state, as a series opens in it
    view::ViewerState state(r.slices.empty() ? std::vector<view::Orientation>{view::Orientation::Axial} : r.slices);
    state.addLayer(vol);
    state.setPhase(r.phase);
    CVX_TRY(state.setClipPlanes3d(r.clips));
    state.setClipSurfaces3d(r.cutSurfaces);
    CVX_TRY(addSegmentation(state, r.seg, r.surfaceOpacity));
    auto punches = segmentPunches(state, r);
    if (!punches) return punches.error();
    renderer.setPunches(std::move(*punches));
    if (r.at) {  // snapped to the nearest voxel centre, as a click in the viewer
      const Vec3 i = vol->geometry.voxelFromWorld().applyPoint(*r.at);
      const auto& d = vol->dims();
      for (int a = 0; a < 3; ++a)
        if (!(i[a] >= -0.5 && i[a] <= static_cast<double>(d[static_cast<size_t>(a)]) - 0.5))
          return makeError("render.out_of_range", "--at lies outside the volume");
      state.setCursor(*r.at);
    }
    if (!r.slices.empty()) {  // those views shown in 3D
      for (int v = 0; v < state.viewCount(); ++v) state.setShownIn3d(v, true);
      auto slices = view::Slices3D().update(state);
      if (!slices) return slices.error();
      renderer.setSlices(std::move(*slices));
    }
    if (!r.seg.empty()) {  // its segments' surfaces (VTK's flying edges, as the viewer's)
      view::SegmentSurfaces surfaces;
      if (!surfaces.available())
        return makeError("render.no_mesh", "this CineVox was built without VTK: no segment surfaces");
      surfaces.buildNow(state);
      if (!surfaces.error().empty()) return makeError("render.no_mesh", surfaces.error());
      renderer.setMeshes(surfaces.meshes(state), surfaces.opacities(state));
    }
  }
  if (r.fused) {
    auto fusedPreset = view::loadTransferPreset(r.fusedPreset.empty()
                                                    ? view::defaultTransferPreset(r.fused->info.modality)
                                                    : r.fusedPreset);
    if (!fusedPreset) return fusedPreset.error();
    if (preset->mip || fusedPreset->mip)  // the renderer would draw the volume alone (view::Fused3D)
      return makeError("render.fusion_off", "fusion is composite only: an MIP preset draws the volume alone");
    // A fused series with as many phases follows the phase, as in the viewer (fusedPhase3d).
    const int fusedPhase = r.fused->dims()[3] == vol->dims()[3] ? r.phase : 0;
    renderer.setFused(view::Fused3D{r.fused, fusedPhase, std::move(*fusedPreset)});
  }
  // Framed as the viewer frames a series: what the preset shows of it (camera_3d.h).
  auto frame = renderer.contentFrame(vol, r.phase, *preset);
  if (!frame) return frame.error();
  camera.frame = *frame;
  view::Quality3D quality;
  quality.jitter = false;  // a still image: the same pixels every run
  auto image = renderer.draw(std::move(vol), r.phase, *preset, camera, r.width, r.height, quality);
  if (!image) return image.error();
  if (r.fused && !renderer.fusedNote().empty()) return makeError("render.fusion_off", renderer.fusedNote());
  return writeImage(r.out, **image);
}

}  // namespace cvx::app
