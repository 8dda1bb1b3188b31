// SPDX-License-Identifier: MIT
// Drawing the 3D view without Qt: a volume rendered with a transfer-function preset from an orbit
// camera (azimuth, elevation, zoom) through the one ray caster (core/hd/raycast.h), on the back end
// the registry picks (core/backend.h: CUDA when a usable device is registered, else the CPU;
// CVX_BACKEND=cpu|cuda). The GUI's 3D view and the headless `cinevox render --view 3d` draw through
// this.
#pragma once
#include <cstdint>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/backend.h>
#include <cvx/core/error.h>
#include <cvx/core/mesh.h>
#include <cvx/core/raycast.h>
#include <cvx/core/transfer.h>
#include <cvx/core/transfer2d.h>
#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/phase_bricks.h>
#include <cvx/viewstate/punch_3d.h>
#include <cvx/viewstate/render_view.h>
#include <cvx/viewstate/tf_presets.h>

namespace cvx::render {
struct MeshFragments;
}

namespace cvx::view {

struct Quality3D {
  double stepMm = 0;  // 0: half the smallest voxel spacing
  bool jitter = true;
  bool skipEmpty = true;
};

// A second layer drawn in the same pass as the volume (PET on CT, MR on CT: hd::Fusion): its phase,
// drawn with its own preset (in its own units: editablePreset) and its own gradient, placed by both
// volumes' patient coordinates (one frame of reference). Rays run through the first volume's box
// (and crop); empty space is skipped where neither volume shows anything (the pair's brick map:
// cvx::fusedRanges, hd::BrickMap::fused; shared through PhaseBricks::pair). Composite only: with
// an MIP preset on either side the volume is drawn alone. A gradient-opacity curve of the fused
// preset makes its table 2D (hd::Fusion::tf2), as the volume's own.
struct Fused3D {
  std::shared_ptr<const Volume> volume;
  int phase = 0;
  TransferPreset preset;
};

// An MPR view's slice drawn in the 3D scene (slices_3d.h makes them from the state): its image on
// the pixel frame it was drawn on, and the outline of what is drawn of it (the plane's section of the
// crop box, LPS mm, in order). Opaque and unlit, it stops the rays as a segment surface does
// (render/plane_raster.h).
struct Slice3D {
  int view = -1;
  std::shared_ptr<const RgbaImage> image;
  PixelFrame frame;
  std::vector<Vec3> outline;
  // A slab's faces (its view's slabMm / 2 either side of the plane), outlined as `outline` is: so that
  // the 3D view shows how thick the slab drawn on the centre plane is. Empty for a thin view.
  std::vector<std::vector<Vec3>> slabFaces;
};

// Where each pixel's ray runs in a 3D view of v: the orbit camera, the volume's voxel box cut to the
// crop box, and the clip planes (the first 6; resolved as for setClipPlanes) as hd::ClipPlanes in
// v's voxel index. VolumeRenderer::params starts from it; picking by value (the Lesion tool) reads
// along the same stretch of a ray as the view draws.
hd::RaycastParams rayGeometry3d(const Volume& v, const Camera3DView& camera, int width, int height,
                                const CropBox3D& crop, const std::vector<ClipPlane3D>& clip);

class VolumeRenderer {
 public:
  // Renders phase `phase` of v with the preset (relative presets resolved to v's 1st..99th
  // percentile), composite with the preset's shading or MIP, over black. render.bad_request for a
  // bad size or phase; the preset's tf.* codes.
  // crop: the crop box (state.h), intersected with the volume's box (boxLo/boxHi).
  Result<const RgbaImage*> draw(std::shared_ptr<const Volume> v, int phase, const TransferPreset& preset,
                                const Camera3DView& camera, int width, int height, const Quality3D& q = {},
                                const CropBox3D& crop = {});
  // draw's frame left where the back end drew it (Backend::withDeviceFrame: CUDA's memory), given
  // to `use` (the 3D view writes it into its OpenGL texture, cuda::GlTarget); use's Status.
  // render.no_device_frame when the back end draws into host memory only (the CPU, also after a
  // CUDA fault) or when segment surfaces are drawn (composited on the host): draw() instead.
  // depth() and rgba() are not filled.
  Status drawOnDevice(std::shared_ptr<const Volume> v, int phase, const TransferPreset& preset,
                      const Camera3DView& camera, int width, int height, const Quality3D& q, const CropBox3D& crop,
                      const Backend::DeviceFrameUse& use);
  // Picking: the first visible point (LPS mm) under pixel (x, y) of a width x height image (the
  // view's pixels at full resolution): that one ray cast with hd::shadePixel and the parameters of
  // a full-resolution draw without jitter, at its depth (composite: where the opacity reaches 0.5;
  // MIP: the maximum). Nothing when the ray hits nothing, or for a bad request or pixel.
  std::optional<Vec3> pick(std::shared_ptr<const Volume> v, int phase, const TransferPreset& preset,
                           const Camera3DView& camera, int width, int height, int x, int y,
                           const CropBox3D& crop = {});
  // What the preset shows of phase `phase` of v inside the crop box, framed (camera_3d.h): the bricks
  // its table leaves visible, or the fused layer's (setFused) shows in (cvx::visibleVoxels of the
  // phase's map or the pair's, got, built here if no other renderer has), or the whole box for an
  // MIP preset (every voxel shows) or when nothing is visible. The preset's tf.* errors;
  // render.bad_request for a bad phase.
  Result<Frame3D> contentFrame(std::shared_ptr<const Volume> v, int phase, const TransferPreset& preset,
                               const CropBox3D& crop = {});
  // Surfaces drawn with the volume (segments in 3D: seg_surfaces.h), kept until set again: the rays
  // stop at them and the volume is composited over them (render/mesh_raster.h); picking finds them
  // too (a translucent one as well). opacity: per mesh (1, opaque, where not given); below 1 a mesh is
  // translucent, and the volume is rendered once more per layer of translucent surface in front of a
  // pixel's opaque one (at most render::kMaxFragments), so that it is composited between them exactly.
  void setMeshes(std::vector<std::shared_ptr<const Mesh>> meshes, std::vector<float> opacity = {}) {
    meshes_ = std::move(meshes);
    meshOpacity_ = std::move(opacity);
  }
  // The slices drawn with the volume (slices_3d.h), kept until set again; like the meshes, the rays
  // stop at them, picking finds them, and drawOnDevice declines.
  void setSlices(std::vector<Slice3D> slices) { slices_ = std::move(slices); }
  // Whether the clip planes cut the meshes and slices too, and the crop box the meshes (the slices end
  // at it always): ViewerState::clipSurfaces3d, off by default; cut meshes are capped (mesh_raster.h).
  void setClipSurfaces(bool on) { clipSurfaces_ = on; }
  // Clip planes (state.h, ClipPlane3D: half-spaces where they are now, ViewerState::cutPlanes3d;
  // only point, normal and flip are read: a slab or a plane that follows a view must be resolved
  // there first) for the next draws and picks, kept until set again; the first 6 count. They cut
  // the rays (hd::ClipPlane, in the volume's voxel index) and so a fused layer with them, and the
  // meshes and slices after setClipSurfaces(true); contentFrame does not see them (a plane that
  // follows a scrolling MPR view does not move the camera).
  void setClipPlanes(std::vector<ClipPlane3D> planes) { clip_ = std::move(planes); }
  // Punches (punch_3d.h: ViewerState::punches3d) for the next draws and picks, kept until set again:
  // the volume and a fused layer are drawn from copies of their phases with the voxels the punches
  // remove at the phase's lowest value (PunchedPhases), framed and coloured as the series itself
  // (the camera's frame, a relative preset's percentiles). contentFrame does not see them: a punch
  // does not move the camera. The 3D view's two renderers share one PunchedPhases (sharePunched),
  // so that each punched phase is made once.
  void setPunches(std::vector<Punch3D> punches) { punches_ = std::move(punches); }
  void sharePunched(std::shared_ptr<PunchedPhases> punched) { punched_ = std::move(punched); }
  // The layer fused into the next draws (kept until set again; nullopt: none). When it cannot be
  // drawn (its preset's tf.* error, a phase out of range, a voxel type the ray caster does not
  // read), the volume is drawn alone and fusedNote() says why (empty when the fused layer is drawn
  // or there is none).
  void setFused(std::optional<Fused3D> fused) { fused_ = std::move(fused); }
  const std::string& fusedNote() const { return fusedNote_; }
  // The voxels of the volume being drawn changed in place (progressive loading, editing): the next
  // draw rebuilds the brick ranges and skip map, and a back end holding a copy copies it again.
  void voxelsChanged() { ++revision_; }
  // The same with the caller's count of the voxels' changes (> 0), for renderers that share a back
  // end: the back end keys its copy of the voxels by this number (RaycastJob::revision), so two
  // renderers told the same changes must give the same number, or each frame of one would drop the
  // other's copy and copy the volume again. A number other than the last is a change.
  void setVoxelsRevision(uint64_t revision) { revision_ = revision; }
  uint64_t voxelsRevision() const { return revision_; }
  // The back end that drew the last image ("cpu", "cuda"; empty before the first draw), and why it
  // is not the one first chosen (a CUDA fault: the CPU from then on; empty when nothing happened).
  std::string backendName() const { return backend_ ? backend_->name() : std::string(); }
  const std::string& backendNote() const { return backendNote_; }
  // The back end draws on a device (its frames can stay there: drawOnDevice).
  bool onDevice() const { return backend_ && backend_->capabilities().gpu; }
  // The registry's choice (core/backend.h; the CPU is always registered): what a renderer draws
  // with unless it is given one. backend.none when nothing is usable.
  static Result<std::shared_ptr<Backend>> chooseBackend();
  // Draws with this back end from now on. The 3D view's two renderers share one, so that a GPU
  // holds the phase once (back ends are safe to call from several threads); tests give their own.
  void useBackend(std::shared_ptr<Backend> backend) { backend_ = std::move(backend); }
  // The phases' brick maps kept and built (a 4D series in a loop builds each phase's once).
  const PhaseBricks& phaseBricks() const { return *bricks_; }
  // Draws with these phases' maps from now on: the 3D view's two renderers share one, so that a
  // phase's map is built once for both (PhaseBricks is safe to use from several threads).
  void shareBricks(std::shared_ptr<PhaseBricks> bricks) {
    bricks_ = std::move(bricks);
    phaseBricks_.reset();
    volume_.reset();
  }
  // When the phase drawn changes (the slider, cine), the phases' maps are built ahead in the
  // background from that phase on (PhaseBricks::prefetch), and the back end copies the next phase
  // (Backend::prefetch: onto the device, on CUDA), so that the first pass of a loop waits on neither. Off by default (a single picture needs no other phase); the 3D view turns it on.
  void prefetchPhases(bool on) { prefetch_ = on; }
  // Off: this renderer never builds a brick map nor a punched phase (render.punch_pending until another
  // renderer has made it), so that its thread never waits on one (the 3D view's
  // preview, on the UI thread: a map costs ~190 ms on the 134-slice CT, about 1 s on 512^3, on a new
  // series, a phase first shown, and every opacity edit of a transfer-function drag). Until the
  // map of the phase for its table is there (built by a renderer sharing its PhaseBricks, or the
  // prefetch), it draws without skipping empty space: the same picture, slower. The same for a
  // fused layer's pair map (PhaseBricks::pair, ~12-17 ms on pet_ct/). On by default.
  void buildMaps(bool on) { buildMaps_ = on; }
  // The last draw skipped empty space (its phase's map was there): tests.
  bool skippedEmpty() const { return skipped_; }
  // Builds the phases' maps of the last volume drawn (a 4D one), for its table, in the background now
  // (a view at rest: its idle time goes to the next loop). Nothing for a 3D volume or before a draw.
  void prefetchMaps();
  // The last image's premultiplied RGBA floats and depth (mm along each ray; +inf where empty).
  const std::vector<float>& rgba() const { return rgba_; }
  const std::vector<float>& depth() const { return depth_; }

 private:
  // unitsOf: the series a relative preset's percentiles are taken from (v when null; a punched copy's
  // series).
  Status prepare(const std::shared_ptr<const Volume>& v, int phase, const TransferPreset& preset,
                 const Volume* unitsOf = nullptr);
  // What a draw or pick of phase `phase` of v with `camera` reads under the punches (render_3d_punch.cpp):
  // the punched copy, its phase and the camera framing it as v; v, phase and camera themselves without
  // punches. source: v. Without `wait`, render.punch_pending when the copy is not made yet (a renderer
  // that never builds maps never waits for a copy either: the preview on the UI thread).
  struct Drawn {
    std::shared_ptr<const Volume> volume;
    int phase = 0;
    Camera3DView camera;
    std::shared_ptr<const Volume> source;
  };
  Result<Drawn> punched(const std::shared_ptr<const Volume>& v, int phase, const Camera3DView& camera,
                        bool wait);
  // The fused layer's phase under the punches; none (fusedNote_ says why) when it cannot be punched.
  Result<std::optional<Fused3D>> punchedFused(bool wait);
  // The fused layer's table for its preset (kept while the layer and preset stay the same).
  Status prepareFused(const Fused3D& f,
                      const Volume* unitsOf = nullptr);  // render.bad_request for a phase it does not have
  std::vector<const Mesh*> meshList() const;  // the non-empty meshes
  // Their opacities, in meshList's order; none (all drawn opaque) under an MIP preset.
  std::vector<float> meshOpacities(bool mip) const;
  // With translucent fragments in the last frameJob's scene: the volume rendered up to each layer of
  // them (job's parameters, another depthIn) and composited between them into rgba_ and depth_.
  Status drawFragmentPasses(const RaycastJob& job);
  bool hasScene() const;  // meshes or slices to draw before the rays
  hd::RaycastParams params(const TransferPreset& preset, const Camera3DView& camera, int width, int height,
                           const Quality3D& q, const CropBox3D& crop) const;
  // run on the back end (chosen on first use); a cuda.* error marks CUDA unusable in the
  // registry, logs, and runs it again on the CPU.
  Status onBackend(const std::function<Status(Backend&)>& run);
  // A draw's checks, tables, meshes and slices (with scene: into meshRgba_, meshDepth_) and job, into
  // rgba_ and depth_.
  Result<RaycastJob> frameJob(const std::shared_ptr<const Volume>& v, int phase, const TransferPreset& preset,
                              const Camera3DView& camera, int width, int height, const Quality3D& q,
                              const CropBox3D& crop, bool scene);
  // The table and brick map are kept while the volume, phase, revision and preset stay the same.
  std::shared_ptr<const Volume> volume_;
  int phase_ = -1;
  int phaseStep_ = 1;  // the way the phase last moved (prefetchMaps asks the back end for the next)
  uint64_t revision_ = 1, preparedRevision_ = 0;
  std::shared_ptr<Backend> backend_;
  std::string backendNote_;
  TransferPreset preset_;  // the one table_ (and the phases' skip maps) were built for
  TransferTable table_;      // the rays' 1D table (a 2D table's envelope)
  TransferTable2D table2_;   // empty unless the preset has a gradient-opacity curve
  std::shared_ptr<PhaseBricks> bricks_ = std::make_shared<PhaseBricks>();  // the phases' maps (phase_bricks.h)
  PhaseBricks::Ref phaseBricks_;  // phase_'s, for table_
  bool prefetch_ = false;
  bool buildMaps_ = true;
  bool skipped_ = false;
  std::vector<float> rgba_, depth_;
  std::vector<std::shared_ptr<const Mesh>> meshes_;
  std::vector<ClipPlane3D> clip_;
  std::vector<Slice3D> slices_;
  bool clipSurfaces_ = false;
  std::optional<Fused3D> fused_;
  std::vector<Punch3D> punches_;
  std::shared_ptr<PunchedPhases> punched_ = std::make_shared<PunchedPhases>();
  std::string fusedNote_;
  std::shared_ptr<const Volume> fusedVolume_;  // the one fusedTable_ was built for, with fusedPreset_
  TransferPreset fusedPreset_;
  TransferTable fusedTable_;  // with a gradient-opacity curve, fusedTable2_'s envelope
  TransferTable2D fusedTable2_;
  PhaseBricks::PairRef pair_;  // the last fused draw's pair map (bricks_->pair), or null
  std::vector<float> meshRgba_, meshDepth_;
  std::vector<float> meshOpacity_;
  std::shared_ptr<render::MeshFragments> fragments_;  // the scene's translucent fragments (null: none yet)
  std::vector<std::vector<float>> passRgba_;          // the volume up to each layer of them
  std::vector<float> passDepth_, passOut_;
  std::vector<uint8_t> passCount_;  // each pixel's fragments in front of the opaque scene
  RgbaImage image_;
};

}  // namespace cvx::view
