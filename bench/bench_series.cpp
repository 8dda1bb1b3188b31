// SPDX-License-Identifier: MIT
// Builds bench_ingest's input series with DCMTK's command-line tools (no DCMTK headers here).
#include "bench_series.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>
#include <vector>

#include <cvx/io/dicom.h>

namespace fs = std::filesystem;

namespace cvx::bench {
namespace {

std::string readStamp(const std::string& path) {
  std::ifstream f(path);
  std::string s;
  std::getline(f, s);
  return s;
}

size_t countFiles(const std::string& dir) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file()) ++n;
  return n;
}

// Runs job(i) for i in [0, n) on `threads` threads; false if any job failed.
bool runJobs(size_t n, unsigned threads, const std::function<bool(size_t)>& job) {
  std::atomic<size_t> next{0};
  std::atomic<bool> ok{true};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::max(1u, threads); ++t)
    pool.emplace_back([&] {
      for (size_t i = next++; i < n && ok; i = next++)
        if (!job(i)) ok = false;
    });
  for (auto& t : pool) t.join();
  return ok;
}

bool run(const std::string& cmd) { return std::system(cmd.c_str()) == 0; }

std::string quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace

std::string benchRoot() {
  const char* e = std::getenv("CVX_BENCH_DIR");
  return e && *e ? e : "/tmp/cvx_bench";
}

Result<std::string> decompressedSeries(const std::string& source, const std::string& root, unsigned threads) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(source))
    if (e.is_regular_file() && e.path().extension() == ".dcm") files.push_back(e.path());
  const std::string out = root + "/ct_raw", stamp = out + ".stamp";
  const std::string want = "dcmdjpeg v1 " + std::to_string(files.size());
  if (readStamp(stamp) == want && countFiles(out) == files.size()) return out;
  std::printf("building %s (dcmdjpeg of %zu files)...\n", out.c_str(), files.size());
  fs::remove_all(out);
  fs::create_directories(out);
  const bool ok = runJobs(files.size(), threads, [&](size_t i) {
    return run("dcmdjpeg " + quote(files[i].string()) + " " + quote(out + "/" + files[i].filename().string()));
  });
  if (!ok) return makeError("bench.build_failed", "dcmdjpeg failed (is Debian's dcmtk installed?)", out);
  std::ofstream(stamp) << want << "\n";
  return out;
}

Result<std::string> replicatedSeries(const std::string& raw, int count, const std::string& root,
                                     unsigned threads) {
  const std::string out = root + "/ct" + std::to_string(count), stamp = out + ".stamp";
  const std::string want = "dcmodify v1 " + std::to_string(count) + " from " + std::to_string(countFiles(raw));
  if (readStamp(stamp) == want && countFiles(out) == size_t(count)) return out;
  auto scan = io::scan(raw);
  if (!scan.ok()) return scan.error();
  const io::GroupResult groups = io::planSeries(*scan);
  if (groups.series.size() != 1) return makeError("bench.build_failed", "expected one series", raw);
  const io::SeriesPlan& plan = groups.series.front();
  const Geometry& g = plan.geometry;
  const int64_t nz = plan.dims[2];
  std::printf("building %s (%d slices from %lld, %.3f mm apart, dcmodify)...\n", out.c_str(), count,
              static_cast<long long>(nz), g.spacingMm.z);
  fs::remove_all(out);
  fs::create_directories(out);
  const bool ok = runJobs(size_t(count), threads, [&](size_t i) {
    const std::string& src = scan->files[plan.slices[i % size_t(nz)].file].path;
    char name[32];
    std::snprintf(name, sizeof name, "/IM%05zu.dcm", i + 1);
    const std::string dst = out + name;
    std::error_code ec;
    if (!fs::copy_file(src, dst, ec)) return false;
    const Vec3 p = g.worldAt(0, 0, double(i));
    char ipp[160];
    std::snprintf(ipp, sizeof ipp, "%.6f\\%.6f\\%.6f", p.x, p.y, p.z);
    const Vec3 nrm = g.direction[2];
    const double loc = p.x * nrm.x + p.y * nrm.y + p.z * nrm.z;
    return run("dcmodify -q -nb -gin -i '(0020,0032)=" + std::string(ipp) + "' -i '(0020,0013)=" +
               std::to_string(i + 1) + "' -i '(0020,1041)=" + std::to_string(loc) + "' " + quote(dst));
  });
  if (!ok) return makeError("bench.build_failed", "copy or dcmodify failed (is Debian's dcmtk installed?)", out);
  std::ofstream(stamp) << want << "\n";
  return out;
}

}  // namespace cvx::bench
