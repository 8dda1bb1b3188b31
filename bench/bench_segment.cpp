// SPDX-License-Identifier: MIT
// bench_segment (issue 12): CineVox's CPU segmentation (cvx::seg) against ITK's filters in the same
// run, on the 134-slice CT and on a 512^3 volume built from its slices (bench_series.h, as
// bench_render): threshold (bone, 300..3000 HU), region growing (connected threshold, -1000..-400 HU,
// 6-connected, seeded at the centre of the right lung), Otsu (one bin per stored value, as
// tests/itk/itk_otsu_test.cpp) and dilation of the bone by a 2 mm ball (ITK gets cvx's ball as a
// flat element, as tests/itk/itk_segment_test.cpp). Both on the same thread count; medians of N runs;
// every run's foreground count must be the same on both sides (the ITK tests say the labels are
// identical): a mismatch fails the run. Peak memory: the growth of VmHWM over each call, reset before
// it (segment_mem.h). CUDA (where cvx_cuda is built, bench_segment_gpu.cpp): the same four on the
// device, kernel time apart from the upload; NA without a usable device. docs/benchmarks.md.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <cvx/core/thread_pool.h>
#include <cvx/core/voxel_memory.h>
#include <cvx/io/dicom.h>
#include <cvx/seg/segment.h>

#include "bench_series.h"
#include "lung_seed.h"
#ifdef CVX_BENCH_CUDA
#include "bench_segment_gpu.h"
#endif
#include "itk_seg_common.h"
#include "segment_itk.h"
#include "segment_mem.h"
#include "segment_table.h"

namespace cvx::bench {
namespace {

struct Options {
  unsigned threads = 2;
  int runs = 5, bigRuns = 3, slices = 512;
  bool big = true, itk = true;
  std::string only;  // one algorithm, else all four
  double dilateMm = 2.0;
  std::string data = CVX_DATA_DIR;
};

Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i], v = i + 1 < argc ? argv[i + 1] : "";
    auto num = [&](int lo) {
      ++i;
      return std::max(lo, std::atoi(v.c_str()));
    };
    if (k == "--no-big")
      o.big = false;
    else if (k == "--threads")
      o.threads = static_cast<unsigned>(num(1));
    else if (k == "--runs")
      o.runs = num(1);
    else if (k == "--big-runs")
      o.bigRuns = num(1);
    else if (k == "--slices")
      o.slices = num(2);
    else if (k == "--no-itk")
      o.itk = false;
    else if (k == "--only")
      o.only = v, ++i;
    else if (k == "--data")
      o.data = v, ++i;
    else {
      std::fprintf(stderr,
                   "bench_segment: unknown option %s\nusage: bench_segment [--threads N (2)] [--runs N (5)] "
                   "[--big-runs N (3)] [--no-big] [--slices N (512)] [--no-itk] [--only "
                   "threshold|regiongrow|otsu|dilate] "
                   "[--data DIR]\n",
                   k.c_str());
      std::exit(2);
    }
  }
  if (!o.only.empty() && o.only != "threshold" && o.only != "regiongrow" && o.only != "otsu" &&
      o.only != "dilate")
    std::fprintf(stderr, "bench_segment: --only %s: not an algorithm here\n", o.only.c_str()), std::exit(2);
  return o;
}

int gMismatches = 0;
#ifdef CVX_BENCH_CUDA
bool gGpu = false;  // a usable device
std::vector<GpuRow> gGpuRows;
#endif

// The integers k with lo <= k <= hi (cvx's rule for integer voxels), for ITK's bounds.
int64_t ceilOf(double x) { return static_cast<int64_t>(std::ceil(x)); }
int64_t floorOf(double x) { return static_cast<int64_t>(std::floor(x)); }

// Runs one CineVox algorithm `runs` times: time, peak growth, foreground count, output size.
// The peak is measured from `baseline`, the RSS with the inputs alone (voxel_memory's kept buffer
// included after the first call: a later call reuses it, so it is counted once, as the memory the
// algorithm holds).
bool timeCvx(Row& row, int runs, int64_t baseline, const std::function<Result<seg::VolumePtr>()>& fn) {
  for (int i = 0; i < runs; ++i) {
    PeakProbe probe;
    probe.start(baseline);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = fn();
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const int64_t growth = probe.growth();
    if (!r.ok()) {
      std::printf("CineVox %s on %s: %s\n", row.algo.c_str(), row.input.c_str(), r.error().str().c_str());
      return false;
    }
    row.cvx.ms.push_back(ms);
    row.cvx.peak = std::max(row.cvx.peak, growth);
    row.cvx.counts.push_back(countForeground(**r));
    row.outBytes = static_cast<int64_t>((*r)->byteSize());
  }
  return true;
}

void timeItk(Row& row, int runs, const std::function<ItkRun()>& fn) {
  for (int i = 0; i < runs; ++i) {
    const ItkRun r = fn();
    row.itk.ms.push_back(r.ms);
    row.itk.counts.push_back(r.count);
    row.itk.peak = std::max(row.itk.peak, r.peakGrowth);
  }
}

// All four algorithms on one input: CineVox's first (its peaks over the input alone), then ITK's
// on a copy of the input. Appends four rows; false on an error.
bool runInput(const std::string& name, const Volume& v, int runs, const Options& o, std::vector<Row>& rows) {
  const auto& d = v.dims();
  const int64_t voxels = v.voxelsPerPhase();
  if (v.type() != PixelType::Int16 && v.type() != PixelType::UInt16)
    return std::printf("%s: %s voxels; the bench needs Int16 or UInt16\n", name.c_str(), toString(v.type())),
           false;
  const double boneLo = test::storedOf(v, 300), boneHi = test::storedOf(v, 3000);
  const double lungLo = test::storedOf(v, -1000), lungHi = test::storedOf(v, -400);
  const std::optional<seg::Index3> seed = findRightLungSeed(v, lungLo, lungHi);
  if (!seed) return std::printf("%s: no right lung found (-1000..-400 HU)\n", name.c_str()), false;
  const Vec3 w = v.geometry.worldAt(double(seed->x), double(seed->y), double(seed->z));
  std::printf("%s: %lldx%lldx%lld %s (%.0f MiB), spacing %.4f x %.4f x %.3f mm; RSS %.0f MiB\n", name.c_str(),
              (long long)d[0], (long long)d[1], (long long)d[2], toString(v.type()), v.byteSize() / kMiB,
              v.geometry.spacingMm.x, v.geometry.spacingMm.y, v.geometry.spacingMm.z, rssBytes() / kMiB);
  std::printf("%s: right-lung seed (%lld, %lld, %lld) = LPS (%.1f, %.1f, %.1f) mm, %.0f HU\n", name.c_str(),
              (long long)seed->x, (long long)seed->y, (long long)seed->z, w.x, w.y, w.z,
              v.valueAt(seed->x, seed->y, seed->z) * v.info.rescaleSlope + v.info.rescaleIntercept);
  // Otsu's bins: one per stored value, from the volume's range (found here, not by cvx::seg).
  int64_t mn = std::numeric_limits<int64_t>::max(), mx = std::numeric_limits<int64_t>::min();
  for (int64_t i = 0; i < voxels; ++i) {
    const int64_t s = v.type() == PixelType::Int16 ? v.as<int16_t>()[i] : v.as<uint16_t>()[i];
    mn = std::min(mn, s), mx = std::max(mx, s);
  }
  const int bins = static_cast<int>(mx - mn + 1);
  auto bone = seg::threshold(v, boneLo, boneHi);
  auto ball = seg::ballOffsets(o.dilateMm, v.geometry.spacingMm);
  if (!bone.ok() || !ball.ok()) return std::printf("%s: bone mask or ball failed\n", name.c_str()), false;

  detail::trimVoxelCache();  // no buffer kept from an earlier input
  const int64_t baseline = rssBytes();
  std::printf(
      "%s: RSS %.0f MiB with the input and the bone mask (the dilation's input) resident: CineVox's "
      "peaks are measured from there\n",
      name.c_str(), baseline / kMiB);
  const size_t first = rows.size();
  const char* const algos[4] = {"threshold", "regiongrow", "otsu", "dilate"};
  auto cvxRuns = [&](int i) { return o.only.empty() || o.only == algos[i] ? runs : 0; };
  auto itkRuns = [&](int i) { return o.itk ? cvxRuns(i) : 0; };
  for (const char* algo : algos) {
    Row r;
    r.input = name, r.algo = algo, r.voxels = voxels;
    rows.push_back(r);
  }
  Row* row = &rows[first];
  char note[160];
  std::snprintf(note, sizeof note, "bone %.0f..%.0f stored", boneLo, boneHi);
  row[0].note = note;
  std::snprintf(note, sizeof note, "lung %.0f..%.0f stored, 6-conn", lungLo, lungHi);
  row[1].note = note;
  std::snprintf(note, sizeof note, "dilate bone, %.1f mm ball = %zu voxels", o.dilateMm, ball->size());
  row[3].note = note;
  double cvxOtsuT = NAN;
  int cvxBins = 0;
  const bool ok = timeCvx(row[0], cvxRuns(0), baseline, [&] { return seg::threshold(v, boneLo, boneHi); }) &&
                  timeCvx(row[1], cvxRuns(1), baseline,
                          [&] { return seg::connectedThreshold(v, {*seed}, lungLo, lungHi, 6); }) &&
                  timeCvx(row[2], cvxRuns(2), baseline,
                          [&]() -> Result<seg::VolumePtr> {
                            auto r = seg::otsu(v, 0);
                            if (!r.ok()) return r.error();
                            cvxOtsuT = r->threshold, cvxBins = r->bins;
                            return r->mask;
                          }) &&
                  timeCvx(row[3], cvxRuns(3), baseline, [&] { return seg::dilate(**bone, o.dilateMm); });
  if (!ok) return false;
#ifdef CVX_BENCH_CUDA
  if (gGpu) {  // the same calls on the device; counts checked against the CPU's first run
    GpuJob job;
    job.volume = &v, job.boneMask = bone->get();
    job.seed[0] = seed->x, job.seed[1] = seed->y, job.seed[2] = seed->z;
    job.boneLo = boneLo, job.boneHi = boneHi, job.lungLo = lungLo, job.lungHi = lungHi, job.dilateMm = o.dilateMm;
    job.runs = runs, job.only = o.only;
    for (int i = 0; i < 4; ++i) job.cpuCounts[i] = row[i].cvx.counts.empty() ? -1 : row[i].cvx.counts.front();
    gMismatches += runGpuInput(name, job, gGpuRows);
  }
#endif
  if (cvxRuns(2) && cvxBins != bins) {
    ++gMismatches;
    std::printf("!!! MISMATCH %s otsu: CineVox used %d bins, the range %lld..%lld has %d values\n",
                name.c_str(), cvxBins, (long long)mn, (long long)mx, bins);
  }
  if (o.itk) {
    ItkPeer peer(v);
    if (!peer.ok()) return std::printf("%s: ITK input failed\n", name.c_str()), false;
    double itkOtsuT = NAN;
    timeItk(row[0], itkRuns(0), [&] { return peer.threshold(ceilOf(boneLo), floorOf(boneHi)); });
    timeItk(row[1], itkRuns(1),
            [&] { return peer.connectedThreshold(*seed, ceilOf(lungLo), floorOf(lungHi), 6); });
    timeItk(row[2], itkRuns(2), [&] { return peer.otsu(bins, &itkOtsuT); });
    peer.setMask(**bone);
    timeItk(row[3], itkRuns(3), [&] { return peer.dilate(*ball); });
    std::snprintf(note, sizeof note, "%d bins; upper class from %.1f (CineVox) / > %.1f (ITK) stored", bins,
                  cvxOtsuT, itkOtsuT);
    row[2].note = note;
  }
  for (int i = 0; i < 4; ++i) gMismatches += checkCounts(row[i]);
  return true;
}

}  // namespace
}  // namespace cvx::bench

int main(int argc, char** argv) {
  using namespace cvx;
  using namespace cvx::bench;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const Options o = parseArgs(argc, argv);
  setenv("CVX_THREADS", std::to_string(o.threads).c_str(), 1);  // before the pool's first use
  ItkPeer::setThreads(o.threads);
  const bool canReset = resetPeak();
  std::printf(
      "bench_segment: %u threads (CineVox pool %u + caller, ITK global default %u); hardware %u; "
      "runs %d (CT), %d (%d^3); load average %s\n",
      o.threads, ThreadPool::global().size(), ItkPeer::threads(), std::thread::hardware_concurrency(), o.runs,
      o.bigRuns, o.slices, loadAverage().c_str());
  std::printf("peak memory: growth of VmHWM over each call, reset by /proc/self/clear_refs (%s)\n",
              canReset ? "works here" : "REFUSED: peaks since the process started");
#ifdef CVX_BENCH_CUDA
  std::string why;
  gGpu = gpuUsable(why);
  std::printf("CUDA: %s\n\n", (gGpu ? "device " + why : "NA (" + why + ")").c_str());
#else
  std::printf("CUDA: NA (built without the CUDA back end)\n\n");
#endif
  const std::string ct = o.data + "/ct";
  std::vector<Row> rows;
  {
    auto loaded = io::loadPath(ct);
    if (!loaded.ok()) return std::printf("cannot load %s: %s\n", ct.c_str(), loaded.error().str().c_str()), 1;
    if (!runInput("ct134", **loaded, o.runs, o, rows)) return 1;
  }
  if (o.big) {
    auto loaded = loadReplicatedCt(ct, o.slices, o.threads);
    if (!loaded.ok())
      return std::printf("cannot build or load the %d-slice series: %s\n", o.slices, loaded.error().str().c_str()), 1;
    if (!runInput("vol" + std::to_string(o.slices), **loaded, o.bigRuns, o, rows)) return 1;
  }
  printRows(rows);
#ifdef CVX_BENCH_CUDA
  printGpuRows(gGpuRows);
  auto gpuMs = [&](const std::string& input, const char* algo) { return fmt(gpuKernelMs(gGpuRows, input, algo), "%.3f"); };
#else
  auto gpuMs = [](const std::string&, const char*) { return std::string("NA"); };
#endif
  std::printf(
      "\nITK/cvx = ITK median / CineVox median (the target is >= 3 on 2 cores); cvx peak = the largest "
      "VmHWM during one CineVox call minus the RSS with the inputs alone, MiB (bytes per voxel); ITK peak: "
      "over the RSS just before Update(), its input copy excluded; out B/vx = bytes of "
      "CineVox's output per voxel; load average now %s\n",
      loadAverage().c_str());
  auto find = [&](const std::string& input, const std::string& algo) -> const Row* {
    for (const Row& r : rows)
      if (r.input == input && r.algo == algo) return &r;
    return nullptr;
  };
  auto ctRatio = [&](const char* algo) { return fmt(find("ct134", algo)->ratio()); };
  const Row* big = o.big ? find("vol" + std::to_string(o.slices), "regiongrow") : nullptr;
  int64_t peak = -1;  // over CineVox's calls on the largest input
  for (const Row& r : rows)
    if (r.input == rows.back().input) peak = std::max(peak, r.cvx.peak);
  if (gMismatches) {
    std::printf("bench_segment: FAILED: %d mismatches between CineVox and ITK (see !!! above)\n",
                gMismatches);
    return 3;
  }
  std::printf(
      "RESULT regiongrow_cpu_vs_itk=%s regiongrow_gpu_ms=%s threshold_cpu_vs_itk=%s otsu_cpu_vs_itk=%s "
      "dilate_cpu_vs_itk=%s regiongrow_512_cpu_vs_itk=%s peak_mb=%s threshold_gpu_ms=%s otsu_gpu_ms=%s "
      "dilate_gpu_ms=%s regiongrow_512_gpu_ms=%s\n",
      ctRatio("regiongrow").c_str(), gpuMs("ct134", "regiongrow").c_str(), ctRatio("threshold").c_str(),
      ctRatio("otsu").c_str(), ctRatio("dilate").c_str(), fmt(big ? big->ratio() : NAN).c_str(),
      fmt(peak / kMiB, "%.1f").c_str(), gpuMs("ct134", "threshold").c_str(), gpuMs("ct134", "otsu").c_str(),
      gpuMs("ct134", "dilate").c_str(), gpuMs("vol" + std::to_string(o.slices), "regiongrow").c_str());
  return 0;
}
