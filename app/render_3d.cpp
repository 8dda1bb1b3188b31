// SPDX-License-Identifier: MIT
#include "render_3d.h"

#include <vector>

#include <cvx/io/png.h>
#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/slices_3d.h>
#include <cvx/viewstate/tf_presets.h>

namespace cvx::app {

Status writeImage(const std::string& path, const view::RgbaImage& image) {
  std::vector<uint8_t> rgb(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 3);
  for (size_t i = 0; i < image.pixels.size(); ++i)  // 0xAABBGGRR
    for (size_t c = 0; c < 3; ++c) rgb[3 * i + c] = static_cast<uint8_t>((image.pixels[i] >> (8 * c)) & 0xFF);
  return io::writePng(path, image.width, image.height, 3, rgb.data());
}

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
  if (!r.slices.empty()) {  // the viewer's state, as a series opens in it, with those views shown in 3D
    view::ViewerState state(r.slices);
    state.addLayer(vol);
    state.setPhase(r.phase);
    if (r.at) {  // snapped to the nearest voxel centre, as a click in the viewer
      const Vec3 i = vol->geometry.voxelFromWorld().applyPoint(*r.at);
      const auto& d = vol->dims();
      for (int a = 0; a < 3; ++a)
        if (!(i[a] >= -0.5 && i[a] <= static_cast<double>(d[static_cast<size_t>(a)]) - 0.5))
          return makeError("render.out_of_range", "--at lies outside the volume");
      state.setCursor(*r.at);
    }
    for (int v = 0; v < state.viewCount(); ++v) state.setShownIn3d(v, true);
    CVX_TRY(state.setClipPlanes3d(r.clips));
    auto slices = view::Slices3D().update(state);
    if (!slices) return slices.error();
    renderer.setSlices(std::move(*slices));
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
