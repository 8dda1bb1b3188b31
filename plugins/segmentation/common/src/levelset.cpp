// SPDX-License-Identifier: MIT
// The threshold level set on the CPU: hd::runLevelSet's passes over z slices of a box on the
// thread pool. Every pass is synchronous (reads one buffer, writes another), and the sums are
// integers, so the result does not depend on the number of threads.
#include <cvx/seg/levelset.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common.h"

namespace cvx::seg {
using namespace detail;

namespace {

using FloatVector = std::vector<float, DefaultInitAllocator<float>>;

template <class T>
struct CpuOps {
  const T* image;
  const uint8_t* mask;
  const hd::LevelSetConstants& c;
  Progress* progress;
  FloatVector phi, work, ref;
  int64_t n;

  CpuOps(const T* img, const uint8_t* m, const hd::LevelSetConstants& k, Progress* p)
      : image(img), mask(m), c(k), progress(p), n(static_cast<int64_t>(k.nx) * k.ny * k.nz) {
    phi.resize(static_cast<size_t>(n));
    work.resize(static_cast<size_t>(n));
    ref.resize(static_cast<size_t>(n));
  }
  int64_t index(int x, int y, int z) const { return (static_cast<int64_t>(z) * c.ny + y) * c.nx + x; }

  // fn(z) for every slice of the box, in parallel. The passes are not interrupted by a cancel
  // (a pass is short; the loop checks between iterations), so no progress object here.
  template <class Fn>
  void slices(const hd::BandBox& b, Fn&& fn) {
    if (hd::bandBoxEmpty(b)) return;
    Status s =
        forBlocks(b.z1 - b.z0 + 1, nullptr, [&](int w, int64_t i) { fn(w, b.z0 + static_cast<int>(i)); });
    (void)s;
  }

  hd::BandBox initPhi() {
    const int workers = workerCount(c.nz);
    std::vector<hd::BandBox> boxes(static_cast<size_t>(workers));
    const hd::BandBox all{0, 0, 0, c.nx - 1, c.ny - 1, c.nz - 1};
    slices(all, [&](int w, int z) {
      hd::BandBox& b = boxes[static_cast<size_t>(w)];
      for (int y = 0; y < c.ny; ++y) {
        const int64_t i0 = index(0, y, z);
        for (int x = 0; x < c.nx; ++x) {
          const bool in = mask[i0 + x] != 0;
          phi[static_cast<size_t>(i0 + x)] = in ? -c.band : c.band;
          if (in) include(b, x, y, z);
        }
      }
    });
    return merge(boxes);
  }

  static void include(hd::BandBox& b, int x, int y, int z) {
    if (hd::bandBoxEmpty(b)) {
      b = {x, y, z, x, y, z};
      return;
    }
    b.x0 = std::min(b.x0, x), b.y0 = std::min(b.y0, y), b.z0 = std::min(b.z0, z);
    b.x1 = std::max(b.x1, x), b.y1 = std::max(b.y1, y), b.z1 = std::max(b.z1, z);
  }
  static hd::BandBox merge(const std::vector<hd::BandBox>& boxes) {
    hd::BandBox out;
    for (const auto& b : boxes) {
      if (hd::bandBoxEmpty(b)) continue;
      include(out, b.x0, b.y0, b.z0);
      include(out, b.x1, b.y1, b.z1);
    }
    return out;
  }

  void reinit(const hd::BandBox& r, int sweeps) {
    pass(r, phi.data(), work.data(),
         [&](const float* src, int x, int y, int z) { return hd::reinitStart(src, c, r, x, y, z); });
    float* a = work.data();
    float* b = phi.data();
    for (int s = 0; s < sweeps; ++s) {
      pass(r, a, b,
           [&](const float* src, int x, int y, int z) { return hd::reinitSweep(src, c, r, x, y, z); });
      std::swap(a, b);
    }
  }
  // dst = fn(src, x, y, z) over the box.
  template <class Fn>
  void pass(const hd::BandBox& r, const float* src, float* dst, Fn&& fn) {
    slices(r, [&](int, int z) {
      for (int y = r.y0; y <= r.y1; ++y)
        for (int x = r.x0; x <= r.x1; ++x) dst[index(x, y, z)] = fn(src, x, y, z);
    });
  }

  hd::LevelSetStats measure(const hd::BandBox& r, bool first) {
    const int workers = workerCount(r.z1 - r.z0 + 1);
    std::vector<hd::LevelSetStats> part(static_cast<size_t>(workers));
    slices(r, [&](int w, int z) {
      hd::LevelSetStats& s = part[static_cast<size_t>(w)];
      for (int y = r.y0; y <= r.y1; ++y)
        for (int x = r.x0; x <= r.x1; ++x) {
          const int64_t i = index(x, y, z);
          if (!(std::fabs(phi[i]) < c.band)) continue;
          s.sum += hd::rmsQuantum(phi[i], ref[i]);
          ++s.count;
          include(s.band, x, y, z);
        }
    });
    hd::LevelSetStats out;
    std::vector<hd::BandBox> boxes;
    for (const auto& s : part) {
      out.sum += s.sum;
      out.count += s.count;
      boxes.push_back(s.band);
    }
    out.band = merge(boxes);
    const hd::BandBox all{0, 0, 0, c.nx - 1, c.ny - 1, c.nz - 1};
    const hd::BandBox& copy = first ? all : r;
    slices(copy, [&](int, int z) {
      for (int y = copy.y0; y <= copy.y1; ++y) {
        const int64_t i = index(copy.x0, y, z);
        std::memcpy(&ref[i], &phi[i], sizeof(float) * static_cast<size_t>(copy.x1 - copy.x0 + 1));
      }
    });
    return out;
  }

  void evolve(const hd::BandBox& e) {
    slices(e, [&](int, int z) {
      for (int y = e.y0; y <= e.y1; ++y)
        for (int x = e.x0; x <= e.x1; ++x) {
          const int64_t i = index(x, y, z);
          float d = 0.0f;
          if (std::fabs(phi[i]) < c.band)
            d = hd::levelSetDelta(phi.data(), c, e, x, y, z,
                                  hd::levelSetSpeed(static_cast<double>(image[i]), c));
          work[i] = d;
        }
    });
    slices(e, [&](int, int z) {
      for (int y = e.y0; y <= e.y1; ++y)
        for (int x = e.x0; x <= e.x1; ++x) {
          const int64_t i = index(x, y, z);
          if (std::fabs(phi[i]) < c.band) phi[i] = hd::levelSetApply(phi[i], work[i], c);
        }
    });
  }

  bool cancelled() const { return detail::cancelled(progress); }
  void step() { addProgress(progress); }
};

}  // namespace

Status checkLevelSetParams(const LevelSetParams& p) { return seginputs::levelSetParams(p); }

Result<LevelSetResult> thresholdLevelSet(const Volume& vol, const Volume& initial, const LevelSetParams& p,
                                         int64_t t, Progress* progress) try {
  if (auto s = seginputs::levelSet(vol, initial, p, t); !s.ok()) return s.error();
  const int dims[3] = {static_cast<int>(vol.dims()[0]), static_cast<int>(vol.dims()[1]),
                       static_cast<int>(vol.dims()[2])};
  const double h[3] = {vol.geometry.spacingMm.x, vol.geometry.spacingMm.y, vol.geometry.spacingMm.z};
  const hd::LevelSetConstants c = hd::levelSetConstants(dims, h, p);
  addTotal(progress, p.maxIterations);
  const uint8_t* mask = reinterpret_cast<const uint8_t*>(initial.slice(0, 0));
  return withTyped(vol, t, [&](const auto* image) -> Result<LevelSetResult> {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(image)>>;
    CpuOps<T> ops(image, mask, c, progress);
    const hd::LevelSetRun run = hd::runLevelSet(ops, c, p);
    if (run.cancelled) return cancelledError();
    if (run.empty) return makeError("seg.empty_region", "the level set's initial region is empty");
    auto out = makeMask(vol);
    if (!out.ok()) return out.error();
    uint8_t* m = (*out)->template as<uint8_t>();
    for (int64_t i = 0; i < ops.n; ++i) m[i] = hd::levelSetInside(ops.phi[static_cast<size_t>(i)]) ? 1 : 0;
    LevelSetResult res;
    res.mask = *out;
    res.iterations = run.iterations;
    res.converged = run.converged;
    res.rmsChange = run.rmsChange;
    res.phi.assign(ops.phi.begin(), ops.phi.end());
    return res;
  });
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

Result<VolumePtr> seedSpheres(const Volume& like, const std::vector<Index3>& seeds, double radiusMm) try {
  const Vec3 sp = like.geometry.spacingMm;
  const int ex = hd::ballExtent(radiusMm, sp.x), ey = hd::ballExtent(radiusMm, sp.y),
            ez = hd::ballExtent(radiusMm, sp.z);
  if (ex < 0 || ey < 0 || ez < 0)
    return makeError("seg.bad_radius", "the seed sphere needs a radius >= 0 mm");
  const Dims d = dimsOf(like);
  for (const auto& s : seeds)
    if (!d.contains(s))
      return makeError("seg.bad_seed", "a seed lies outside the volume");
  auto out = makeMask(like);
  if (!out.ok()) return out.error();
  uint8_t* m = (*out)->as<uint8_t>();
  std::memset(m, 0, static_cast<size_t>(d.count()));
  for (const auto& s : seeds)
    for (int64_t k = -ez; k <= ez; ++k)
      for (int64_t j = -ey; j <= ey; ++j)
        for (int64_t i = -ex; i <= ex; ++i) {
          const int64_t x = s.x + i, y = s.y + j, z = s.z + k;
          if (!d.contains({x, y, z})) continue;
          if (hd::inBall(static_cast<int>(i), static_cast<int>(j), static_cast<int>(k), sp.x, sp.y, sp.z,
                         radiusMm))
            m[(z * d.ny + y) * d.nx + x] = 1;
        }
  return out;
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

}  // namespace cvx::seg
