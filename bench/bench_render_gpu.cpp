// SPDX-License-Identifier: MIT
// bench_render_gpu (issue 11), the CUDA part of bench_render: the registry's CUDA back end (the
// phase resident on the device, the frame left there: CudaBackend::raycastOnDevice, then a
// device synchronize) at 1920x1080, against CineVox's CPU back end on the same frames and the
// trilinear fetch floor. bench_render's look: its bone transfer function, unit distance 1 mm,
// Blinn-Phong shading, perspective 30 deg orbiting the patient's long axis, jitter off.
//   - vol512 plain: the 512^3 volume (the CT's slices cycled, as bench_render builds it) without
//     skipping, the step set so that the rays that hit average 1000 samples: samples per second,
//     and the fraction of the trilinear fetch floor that this is (one fetch per sample at
//     --floor-tps fetches/s, 0.52e12 for an H100 SXM: the figure);
//   - vol512 and ct134 with empty-space skipping at 0.5 mm: fps (targets: 300 fps on the CT);
//   - gpu_vs_cpu: the CPU back end on all this machine's cores, the same 512^3 frames, median
//     against the GPU's median.
// The GPU machine has no DICOM reader in the gpu-core build: the CT comes as raw little-endian
// int16 HU (--ct FILE --dims X,Y,Z --spacing X,Y,Z: tools/gpu_bench_ct.sh writes it here from
// ../shared/data/ct). Without --ct, the committed CT crop (tests/cuda/data) tiled to 512x512x134,
// said so in the output. Without a device it prints NA. --dry-run runs the same program with the
// CPU back end standing in for the GPU at 192x108, 2 frames (a check of the program here, not a
// figure: the RESULT keys stay NA). Last line:
// RESULT gpu_fps_1080p=<vol512 skipping> gpu_vs_cpu=<ratio> gpu_fps_ct_1080p=<n> gpu_floor_fraction=<f>
//        gpu_cine_first_ms=<n> gpu_cine_loop_ms=<n> gpu_cine_paced_ms=<n> gpu_cine_prefetch_ms=<n>
//        gpu_tf_global_vs_texture=<ratio>
// (cine: the CT as a 4D series of --cine-phases phases, 8 by default, played twice through at 1080p:
// the first pass copies each phase to the device, the loop finds them kept. Paced: a fresh series
// played once at --cine-fps (30), as the 3D view plays it, each frame's time from its request:
// without the prefetch each frame copies its phase, with it (CudaBackend::prefetch of the next phase
// before each frame) the copy ran on the prefetch stream while the frame before drew and the
// player waited. tf: the plain 512^3 frames again with the transfer functions read by loads
// (CVX_CUDA_TF=global), their median over the texture fetches' median.)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <cvx/core/bricks.h>
#include <cvx/core/raycast.h>
#include <cvx/core/transfer.h>
#include <cvx/cuda/backend.h>
#include <cvx/render/backend.h>
#include <cvx/render/raycast.h>

#include "gpu_ct.h"
#include "render_orbit.h"
#include "render_tf.h"

namespace cvx::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  CtSource ct;
  int width = 1920, height = 1080, frames = 36, cpuFrames = 3, slices = 512, cinePhases = 8, cineFps = 30;
  double floorTps = 0.52e12;
  bool dryRun = false;
};


Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc && std::string(argv[i]) == "--dry-run"; ++i, ++argv, --argc)
    o.dryRun = true, o.width = 192, o.height = 108, o.frames = 2, o.cpuFrames = 1, o.cinePhases = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const char* v = argv[i + 1];
    if (parseCtOption(k, v, o.ct)) continue;
    if (k == "--frames") o.frames = std::max(1, std::atoi(v));
    else if (k == "--cpu-frames") o.cpuFrames = std::max(1, std::atoi(v));
    else if (k == "--floor-tps") o.floorTps = std::atof(v);
    else if (k == "--cine-phases") o.cinePhases = std::max(1, std::atoi(v));
    else if (k == "--cine-fps") o.cineFps = std::max(1, std::atoi(v));
    else std::fprintf(stderr, "bench_render_gpu: unknown option %s\n", k.c_str());
  }
  return o;
}


struct Scene {
  TransferTable table;
  BrickRanges ranges;
  std::vector<uint8_t> skip;
  uint64_t stamp = 0;  // hd::BrickMap::stamp: the map is the same every frame
};

hd::RaycastParams params(const Volume& v, const RenderSetup& s, int frame, float stepMm, const Scene* skipping) {
  hd::RaycastParams p = raycastParams(v.geometry, v.dims(), orbitCamera(v, s, frame), s.width, s.height);
  p.stepMm = stepMm;
  p.shading = {true, 0.2f, 0.7f, 0.3f, 20.0f};
  p.jitter = false;
  if (skipping) {
    p.bricks = brickMapView(skipping->ranges, skipping->skip);
    p.bricks.stamp = skipping->stamp;
  }
  return p;
}

// The samples of one frame (every ray's inside length over the step) and the rays that hit.
void countSamples(const hd::RaycastParams& p, int w, int h, double& samples, double& rays) {
  samples = rays = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      hd::Vec3f o, d;
      hd::pixelRay(p.cam, x, y, o, d);
      float t0 = 0, t1 = __builtin_inff();
      if (!hd::rayBox(o, d, p.boxLo, p.boxHi, t0, t1)) continue;
      samples += std::floor((t1 - t0) / p.stepMm);
      rays += 1;
    }
}

double ms(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// One frame of job on the back end, timed: raycastOnDevice and a synchronize on CUDA (the frame
// stays on the device), raycast into `host` otherwise (--dry-run). Seconds, or the error.
Result<double> timedFrame(Backend& gpu, RaycastJob job, std::vector<float>& host) {
  auto* cuda = dynamic_cast<cuda::CudaBackend*>(&gpu);
  if (!cuda) host.resize(4 * static_cast<size_t>(job.width) * static_cast<size_t>(job.height)), job.rgba = host.data();
  const auto t0 = Clock::now();
  Status st;
  if (cuda) {
    auto r = cuda->raycastOnDevice(job);
    st = r.ok() ? cuda->synchronize() : Status(r.error());
  } else {
    st = gpu.raycast(job);
  }
  if (!st.ok()) return st.error();
  return ms(t0) / 1e3;
}

// The GPU's frames of the orbit: raycastOnDevice and a synchronize, each after an untimed first
// (--dry-run: the CPU back end's raycast into a host image).
Timing gpuFrames(Backend& gpu, const Volume& v, const RenderSetup& s, float stepMm, const Scene& sc,
                 bool skip, std::string& error) {
  std::vector<double> secs;
  for (int i = -1; i < s.frames; ++i) {
    RaycastJob job;
    job.volume = &v;
    job.params = params(v, s, std::max(i, 0), stepMm, skip ? &sc : nullptr);
    job.tf = sc.table.view();
    job.width = s.width, job.height = s.height;
    std::vector<float> host;
    const auto sec = timedFrame(gpu, job, host);
    if (!sec) return error = sec.error().str(), Timing{};
    if (i >= 0) secs.push_back(*sec);
  }
  return timingOf(secs);
}

// The CPU back end on frames 0..n-1 of the same orbit, and the largest difference between its
// frame 0 and the GPU's.
Timing cpuFrames(Backend& gpu, const Volume& v, const RenderSetup& s, int n, const Scene& sc,
                 float& maxDiff) {
  std::vector<double> secs;
  const size_t px = static_cast<size_t>(s.width) * static_cast<size_t>(s.height);
  std::vector<float> cpu(4 * px), dev(4 * px);
  for (int i = 0; i < n; ++i) {
    const hd::RaycastParams p = params(v, s, i, 0.5f, &sc);
    const auto t0 = Clock::now();
    if (!render::raycastCpu(v, 0, p, sc.table.view(), s.width, s.height, cpu.data()).ok()) return {};
    secs.push_back(ms(t0) / 1e3);
    if (i == 0) {
      RaycastJob job;
      job.volume = &v, job.params = p, job.tf = sc.table.view();
      job.width = s.width, job.height = s.height, job.rgba = dev.data();
      maxDiff = gpu.raycast(job).ok() ? 0.0f : NAN;
      for (size_t k = 0; k < cpu.size(); ++k) maxDiff = std::max(maxDiff, std::abs(cpu[k] - dev[k]));
    }
  }
  return timingOf(secs);
}

// A 4D series played in a loop (cine): `phases` copies of the CT, phase t brighter by 20 t HU, each
// with its own brick map as the app builds them, drawn twice through at one camera. The first pass
// copies every phase to the device; the second finds them kept (raycast_resident.h) and copies
// none. Medians of raycastOnDevice + synchronize per frame (--dry-run: the CPU's raycast).
struct Cine {
  Timing first, loop;
  uint64_t uploads = 0;  // phases copied in both passes
  double bricksMs = 0;   // median CPU time of a phase's brick ranges and skip map
};
Cine cineFrames(Backend& gpu, const Volume& ct, const TransferTable& table, const RenderSetup& s, int phases,
                std::string& error) {
  Cine c;
  auto v = cineSeriesOf(ct, phases);
  if (!v) return error = v.error().str(), c;
  Volume& cine = **v;
  std::vector<Scene> scenes;
  std::vector<double> brickMs;
  for (int t = 0; t < phases; ++t) {
    const auto t0 = Clock::now();
    Scene sc{table, brickRanges(cine, t), {}};
    sc.skip = brickSkipMap(sc.ranges, sc.table);
    brickMs.push_back(ms(t0) / 1e3);
    sc.stamp = newBrickMapStamp();
    scenes.push_back(std::move(sc));
  }
  c.bricksMs = timingOf(brickMs).medianMs;
  auto* cuda = dynamic_cast<cuda::CudaBackend*>(&gpu);
  const uint64_t before = cuda ? cuda->raycastUploads() : 0;
  std::vector<float> host;
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<double> secs;
    for (int t = 0; t < phases; ++t) {
      RaycastJob job;
      job.volume = &cine, job.phase = t, job.revision = 1;
      job.params = params(cine, s, 0, 0.5f, &scenes[static_cast<size_t>(t)]);
      job.tf = table.view();
      job.width = s.width, job.height = s.height;
      const auto sec = timedFrame(gpu, job, host);
      if (!sec) return error = sec.error().str(), c;
      secs.push_back(*sec);
    }
    (pass == 0 ? c.first : c.loop) = timingOf(secs);
  }
  if (cuda) c.uploads = cuda->raycastUploads() - before;
  return c;
}

// A fresh 4D series (its phases on no device yet) played once at `fps`, as the 3D view plays it:
// each frame requested on the beat, timed from the request to its end (raycastOnDevice and a
// synchronize); with `ahead`, the next phase asked for (Backend::prefetch) as each frame is. The
// median of the frames after the first (no frame before the first to hide its copy behind).
Timing pacedCine(Backend& gpu, const Volume& ct, const TransferTable& table, const RenderSetup& s, int phases,
                 int fps, bool ahead, std::string& error) {
  auto v = cineSeriesOf(ct, phases);
  if (!v) return error = v.error().str(), Timing{};
  const std::shared_ptr<const Volume> cine = *v;
  std::vector<Scene> scenes;
  for (int t = 0; t < phases; ++t) {
    Scene sc{table, brickRanges(*cine, t), {}};
    sc.skip = brickSkipMap(sc.ranges, sc.table);
    sc.stamp = newBrickMapStamp();
    scenes.push_back(std::move(sc));
  }
  std::vector<double> secs;
  std::vector<float> host;
  const auto beat = std::chrono::microseconds(1000000 / fps);
  const auto start = Clock::now();
  for (int t = 0; t < phases; ++t) {
    std::this_thread::sleep_until(start + beat * t);
    if (ahead && t + 1 < phases) gpu.prefetch(cine, t + 1, 1);
    RaycastJob job;
    job.volume = cine.get(), job.phase = t, job.revision = 1;
    job.params = params(*cine, s, 0, 0.5f, &scenes[static_cast<size_t>(t)]);
    job.tf = table.view();
    job.width = s.width, job.height = s.height;
    const auto sec = timedFrame(gpu, job, host);
    if (!sec) return error = sec.error().str(), Timing{};
    if (t > 0) secs.push_back(*sec);
  }
  if (auto* cuda = dynamic_cast<cuda::CudaBackend*>(&gpu)) cuda->waitForPrefetch();
  return timingOf(secs);
}

}  // namespace
}  // namespace cvx::bench

int main(int argc, char** argv) {
  using namespace cvx;
  using namespace cvx::bench;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const Options o = parseArgs(argc, argv);
  auto made = o.dryRun ? Result<std::unique_ptr<Backend>>(std::make_unique<render::CpuBackend>())
                       : cuda::CudaBackend::create();
  if (!made.ok()) {
    std::printf("bench_render_gpu: no CUDA device (%s)\n", made.error().str().c_str());
    std::printf("RESULT gpu_fps_1080p=NA gpu_vs_cpu=NA gpu_fps_ct_1080p=NA gpu_floor_fraction=NA gpu_cine_first_ms=NA "
                "gpu_cine_loop_ms=NA gpu_cine_paced_ms=NA gpu_cine_prefetch_ms=NA gpu_tf_global_vs_texture=NA\n");
    return 0;
  }
  Backend& gpu = **made;
  if (o.dryRun) std::printf("--dry-run: the CPU back end stands in for the GPU; no figure below is a GPU's\n");
  std::printf("bench_render_gpu: %s, %dx%d, bone preset shaded, perspective 30 deg, %d frames orbiting\n",
              gpu.capabilities().device.c_str(), o.width, o.height, o.frames);
  std::string what;
  auto ct = loadCt(o.ct, what);
  if (!ct) return std::printf("bench_render_gpu: %s\n", what.c_str()), 1;
  std::printf("CT: %s, %lldx%lldx%lld, spacing %.3f x %.3f x %.3f mm\n", what.c_str(), (long long)o.ct.dims[0],
              (long long)o.ct.dims[1], (long long)o.ct.dims[2], o.ct.spacing[0], o.ct.spacing[1], o.ct.spacing[2]);
  auto table = buildTransferTable(boneTransferFunction(), 1.0);
  if (!table) return std::printf("transfer function: %s\n", table.error().str().c_str()), 1;
  RenderSetup s;
  s.width = o.width, s.height = o.height, s.frames = o.frames, s.stepDeg = 360.0 / o.frames;
  auto sceneOf = [&](const Volume& v) {
    Scene sc{*table, brickRanges(v, 0), {}};
    sc.skip = brickSkipMap(sc.ranges, sc.table);
    sc.stamp = newBrickMapStamp();
    return sc;
  };
  std::string error;
  // The CT with skipping.
  const Scene ctScene = sceneOf(*ct);
  const Timing ctSkip = gpuFrames(gpu, *ct, s, 0.5f, ctScene, true, error);
  if (!error.empty()) return std::printf("ct134: %s\n", error.c_str()), 1;
  std::printf("ct134   skipping, 0.5 mm      median %8.2f ms  p95 %8.2f ms  %8.1f fps\n", ctSkip.medianMs,
              ctSkip.p95Ms, ctSkip.fps);
  // Cine: the CT as a 4D series of --cine-phases phases, twice through.
  const Cine cine = cineFrames(gpu, *ct, *table, s, o.cinePhases, error);
  if (!error.empty()) return std::printf("cine: %s\n", error.c_str()), 1;
  std::printf("ct134x%d cine, skipping   first pass median %8.2f ms (copies each phase), loop median %8.2f ms "
              "(kept: %llu copies in both passes); a phase's brick map on the CPU %.1f ms\n",
              o.cinePhases, cine.first.medianMs, cine.loop.medianMs,
              static_cast<unsigned long long>(cine.uploads), cine.bricksMs);
  // The same, paced as the 3D view plays it, on fresh series: without and with the prefetch.
  const Timing paced = pacedCine(gpu, *ct, *table, s, o.cinePhases, o.cineFps, false, error);
  const Timing ahead = error.empty() ? pacedCine(gpu, *ct, *table, s, o.cinePhases, o.cineFps, true, error) : Timing{};
  if (!error.empty()) return std::printf("paced cine: %s\n", error.c_str()), 1;
  std::printf("ct134x%d cine at %d fps, fresh series: a frame from its request median %8.2f ms (p95 %.2f) copying its "
              "phase, %8.2f ms (p95 %.2f) with the next phase copied ahead\n",
              o.cinePhases, o.cineFps, paced.medianMs, paced.p95Ms, ahead.medianMs, ahead.p95Ms);
  // 512^3: plain at ~1000 samples per ray, then skipping at 0.5 mm.
  auto big = cycledCt(o.ct, *ct, o.slices);
  ct.reset();
  const Scene bigScene = sceneOf(*big);
  double samples = 0, rays = 0;
  countSamples(params(*big, s, 0, 1.0f, nullptr), s.width, s.height, samples, rays);
  const float step1000 = static_cast<float>(samples / std::max(rays, 1.0) / 1000.0);  // at 1 mm: mean mm per ray
  countSamples(params(*big, s, 0, step1000, nullptr), s.width, s.height, samples, rays);
  const Timing plain = gpuFrames(gpu, *big, s, step1000, bigScene, false, error);
  if (!error.empty()) return std::printf("vol512 plain: %s\n", error.c_str()), 1;
  const double sps = samples / (plain.medianMs / 1e3);
  const double floorMs = samples / o.floorTps * 1e3;
  std::printf("vol512  plain, %.3f mm step   median %8.2f ms  p95 %8.2f ms  %8.1f fps\n", step1000, plain.medianMs,
              plain.p95Ms, plain.fps);
  std::printf(
      "        floor: %.0f rays hit, %.0f samples per ray, %.3g samples a frame (frame 0); one trilinear fetch a "
      "sample at %.3g/s = %.2f ms; measured %.2f ms = %.3g samples/s: %.1f%% of the floor\n",
      rays, samples / std::max(rays, 1.0), samples, o.floorTps, floorMs, plain.medianMs, sps,
      100 * floorMs / plain.medianMs);
  // The same plain frames with the transfer functions read by loads instead of texture fetches,
  // then by textures again: the loads against the mean of the texture runs either side (drift).
  setenv("CVX_CUDA_TF", "global", 1);
  const Timing plainLoads = gpuFrames(gpu, *big, s, step1000, bigScene, false, error);
  unsetenv("CVX_CUDA_TF");
  const Timing plainAgain = error.empty() ? gpuFrames(gpu, *big, s, step1000, bigScene, false, error) : Timing{};
  if (!error.empty()) return std::printf("vol512 plain (loads): %s\n", error.c_str()), 1;
  const double texturesMs = (plain.medianMs + plainAgain.medianMs) / 2;
  std::printf("vol512  plain, tables by loads median %8.2f ms; by texture fetches %.2f and %.2f ms (before, after)\n",
              plainLoads.medianMs, plain.medianMs, plainAgain.medianMs);
  const Timing skip = gpuFrames(gpu, *big, s, 0.5f, bigScene, true, error);
  if (!error.empty()) return std::printf("vol512 skipping: %s\n", error.c_str()), 1;
  std::printf("vol512  skipping, 0.5 mm      median %8.2f ms  p95 %8.2f ms  %8.1f fps\n", skip.medianMs, skip.p95Ms,
              skip.fps);
  float maxDiff = NAN;
  const Timing cpu = cpuFrames(gpu, *big, s, o.cpuFrames, bigScene, maxDiff);
  std::printf("vol512  CPU back end, skipping median %8.2f ms over %d frames (all cores); max |GPU - CPU| %s\n",
              cpu.medianMs, o.cpuFrames, num(maxDiff, "%.3g").c_str());
  const double na = o.dryRun ? NAN : 1.0;  // a dry run's figures are not the GPU's
  const double pacedNa = o.cinePhases < 2 ? NAN : na;  // one phase: no frame after the first
  std::printf("RESULT gpu_fps_1080p=%s gpu_vs_cpu=%s gpu_fps_ct_1080p=%s gpu_floor_fraction=%s gpu_cine_first_ms=%s "
              "gpu_cine_loop_ms=%s gpu_cine_paced_ms=%s gpu_cine_prefetch_ms=%s gpu_tf_global_vs_texture=%s\n",
              num(na * skip.fps, "%.1f").c_str(), num(na * cpu.medianMs / skip.medianMs, "%.1f").c_str(),
              num(na * ctSkip.fps, "%.1f").c_str(), num(na * floorMs / plain.medianMs, "%.3f").c_str(),
              num(na * cine.first.medianMs, "%.2f").c_str(), num(na * cine.loop.medianMs, "%.2f").c_str(),
              num(pacedNa * paced.medianMs, "%.2f").c_str(), num(pacedNa * ahead.medianMs, "%.2f").c_str(),
              num(na * plainLoads.medianMs / texturesMs, "%.3f").c_str());
  return 0;
}
