// SPDX-License-Identifier: MIT
// bench_segment_cuda (issue 12): bench_segment's CUDA column where bench_segment cannot build (the
// GPU machine's gpu-core preset has no DICOM reader and no ITK). The same four algorithms on the
// same inputs with bench_segment's rules (bone 300..3000 HU, lung -1000..-400 HU 6-connected from
// the right-lung seed of lung_seed.h, Otsu one bin per stored value, the bone dilated by a 2 mm
// ball), on the CT as raw int16 HU (gpu_ct.h: --ct FILE --dims X,Y,Z --spacing X,Y,Z from
// tools/gpu_bench_ct.sh) and the 512^3 volume of its slices cycled. The peer in the same run is
// CineVox's CPU (cvx::seg): its foreground count is what every device run must count (ITK's
// equality with cvx::seg is tests/itk's and bench_segment's). Device times by CUDA events after one
// warm-up call (bench_segment_gpu.h). Without a device every figure is NA. Flags: --runs N (5 on
// the CT, 3 on 512^3), --slices N (512); --dry-run (first) stops before the device: the seeds and
// the CPU's counts, a check of the program here. Last line:
// RESULT regiongrow_gpu_ms=<CT> threshold_gpu_ms=<CT> otsu_gpu_ms=<CT> dilate_gpu_ms=<CT>
//        regiongrow_512_gpu_ms=<n> threshold_512_gpu_ms=<n> mismatches=<n>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <cvx/seg/segment.h>

#include "bench_segment_gpu.h"
#include "gpu_ct.h"
#include "lung_seed.h"
#include "segment_table.h"

namespace cvx::bench {
namespace {

struct Options {
  CtSource ct;
  int runs = 5, bigRuns = 3, slices = 512;
  bool dryRun = false;
};

Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc && std::string(argv[i]) == "--dry-run"; ++i, ++argv, --argc) o.dryRun = true;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const char* v = argv[i + 1];
    if (parseCtOption(k, v, o.ct)) continue;
    if (k == "--runs") o.runs = o.bigRuns = std::max(1, std::atoi(v));
    else if (k == "--slices") o.slices = std::max(1, std::atoi(v));
    else std::fprintf(stderr, "bench_segment_cuda: unknown option %s\n", k.c_str());
  }
  return o;
}

// One input: the CPU's counts, then the device's runs against them. Returns the mismatches (a
// failure to set up counts as one).
int runInput(const std::string& name, const Volume& v, int runs, bool dryRun, std::vector<GpuRow>& rows) {
  // gpu_ct.h's volumes hold HU (slope 1, intercept 0): the rules' HU are the stored values.
  GpuJob job;
  job.volume = &v, job.runs = runs;
  job.boneLo = 300, job.boneHi = 3000, job.lungLo = -1000, job.lungHi = -400, job.dilateMm = 2;
  const auto seed = findRightLungSeed(v, job.lungLo, job.lungHi);
  if (!seed) return std::printf("%s: no right lung found (-1000..-400 HU)\n", name.c_str()), 1;
  job.seed[0] = seed->x, job.seed[1] = seed->y, job.seed[2] = seed->z;
  std::printf("%s: %lldx%lldx%lld int16 HU, right-lung seed (%lld, %lld, %lld) at %.0f HU\n", name.c_str(),
              (long long)v.dims()[0], (long long)v.dims()[1], (long long)v.dims()[2], (long long)seed->x,
              (long long)seed->y, (long long)seed->z, v.valueAt(seed->x, seed->y, seed->z));
  auto bone = seg::threshold(v, job.boneLo, job.boneHi);
  auto lung = seg::connectedThreshold(v, {*seed}, job.lungLo, job.lungHi, 6);
  auto otsu = seg::otsu(v, 0);
  if (!bone.ok() || !lung.ok() || !otsu.ok()) return std::printf("%s: the CPU's labels failed\n", name.c_str()), 1;
  auto dilated = seg::dilate(**bone, job.dilateMm);
  if (!dilated.ok()) return std::printf("%s: the CPU's dilation failed\n", name.c_str()), 1;
  job.boneMask = bone->get();
  const seg::VolumePtr* masks[4] = {&*bone, &*lung, &otsu->mask, &*dilated};
  for (int a = 0; a < 4; ++a) job.cpuCounts[a] = countForeground(**masks[a]);
  std::printf("%s: CPU counts: threshold %lld, regiongrow %lld, otsu %lld (threshold %.1f), dilate %lld\n",
              name.c_str(), (long long)job.cpuCounts[0], (long long)job.cpuCounts[1], (long long)job.cpuCounts[2],
              otsu->threshold, (long long)job.cpuCounts[3]);
  return dryRun ? 0 : runGpuInput(name, job, rows);
}

}  // namespace
}  // namespace cvx::bench

int main(int argc, char** argv) {
  using namespace cvx;
  using namespace cvx::bench;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const Options o = parseArgs(argc, argv);
  std::string why;
  if (!o.dryRun && !gpuUsable(why)) {
    std::printf("bench_segment_cuda: no CUDA device (%s)\n", why.c_str());
    std::printf("RESULT regiongrow_gpu_ms=NA threshold_gpu_ms=NA otsu_gpu_ms=NA dilate_gpu_ms=NA "
                "regiongrow_512_gpu_ms=NA threshold_512_gpu_ms=NA mismatches=NA\n");
    return 0;
  }
  std::printf("bench_segment_cuda: %s\n", o.dryRun ? "--dry-run: no device call" : why.c_str());
  std::string what;
  auto ct = loadCt(o.ct, what);
  if (!ct) return std::printf("bench_segment_cuda: %s\n", what.c_str()), 1;
  std::printf("CT: %s\n", what.c_str());
  std::vector<GpuRow> rows;
  int mismatches = runInput("ct134", *ct, o.runs, o.dryRun, rows);
  const std::string big = "vol" + std::to_string(o.slices);
  {
    auto v = cycledCt(o.ct, *ct, o.slices);
    ct.reset();
    mismatches += runInput(big, *v, o.bigRuns, o.dryRun, rows);
  }
  printGpuRows(rows);
  auto ms = [&](const std::string& input, const char* algo) { return fmt(gpuKernelMs(rows, input, algo), "%.3f"); };
  std::printf("RESULT regiongrow_gpu_ms=%s threshold_gpu_ms=%s otsu_gpu_ms=%s dilate_gpu_ms=%s "
              "regiongrow_512_gpu_ms=%s threshold_512_gpu_ms=%s mismatches=%d\n",
              ms("ct134", "regiongrow").c_str(), ms("ct134", "threshold").c_str(), ms("ct134", "otsu").c_str(),
              ms("ct134", "dilate").c_str(), ms(big, "regiongrow").c_str(), ms(big, "threshold").c_str(),
              mismatches);
  return mismatches ? 3 : 0;
}
