// SPDX-License-Identifier: MIT
#include <cvx/viewstate/seg_figures.h>

#include <chrono>
#include <set>

namespace cvx::view {

SegmentFigures::~SegmentFigures() {
  if (job_.valid()) job_.wait();
}

namespace {

// The loaded slices of the phase shown of v (a 4D series loading its other phases keeps its key).
int64_t readyOfPhase(const Volume& v, int64_t phase) {
  int64_t n = 0;
  for (int64_t z = 0; z < v.dims()[2]; ++z) n += v.sliceReady(z + phase * v.dims()[2]);
  return n;
}

}  // namespace

SegmentFigures::Key SegmentFigures::keyOf(const ViewerState& s, int i) const {
  // What update() would copy and compute from: the report's own source, without the labels. On a
  // PET with a liver reference every segment's uptake: PERCIST's target is the hottest lesion.
  const int petOnly = percistReadsPet(s, i)                 ? SegmentReportSource::kAllPet
                      : s.activeSegment().first == i ? s.activeSegment().second
                                                     : SegmentReportSource::kNoPet;
  const SegmentReportSource src = segmentReportSource(s, i, petOnly, ReportLabels::None);
  Key k;
  k.revision = src.revision;
  if (src.image) k.image = src.image->serial(), k.phase = src.phase, k.imageReady = readyOfPhase(*src.image, src.phase);
  if (src.image && src.image->dims()[3] > 1 && s.activeSegment().first == i) {
    k.curveOf = s.activeSegment().second;
    for (int64_t t = 0; t < src.image->dims()[3]; ++t) k.phasesLoaded += readyOfPhase(*src.image, t) == src.image->dims()[2];
  }
  if (src.pet) {
    k.pet = src.pet->serial();
    k.petPhase = src.petPhase;
    k.suvFactor = src.suvFactor;
    k.petOnly = src.petOnly;
    k.petReady = readyOfPhase(*src.pet, src.petPhase);
  }
  return k;
}

bool SegmentFigures::update(const ViewerState& s) {
  if (job_.valid()) return false;
  std::set<const Segmentation*> present;
  for (const SegmentationLayer& l : s.segmentations()) present.insert(l.segmentation.get());
  std::erase_if(cache_, [&](const auto& e) { return !present.count(e.first); });

  std::vector<Entry> keys;
  std::vector<SegmentReportSource> sources;
  std::vector<std::optional<SegmentCurve>> reused;  // a curve the last figures hold still (only the phase shown moved)
  for (int i = 0; i < static_cast<int>(s.segmentations().size()); ++i) {
    const std::shared_ptr<Segmentation>& seg = s.segmentations()[static_cast<size_t>(i)].segmentation;
    if (!seg) continue;
    const Key key = keyOf(s, i);
    if (const Entry* e = entryOf(s, i); e && e->key == key) continue;
    keys.push_back({seg, key, {}, {}});
    sources.push_back(segmentReportSource(s, i, key.petOnly));  // the labels copied here, on the state's thread
    sources.back().curveOf = key.curveOf;
    reused.emplace_back();
    const Entry* e = entryOf(s, i);
    if (e && key.curveOf >= 0 && e->key.curveOf == key.curveOf && e->key.revision == key.revision &&
        e->key.image == key.image && e->key.phasesLoaded == key.phasesLoaded &&
        static_cast<size_t>(key.curveOf) < e->rows.size() && e->rows[static_cast<size_t>(key.curveOf)].curve)
      reused.back() = e->rows[static_cast<size_t>(key.curveOf)].curve, sources.back().curveOf = -1;
  }
  if (sources.empty()) return false;
  auto work = [keys = std::move(keys), sources = std::move(sources), reused = std::move(reused)] {
    std::vector<std::pair<const Segmentation*, Entry>> out;
    for (size_t n = 0; n < sources.size(); ++n) {
      Entry e = keys[n];
      e.error = sources[n].error;
      try {
        if (e.error.code.empty()) e.rows = segmentReport(std::vector<SegmentReportSource>{sources[n]});
        if (reused[n] && static_cast<size_t>(e.key.curveOf) < e.rows.size())
          e.rows[static_cast<size_t>(e.key.curveOf)].curve = reused[n];
      } catch (const std::exception& x) {  // nothing escapes the worker (bad_alloc on a huge layer)
        e.error = makeError("seg.figures_failed", std::string("the segments' figures could not be computed: ") + x.what());
      }
      const Segmentation* seg = e.owner.lock().get();  // null: closed meanwhile (then not stored)
      if (seg) out.emplace_back(seg, std::move(e));
    }
    return out;
  };
  try {
    job_ = std::async(std::launch::async, std::move(work));
  } catch (const std::exception&) {  // no thread to be had: the figures wait for the next update
    return false;
  }
  return true;
}

bool SegmentFigures::collect() {
  if (!job_.valid() || job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
  for (auto& [seg, entry] : job_.get()) cache_[seg] = std::move(entry);
  return true;
}

bool SegmentFigures::current(const ViewerState& s) const {
  for (int i = 0; i < static_cast<int>(s.segmentations().size()); ++i) {
    const Entry* e = entryOf(s, i);
    if (!e || !(e->key == keyOf(s, i))) return false;
  }
  return true;
}

void SegmentFigures::forget(const ViewerState& s, int i) {
  if (i >= 0 && i < static_cast<int>(s.segmentations().size()))
    cache_.erase(s.segmentations()[static_cast<size_t>(i)].segmentation.get());
}

const SegmentReportRow* SegmentFigures::row(const ViewerState& s, int i, int k) const {
  if (i < 0 || i >= static_cast<int>(s.segmentations().size()) || k < 0) return nullptr;
  const SegmentationLayer& sl = s.segmentations()[static_cast<size_t>(i)];
  const Entry* e = entryOf(s, i);
  if (!e || static_cast<size_t>(k) >= e->rows.size()) return nullptr;
  // Segments added or deleted since may have moved segment k: the rows must be the same segments.
  const auto& segments = sl.segmentation->segments();
  if (e->rows.size() != segments.size()) return nullptr;
  for (size_t n = 0; n < segments.size(); ++n)
    if (e->rows[n].meta.number != segments[n].number) return nullptr;
  return &e->rows[static_cast<size_t>(k)];
}

Diagnostic SegmentFigures::error(const ViewerState& s, int i) const {
  const Entry* e = entryOf(s, i);
  return e ? e->error : Diagnostic{};
}

const SegmentFigures::Entry* SegmentFigures::entryOf(const ViewerState& s, int i) const {
  if (i < 0 || i >= static_cast<int>(s.segmentations().size())) return nullptr;
  const std::shared_ptr<Segmentation>& seg = s.segmentations()[static_cast<size_t>(i)].segmentation;
  const auto it = cache_.find(seg.get());
  return it != cache_.end() && it->second.owner.lock() == seg ? &it->second : nullptr;
}

void SegmentFigures::computeNow(const ViewerState& s) {
  for (int guard = 0; guard < 4 && !current(s); ++guard) {
    if (job_.valid()) job_.wait();
    collect();
    if (!current(s) && update(s)) {
      job_.wait();
      collect();
    }
  }
}

}  // namespace cvx::view
