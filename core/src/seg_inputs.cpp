// SPDX-License-Identifier: MIT
#include <cvx/core/seg_inputs.h>

#include <cmath>
#include <string>

namespace cvx::seginputs {

namespace {
Error badParameter(const std::string& m) { return makeError("seg.bad_parameter", m); }
}  // namespace

bool scalarType(PixelType t) {
  return t == PixelType::UInt8 || t == PixelType::Int16 || t == PixelType::UInt16 || t == PixelType::Float32;
}

Status intensity(const Volume& v, int64_t t) {
  if (!scalarType(v.type()))
    return makeError("seg.bad_pixel_type", std::string("segmentation needs a scalar volume, not ") + toString(v.type()));
  if (t < 0 || t >= v.dims()[3])
    return makeError("seg.bad_phase", "phase " + std::to_string(t) + " outside 0.." + std::to_string(v.dims()[3] - 1));
  return {};
}

Status mask(const Volume& v) {
  if (v.type() != PixelType::UInt8)
    return makeError("seg.bad_pixel_type", std::string("a mask must be UInt8, not ") + toString(v.type()));
  return {};
}

Status bounds(double lo, double hi) {
  if (std::isnan(lo) || std::isnan(hi)) return makeError("seg.bad_range", "a threshold bound is not a number");
  return {};
}

Status connectivity(int c) {
  if (c != 6 && c != 26)
    return makeError("seg.bad_connectivity", "connectivity must be 6 or 26, not " + std::to_string(c));
  return {};
}

Status growCut(const Volume& vol, const Volume& seeds, const hd::GrowCutOptions& o) {
  CVX_TRY(intensity(vol, o.t));
  CVX_TRY(connectivity(o.connectivity));
  if (seeds.type() != PixelType::UInt8)
    return makeError("seg.bad_seed", std::string("a seed map must be UInt8, not ") + toString(seeds.type()));
  for (int i = 0; i < 3; ++i)
    if (seeds.dims()[i] != vol.dims()[i]) return makeError("seg.bad_seed", "the seed map's dims differ from the volume's");
  if (!(o.marginMm >= 0) || !std::isfinite(o.marginMm))
    return badParameter("the GrowCut margin must be a finite number of mm >= 0");
  if (o.maxIterations < 1) return badParameter("GrowCut needs maxIterations >= 1");
  if (!(o.range >= 0) || !std::isfinite(o.range))
    return badParameter("the GrowCut range must be finite and >= 0 (0: automatic)");
  return {};
}

Status levelSetParams(const hd::LevelSetParams& p) {
  bool range = false;
  if (const char* e = hd::levelSetParamsError(p, &range))
    return makeError(range ? "seg.bad_range" : "seg.bad_parameter", std::string("level set: ") + e);
  return {};
}

Status levelSet(const Volume& vol, const Volume& initial, const hd::LevelSetParams& p, int64_t t) {
  CVX_TRY(intensity(vol, t));
  CVX_TRY(mask(initial));
  for (int a = 0; a < 3; ++a)
    if (initial.dims()[a] != vol.dims()[a])
      return makeError("seg.size_mismatch", "the initial region's grid differs from the volume's");
  if (vol.dims()[0] > (1 << 30) || vol.dims()[1] > (1 << 30) || vol.dims()[2] > (1 << 30))
    return badParameter("the level set takes grids below 2^30 voxels per axis");
  const Vec3 sp = vol.geometry.spacingMm;
  if (!(sp.x > 0) || !(sp.y > 0) || !(sp.z > 0)) return badParameter("the level set needs a positive spacing");
  return levelSetParams(p);
}

Result<std::shared_ptr<Volume>> makeMask(const Volume& like) {
  auto r = Volume::create(PixelType::UInt8, {like.dims()[0], like.dims()[1], like.dims()[2], 1},
                          VoxelInit::Uninitialized);
  if (!r.ok()) return r.error();
  (*r)->geometry = like.geometry;
  return r;
}

}  // namespace cvx::seginputs
