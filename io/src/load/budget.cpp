// The memory budget of a load (issue 10: one copy of each volume, never a swap storm) and loading
// at reduced resolution: what a load will hold, the default budget from the machine's limits, the
// reduced plan and the reduction that fits.
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include <cvx/core/thread_pool.h>
#include <cvx/io/dicom.h>

#include "load/internal.h"

namespace cvx::io {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kNoLimit = uint64_t{1} << 62;  // cgroup v1 writes "no limit" as ~2^63
constexpr int kMaxReduction = 64;

uint64_t mul(uint64_t a, uint64_t b) { return b != 0 && a > kMax / b ? kMax : a * b; }
uint64_t add(uint64_t a, uint64_t b) { return a > kMax - b ? kMax : a + b; }
int64_t reducedDim(int64_t d, int n) { return (d + n - 1) / n; }

// "MemAvailable:   23609944 kB" and "VmSize: ... kB" lines: the value in bytes.
std::optional<uint64_t> kbField(const char* file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream is(line.substr(key.size() + 1));
    uint64_t kb = 0;
    if (is >> kb) return mul(kb, 1024);
  }
  return std::nullopt;
}

std::optional<uint64_t> number(const std::string& file) {
  std::ifstream in(file);
  std::string s;
  if (!(in >> s) || s == "max") return std::nullopt;
  try {
    const unsigned long long v = std::stoull(s);
    return v >= kNoLimit ? std::nullopt : std::optional<uint64_t>(v);
  } catch (...) {
    return std::nullopt;
  }
}

// limit - usage in one cgroup folder, nullopt when it has no limit.
std::optional<uint64_t> leftIn(const std::string& dir, const char* limitFile, const char* usageFile) {
  const auto limit = number(dir + "/" + limitFile);
  if (!limit) return std::nullopt;
  const uint64_t used = number(dir + "/" + usageFile).value_or(0);
  return *limit > used ? *limit - used : 0;
}

std::optional<uint64_t> least(std::optional<uint64_t> a, std::optional<uint64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// The process's cgroup (v2 "0::/path", v1 "N:memory:/path"); its folder and every ancestor count.
std::optional<uint64_t> cgroupLeft() {
  std::ifstream in("/proc/self/cgroup");
  std::string line, v2, v1;
  while (std::getline(in, line)) {
    if (line.rfind("0::", 0) == 0) v2 = line.substr(3);
    const auto m = line.find(":memory:");
    if (m != std::string::npos) v1 = line.substr(m + 8);
  }
  std::optional<uint64_t> left;
  auto walk = [&](const std::string& root, std::string path, const char* limit, const char* usage) {
    for (;;) {
      left = least(left, leftIn(root + path, limit, usage));
      if (path.empty() || path == "/") break;
      path = path.substr(0, path.find_last_of('/'));
    }
  };
  if (!v1.empty()) walk("/sys/fs/cgroup/memory", v1, "memory.limit_in_bytes", "memory.usage_in_bytes");
  if (!v2.empty()) walk("/sys/fs/cgroup", v2, "memory.max", "memory.current");
  // In a container the paths above may not exist: its own root is the mount point itself.
  left = least(left, leftIn("/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes"));
  return least(left, leftIn("/sys/fs/cgroup", "memory.max", "memory.current"));
}

std::string gib(uint64_t b) {
  char buf[32];
  if (b >= (uint64_t{1} << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(b) / (1 << 30));
  else std::snprintf(buf, sizeof buf, "%.0f MiB", static_cast<double>(b) / (1 << 20));
  return buf;
}

std::string ordinal(int n) {
  const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

unsigned workers(unsigned threads) { return threads ? threads : std::max(1u, ThreadPool::global().size()); }

}  // namespace

uint64_t loadBytes(const SeriesPlan& plan, const Reduction& r, unsigned threads) {
  const int n = std::max(1, r.inPlane), ns = std::max(1, r.slices);
  const uint64_t bpv = bytesPerVoxel(plan.type);
  const uint64_t cols = static_cast<uint64_t>(std::max<int64_t>(0, reducedDim(plan.dims[0], n)));
  const uint64_t rows = static_cast<uint64_t>(std::max<int64_t>(0, reducedDim(plan.dims[1], n)));
  const uint64_t slices = static_cast<uint64_t>(std::max<int64_t>(0, reducedDim(plan.dims[2], ns)));
  const uint64_t phases = static_cast<uint64_t>(std::max<int64_t>(1, plan.dims[3]));
  const uint64_t slice = mul(mul(cols, rows), bpv);
  uint64_t total = mul(mul(slice, slices), phases);
  if (plan.resampled) total = add(total, mul(slice, plan.slices.size()));  // staged source slices
  // Decode scratch: a frame at full size (a mosaic frame holds every tile) per worker, at least.
  const uint64_t frame = mul(mul(plan.pixel.rows, plan.pixel.cols), std::max<uint64_t>(bpv, 1));
  return add(total, mul(std::max(kLoadScratchBytes, frame), workers(threads)));
}

MemoryLimits readMemoryLimits() {
  MemoryLimits l;
  l.memAvailable = kbField("/proc/meminfo", "MemAvailable");
  rlimit rl{};
  if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    const uint64_t used = kbField("/proc/self/status", "VmSize").value_or(0);
    l.addressSpaceLeft = rl.rlim_cur > used ? rl.rlim_cur - used : 0;
  }
  l.cgroupLeft = cgroupLeft();
  return l;
}

MemoryBudget budgetFromLimits(const MemoryLimits& l) {
  std::optional<uint64_t> available;
  std::string what;
  auto consider = [&](std::optional<uint64_t> v, const char* name) {
    if (v && (!available || *v < *available)) {
      available = v;
      what = name;
    }
  };
  consider(l.memAvailable, "MemAvailable");
  consider(l.addressSpaceLeft, "RLIMIT_AS left");
  consider(l.cgroupLeft, "cgroup memory limit left");
  MemoryBudget b;
  if (!available) {  // no /proc (not Linux): refuse nothing the allocator would grant
    b.bytes = kMax;
    b.rule = "no memory limit known";
    return b;
  }
  b.bytes = static_cast<uint64_t>(static_cast<long double>(*available) * kBudgetFraction);
  b.rule = std::to_string(static_cast<int>(kBudgetFraction * 100 + 0.5)) + "% of " + what + " " + gib(*available);
  return b;
}

MemoryBudget defaultMemoryBudget() { return budgetFromLimits(readMemoryLimits()); }

Result<SeriesPlan> reducedPlan(const SeriesPlan& plan, const Reduction& r) {
  if (r.inPlane < 1 || r.slices < 1 || r.inPlane > (1 << 20) || r.slices > (1 << 20))
    return makeError("io.bad_reduction", "a reduction keeps every n-th voxel: n must be 1 or more", plan.id);
  if (r.none()) return plan;
  SeriesPlan out = plan;
  const int n = r.inPlane, ns = r.slices;
  out.dims[0] = reducedDim(plan.dims[0], n);
  out.dims[1] = reducedDim(plan.dims[1], n);
  out.dims[2] = reducedDim(plan.dims[2], ns);
  out.info.reducedInPlane = n;
  out.info.reducedSlices = ns;
  out.geometry.spacingMm = {plan.geometry.spacingMm.x * n, plan.geometry.spacingMm.y * n,
                            plan.geometry.spacingMm.z * ns};
  // A resampled plan keeps all its source slices (the resampling reads them); others keep every
  // ns-th slice of each phase.
  if (!plan.resampled && ns > 1) {
    const size_t nz = static_cast<size_t>(plan.dims[2]), phases = static_cast<size_t>(std::max<int64_t>(1, plan.dims[3]));
    out.slices.clear();
    for (size_t t = 0; t < phases; ++t)
      for (size_t z = 0; z < nz; z += static_cast<size_t>(ns))
        if (z + t * nz < plan.slices.size()) out.slices.push_back(plan.slices[z + t * nz]);
  }
  return out;
}

std::optional<Reduction> fitReduction(const SeriesPlan& plan, uint64_t budgetBytes, unsigned threads) {
  for (int n = 1; n <= kMaxReduction; ++n)
    if (loadBytes(plan, {n, n}, threads) <= budgetBytes) return Reduction{n, n};
  return std::nullopt;
}

// The refusal, before anything is allocated: the series' size, the budget and how to load reduced.
Status detail::checkBudget(const SeriesPlan& plan, const LoadOptions& options) {
  const MemoryBudget budget = options.memoryBudgetBytes
                                  ? MemoryBudget{options.memoryBudgetBytes, "the budget asked for"}
                                  : defaultMemoryBudget();
  const uint64_t need = loadBytes(plan, options.reduce, options.threads);
  if (need <= budget.bytes) return {};
  char dims[96];
  std::snprintf(dims, sizeof dims, "%lldx%lldx%lldx%lld %s", static_cast<long long>(plan.dims[0]),
                static_cast<long long>(plan.dims[1]), static_cast<long long>(plan.dims[2]),
                static_cast<long long>(plan.dims[3]), toString(plan.type));
  std::string msg = "the series (" + std::string(dims) + ") needs " + gib(need) +
                    (options.reduce.none() ? "" : " even reduced") + ", over the memory budget of " +
                    gib(budget.bytes) + " (" + budget.rule + "); ";
  if (const auto fit = fitReduction(plan, budget.bytes, options.threads)) {
    msg += "load it reduced: every " + ordinal(fit->inPlane) + " voxel in x, y and z takes " +
           gib(loadBytes(plan, *fit, options.threads)) + " (reduce " + std::to_string(fit->inPlane) + ")";
  } else {
    msg += "no reduction up to 64 fits; free memory or raise the limit";
  }
  return makeError("io.over_budget", msg, plan.id);
}

}  // namespace cvx::io
