// SPDX-License-Identifier: MIT
// bench_mpr (issue 10): MPR drawing speed against VTK (vtkImageReslice + vtkImageMapToWindowLevelColors)
// on the real CT, same voxels (no copy), planes, 1920x1080 output grid, linear interpolation, slab
// sampling, window and thread count, in the same run; the outputs are compared before the figures
// are trusted. Then the first drawn image after a series is chosen, and the peak resident memory
// over the voxel bytes while reading a ~6 GB series built under /tmp (a child process; --no-big
// skips it).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <cvx/core/thread_pool.h>
#include <cvx/io/dicom.h>
#include <cvx/render/simd.h>
#include <cvx/viewstate/mapping.h>

#include "bench_series.h"
#include "mpr_frames.h"
#include "mpr_load.h"
#include "mpr_vtk.h"

namespace cvx::bench {
namespace {

struct Options {
  unsigned threads = 0;
  int frames = 100, repeat = 5, slices = 12000, width = 1920, height = 1080;
  bool big = true;
  std::string data = CVX_DATA_DIR;
};

Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i], v = i + 1 < argc ? argv[i + 1] : "";
    auto num = [&](int lo) { ++i; return std::max(lo, std::atoi(v.c_str())); };
    if (k == "--no-big") o.big = false;
    else if (k == "--threads") o.threads = unsigned(num(1));
    else if (k == "--frames") o.frames = num(4);
    else if (k == "--repeat") o.repeat = num(1);
    else if (k == "--slices") o.slices = num(2);
    else if (k == "--width") o.width = num(1);
    else if (k == "--height") o.height = num(1);
    else if (k == "--data") o.data = v, ++i;
    else std::fprintf(stderr, "bench_mpr: unknown option %s\n", k.c_str());
  }
  if (!o.threads) o.threads = std::max(1u, std::thread::hardware_concurrency());
  return o;
}

std::string num(double v, const char* fmt = "%.1f") {
  if (!std::isfinite(v)) return "nan";
  char s[32];
  std::snprintf(s, sizeof s, fmt, v);
  return s;
}

std::string ratio(double vtkMs, double cvxMs) { return vtkMs > 0 && cvxMs > 0 ? num(vtkMs / cvxMs, "%.2f") : "nan"; }

}  // namespace
}  // namespace cvx::bench

int main(int argc, char** argv) {
  using namespace cvx;
  using namespace cvx::bench;
  if (argc == 5 && std::string(argv[1]) == "--big-child") return bigChild(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows when stdout is a file
  const Options o = parseArgs(argc, argv);
  // Before the first use of the global pool: CineVox and VTK get the same number of threads.
  setenv("CVX_THREADS", std::to_string(o.threads).c_str(), 1);
  std::printf("bench_mpr: %u threads (CineVox pool %u + caller, VTK SetNumberOfThreads %u); hardware %u; "
              "%dx%d output; %d frames a case; CineVox SIMD %s (CVX_SIMD=sse2 for the baseline)\n",
              o.threads, ThreadPool::global().size(), o.threads, std::thread::hardware_concurrency(), o.width,
              o.height, o.frames, render::toString(render::simdLevel()));
  const std::string ct = o.data + "/ct";
  auto loaded = io::loadPath(ct);
  if (!loaded.ok()) {
    std::printf("cannot load %s: %s\n", ct.c_str(), loaded.error().str().c_str());
    return 1;
  }
  std::shared_ptr<const Volume> vol = *loaded;
  const auto& d = vol->dims();
  const view::DisplayMapping window = view::initialMapping(*vol);
  std::printf("CT %lldx%lldx%lld %s, spacing %.3f x %.3f x %.3f mm, window C%.0f W%.0f (%s)\n",
              (long long)d[0], (long long)d[1], (long long)d[2], toString(vol->type()), vol->geometry.spacingMm.x,
              vol->geometry.spacingMm.y, vol->geometry.spacingMm.z, window.center, window.width,
              window.source.c_str());
  VtkMpr vtk(*vol, o.threads, window.center, window.width);
  if (!vtk.error().empty()) {
    std::printf("VTK peer unusable: %s\n", vtk.error().c_str());
    return 1;
  }

  const MprCase cases[] = {
      {"oblique thin (30 deg + 20 deg)", 2, true, 0},
      {"oblique 10 mm MIP", 2, true, 10},
      {"axial thin", 0, false, 0},
      {"sagittal 10 mm MIP", 2, false, 10},
  };
  CaseResult res[4];
  bool agree = true;
  std::printf("\n%-32s %8s %6s %7s | %8s %6s %7s | %6s | %s\n", "case (scrolling)", "CVX med", "p95", "fps",
              "VTK med", "p95", "fps", "x VTK", "check: mean|diff| HU (VTK optimized), grey levels; edge pixels");
  for (int i = 0; i < 4; ++i) {
    res[i] = runCase(vol, cases[i], o.frames, o.width, o.height, &vtk);
    const CaseResult& r = res[i];
    if (!r.error.empty()) {
      std::printf("%s: %s\n", cases[i].name.c_str(), r.error.c_str());
      return 1;
    }
    // Linear interpolation in float against VTK's, rounded to its integer output: within a unit.
    const bool ok = r.meanAbsHu < 1.0 && r.edgeFraction < 0.01;
    agree = agree && ok;
    std::printf("%-32s %8s %6s %7s | %8s %6s %7s | %6s | %s HU (%s), %s; %s%% %s (%d samples)\n", cases[i].name.c_str(),
                num(r.cvx.medianMs, "%.2f").c_str(), num(r.cvx.p95Ms, "%.2f").c_str(), num(r.cvx.fps).c_str(),
                num(r.vtk.medianMs, "%.2f").c_str(), num(r.vtk.p95Ms, "%.2f").c_str(), num(r.vtk.fps).c_str(),
                ratio(r.vtk.medianMs, r.cvx.medianMs).c_str(), num(r.meanAbsHu, "%.3f").c_str(),
                num(r.meanAbsHuOpt, "%.3f").c_str(), num(r.meanAbsRgb, "%.2f").c_str(), num(r.edgeFraction * 100, "%.3f").c_str(), ok ? "ok" : "DISAGREE",
                r.slabSamples);
  }

  const FirstImage fi = firstImage(ct, o.width, o.height, o.repeat);
  if (!fi.error.empty()) std::printf("first image: %s\n", fi.error.c_str());
  std::printf("\nfirst image (series chosen -> middle axial slice drawn, %dx%d, median of %d): "
              "drawn as soon as its slices are in %s ms; after the whole load %s ms (load %s ms)\n",
              o.width, o.height, o.repeat, num(fi.earlyMs).c_str(), num(fi.afterLoadMs).c_str(),
              num(fi.loadMs).c_str());

  double memRatio = NAN;
  if (o.big) {
    const std::string root = benchRoot();
    std::error_code ec;
    std::filesystem::create_directories(root, ec);
    auto raw = decompressedSeries(ct, root, o.threads);
    auto big = raw.ok() ? replicatedSeries(*raw, o.slices, root, o.threads) : raw;
    if (!big.ok()) {
      std::printf("cannot build the %d-slice series: %s\n", o.slices, big.error().str().c_str());
    } else {
      const BigFigures b = spawnBig(*big, o.width, o.height);
      if (!b.error.empty()) std::printf("big series: %s\n", b.error.c_str());
      memRatio = b.voxelBytes > 0 ? b.hwmBytes / b.voxelBytes : NAN;
      std::printf("\nbig series %s (%d slices): voxels %.2f GB, peak RSS %.2f GB (child process: load, three "
                  "views, a slab, an oblique), load %.1f s\n",
                  big->c_str(), o.slices, b.voxelBytes / 1e9, b.hwmBytes / 1e9, b.loadS);
    }
  }
  std::printf("\nx VTK = VTK median frame time / CineVox median frame time (higher is better); outputs %s\n",
              agree ? "agree" : "DISAGREE");
  std::printf("RESULT scroll_fps=%s slab_fps=%s scroll_vs_vtk=%s slab_vs_vtk=%s first_image_ms=%s mem_over_voxels=%s\n",
              num(res[0].cvx.fps).c_str(), num(res[1].cvx.fps).c_str(),
              ratio(res[0].vtk.medianMs, res[0].cvx.medianMs).c_str(),
              ratio(res[1].vtk.medianMs, res[1].cvx.medianMs).c_str(), num(fi.earlyMs).c_str(),
              num(memRatio, "%.3f").c_str());
  return agree ? 0 : 1;
}
