// SPDX-License-Identifier: MIT
// bench_ingest: CineVox's DICOM ingest (scan + plan + load) against ITK (GDCMSeriesFileNames +
// ImageSeriesReader + GDCMImageIO) and against reading the bytes alone, on ct/ (134 JPEG-lossless
// slices) and on a 1000-slice uncompressed series built from it. Warm cache, same thread count,
// median of N runs; the voxels of both readers are compared before anything is timed. Then the
// first load in a fresh process (a child process per figure) against reading the same bytes into
// a fresh buffer, both cold in allocation and warm in the page cache.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cvx/core/thread_pool.h>
#include <cvx/io/dicom.h>

#include "bench_series.h"
#include "itk_reader.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace cvx::bench {
namespace {

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? NAN : v[v.size() / 2];
}

// "min..max" of the runs in ms, to show the spread behind a median.
std::string spread(const std::vector<double>& v) {
  if (v.empty()) return "-";
  char s[64];
  std::snprintf(s, sizeof s, "%.1f..%.1f", *std::min_element(v.begin(), v.end()) * 1e3,
                *std::max_element(v.begin(), v.end()) * 1e3);
  return s;
}

struct Options {
  int repeat = 5;
  unsigned threads = 0;
  int slices = 1000;
  std::string data = CVX_DATA_DIR;
  bool noThp = false;  // --thp off: transparent huge pages disabled for this process (diagnostic)
};

// Reads every file of a folder fully into memory on the CineVox pool; returns the bytes read.
size_t readAll(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path().string());
  std::vector<std::vector<char>> bufs(files.size());
  std::atomic<size_t> total{0};
  (void)ThreadPool::global().parallelFor(int64_t(files.size()), [&](int64_t i) {
    const int fd = ::open(files[size_t(i)].c_str(), O_RDONLY);
    if (fd < 0) return;
    const off_t size = ::lseek(fd, 0, SEEK_END);
    bufs[size_t(i)].resize(size_t(std::max<off_t>(size, 0)));
    size_t got = 0;
    while (got < bufs[size_t(i)].size()) {
      const ssize_t r = ::pread(fd, bufs[size_t(i)].data() + got, bufs[size_t(i)].size() - got, off_t(got));
      if (r <= 0) break;
      got += size_t(r);
    }
    ::close(fd);
    total += got;
  });
  return total;
}

struct CvxRun {
  double scan = NAN, plan = NAN, load = NAN, firstSlice = NAN, total = NAN;
  std::shared_ptr<Volume> volume;
  io::SeriesPlan plan_;
  std::string error;
};

CvxRun cvxIngest(const std::string& dir) {
  CvxRun r;
  const auto t0 = Clock::now();
  auto scan = io::scan(dir);
  r.scan = secondsSince(t0);
  if (!scan.ok()) return r.error = scan.error().str(), r;
  const auto t1 = Clock::now();
  io::GroupResult groups = io::planSeries(*scan);
  r.plan = secondsSince(t1);
  if (groups.series.empty()) return r.error = "no series planned", r;
  auto& best = *std::max_element(groups.series.begin(), groups.series.end(),
                                 [](const auto& a, const auto& b) { return a.slices.size() < b.slices.size(); });
  std::atomic<bool> first{false};
  std::atomic<int64_t> firstNs{0};
  io::LoadOptions lo;
  lo.onSliceReady = [&](int64_t) {
    if (!first.exchange(true))
      firstNs = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
  };
  const auto t2 = Clock::now();
  auto vol = io::loadSeries(*scan, best, lo);
  r.load = secondsSince(t2);
  r.total = secondsSince(t0);
  if (!vol.ok()) return r.error = vol.error().str(), r;
  r.firstSlice = first ? double(firstNs.load()) * 1e-9 : NAN;
  r.volume = std::move(vol.value());
  r.plan_ = std::move(best);
  return r;
}

// Compares CineVox's stored values, rescaled per slice, with ITK's (rescaled) voxels.
bool sameVoxels(const CvxRun& c, const ItkSeries& itk, std::string& why) {
  const Volume& v = *c.volume;
  const auto& d = v.dims();
  if (uint64_t(d[0]) != itk.size[0] || uint64_t(d[1]) != itk.size[1] || uint64_t(d[2]) != itk.size[2])
    return why = "dimensions differ", false;
  // ITK orders slices from its origin; CineVox may run the other way along the normal.
  const Vec3 o = v.geometry.originMm, last = v.geometry.worldAt(0, 0, double(d[2] - 1));
  auto near = [&](Vec3 p) {
    return std::abs(p.x - itk.origin[0]) + std::abs(p.y - itk.origin[1]) + std::abs(p.z - itk.origin[2]) < 1e-3;
  };
  const bool reversed = !near(o) && near(last);
  if (!near(o) && !reversed) return why = "origins differ", false;
  const int64_t n = v.voxelsPerSlice();
  int64_t diff = 0;
  double sumCvx = 0, sumItk = 0;
  for (int64_t z = 0; z < d[2]; ++z) {
    const io::SliceRef& s = c.plan_.slices[size_t(z)];
    const int16_t* it = itk.voxels.data() + (reversed ? d[2] - 1 - z : z) * n;
    for (int64_t i = 0; i < n; ++i) {
      double stored = v.type() == PixelType::Int16 ? double(v.as<int16_t>()[z * n + i])
                                                   : double(v.as<uint16_t>()[z * n + i]);
      const double hu = stored * s.rescaleSlope + s.rescaleIntercept;
      diff += std::lround(hu) != it[i];
      sumCvx += hu;
      sumItk += it[i];
    }
  }
  std::printf("  verify: %lld voxels, CineVox sum %.0f, ITK sum %.0f, %lld differ%s\n",
              static_cast<long long>(n * d[2]), sumCvx, sumItk, static_cast<long long>(diff),
              reversed ? " (ITK slice order reversed)" : "");
  if (diff) why = std::to_string(diff) + " voxels differ";
  return diff == 0;
}

struct Figures {
  double cvx = NAN, itk = NAN, read = NAN;
  bool verified = false;
};

// Warm-up (and verification), then `repeat` rounds of read / ITK / CineVox; prints medians.
Figures measure(const std::string& label, const std::string& dir, int repeat) {
  Figures f;
  std::printf("\n== %s: %s\n", label.c_str(), dir.c_str());
  const size_t bytes = readAll(dir);
  const ItkSeries ref = itkReadSeries(dir, true);
  if (!ref.error.empty()) std::printf("  ITK failed: %s\n", ref.error.c_str());
  {
    const CvxRun warm = cvxIngest(dir);
    if (!warm.error.empty()) std::printf("  CineVox failed: %s\n", warm.error.c_str());
    std::string why;
    if (warm.volume && ref.error.empty()) {
      f.verified = sameVoxels(warm, ref, why);
      if (!f.verified) std::printf("  VERIFY FAILED: %s\n", why.c_str());
    }
  }
  std::vector<double> read, itk, scan, plan, load, first, total;
  for (int r = 0; r < repeat; ++r) {
    auto t0 = Clock::now();
    readAll(dir);
    read.push_back(secondsSince(t0));
    if (ref.error.empty()) {
      t0 = Clock::now();
      const ItkSeries s = itkReadSeries(dir, false);
      itk.push_back(secondsSince(t0));
    }
    CvxRun c = cvxIngest(dir);
    if (!c.error.empty()) continue;
    scan.push_back(c.scan), plan.push_back(c.plan), load.push_back(c.load);
    first.push_back(c.firstSlice), total.push_back(c.total);
  }
  f.read = median(read), f.itk = median(itk), f.cvx = median(total);
  std::printf("  read bytes      %8.1f ms  (%.1f MB, %zu files)\n", f.read * 1e3, double(bytes) / 1e6,
              size_t(std::distance(fs::directory_iterator(dir), fs::directory_iterator())));
  std::printf("  ITK             %8.1f ms  (runs %s)\n", f.itk * 1e3, spread(itk).c_str());
  std::printf("  CineVox total   %8.1f ms  (runs %s) = scan %.1f + plan %.1f + load %.1f; first slice ready at %.1f ms\n",
              f.cvx * 1e3, spread(total).c_str(), median(scan) * 1e3, median(plan) * 1e3, median(load) * 1e3,
              median(first) * 1e3);
  return f;
}

// --- First load in a fresh process -------------------------------------------------------------
// Each cold figure is taken in a child process of its own (this binary, re-run with --cold), so
// that no buffer, heap or voxel cache of an earlier round is reused: the allocation is cold, the
// files are warm in the page cache (the parent has read them). The child prints "COLD <seconds>".

// Reads every file of dir into one fresh buffer of their total size (files side by side), on the pool.
double coldRead(const std::string& dir) {
  std::vector<std::string> files;
  std::vector<size_t> offsets{0};
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) {
      files.push_back(e.path().string());
      offsets.push_back(offsets.back() + size_t(e.file_size()));
    }
  ThreadPool::global();  // threads started before the clock, as for the load
  const auto t0 = Clock::now();
  char* buf = static_cast<char*>(std::malloc(offsets.back()));  // fresh pages: malloc maps them
  if (!buf) return NAN;
  std::atomic<size_t> total{0};
  (void)ThreadPool::global().parallelFor(int64_t(files.size()), [&](int64_t i) {
    const int fd = ::open(files[size_t(i)].c_str(), O_RDONLY);
    if (fd < 0) return;
    const size_t size = offsets[size_t(i) + 1] - offsets[size_t(i)];
    size_t got = 0;
    while (got < size) {
      const ssize_t r = ::pread(fd, buf + offsets[size_t(i)] + got, size - got, off_t(got));
      if (r <= 0) break;
      got += size_t(r);
    }
    ::close(fd);
    total += got;
  });
  const double s = secondsSince(t0);
  std::free(buf);
  return total == offsets.back() ? s : NAN;
}

// Scan + plan + load of dir, the first in this process.
double coldLoad(const std::string& dir) {
  ThreadPool::global();
  const CvxRun r = cvxIngest(dir);
  return r.error.empty() ? r.total : NAN;
}

int coldChild(const std::string& what, const std::string& dir) {
  const double s = what == "read" ? coldRead(dir) : coldLoad(dir);
  std::printf("COLD %.6f\n", s);
  return std::isfinite(s) ? 0 : 1;
}

// Runs this binary as `--cold what dir` in a fresh process; the seconds it measured.
double spawnCold(const std::string& what, const std::string& dir) {
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return NAN;
  exe[n] = 0;
  const std::string cmd = "'" + std::string(exe) + "' --cold " + what + " '" + dir + "'";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return NAN;
  double s = NAN;
  char line[256];
  while (std::fgets(line, sizeof line, p))
    if (std::sscanf(line, "COLD %lf", &s) != 1) s = NAN;
  return ::pclose(p) == 0 ? s : NAN;
}

struct Cold {
  double load = NAN, read = NAN;
};

Cold measureCold(const std::string& dir, int repeat) {
  std::vector<double> load, read;
  for (int r = 0; r < repeat; ++r) {
    read.push_back(spawnCold("read", dir));
    load.push_back(spawnCold("load", dir));
  }
  Cold c{median(load), median(read)};
  std::printf("\n== first load in a fresh process (cold allocation, warm page cache), %d child processes each\n",
              repeat);
  std::printf("  read bytes into a fresh buffer %8.1f ms  (runs %s)\n", c.read * 1e3, spread(read).c_str());
  std::printf("  CineVox scan+plan+load         %8.1f ms  (runs %s)\n", c.load * 1e3, spread(load).c_str());
  return c;
}

Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--repeat") o.repeat = std::max(1, std::atoi(v.c_str()));
    else if (k == "--threads") o.threads = unsigned(std::max(1, std::atoi(v.c_str())));
    else if (k == "--slices") o.slices = std::max(2, std::atoi(v.c_str()));
    else if (k == "--data") o.data = v;
    else if (k == "--thp") o.noThp = v == "off";
  }
  if (!o.threads) o.threads = ThreadPool::defaultThreadCount();  // CVX_THREADS or the cores
  return o;
}

std::string ratio(double a, double b) {
  if (!std::isfinite(a) || !std::isfinite(b) || b <= 0) return "nan";
  char s[32];
  std::snprintf(s, sizeof s, "%.2f", a / b);
  return s;
}

}  // namespace
}  // namespace cvx::bench

int main(int argc, char** argv) {
  using namespace cvx::bench;
  // A child for one cold figure: before anything else is allocated.
  if (argc == 4 && std::string(argv[1]) == "--cold") return coldChild(argv[2], argv[3]);
  const Options o = parseArgs(argc, argv);
  if (o.noThp) prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
  // Before the first use of the global pool: CineVox and ITK get the same number of threads.
  setenv("CVX_THREADS", std::to_string(o.threads).c_str(), 1);
  const unsigned itkThreads = setItkThreads(o.threads);
  std::printf("bench_ingest: threads: CineVox CVX_THREADS=%u (pool %u), ITK global default %u; "
              "hardware %u; median of %d runs, warm cache; transparent huge pages %s\n",
              o.threads, cvx::ThreadPool::global().size() + 1, itkThreads, std::thread::hardware_concurrency(),
              o.repeat, o.noThp ? "off (--thp off)" : "as the system sets them");
  const std::string root = benchRoot(), ct = o.data + "/ct";
  std::error_code ec;
  fs::create_directories(root, ec);
  auto raw = decompressedSeries(ct, root, o.threads);
  auto big = raw.ok() ? replicatedSeries(*raw, o.slices, root, o.threads) : raw;
  if (!big.ok()) std::printf("cannot build the %d-slice series: %s\n", o.slices, big.error().str().c_str());
  const Figures a = measure("ct/ (134 slices 512x512, JPEG lossless SV1)", ct, o.repeat);
  Figures b;
  Cold cold;
  if (big.ok()) {
    b = measure(std::to_string(o.slices) + " slices 512x512, uncompressed", *big, o.repeat);
    cold = measureCold(*big, o.repeat);
  }
  std::printf("\nvs_itk = ITK time / CineVox time (speed-up, higher is better); "
              "vs_read = CineVox time / read-bytes time (lower is better, target <= 2)\n");
  std::printf("voxels verified equal to ITK: ct %s, %d-slice %s\n", a.verified ? "yes" : "NO", o.slices,
              b.verified ? "yes" : "NO");
  std::printf("cold_vs_read = CineVox first load in a fresh process / reading the bytes into a fresh buffer, "
              "each in its own child process (lower is better, target <= 1.5)\n");
  std::printf("RESULT load_ct140_vs_itk=%s load_1000_vs_itk=%s load_1000_vs_read=%s load_1000_cold_vs_read=%s\n",
              ratio(a.itk, a.cvx).c_str(), ratio(b.itk, b.cvx).c_str(), ratio(b.cvx, b.read).c_str(),
              ratio(cold.load, cold.read).c_str());
  return a.verified && b.verified ? 0 : 1;
}
