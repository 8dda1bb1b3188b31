// SPDX-License-Identifier: MIT
// A segment's PET uptake (cvx/viewstate/pet_stats.h).
#include <cvx/viewstate/pet_stats.h>

#include <algorithm>
#include <cmath>
#include <set>
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

// The mean SUV of the PET voxels whose centres lie within the SUVpeak ball about centre p (patient
// space), and how many there are.
double ballMean(const Volume& pet, int64_t phase, double suvFactor, Vec3 p, int64_t& n) {
  const Mat4 vfw = pet.geometry.voxelFromWorld();
  const Vec3 c = vfw.applyPoint(p);
  const auto& d = pet.dims();
  int64_t lo[3], hi[3];
  for (int a = 0; a < 3; ++a) {
    const Vec3 row{vfw.m[a][0], vfw.m[a][1], vfw.m[a][2]};
    const double ext = kSuvPeakRadiusMm * norm(row) + 1e-6;
    lo[a] = std::max<int64_t>(0, static_cast<int64_t>(std::ceil(c[a] - ext)));
    hi[a] = std::min<int64_t>(d[a] - 1, static_cast<int64_t>(std::floor(c[a] + ext)));
  }
  double sum = 0;
  n = 0;
  for (int64_t z = lo[2]; z <= hi[2]; ++z)
    for (int64_t y = lo[1]; y <= hi[1]; ++y)
      for (int64_t x = lo[0]; x <= hi[0]; ++x) {
        if (norm(pet.geometry.worldAt(double(x), double(y), double(z)) - p) > kSuvPeakRadiusMm) continue;
        sum += modalityValue(pet, pet.valueAt(x, y, z, phase)) * suvFactor;
        ++n;
      }
  return n ? sum / static_cast<double>(n) : 0;
}

}  // namespace

Result<PetStats> petStats(const Segmentation& seg, size_t segment, const Volume& pet, int64_t phase, double suvFactor) {
  if (segment >= seg.segments().size()) return makeError("seg.edit_bad_segment", "no segment " + std::to_string(segment));
  if (phase < 0 || phase >= pet.dims()[3] || !(suvFactor > 0) || !std::isfinite(suvFactor))
    return makeError("seg.stats_grid_mismatch", "the PET has no phase " + std::to_string(phase) + " or no SUV factor");
  const std::vector<uint8_t> mask = seg.mask(segment);
  const bool same = onSameGrid(seg, pet);
  const auto& d = seg.dims();
  const auto& pd = pet.dims();
  const Mat4 petFromWorld = pet.geometry.voxelFromWorld();
  PetStats out;
  out.mtvMl = seg.volumeMl(segment);
  double sum = 0;
  out.suvMax = -INFINITY;
  std::vector<Vec3> centres;
  const Status typed = withVoxelType(pet.type(), [&](auto* tag) -> Status {
    using T = std::remove_const_t<std::remove_pointer_t<decltype(tag)>>;
    if constexpr (!std::is_arithmetic_v<T>) {
      return makeError("render.bad_request", "a colour PET");
    } else {
      const T* data = pet.as<T>() + phase * pet.voxelsPerPhase();
      const auto sampler = gridSampler<T>(pet, data);
      for (int64_t z = 0, i = 0; z < d[2]; ++z)
        for (int64_t y = 0; y < d[1]; ++y)
          for (int64_t x = 0; x < d[0]; ++x, ++i) {
            if (!mask[static_cast<size_t>(i)]) continue;
            const Vec3 p = seg.geometry().worldAt(double(x), double(y), double(z));
            double v;
            if (same) {
              v = modalityValue(pet, pet.valueAt(x, y, z, phase));
            } else {
              const Vec3 q = petFromWorld.applyPoint(p);
              bool inside = true;
              for (int a = 0; a < 3; ++a) inside = inside && q[a] >= -0.5 && q[a] <= double(pd[a]) - 0.5;
              if (!inside) continue;
              v = sampler.sample(hd::Vec3f{float(q.x), float(q.y), float(q.z)});
            }
            v *= suvFactor;
            sum += v;
            out.suvMax = std::max(out.suvMax, v);
            ++out.voxels;
            centres.push_back(p);
          }
      return {};
    }
  });
  if (!typed.ok()) return typed.error();
  if (out.voxels == 0) return PetStats{0, 0, 0, 0, out.mtvMl, 0};
  out.suvMean = sum / static_cast<double>(out.voxels);
  out.tlg = out.suvMean * out.mtvMl;
  // SUVpeak: balls about the PET voxel centres that lie in the segment (the segment's voxel nearest
  // each holds it), so that a segment drawn on a finer grid finds the same balls; a segment too small
  // to hold a PET voxel centre tries its own voxel centres.
  std::set<int64_t> tried;
  std::vector<Vec3> petCentres;
  const Mat4 segFromWorld = seg.geometry().voxelFromWorld();
  for (const Vec3& p : centres) {
    int64_t k[3], m[3];
    if (!nearestVoxel(petFromWorld, p, {pd[0], pd[1], pd[2]}, k) ||
        !tried.insert((k[2] * pd[1] + k[1]) * pd[0] + k[0]).second)
      continue;
    const Vec3 c = pet.geometry.worldAt(double(k[0]), double(k[1]), double(k[2]));
    if (nearestVoxel(segFromWorld, c, d, m) && mask[static_cast<size_t>((m[2] * d[1] + m[1]) * d[0] + m[0])])
      petCentres.push_back(c);
  }
  out.suvPeak = 0;
  for (const Vec3& p : petCentres.empty() ? centres : petCentres) {
    int64_t n = 0;
    const double mean = ballMean(pet, phase, suvFactor, p, n);
    if (n > 0) out.suvPeak = std::max(out.suvPeak, mean);
  }
  return out;
}

}  // namespace cvx::view
