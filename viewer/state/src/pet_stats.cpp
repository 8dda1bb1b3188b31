// SPDX-License-Identifier: MIT
// A segment's PET uptake (cvx/viewstate/pet_stats.h). Runs on the UI thread when editing pauses, so
// it reads the label layer in place (no mask copy), finds SUVpeak's centres among the PET voxels of
// the segment's bounding box (no list of the segment's voxels), and sums each ball through index
// offsets found once (on an affine grid the ball about every voxel centre holds the same offsets).
#include <cvx/viewstate/pet_stats.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <cvx/core/backend.h>
#include <cvx/core/reslice.h>
#include <cvx/viewstate/mapping.h>
#include <cvx/viewstate/seg_stats.h>

namespace cvx::view {
namespace {

// The voxel (index k) of a grid of `dims` whose centre is nearest patient point p (voxelFromWorld
// of the grid); false when p lies off the grid.
bool nearestVoxel(const Mat4& voxelFromWorld, Vec3 p, const std::array<int64_t, 3>& dims, int64_t k[3]) {
  const Vec3 q = voxelFromWorld.applyPoint(p);
  bool in = true;
  for (int a = 0; a < 3; ++a) {
    k[a] = std::llround(q[a]);
    in = in && k[a] >= 0 && k[a] < dims[a];
  }
  return in;
}

// The PET index offsets of the voxels whose centres lie within the SUVpeak ball about a voxel centre.
std::vector<std::array<int64_t, 3>> ballOffsets(const Geometry& g) {
  const Mat4 vfw = g.voxelFromWorld();
  int64_t ext[3];
  for (int a = 0; a < 3; ++a)
    ext[a] = static_cast<int64_t>(std::floor(kSuvPeakRadiusMm * norm(Vec3{vfw.m[a][0], vfw.m[a][1], vfw.m[a][2]}) + 1e-6));
  const Vec3 o = g.worldAt(0, 0, 0);
  std::vector<std::array<int64_t, 3>> out;
  for (int64_t z = -ext[2]; z <= ext[2]; ++z)
    for (int64_t y = -ext[1]; y <= ext[1]; ++y)
      for (int64_t x = -ext[0]; x <= ext[0]; ++x)
        if (norm(g.worldAt(double(x), double(y), double(z)) - o) <= kSuvPeakRadiusMm) out.push_back({x, y, z});
  return out;
}

// The mean SUV of the PET voxels whose centres lie within the ball about patient point p (a general
// centre: a segment too small to hold a PET voxel centre); n: how many.
double ballMeanAt(const Volume& pet, int64_t phase, double suvFactor, Vec3 p, int64_t& n) {
  const Mat4 vfw = pet.geometry.voxelFromWorld();
  const Vec3 c = vfw.applyPoint(p);
  const auto& d = pet.dims();
  int64_t lo[3], hi[3];
  for (int a = 0; a < 3; ++a) {
    const double ext = kSuvPeakRadiusMm * norm(Vec3{vfw.m[a][0], vfw.m[a][1], vfw.m[a][2]}) + 1e-6;
    lo[a] = std::max<int64_t>(0, static_cast<int64_t>(std::ceil(c[a] - ext)));
    hi[a] = std::min<int64_t>(d[a] - 1, static_cast<int64_t>(std::floor(c[a] + ext)));
  }
  double sum = 0;
  n = 0;
  for (int64_t z = lo[2]; z <= hi[2]; ++z)
    for (int64_t y = lo[1]; y <= hi[1]; ++y)
      for (int64_t x = lo[0]; x <= hi[0]; ++x)
        if (norm(pet.geometry.worldAt(double(x), double(y), double(z)) - p) <= kSuvPeakRadiusMm)
          sum += modalityValue(pet, pet.valueAt(x, y, z, phase)) * suvFactor, ++n;
  return n ? sum / static_cast<double>(n) : 0;
}

}  // namespace

Result<PetStats> petStats(const Segmentation& seg, size_t segment, const Volume& pet, int64_t phase, double suvFactor) {
  if (segment >= seg.segments().size() || seg.segments()[segment].layer >= seg.layers().size())
    return makeError("seg.edit_bad_segment", "no segment " + std::to_string(segment));
  if (phase < 0 || phase >= pet.dims()[3] || !(suvFactor > 0) || !std::isfinite(suvFactor))
    return makeError("seg.stats_grid_mismatch", "the PET has no phase " + std::to_string(phase) + " or no SUV factor");
  const Segment& s = seg.segments()[segment];
  const uint8_t* labels = seg.layers()[s.layer]->as<uint8_t>();
  const bool same = onSameGrid(seg, pet);
  const auto& d = seg.dims();
  const std::array<int64_t, 3> pd{pet.dims()[0], pet.dims()[1], pet.dims()[2]};
  const Mat4 petFromWorld = pet.geometry.voxelFromWorld();
  PetStats out;
  double sum = 0, sum2 = 0, sampledMax = -INFINITY;
  Vec3 sampledMaxAt{};
  int64_t lo[3] = {d[0], d[1], d[2]}, hi[3] = {-1, -1, -1};  // the segment's voxel box
  std::vector<Vec3> few;  // its first centres: a segment holding no PET voxel centre tries them
  const Status typed = withVoxelType(pet.type(), [&](auto* tag) -> Status {
    using T = std::remove_const_t<std::remove_pointer_t<decltype(tag)>>;
    if constexpr (!std::is_arithmetic_v<T>) {
      return makeError("render.bad_request", "a colour PET");
    } else {
      const auto sampler = gridSampler<T>(pet, pet.as<T>() + phase * pet.voxelsPerPhase());
      for (int64_t z = 0, i = 0; z < d[2]; ++z)
        for (int64_t y = 0; y < d[1]; ++y)
          for (int64_t x = 0; x < d[0]; ++x, ++i) {
            if (labels[i] != s.label) continue;
            const int64_t k[3] = {x, y, z};
            for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], k[a]), hi[a] = std::max(hi[a], k[a]);
            double v;
            if (same) {
              v = modalityValue(pet, pet.valueAt(x, y, z, phase));
            } else {
              const Vec3 q = petFromWorld.applyPoint(seg.geometry().worldAt(double(x), double(y), double(z)));
              bool inside = true;
              for (int a = 0; a < 3; ++a) inside = inside && q[a] >= -0.5 && q[a] <= double(pd[a]) - 0.5;
              if (!inside) continue;
              v = sampler.sample(hd::Vec3f{float(q.x), float(q.y), float(q.z)});
            }
            v *= suvFactor;
            sum += v, sum2 += v * v;
            if (v > sampledMax) sampledMax = v, sampledMaxAt = seg.geometry().worldAt(double(x), double(y), double(z));
            if (++out.voxels <= 64) few.push_back(seg.geometry().worldAt(double(x), double(y), double(z)));
          }
      return {};
    }
  });
  if (!typed.ok()) return typed.error();
  if (out.voxels == 0) return out;  // no voxel of the segment in the PET's box
  out.suvMean = sum / static_cast<double>(out.voxels);
  if (out.voxels > 1) {  // the sample SD (n - 1), as the ROI statistics'
    const double n = static_cast<double>(out.voxels);
    out.suvSd = std::sqrt(std::max(0.0, (sum2 - sum * out.suvMean) / (n - 1)));
  }
  out.mtvMl = static_cast<double>(out.voxels) * voxelVolumeMm3(seg.geometry()) / 1000.0;
  out.tlg = out.suvMean * out.mtvMl;

  // The PET voxels whose centres lie in the segment (its voxel nearest each holds it), among those
  // of the PET box that holds the segment's voxel box: SUVmax and SUVpeak's centres.
  int64_t plo[3] = {pd[0], pd[1], pd[2]}, phi[3] = {-1, -1, -1};
  for (int c = 0; c < 8; ++c) {
    const Vec3 q = petFromWorld.applyPoint(seg.geometry().worldAt(double((c & 1) ? hi[0] + 1 : lo[0] - 1),
                                                                   double((c & 2) ? hi[1] + 1 : lo[1] - 1),
                                                                   double((c & 4) ? hi[2] + 1 : lo[2] - 1)));
    for (int a = 0; a < 3; ++a) {
      plo[a] = std::min(plo[a], static_cast<int64_t>(std::floor(q[a])));
      phi[a] = std::max(phi[a], static_cast<int64_t>(std::ceil(q[a])));
    }
  }
  for (int a = 0; a < 3; ++a) plo[a] = std::max<int64_t>(plo[a], 0), phi[a] = std::min(phi[a], pd[a] - 1);
  const Mat4 segFromWorld = seg.geometry().voxelFromWorld();
  const auto offsets = ballOffsets(pet.geometry);
  double voxelMax = -INFINITY;
  bool anyCentre = false;
  for (int64_t z = plo[2]; z <= phi[2]; ++z)
    for (int64_t y = plo[1]; y <= phi[1]; ++y)
      for (int64_t x = plo[0]; x <= phi[0]; ++x) {
        int64_t m[3];
        const Vec3 c = pet.geometry.worldAt(double(x), double(y), double(z));
        if (!nearestVoxel(segFromWorld, c, d, m) || labels[(m[2] * d[1] + m[1]) * d[0] + m[0]] != s.label) continue;
        anyCentre = true;
        if (const double value = modalityValue(pet, pet.valueAt(x, y, z, phase)) * suvFactor; value > voxelMax)
          voxelMax = value, out.maxAt = c;  // the first of equal values, in the PET's order
        double ball = 0;
        int64_t n = 0;
        for (const auto& o : offsets) {
          const int64_t bx = x + o[0], by = y + o[1], bz = z + o[2];
          if (bx < 0 || by < 0 || bz < 0 || bx >= pd[0] || by >= pd[1] || bz >= pd[2]) continue;
          ball += modalityValue(pet, pet.valueAt(bx, by, bz, phase)) * suvFactor, ++n;
        }
        if (n > 0 && ball / static_cast<double>(n) > out.suvPeak) out.suvPeak = ball / static_cast<double>(n), out.peakAt = c;
      }
  if (anyCentre) {
    out.suvMax = voxelMax;
  } else {  // too small to hold a PET voxel centre: its sampled values and its own centres
    out.suvMax = sampledMax;
    out.maxAt = sampledMaxAt;
    for (const Vec3& p : few) {
      int64_t n = 0;
      const double m = ballMeanAt(pet, phase, suvFactor, p, n);
      if (n > 0 && m > out.suvPeak) out.suvPeak = m, out.peakAt = p;
    }
  }
  if (!(out.suvPeak > 0)) out.peakAt = out.maxAt;  // no uptake at all: one place for both
  return out;
}

}  // namespace cvx::view
