// SPDX-License-Identifier: MIT
// Otsu and multi-Otsu over a histogram of the hd::binOf rule; the split from the counts is
// cvx::otsuSplit (core/otsu_split.h), which the CUDA Otsu shares.
#include <limits>
#include <type_traits>

#include <cvx/core/hd/segment.h>
#include <cvx/core/otsu_split.h>

#include "common.h"

namespace cvx::seg {

using namespace detail;

namespace {

constexpr int kMaxBins = 65536;

template <class T>
bool countable(T v) {
  if constexpr (std::is_floating_point_v<T>)
    return std::isfinite(v);
  else
    return true;
}

// Table lookups per voxel with the table and output behind restrict pointers (a byte store
// could otherwise alias the captured table and force a reload per voxel). The tables are indexed
// by the stored value minus base (the minimum).
template <class T>
void countLut(const T* __restrict s, int64_t n, const int32_t* __restrict lut, int64_t base,
              int64_t* __restrict c) {
  for (int64_t i = 0; i < n; ++i) ++c[lut[static_cast<int64_t>(s[i]) - base]];
}
template <class T>
void mapLut(const T* __restrict s, int64_t n, const uint8_t* __restrict lut, int64_t base,
            uint8_t* __restrict o) {
  for (int64_t i = 0; i < n; ++i) o[i] = lut[static_cast<int64_t>(s[i]) - base];
}

struct Histogram {
  hd::Bins bins;
  std::vector<int64_t> counts;
};

template <class T>
Result<Histogram> histogram(const T* v, const Dims& d, int bins, Progress* progress) {
  const int64_t n = d.slice();
  const int workers = workerCount(d.nz);
  std::vector<double> lo(workers, std::numeric_limits<double>::infinity());
  std::vector<double> hi(workers, -std::numeric_limits<double>::infinity());
  CVX_TRY(forBlocks(d.nz, progress, [&](int w, int64_t z) {
    T mn = std::numeric_limits<T>::max(), mx = std::numeric_limits<T>::lowest();
    bool any = false;
    for (int64_t i = 0; i < n; ++i) {
      const T x = v[z * n + i];
      if (!countable(x)) continue;
      any = true;
      mn = std::min(mn, x);
      mx = std::max(mx, x);
    }
    if (any) {
      lo[w] = std::min(lo[w], static_cast<double>(mn));
      hi[w] = std::max(hi[w], static_cast<double>(mx));
    }
    addProgress(progress);
  }));
  const double mn = *std::min_element(lo.begin(), lo.end());
  const double mx = *std::max_element(hi.begin(), hi.end());
  if (!(mn < mx))
    return makeError("seg.flat_histogram", "the volume holds a single value (or none): nothing to split");
  if (bins == 0)
    bins = std::is_integral_v<T> ? static_cast<int>(std::min<double>(mx - mn + 1, kMaxBins)) : 256;
  Histogram h;
  h.bins = {mn, (mx - mn) / bins, bins};
  std::vector<std::vector<int64_t>> local(workers, std::vector<int64_t>(static_cast<size_t>(bins), 0));
  std::vector<int32_t> lut;
  if constexpr (std::is_integral_v<T>) {
    lut.resize(static_cast<size_t>(mx - mn + 1));
    for (size_t i = 0; i < lut.size(); ++i) lut[i] = hd::binOf(h.bins, mn + static_cast<double>(i));
  }
  CVX_TRY(forBlocks(d.nz, progress, [&](int w, int64_t z) {
    int64_t* c = local[w].data();
    const T* s = v + z * n;
    if constexpr (std::is_integral_v<T>) {
      const int64_t base = static_cast<int64_t>(mn);
      countLut(s, n, lut.data(), base, c);
    } else {
      for (int64_t i = 0; i < n; ++i)
        if (countable(s[i])) ++c[hd::binOf(h.bins, s[i])];
    }
    addProgress(progress);
  }));
  h.counts.assign(static_cast<size_t>(bins), 0);
  for (const auto& l : local)
    for (int b = 0; b < bins; ++b) h.counts[b] += l[b];
  return h;
}

// Writes the class (0 .. classes - 1) of every voxel: the number of class ends below its bin.
template <class T>
Status classify(const T* v, const Dims& d, const hd::Bins& bins, const std::vector<int>& last, uint8_t* out,
                Progress* progress) {
  std::vector<uint8_t> classOfBin(static_cast<size_t>(bins.count));
  for (int b = 0; b < bins.count; ++b) {
    uint8_t c = 0;
    for (int k : last) c += b > k;
    classOfBin[b] = c;
  }
  const int64_t n = d.slice();
  std::vector<uint8_t> lut;
  const int64_t base = static_cast<int64_t>(bins.min);
  if constexpr (std::is_integral_v<T>) {
    const double top = hd::binEdge(bins, bins.count);  // >= max
    lut.resize(static_cast<size_t>(std::max<double>(1, std::floor(top) - bins.min + 2)));
    for (size_t i = 0; i < lut.size(); ++i)
      lut[i] = classOfBin[hd::binOf(bins, static_cast<double>(base + static_cast<int64_t>(i)))];
  }
  return forBlocks(d.nz, progress, [&](int, int64_t z) {
    const T* s = v + z * n;
    uint8_t* o = out + z * n;
    if constexpr (std::is_integral_v<T>) {
      mapLut(s, n, lut.data(), base, o);
    } else {
      for (int64_t i = 0; i < n; ++i) o[i] = classOfBin[hd::binOf(bins, s[i])];
    }
    addProgress(progress);
  });
}

Result<MultiOtsuResult> run(const Volume& vol, int classes, int bins, int64_t t, Progress* progress) try {
  CVX_TRY(seginputs::intensity(vol, t));
  if (classes < 2 || classes > 8)
    return makeError("seg.bad_classes",
                     "multi-Otsu splits into 2..8 classes, not " + std::to_string(classes));
  if (bins < 0 || bins == 1 || bins > kMaxBins)
    return makeError("seg.bad_bins", "the bin count must be 0 (automatic) or 2.." + std::to_string(kMaxBins) +
                                         ", not " + std::to_string(bins));
  const Dims d = dimsOf(vol);
  addTotal(progress, 3 * d.nz + 1);
  auto h = withTyped(vol, t, [&](const auto* v) { return histogram(v, d, bins, progress); });
  if (!h.ok()) return h.error();
  const int B = h->bins.count;
  if (static_cast<double>(classes - 2) * B * B > 2e9)
    return makeError("seg.bad_bins", std::to_string(B) + " bins are too many for " + std::to_string(classes) +
                                         " classes (classes - 2) x bins^2 <= 2e9");
  if (B < classes) return makeError("seg.bad_bins", "fewer bins than classes");
  if (cancelled(progress)) return cancelledError();
  const std::vector<int> last = otsuSplit(h->counts.data(), h->bins, classes);
  addProgress(progress);
  auto out = makeMask(vol);
  if (!out.ok()) return out.error();
  uint8_t* o = (*out)->as<uint8_t>();
  CVX_TRY(withTyped(vol, t, [&](const auto* v) { return classify(v, d, h->bins, last, o, progress); }));
  MultiOtsuResult r;
  for (int k : last) r.thresholds.push_back(hd::binEdge(h->bins, k + 1));
  r.bins = B;
  r.labels = *out;
  return r;
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

}  // namespace

Result<OtsuResult> otsu(const Volume& vol, int bins, int64_t t, Progress* progress) {
  auto m = run(vol, 2, bins, t, progress);
  if (!m.ok()) return m.error();
  OtsuResult r;
  r.threshold = m->thresholds[0];
  r.bins = m->bins;
  r.mask = m->labels;
  return r;
}

Result<MultiOtsuResult> multiOtsu(const Volume& vol, int classes, int bins, int64_t t, Progress* progress) {
  return run(vol, classes, bins, t, progress);
}

}  // namespace cvx::seg
