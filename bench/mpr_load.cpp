// SPDX-License-Identifier: MIT
#include "mpr_load.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <vector>

#include <unistd.h>

#include <cvx/core/reslice.h>
#include <cvx/core/thread_pool.h>
#include <cvx/io/dicom.h>
#include <cvx/viewstate/render_view.h>
#include <cvx/viewstate/state.h>

namespace cvx::bench {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? NAN : v[v.size() / 2];
}

struct Chosen {
  std::shared_ptr<const io::ScanResult> scan;
  io::SeriesPlan plan;
  std::string error;
};

// The series a user picks in the browser: the largest of the folder.
Chosen choose(const std::string& dir) {
  Chosen c;
  auto scan = io::scan(dir);
  if (!scan.ok()) return c.error = scan.error().str(), c;
  const io::GroupResult groups = io::planSeries(*scan);
  if (groups.series.empty()) return c.error = "no series in " + dir, c;
  c.plan = *std::max_element(groups.series.begin(), groups.series.end(),
                             [](const auto& a, const auto& b) { return a.slices.size() < b.slices.size(); });
  c.scan = std::make_shared<const io::ScanResult>(std::move(*scan));
  return c;
}

// The slices (z indices) that view 0's samples can touch: the trilinear neighbours of its corners,
// slab included.
std::pair<int64_t, int64_t> slicesNeeded(const view::ViewerState& s, const Volume& v, int w, int h) {
  const view::PixelFrame f = s.pixelFrame(0, w, h);
  const view::View& vw = s.view(0);
  const hd::ResliceParams p = resliceParams(v.geometry, WorldPlane{f.origin, f.du, f.dv}, vw.slabMm, vw.slabMode);
  const int n = hd::slabCount(p);
  double lo = 1e300, hi = -1e300;
  for (int y : {0, h - 1})
    for (int x : {0, w - 1})
      for (int k : {0, n - 1}) {
        const double z = double(hd::resliceCentre(p, x, y).z) + double(p.dn.z) * hd::slabOffset(k, n);
        lo = std::min(lo, z), hi = std::max(hi, z);
      }
  const int64_t nz = v.dims()[2];
  return {std::clamp<int64_t>(int64_t(std::floor(lo)), 0, nz - 1), std::clamp<int64_t>(int64_t(std::floor(hi)) + 1, 0, nz - 1)};
}

// One run; returns {first image ms, whole load ms}, or NaN on error.
std::pair<double, double> oneRun(const Chosen& c, int w, int h, bool early, std::string& error) {
  std::mutex m;
  std::condition_variable cv;
  io::LoadOptions lo;
  lo.onSliceReady = [&](int64_t) {
    std::lock_guard lock(m);
    cv.notify_all();
  };
  // As the viewer does: the slice its axial view opens on (the voxel nearest the middle) first.
  if (early) lo.firstSlice = std::llround((c.plan.dims[2] - 1) / 2.0);
  // The view exists before a series is chosen (the viewer's window is open and laid out), so its
  // renderer and its buffers do too (ViewRenderer::reserve, as PlaneView calls on resize).
  view::ViewRenderer r;
  r.reserve(w, h);  // as PlaneView does when it is laid out
  const auto t0 = Clock::now();
  auto job = io::startLoad(c.scan, c.plan, lo);
  if (!job.ok()) return error = job.error().str(), std::pair{NAN, NAN};
  std::shared_ptr<Volume> vol = (*job)->volume();
  view::ViewerState state;
  state.addLayer(vol);
  if (early) {
    const auto [z0, z1] = slicesNeeded(state, *vol, w, h);
    std::unique_lock lock(m);
    cv.wait(lock, [&] {
      if ((*job)->done()) return true;
      for (int64_t z = z0; z <= z1; ++z)
        if (!vol->sliceReady(z)) return false;
      return true;
    });
  } else if (Status st = (*job)->wait(); !st.ok()) {
    return error = st.error().str(), std::pair{NAN, NAN};
  }
  auto img = r.draw(state, 0, w, h);
  const double first = msSince(t0);
  const Status st = (*job)->wait();
  const double all = msSince(t0);
  if (!st.ok()) return error = st.error().str(), std::pair{NAN, NAN};
  if (!img.ok()) return error = img.error().str(), std::pair{NAN, NAN};
  return {first, all};
}

int64_t peakRssBytes() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atoll(line.c_str() + 6) * 1024;
  return -1;
}

}  // namespace

FirstImage firstImage(const std::string& dir, int width, int height, int repeat) {
  FirstImage fi;
  ThreadPool::global();  // threads started before any clock, as in the running viewer
  const Chosen c = choose(dir);
  if (!c.error.empty()) return fi.error = c.error, fi;
  std::vector<double> after, early, load;
  for (int i = 0; i < repeat && fi.error.empty(); ++i) {
    after.push_back(oneRun(c, width, height, false, fi.error).first);
    const auto e = oneRun(c, width, height, true, fi.error);
    early.push_back(e.first);
    load.push_back(e.second);
  }
  fi.afterLoadMs = median(after);
  fi.earlyMs = median(early);
  fi.loadMs = median(load);
  return fi;
}

int bigChild(const std::string& dir, int w, int h) {
  const auto t0 = Clock::now();
  const Chosen c = choose(dir);
  if (!c.error.empty()) return std::printf("BIGERROR %s\n", c.error.c_str()), 1;
  auto vol = io::loadSeries(*c.scan, c.plan);
  if (!vol.ok()) return std::printf("BIGERROR %s\n", vol.error().str().c_str()), 1;
  const double loadS = msSince(t0) / 1e3;
  const double voxels = double((*vol)->byteSize());
  // Reading it: a few frames of each view, a slab, an oblique view.
  view::ViewerState state;
  state.addLayer(std::shared_ptr<const Volume>(std::move(*vol)));
  view::ViewRenderer r;
  auto frames = [&](int view, int n) {
    for (int i = 0; i < n; ++i) {
      state.scroll(view, 7);
      if (auto img = r.draw(state, view, w, h); !img.ok()) return false;
    }
    return true;
  };
  bool ok = frames(0, 5) && frames(1, 5) && frames(2, 5);
  state.setSlab(1, 10, view::SlabMode::Mip);
  ok = ok && frames(1, 3);
  state.rotateCrosshair(0, 0.5);
  ok = ok && frames(2, 3);
  if (!ok) return std::printf("BIGERROR a draw failed\n"), 1;
  std::printf("BIG hwm=%lld voxels=%.0f load_s=%.3f\n", static_cast<long long>(peakRssBytes()), voxels, loadS);
  return 0;
}

BigFigures spawnBig(const std::string& dir, int width, int height) {
  BigFigures b;
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return b.error = "no /proc/self/exe", b;
  exe[n] = 0;
  const std::string cmd = "'" + std::string(exe) + "' --big-child '" + dir + "' " + std::to_string(width) + " " +
                          std::to_string(height);
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return b.error = "popen failed", b;
  char line[1024];
  bool got = false;
  while (std::fgets(line, sizeof line, p)) {
    long long hwm = 0;
    if (std::sscanf(line, "BIG hwm=%lld voxels=%lf load_s=%lf", &hwm, &b.voxelBytes, &b.loadS) == 3) {
      b.hwmBytes = double(hwm);
      got = true;
    } else if (std::string(line).rfind("BIGERROR", 0) == 0) {
      b.error = line;
    }
  }
  if (::pclose(p) != 0 && b.error.empty()) b.error = "the child failed";
  if (!got && b.error.empty()) b.error = "no figures from the child";
  return b;
}

}  // namespace cvx::bench
