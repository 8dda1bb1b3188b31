// SPDX-License-Identifier: MIT
// bench_render (issue 11), the CPU part: CineVox's CPU ray caster (hd::shadePixel over tiles on the
// thread pool) against VTK's vtkFixedPointVolumeRayCastMapper in the same run, on the 134-slice CT
// and on a 512^3 volume built from its slices, with the same transfer function (HU points; VTK gets
// them in stored values), unit distance, Blinn-Phong shading, 512x512 image, perspective camera
// orbiting the volume, 0.5 mm samples (VTK's automatic adjustments off) and thread count. CineVox
// runs plain and with empty-space skipping (bricks from cvx::brickSizeFor), jitter off. Then the
// PET/CT pair of pet_ct fused in one pass, without and with the pair's brick map (render_fused.h;
// no peer draws two grids in one pass on the CPU; --no-fused leaves it out). --mip: maximum intensity
// projection on both sides instead (VTK's MaximumIntensity blend; CineVox skips bricks whose max
// cannot beat the ray's maximum so far) and a RESULT line of mip_* keys. The images are compared and
// the figures printed; a disagreement is reported, never fatal. Needs an X display for VTK
// (xvfb-run -a); the CUDA part (gpu_fps_1080p, gpu_vs_cpu) comes with a GPU machine. Then cine
// (render_cine.h): the CT as a 4D series of --cine-phases phases (6; 0: none) through the 3D view's
// renderer, each phase's brick map kept against rebuilt per phase change: cine_loop_vs_rebuild.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <cvx/core/thread_pool.h>
#include <cvx/io/dicom.h>

#include "bench_series.h"
#include "render_cine.h"
#include "render_frames.h"
#include "render_fused.h"

namespace cvx::bench {
namespace {

struct Options {
  RenderSetup setup;
  int bigFrames = 12, slices = 512;  // 512^3: 30 deg a frame (a frame there takes seconds)
  int cinePhases = 6;
  bool big = true, vtk = true, shading = true, mip = false, fused = true;
  std::string data = CVX_DATA_DIR;
};

Options parseArgs(int argc, char** argv) {
  Options o;
  o.setup.threads = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i], v = i + 1 < argc ? argv[i + 1] : "";
    auto num = [&](int lo) {
      ++i;
      return std::max(lo, std::atoi(v.c_str()));
    };
    if (k == "--no-big")
      o.big = false;
    else if (k == "--no-fused")
      o.fused = false;
    else if (k == "--no-vtk")
      o.vtk = false;
    else if (k == "--parallel")
      o.setup.perspective = false;
    else if (k == "--skip-only")
      o.setup.skipOnly = true;
    else if (k == "--no-shading")
      o.shading = false;
    else if (k == "--mip")
      o.mip = true;
    else if (k == "--threads")
      o.setup.threads = unsigned(num(1));
    else if (k == "--cine-phases")
      o.cinePhases = num(0);
    else if (k == "--frames")
      o.setup.frames = num(1);
    else if (k == "--big-frames")
      o.bigFrames = num(1);
    else if (k == "--step-deg")
      o.setup.stepDeg = std::atof(v.c_str()), ++i;
    else if (k == "--size")
      o.setup.width = o.setup.height = num(16);
    else if (k == "--slices")
      o.slices = num(2);
    else if (k == "--dump")
      o.setup.dump = v, ++i;
    else if (k == "--data")
      o.data = v, ++i;
    else
      std::fprintf(stderr, "bench_render: unknown option %s\n", k.c_str());
  }
  if (!o.setup.threads) o.setup.threads = std::max(1u, std::thread::hardware_concurrency());
  return o;
}

double ratio(double vtkMs, double cvxMs) { return vtkMs > 0 && cvxMs > 0 ? vtkMs / cvxMs : NAN; }

void printInput(const std::string& name, const InputResult& r, int frames) {
  auto line = [&](const char* who, const Timing& t, double vsVtk, const std::string& extra) {
    std::printf("%-14s %-28s %9s %9s %7s %10s %7s  %s\n", name.c_str(), who, num(t.medianMs, "%.1f").c_str(),
                num(t.p95Ms, "%.1f").c_str(), num(t.fps).c_str(), num(t.firstMs, "%.0f").c_str(),
                num(vsVtk).c_str(), extra.c_str());
  };
  const bool vtk = r.vtkError.empty();
  const double vtkMs = vtk ? r.vtk.medianMs : NAN;
  line("CineVox plain", r.plain, ratio(vtkMs, r.plain.medianMs), "");
  line("CineVox skipping", r.skip, ratio(vtkMs, r.skip.medianMs),
       "bricks of " + r.brick + ", empty " + num(100 * r.emptyBricks, "%.1f") + "%, built in " + num(r.skip.setupMs, "%.0f") +
           " ms (the map " + num(r.skip.mapMs, "%.0f") +
           " ms); max |skip - plain| " + num(r.skipMaxDiff, "%.2g"));
  line("CineVox moving (1/2 w, 1/2 h)", r.moving, NAN, "skipping; the 3D view's preview while the camera moves");
  if (vtk)
    line("VTK fixed-point", r.vtk, 1.0,
         "check vs CineVox plain: mean |diff| RGB " + num(r.vsVtk.meanAbsRgb) + " of 255 over " +
             std::to_string(r.vsVtk.drawn) + " px drawn by either, drawn by one only " +
             num(100 * r.vsVtk.oneOnly) + "%");
  else
    std::printf("%-14s %-28s %s\n", name.c_str(), "VTK fixed-point", r.vtkError.c_str());
  std::printf("%-14s (%d frames timed after an untimed first frame)\n", name.c_str(), frames);
}

}  // namespace
}  // namespace cvx::bench

int main(int argc, char** argv) {
  using namespace cvx;
  using namespace cvx::bench;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Options o = parseArgs(argc, argv);
  RenderSetup& s = o.setup;
  // Before the first use of the global pool: CineVox and VTK get the same number of threads.
  setenv("CVX_THREADS", std::to_string(s.threads).c_str(), 1);
  VolumeLook look;
  look.points = o.mip ? mipTransferFunction() : boneTransferFunction();
  look.unitMm = 1.0;
  look.sampleMm = 0.5;
  look.shading = {o.shading && !o.mip, 0.2f, 0.7f, 0.3f, 20.0f};
  look.mip = o.mip;
  std::printf(
      "bench_render: %u threads (CineVox pool %u + caller, VTK SetNumberOfThreads %u); hardware %u; "
      "%dx%d, %s %.0f deg, orbit %.0f deg a frame; samples %.2f mm, unit distance %.1f mm; shading %s "
      "ambient %.2f diffuse %.2f specular %.2f power %.0f; jitter off; %s\n",
      s.threads, ThreadPool::global().size(), s.threads, std::thread::hardware_concurrency(), s.width,
      s.height, s.perspective ? "perspective" : "parallel", s.fovYDeg, s.stepDeg, look.sampleMm, look.unitMm,
      look.shading.on ? "on" : "OFF", look.shading.ambient, look.shading.diffuse, look.shading.specular,
      look.shading.power,
      o.mip ? "MIP (--mip; skipping: bricks whose max cannot beat the ray's maximum so far)" : "composite (DVR)");
  std::printf("transfer function (HU: r g b alpha per unit distance):");
  for (const TfPoint& p : look.points)
    std::printf("  %.0f: %.2f %.2f %.2f %.2f", p.value, p.r, p.g, p.b, p.alpha);
  std::printf("\n");
  if (!s.dump.empty()) std::filesystem::create_directories(s.dump);

  const std::string ct = o.data + "/ct";
  std::printf("\n%-14s %-28s %9s %9s %7s %10s %7s\n", "input", "renderer", "median ms", "p95 ms", "fps",
              "first ms", "x VTK");
  InputResult small, big;
  CineResult cine;
  {
    auto loaded = io::loadPath(ct);
    if (!loaded.ok()) return std::printf("cannot load %s: %s\n", ct.c_str(), loaded.error().str().c_str()), 1;
    const Volume& v = **loaded;
    const auto& d = v.dims();
    std::printf("CT %lldx%lldx%lld %s, spacing %.3f x %.3f x %.3f mm\n", (long long)d[0], (long long)d[1],
                (long long)d[2], toString(v.type()), v.geometry.spacingMm.x, v.geometry.spacingMm.y,
                v.geometry.spacingMm.z);
    small = runInput("ct134", v, look, s, o.vtk);
    if (!small.error.empty()) return std::printf("CineVox on ct: %s\n", small.error.c_str()), 1;
    printInput("ct134", small, s.frames);
    if (o.cinePhases > 1 && !o.mip && !s.skipOnly) {
      cine = runCine(v, s, o.cinePhases);
      if (!cine.error.empty()) return std::printf("cine: %s\n", cine.error.c_str()), 1;
      auto line = [&](const char* who, const Timing& t, const char* extra) {
        std::printf("%-14s %-28s %9s %9s %7s %10s %7s  %s\n", "ct134 4D cine", who, num(t.medianMs, "%.1f").c_str(),
                    num(t.p95Ms, "%.1f").c_str(), num(t.fps).c_str(), "NA", "NA", extra);
      };
      std::printf("ct134 4D cine: %d phases, ct-bone through the 3D view's renderer, %dx%d (the preview)\n",
                  o.cinePhases, s.width / 2, s.height / 2);
      line("CineVox first pass", cine.first, "each phase's brick map built as it is first shown");
      line("CineVox loop", cine.loop, "the maps kept (viewstate/phase_bricks.h)");
      line("rebuilt per phase change", cine.rebuilt, "the peer: a renderer made for each frame, as before");
      const std::string ahead = "after resting on phase 0: the other " + std::to_string(o.cinePhases - 1) +
                                " maps built ahead in " + num(cine.aheadMs, "%.0f") + " ms";
      line("CineVox first pass, rested", cine.restedFirst, ahead.c_str());
      line("first preview, maps built", cine.previewBuilding, "a series' first picture, its maps built first");
      line("first preview, no map yet", cine.previewLooking,
           "drawn without skipping while the worker builds them (the 3D view's preview: the UI thread waits on no map)");
    }
  }
  double fusedX = NAN;
  if (o.fused && !o.mip) {
    const FusedResult f = runFused(o.data, s);
    if (!f.error.empty()) {
      std::printf("pet_ct fused: not run (%s)\n", f.error.c_str());
    } else {
      auto line = [&](const char* who, const Timing& t, const std::string& extra) {
        std::printf("%-14s %-28s %9s %9s %7s %10s %7s  %s\n", "pet_ct fused", who, num(t.medianMs, "%.1f").c_str(),
                    num(t.p95Ms, "%.1f").c_str(), num(t.fps).c_str(), num(t.firstMs, "%.0f").c_str(), "NA",
                    extra.c_str());
      };
      fusedX = f.plain.medianMs / f.skip.medianMs;
      line("CineVox fused plain", f.plain, "ct-bone on the CT, pet-hot-iron on the PET (Bq/ml), one pass");
      line("CineVox fused skipping", f.skip,
           "the pair's bricks empty " + num(100 * f.emptyBricks, "%.1f") + "%, built in " + num(f.skip.setupMs, "%.0f") +
               " ms; " + num(fusedX) + "x plain; max |skip - plain| " + num(f.maxDiff, "%.2g"));
    }
  }
  if (o.big) {
    auto loaded = loadReplicatedCt(ct, o.slices, s.threads);
    if (!loaded.ok())
      return std::printf("cannot build or load the %d-slice series: %s\n", o.slices, loaded.error().str().c_str()), 1;
    const Volume& v = **loaded;
    const auto& d = v.dims();
    std::printf("%s/ct%d: %lldx%lldx%lld %s, spacing %.3f x %.3f x %.3f mm (the CT's slices cycled)\n",
                benchRoot().c_str(), o.slices, (long long)d[0], (long long)d[1], (long long)d[2], toString(v.type()),
                v.geometry.spacingMm.x, v.geometry.spacingMm.y, v.geometry.spacingMm.z);
    RenderSetup bs = s;
    bs.frames = o.bigFrames;
    bs.stepDeg = 360.0 / o.bigFrames;
    big = runInput("vol512", v, look, bs, o.vtk);
    if (!big.error.empty()) return std::printf("CineVox on the 512^3 volume: %s\n", big.error.c_str()), 1;
    printInput("vol512", big, bs.frames);
  }
  std::printf(
      "\nx VTK = VTK median frame time / CineVox median frame time (higher is better); cpu_fps_512 and "
      "cpu_vs_vtk: CineVox with skipping on the 512^3 volume (plain: %s fps, %s x VTK)\n",
      num(o.big ? 1e3 / big.plain.medianMs : NAN).c_str(),
      num(o.big ? ratio(big.vtk.medianMs, big.plain.medianMs) : NAN).c_str());
  const double fps = o.big ? big.skip.fps : NAN;
  const double vs = o.big && big.vtkError.empty() ? ratio(big.vtk.medianMs, big.skip.medianMs) : NAN;
  // The CT: CineVox with skipping against VTK, and the preview's rate while the camera moves.
  const double ctVs = small.vtkError.empty() ? ratio(small.vtk.medianMs, small.skip.medianMs) : NAN;
  if (o.mip)  // "skipping" is the MIP's: bricks whose max cannot beat the ray's maximum so far
    std::printf("RESULT mip_fps_512=%s mip_vs_vtk=%s mip_vs_vtk_ct=%s mip_fps_moving_ct=%s\n", num(fps).c_str(),
                num(vs).c_str(), num(ctVs).c_str(), num(small.moving.fps).c_str());
  else
    std::printf(
        "RESULT cpu_fps_512=%s cpu_vs_vtk=%s gpu_fps_1080p=NA gpu_vs_cpu=NA cpu_vs_vtk_ct=%s cpu_fps_moving_ct=%s "
        "fused_skip_vs_plain=%s cine_loop_vs_rebuild=%s\n",
        num(fps).c_str(), num(vs).c_str(), num(ctVs).c_str(), num(small.moving.fps).c_str(), num(fusedX).c_str(),
        num(cine.loop.medianMs > 0 ? cine.rebuilt.medianMs / cine.loop.medianMs : NAN).c_str());
  return 0;
}
