// SPDX-License-Identifier: MIT
#include <cvx/viewstate/render_3d.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include <cvx/core/hd/window.h>
#include <cvx/core/log.h>
#include <cvx/core/reslice.h>
#include <cvx/render/backend.h>
#include <cvx/render/mesh_raster.h>
#include <cvx/render/plane_raster.h>
#include <cvx/render/raycast.h>
#include <cvx/viewstate/crop_3d.h>
#include <cvx/viewstate/mapping.h>
#include <cvx/viewstate/tf_edit.h>

namespace cvx::view {
namespace {

// Pixel (x, y) of p through the scalar sampler of v's pixel type (the AVX2 one gives the same bits).
hd::PixelResult shadeOne(const Volume& v, int phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf,
                         int x, int y) {
  auto with = [&](auto zero) {
    using T = decltype(zero);
    return hd::shadePixel(p, tf, gridSampler(v, reinterpret_cast<const T*>(v.slice(0, phase))), x, y);
  };
  switch (v.type()) {
    case PixelType::UInt8: return with(uint8_t{});
    case PixelType::Int16: return with(int16_t{});
    case PixelType::UInt16: return with(uint16_t{});
    case PixelType::Float32: return with(float{});
    default: return {};
  }
}

// The table depends on the points, their unit distance and whether they are relative (an edited
// preset keeps its name).
bool samePoints(const TransferPreset& a, const TransferPreset& b) {
  if (a.relative != b.relative || a.units != b.units || a.unitDistanceMm != b.unitDistanceMm || a.points.size() != b.points.size())
    return false;
  for (size_t i = 0; i < a.points.size(); ++i) {
    const TfPoint &x = a.points[i], &y = b.points[i];
    if (x.value != y.value || x.r != y.r || x.g != y.g || x.b != y.b || x.alpha != y.alpha) return false;
  }
  if (a.gradientOpacity.size() != b.gradientOpacity.size()) return false;
  for (size_t i = 0; i < a.gradientOpacity.size(); ++i)
    if (a.gradientOpacity[i].magnitude != b.gradientOpacity[i].magnitude ||
        a.gradientOpacity[i].factor != b.gradientOpacity[i].factor)
      return false;
  return true;
}

}  // namespace

namespace {

// The cuts of the meshes and slices: the clip planes where they are now and the crop box's faces
// inside the volume, as LPS half-spaces.
std::vector<render::CutPlane> sceneCuts(const std::vector<ClipPlane3D>& clip, bool on, const Volume& v,
                                        const CropBox3D& crop) {
  std::vector<render::CutPlane> cuts;
  if (!on) return cuts;
  for (const ClipPlane3D& c : clip) {
    if (cuts.size() == 6) break;  // as the rays (hd::RaycastParams::clip)
    cuts.push_back({c.point, c.keptNormal()});
  }
  for (const ClipPlane3D& c : cropCuts(v, crop)) cuts.push_back({c.point, c.keptNormal()});
  return cuts;
}

// The slices as image planes: their outlines in their images' pixel coordinates.
std::vector<render::ImagePlane> imagePlanes(const std::vector<Slice3D>& slices) {
  std::vector<render::ImagePlane> planes;
  for (const Slice3D& s : slices) {
    const PixelFrame& f = s.frame;
    if (!s.image || s.image->width != f.width || s.image->height != f.height || s.image->pixels.empty()) continue;
    render::ImagePlane p{f.origin, f.du, f.dv, f.width, f.height, s.image->pixels.data(), {}};
    for (const Vec3& c : s.outline) {
      const auto at = f.pixelOf(c);
      p.outline.push_back({at[0], at[1]});
    }
    planes.push_back(std::move(p));
  }
  return planes;
}

}  // namespace

Result<std::shared_ptr<Backend>> VolumeRenderer::chooseBackend() {
  render::registerBackend();  // the CPU is always there; CUDA when the app registered it
  auto chosen = BackendRegistry::global().selectFromEnvironment();
  if (!chosen) return chosen.error();
  return std::shared_ptr<Backend>(std::move(*chosen));
}

Status VolumeRenderer::onBackend(const std::function<Status(Backend&)>& run) {
  if (!backend_) {
    auto chosen = chooseBackend();
    if (!chosen) return chosen.error();
    backend_ = std::move(*chosen);
  }
  const Status st = run(*backend_);
  if (st.ok() || st.error().code.rfind("cuda.", 0) != 0) return st;
  // A CUDA fault may poison the context: the CPU from now on, and the user is told why.
  backendNote_ = "3D rendering moved to the CPU: " + st.error().str();
  log::warn(backendNote_);
  BackendRegistry::global().markUnusable(backend_->name(), st.error().str());
  backend_ = std::make_shared<render::CpuBackend>();
  return run(*backend_);
}

namespace {
// A preset's tables in absolute units: with a gradient-opacity curve a 2D table, the rays' 1D
// table then being its envelope (hd/transfer2d.h); else the 1D table and no 2D one.
Status buildTables(const TransferPreset& absolute, TransferTable& table, TransferTable2D& table2) {
  table2 = {};
  if (!absolute.gradientOpacity.empty() && !absolute.mip) {
    auto t2 = buildGradientTable(absolute.points, absolute.unitDistanceMm, absolute.gradientOpacity);
    if (!t2) return t2.error();
    table = t2->envelope();
    table2 = std::move(*t2);
    return {};
  }
  auto t = buildTransferTable(absolute.points, absolute.unitDistanceMm);
  if (!t) return t.error();
  table = std::move(*t);
  return {};
}
// The way a loop runs: +1 or -1 when the phase moved by one (across the ends too), else as before.
int loopStep(int from, int to, int n, int before) {
  if (to == (from + 1) % n) return 1;
  if (to == (from - 1 + n) % n) return -1;
  return before;
}
}  // namespace

Status VolumeRenderer::prepare(const std::shared_ptr<const Volume>& v, int phase,
                               const TransferPreset& preset, const Volume* unitsOf) {
  const bool sameVoxels = v == volume_ && revision_ == preparedRevision_;
  if (!sameVoxels) {
    // Voxels changed in place: every phase's maps (another volume's are its own, kept by serial).
    // (Once per revision for the renderers sharing the maps: the 3D view's preview and worker.)
    if (preparedRevision_ != 0 && revision_ != preparedRevision_) bricks_->clearFor(revision_);
    phaseBricks_.reset();
    volume_.reset();  // until the table is built
  }
  if (!sameVoxels || !samePoints(preset, preset_)) {  // the table is the volume's, not a phase's
    auto resolved = editablePreset(preset, unitsOf ? *unitsOf : *v);  // in v's modality units
    if (!resolved) return resolved.error();
    CVX_TRY(buildTables(*resolved, table_, table2_));
    preset_ = preset;
  }
  phaseBricks_ = buildMaps_ ? bricks_->get(v, phase, table_) : bricks_->find(v, phase, table_);
  const bool moved = v == volume_ && phase != phase_;  // the phase moved (not a first picture)
  if (moved) phaseStep_ = loopStep(phase_, phase, static_cast<int>(v->dims()[3]), phaseStep_);
  volume_ = v;
  phase_ = phase;
  preparedRevision_ = revision_;
  if (prefetch_ && moved) prefetchMaps();  // the other phases are next
  return {};
}

void VolumeRenderer::prefetchMaps() {
  if (!volume_ || volume_->dims()[3] <= 1) return;
  if (!table_.empty()) bricks_->prefetch(volume_, phase_, table_);
  // The next phase the way the loop runs (a cine playing backwards or bouncing: the last step's
  // way) onto the device while this one draws (Backend::prefetch; nothing on the CPU).
  const int n = static_cast<int>(volume_->dims()[3]);
  if (backend_) backend_->prefetch(volume_, (phase_ + phaseStep_ + n) % n, revision_);
}

Status VolumeRenderer::prepareFused(const Fused3D& f, const Volume* unitsOf) {
  if (f.phase < 0 || f.phase >= f.volume->dims()[3])
    return makeError("render.bad_request", "the fused layer has no phase " + std::to_string(f.phase));
  if (f.volume == fusedVolume_ && samePoints(f.preset, fusedPreset_) && !fusedTable_.empty()) return {};
  fusedVolume_.reset();
  auto resolved = editablePreset(f.preset, unitsOf ? *unitsOf : *f.volume);  // in its own units
  if (!resolved) return resolved.error();
  CVX_TRY(buildTables(*resolved, fusedTable_, fusedTable2_));
  fusedPreset_ = f.preset;
  fusedVolume_ = f.volume;
  return {};
}

hd::RaycastParams VolumeRenderer::params(const TransferPreset& preset, const Camera3DView& camera, int width,
                                         int height, const Quality3D& q, const CropBox3D& crop) const {
  const Volume& v = *volume_;
  hd::RaycastParams p = rayGeometry3d(v, camera, width, height, crop, clip_);
  const Vec3 s = v.geometry.spacingMm;
  p.stepMm = static_cast<float>(q.stepMm > 0 ? q.stepMm : 0.5 * std::min({s.x, s.y, s.z}));
  p.mode = preset.mip ? hd::RenderMode::Mip : hd::RenderMode::Composite;
  p.shading.on = !preset.mip;
  p.shading.ambient = static_cast<float>(preset.shading.ambient);
  p.shading.diffuse = static_cast<float>(preset.shading.diffuse);
  p.shading.specular = static_cast<float>(preset.shading.specular);
  p.shading.power = static_cast<float>(preset.shading.power);
  p.jitter = q.jitter;
  if (q.skipEmpty && phaseBricks_) {
    p.bricks = brickMapView(*phaseBricks_->ranges, phaseBricks_->skip);  // MIP passes bricks by their ranges
    p.bricks.stamp = phaseBricks_->stamp;
  }
  if (!preset.mip) p.tf2 = table2_.view();  // no nodes: 1D
  return p;
}

Result<Frame3D> VolumeRenderer::contentFrame(std::shared_ptr<const Volume> v, int phase, const TransferPreset& preset,
                                             const CropBox3D& crop) {
  if (!v || phase < 0 || phase >= v->dims()[3]) return makeError("render.bad_request", "no volume or no such phase");
  CVX_TRY(prepare(v, phase, preset));
  std::array<Vec3, 2> faces = cropVoxelBox(*v, crop);
  const PhaseBricks::Ref entry = preset.mip ? nullptr : (phaseBricks_ ? phaseBricks_ : bricks_->get(v, phase, table_));
  const std::vector<uint8_t>* skip = entry ? &entry->skip : nullptr;
  // A fused layer shows where it is visible too: the pair's map (a layer that cannot be fused adds
  // nothing, as it draws nothing).
  PhaseBricks::PairRef pair;
  if (entry && fused_ && fused_->volume && !fused_->preset.mip && prepareFused(*fused_).ok()) {
    const hd::Fusion f = fusionParams(v->geometry, fused_->volume->geometry, fused_->volume->dims(), fusedTable_.view());
    pair = bricks_->pair(entry, table_, fused_->volume, fused_->phase, f, fusedTable_, true);
    if (pair) skip = &pair->skip;
  }
  const auto& d = v->dims();
  if (const auto seen = skip ? visibleVoxels(*entry->ranges, *skip, {d[0], d[1], d[2]}) : std::nullopt) {
    std::array<Vec3, 2> shown = faces;
    bool any = true;
    for (int a = 0; a < 3; ++a) {
      shown[0][a] = std::max(faces[0][a], static_cast<double>(seen->lo[static_cast<size_t>(a)]) - 0.5);
      shown[1][a] = std::min(faces[1][a], static_cast<double>(seen->hi[static_cast<size_t>(a)]) + 0.5);
      any = any && shown[0][a] < shown[1][a];
    }
    if (any) faces = shown;  // else nothing shows inside the crop box: the box itself
  }
  Frame3D frame = frameOfBox(*v, faces);
  frame.fused = fused_ && fused_->volume ? fused_->volume->serial() : 0;  // framed with it, drawn or not
  return frame;
}

Result<RaycastJob> VolumeRenderer::frameJob(const std::shared_ptr<const Volume>& source, int sourcePhase,
                                            const TransferPreset& preset, const Camera3DView& sourceCamera,
                                            int width, int height, const Quality3D& q, const CropBox3D& crop,
                                            bool scene) {
  if (!source || width <= 0 || height <= 0 || width > 16384 || height > 16384 || sourcePhase < 0 ||
      sourcePhase >= source->dims()[3])
    return makeError("render.bad_request", "no volume, a phase out of range or a size outside 1..16384");
  auto drawn = punched(source, sourcePhase, sourceCamera, buildMaps_);
  if (!drawn) return drawn.error();
  const std::shared_ptr<const Volume>& v = drawn->volume;
  const int phase = drawn->phase;
  const Camera3DView& camera = drawn->camera;
  CVX_TRY(prepare(v, phase, preset, source.get()));
  hd::RaycastParams p = params(preset, camera, width, height, q, crop);
  const size_t n = static_cast<size_t>(width) * static_cast<size_t>(height);
  rgba_.resize(4 * n);
  depth_.resize(n);
  if (scene) {  // the opaque surfaces and slices, into the depth the rays stop at
    meshRgba_.resize(4 * n);
    meshDepth_.resize(n);
    const Camera3D cam = orbitCamera(*v, camera, width, height);
    const std::vector<render::CutPlane> cuts = sceneCuts(clip_, clipSurfaces_, *v, crop);
    if (!fragments_) fragments_ = std::make_shared<render::MeshFragments>();
    CVX_TRY(render::rasterizeMeshes(meshList(), cam, width, height, meshRgba_.data(), meshDepth_.data(), {}, nullptr,
                                    cuts, meshOpacities(preset.mip), fragments_.get()));
    CVX_TRY(render::rasterizeImagePlanes(imagePlanes(slices_), cam, width, height, meshRgba_.data(),
                                         meshDepth_.data(), cuts));
    p.depthIn = meshDepth_.data();
  }
  RaycastJob job;
  job.volume = v.get(), job.phase = phase, job.revision = revision_;
  fusedNote_.clear();
  std::optional<Fused3D> layer;
  if (fused_ && fused_->volume && !preset.mip && !fused_->preset.mip) {
    auto punchedLayer = punchedFused(buildMaps_);
    if (!punchedLayer) return punchedLayer.error();
    layer = std::move(*punchedLayer);
  }
  if (layer) {
    const Fused3D& f = *layer;
    Status st = prepareFused(f, fused_->volume.get());
    hd::RaycastParams fp = p;
    if (st.ok()) {
      fp.fusion = fusionParams(v->geometry, f.volume->geometry, f.volume->dims(), fusedTable_.view());
      fp.fusion.tf2 = fusedTable2_.view();  // no nodes: 1D
      st = checkFusionRequest(*f.volume, f.phase, fp, width, height, rgba_.data());
      // The pair's map: kept, or built here unless this renderer must not (then no skipping).
      pair_ = st.ok() && q.skipEmpty && phaseBricks_
                  ? bricks_->pair(phaseBricks_, table_, f.volume, f.phase, fp.fusion, fusedTable_, buildMaps_)
                  : nullptr;
      fp.bricks = {};  // the volume's own map knows nothing of the layer
      if (pair_) {
        fp.bricks = brickMapView(*phaseBricks_->ranges, pair_->skip);
        fp.bricks.fused = true;
        fp.bricks.stamp = pair_->stamp;
      }
    }
    if (st.ok()) {
      p = fp;
      job.second = f.volume.get(), job.phase2 = f.phase;
    } else {
      fusedNote_ = "3D fusion off: " + st.error().str();
    }
  }
  skipped_ = p.bricks.skip != nullptr;
  job.params = p, job.tf = table_.view();
  job.width = width, job.height = height, job.rgba = rgba_.data(), job.depth = depth_.data();
  return job;
}

Result<const RgbaImage*> VolumeRenderer::draw(std::shared_ptr<const Volume> v, int phase, const TransferPreset& preset,
                                              const Camera3DView& camera, int width, int height, const Quality3D& q,
                                              const CropBox3D& crop) {
  const bool scene = hasScene();
  auto job = frameJob(v, phase, preset, camera, width, height, q, crop, scene);
  if (!job) return job.error();
  CVX_TRY(onBackend([&](Backend& b) { return b.raycast(*job); }));
  const size_t n = static_cast<size_t>(width) * static_cast<size_t>(height);
  if (scene && fragments_ && fragments_->layers > 0)
    CVX_TRY(drawFragmentPasses(*job));
  else if (scene)
    render::compositeOverMeshes(rgba_.data(), depth_.data(), meshRgba_.data(), meshDepth_.data(), n);
  // Premultiplied colour over black is the colour itself.
  image_.width = width;
  image_.height = height;
  image_.pixels.resize(n);
  for (size_t i = 0; i < n; ++i)
    image_.pixels[i] = hd::displayPixel(&rgba_[4 * i]);
  return &image_;
}

Status VolumeRenderer::drawOnDevice(std::shared_ptr<const Volume> v, int phase, const TransferPreset& preset,
                                    const Camera3DView& camera, int width, int height, const Quality3D& q,
                                    const CropBox3D& crop, const Backend::DeviceFrameUse& use) {
  if (hasScene())
    return makeError("render.no_device_frame", "segment surfaces and slices are composited with the volume on the host");
  auto job = frameJob(v, phase, preset, camera, width, height, q, crop, false);
  if (!job) return job.error();
  // After a CUDA fault the CPU draws: its render.no_device_frame sends the caller to draw().
  return onBackend([&](Backend& b) { return b.withDeviceFrame(*job, use); });
}

std::optional<Vec3> VolumeRenderer::pick(std::shared_ptr<const Volume> source, int sourcePhase,
                                         const TransferPreset& preset, const Camera3DView& sourceCamera,
                                         int width, int height, int x, int y, const CropBox3D& crop) {
  if (!source || width <= 0 || height <= 0 || x < 0 || y < 0 || x >= width || y >= height ||
      sourcePhase < 0 || sourcePhase >= source->dims()[3])
    return std::nullopt;
  auto drawn = punched(source, sourcePhase, sourceCamera, true);  // the rays see what the view draws
  if (!drawn || !prepare(drawn->volume, drawn->phase, preset, source.get())) return std::nullopt;
  const std::shared_ptr<const Volume>& v = drawn->volume;
  const int phase = drawn->phase;
  const Camera3DView& camera = drawn->camera;
  Quality3D q;
  q.jitter = false;
  hd::RaycastParams p = params(preset, camera, width, height, q, crop);
  const hd::TransferFunction1D tf = table_.view();
  // A surface or slice in front stops the ray (the ray caster reads its depth at (x, y) only).
  std::vector<float> stop;
  float surface = std::numeric_limits<float>::infinity();
  if (hasScene()) {
    const Camera3D cam = orbitCamera(*v, camera, width, height);
    const std::vector<render::CutPlane> cuts = sceneCuts(clip_, clipSurfaces_, *v, crop);
    surface = std::min(render::meshDepthAt(meshList(), cam, width, height, x, y, cuts, meshOpacities(preset.mip)),
                       render::imagePlaneDepthAt(imagePlanes(slices_), cam, width, height, x, y, cuts));
    stop.assign(static_cast<size_t>(width) * static_cast<size_t>(height), surface);
    p.depthIn = stop.data();
  }
  const float hit = shadeOne(*v, phase, p, tf, x, y).depth;
  const float depth = hit < std::numeric_limits<float>::infinity() ? hit : surface;
  if (!(depth < std::numeric_limits<float>::infinity())) return std::nullopt;
  hd::Vec3f o, d;
  hd::pixelRay(p.cam, x, y, o, d);
  const hd::Vec3f at = o + d * depth;  // voxel index
  return v->geometry.worldFromVoxel().applyPoint({at.x, at.y, at.z});
}

}  // namespace cvx::view
