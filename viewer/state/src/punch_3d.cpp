// SPDX-License-Identifier: MIT
#include <cvx/viewstate/punch_3d.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <optional>

#include <cvx/core/thread_pool.h>
#include <cvx/viewstate/seg_stats.h>

namespace cvx::view {
namespace {

bool same(const Vec3& a, const Vec3& b) { return a.x == b.x && a.y == b.y && a.z == b.z; }
bool sameGeometry(const Geometry& a, const Geometry& b) {
  return same(a.spacingMm, b.spacingMm) && same(a.originMm, b.originMm) &&
         std::equal(a.direction.begin(), a.direction.end(), b.direction.begin(), same);
}

// One punch's row: in[x] = 1 where voxel (x, y, z) of grid g is inside it.
class PunchRows {
 public:
  static Result<PunchRows> make(const Punch3D& p, const Geometry& g, const std::array<int64_t, 3>& d) {
    PunchRows r;
    r.p_ = &p;
    if (!p.mask) {
      auto region = ScissorsRegion::make(p.cut, g);
      if (!region) return region.error();
      r.region_ = std::move(*region);
      return r;
    }
    if (p.mask->size() != static_cast<size_t>(p.maskDims[0] * p.maskDims[1] * p.maskDims[2]))
      return makeError("render.bad_request", "a segment punch's mask does not fill its grid");
    r.same_ = onSameGrid(g, d, p.maskGeometry, p.maskDims);  // seg_stats.h's rule
    r.toMask_ = p.maskGeometry.voxelFromWorld() * g.worldFromVoxel();
    return r;
  }
  void row(int64_t y, int64_t z, int64_t nx, const std::array<int64_t, 3>& d, uint8_t* in) const {
    if (!p_->mask) return region_->row(y, z, nx, in);
    const uint8_t* m = p_->mask->data();
    if (same_) {
      const uint8_t* src = m + (z * d[1] + y) * d[0];
      for (int64_t x = 0; x < nx; ++x) in[x] = src[x] != 0;
      return;
    }
    const auto& md = p_->maskDims;
    const Vec3 a = toMask_.applyPoint({0, static_cast<double>(y), static_cast<double>(z)});
    const Vec3 s = toMask_.applyVector({1, 0, 0});
    for (int64_t x = 0; x < nx; ++x) {
      const Vec3 q = a + s * static_cast<double>(x);
      const double i = std::floor(q.x + 0.5), j = std::floor(q.y + 0.5), k = std::floor(q.z + 0.5);
      const bool inGrid = i >= 0 && j >= 0 && k >= 0 && i < static_cast<double>(md[0]) &&
                          j < static_cast<double>(md[1]) && k < static_cast<double>(md[2]);
      in[x] = inGrid &&
              m[static_cast<size_t>((static_cast<int64_t>(k) * md[1] + static_cast<int64_t>(j)) * md[0] +
                                    static_cast<int64_t>(i))] != 0;
    }
  }

 private:
  const Punch3D* p_ = nullptr;
  std::optional<ScissorsRegion> region_;
  bool same_ = false;
  Mat4 toMask_;
};

// The phase's lowest value as its own type, written over the removed voxels of a copy (`slices` slices
// of `slice` voxels, a slice a task).
template <class T>
Status fillRemoved(const T* src, T* dst, const uint8_t* removed, int64_t slices, int64_t slice) {
  std::vector<T> lows(static_cast<size_t>(slices), std::numeric_limits<T>::max());
  CVX_TRY(ThreadPool::global().parallelFor(slices, [&](int64_t z) {
    T low = std::numeric_limits<T>::max();
    for (int64_t i = z * slice; i < (z + 1) * slice; ++i) low = std::min(low, src[i]);
    lows[static_cast<size_t>(z)] = low;
  }));
  const T low = *std::min_element(lows.begin(), lows.end());
  return ThreadPool::global().parallelFor(slices, [&](int64_t z) {
    for (int64_t i = z * slice; i < (z + 1) * slice; ++i) dst[i] = removed[i] ? low : src[i];
  });
}

}  // namespace

bool Punch3D::operator==(const Punch3D& o) const {
  if (keepInside != o.keepInside || mask != o.mask) return false;
  if (mask) return maskDims == o.maskDims && sameGeometry(maskGeometry, o.maskGeometry);
  return cut == o.cut;
}

Punch3D lassoPunch(const ScissorsCut& cut, bool keepInside) {
  Punch3D p;
  p.cut = cut;
  p.keepInside = keepInside;
  p.name = "lasso";
  return p;
}

Result<Punch3D> segmentPunch(const Segmentation& sg, size_t segment, bool keepInside) {
  return segmentPunch(sg, std::vector<size_t>{segment}, keepInside);
}

Result<Punch3D> segmentPunch(const Segmentation& sg, const std::vector<size_t>& segments, bool keepInside) {
  auto mask = std::make_shared<std::vector<uint8_t>>(static_cast<size_t>(sg.voxelsPerLayer()), 0);
  std::string name;
  for (const size_t segment : segments) {
    if (segment >= sg.segments().size())
      return makeError("seg.edit_bad_segment", "no segment " + std::to_string(segment));
    const Segment& s = sg.segments()[segment];
    if (s.layer >= sg.layers().size() || !sg.layers()[s.layer])
      return makeError("seg.edit_bad_segment", "segment " + std::to_string(segment) + " has no layer");
    const uint8_t* l = sg.layers()[s.layer]->as<uint8_t>();
    size_t count = 0;
    for (size_t i = 0; i < mask->size(); ++i)
      if (l[i] == s.label) (*mask)[i] = 1, ++count;
    if (count == 0) return makeError("seg.punch_empty", "segment '" + s.name + "' holds no voxel to punch with");
    name += (name.empty() ? "" : " + ") + (s.name.empty() ? "segment " + std::to_string(segment + 1) : s.name);
  }
  if (segments.empty()) return makeError("seg.edit_bad_segment", "no segment to punch with");
  Punch3D p;
  p.mask = std::move(mask);
  p.maskGeometry = sg.geometry();
  p.maskDims = sg.dims();
  p.keepInside = keepInside;
  p.name = std::move(name);
  return p;
}

std::string punchLine(const std::vector<Punch3D>& punches) {
  std::string line;
  for (const Punch3D& p : punches)
    line += (line.empty() ? "punched: " : ", ") + p.name + (p.keepInside ? " kept" : "");
  return line;
}

void Punches3D::add(Punch3D p) {
  if (undo_.size() >= kHistory)
    undo_.erase(undo_.begin());  // the oldest step goes (a segment's mask with it)
  undo_.push_back(list_);
  redo_.clear();
  list_.push_back(std::move(p));
}

void Punches3D::clear() {
  if (list_.empty()) return;
  if (undo_.size() >= kHistory) undo_.erase(undo_.begin());
  undo_.push_back(std::move(list_));
  redo_.clear();
  list_.clear();
}

bool Punches3D::undo() {
  if (undo_.empty()) return false;
  redo_.push_back(std::move(list_));
  list_ = std::move(undo_.back());
  undo_.pop_back();
  return true;
}

bool Punches3D::redo() {
  if (redo_.empty()) return false;
  undo_.push_back(std::move(list_));
  list_ = std::move(redo_.back());
  redo_.pop_back();
  return true;
}

Result<std::vector<uint8_t>> punchedVoxels(const Geometry& g, const std::array<int64_t, 3>& d,
                                           const std::vector<Punch3D>& punches) {
  std::vector<PunchRows> rows;
  for (const Punch3D& p : punches) {
    auto r = PunchRows::make(p, g, d);
    if (!r) return r.error();
    rows.push_back(std::move(*r));
  }
  std::vector<uint8_t> removed(static_cast<size_t>(d[0] * d[1] * d[2]), 0);
  const Status st = ThreadPool::global().parallelFor(d[2], [&](int64_t z) {
    std::vector<uint8_t> in(static_cast<size_t>(d[0]));
    for (int64_t y = 0; y < d[1]; ++y) {
      uint8_t* out = removed.data() + (z * d[1] + y) * d[0];
      for (size_t k = 0; k < rows.size(); ++k) {
        std::fill(in.begin(), in.end(), uint8_t{0});
        rows[k].row(y, z, d[0], d, in.data());
        const uint8_t outside =
            punches[k].keepInside ? 1 : 0;  // the value of `in` this punch removes is !outside
        for (int64_t x = 0; x < d[0]; ++x) out[x] |= in[static_cast<size_t>(x)] != outside;
      }
    }
  });
  if (!st.ok()) return st.error();
  return removed;
}

std::optional<PunchedPhases::Drawn> PunchedPhases::lookup(const Key& key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (it->key == key) {
      entries_.splice(entries_.begin(), entries_, it);
      return Drawn{it->drawn, 0};
    }
  return std::nullopt;
}

Result<std::optional<PunchedPhases::Drawn>> PunchedPhases::find(const std::shared_ptr<const Volume>& v,
                                                                int phase, uint64_t revision,
                                                                const std::vector<Punch3D>& punches) {
  if (!v || phase < 0 || phase >= v->dims()[3])
    return makeError("render.bad_request", "no volume or no such phase");
  if (punches.empty()) return std::optional<Drawn>{Drawn{v, phase}};
  std::lock_guard lock(mutex_);
  const Key key{v->serial(), phase, revision, punches};
  for (const auto& [k, error] : failed_)
    if (k == key) return error;
  return lookup(key);
}

Result<PunchedPhases::Drawn> PunchedPhases::get(const std::shared_ptr<const Volume>& v, int phase,
                                                uint64_t revision, const std::vector<Punch3D>& punches) {
  if (!v || phase < 0 || phase >= v->dims()[3])
    return makeError("render.bad_request", "no volume or no such phase");
  std::unique_lock lock(mutex_);
  if (punches.empty()) {  // nothing punched: v's copies are done with, and so are the removed voxels
    entries_.remove_if([&](const Entry& e) { return e.key.serial == v->serial(); });
    lock.unlock();
    std::lock_guard masks(maskMutex_);
    std::vector<uint8_t>().swap(mask_);
    maskPunches_.clear();
    return Drawn{v, phase};
  }
  const Key key{v->serial(), phase, revision, punches};
  for (;;) {
    if (auto kept = lookup(key)) return *kept;
    if (std::find(making_.begin(), making_.end(), key) == making_.end()) break;
    made_.wait(lock);  // another renderer is making it
  }
  making_.push_back(key);
  lock.unlock();
  Result<std::shared_ptr<const Volume>> copy = makeError("render.bad_request", "no copy");
  try {
    copy = make(*v, phase, punches);
  } catch (const std::bad_alloc&) {
    copy = makeError("volume.out_of_memory", "no memory for a punched copy of the phase");
  }
  lock.lock();
  making_.erase(std::find(making_.begin(), making_.end(), key));
  made_.notify_all();
  failed_.remove_if([&](const auto& f) { return f.first.serial == key.serial && f.first.phase == phase; });
  if (!copy) {
    failed_.emplace_front(key, copy.error());
    if (failed_.size() > kKept) failed_.pop_back();
    return copy.error();
  }
  // The copies of other punches or voxels of the same phase are done with (the views ask for the new ones).
  entries_.remove_if([&](const Entry& e) { return e.key.serial == key.serial && e.key.phase == phase; });
  entries_.push_front(Entry{key, *copy});
  const size_t keep = std::max(kKept, static_cast<size_t>(v->dims()[3]) + 2);
  while (entries_.size() > keep) entries_.pop_back();
  return Drawn{*copy, 0};
}

Result<std::shared_ptr<const Volume>> PunchedPhases::make(const Volume& v, int phase,
                                                          const std::vector<Punch3D>& punches) {
  const auto& d = v.dims();
  if (v.type() != PixelType::UInt8 && v.type() != PixelType::Int16 && v.type() != PixelType::UInt16 &&
      v.type() != PixelType::Float32)
    return makeError("render.bad_request", std::string("no punching of ") + toString(v.type()) + " voxels");
  auto copy = Volume::create(v.type(), {d[0], d[1], d[2], 1}, VoxelInit::Uninitialized);
  if (!copy) return copy.error();
  Volume& c = **copy;
  c.geometry = v.geometry;
  c.info = v.info;
  for (int64_t z = 0; z < d[2]; ++z) {
    const size_t at = static_cast<size_t>(z + phase * d[2]);
    if (at < v.sources.size()) c.sources.push_back(v.sources[at]);
    c.markSliceReady(z);
  }
  std::lock_guard masks(maskMutex_);
  const std::array<int64_t, 3> grid{d[0], d[1], d[2]};
  if (mask_.empty() || grid != maskDims_ || !sameGeometry(v.geometry, maskGeometry_) ||
      punches != maskPunches_) {
    mask_.clear();
    auto removed = punchedVoxels(v.geometry, grid, punches);
    if (!removed) return removed.error();
    mask_ = std::move(*removed);
    maskGeometry_ = v.geometry, maskDims_ = grid, maskPunches_ = punches;
  }
  const int64_t n = v.voxelsPerPhase(), slice = v.voxelsPerSlice();
  const uint8_t* r = mask_.data();
  Status filled;
  switch (v.type()) {
    case PixelType::UInt8:
      filled = fillRemoved(v.as<uint8_t>() + n * phase, c.as<uint8_t>(), r, d[2], slice);
      break;
    case PixelType::Int16:
      filled = fillRemoved(v.as<int16_t>() + n * phase, c.as<int16_t>(), r, d[2], slice);
      break;
    case PixelType::UInt16:
      filled = fillRemoved(v.as<uint16_t>() + n * phase, c.as<uint16_t>(), r, d[2], slice);
      break;
    default:
      filled = fillRemoved(v.as<float>() + n * phase, c.as<float>(), r, d[2], slice);
      break;
  }
  if (!filled.ok()) return filled.error();
  return std::shared_ptr<const Volume>(std::move(*copy));
}

size_t PunchedPhases::kept() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace cvx::view
