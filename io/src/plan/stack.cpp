// Stacking one partition: positions, phases (4D), splits of same-position slices, rescale.
#include <algorithm>
#include <cmath>
#include <map>

#include "plan/internal.h"

namespace cvx::io::detail {
namespace {

// Clusters candidates by their position along the slice normal (ascending).
std::vector<std::vector<Candidate>> groupByPosition(std::vector<Candidate> items) {
  const Vec3 n = items.front().normal;
  std::stable_sort(items.begin(), items.end(), [&](const Candidate& a, const Candidate& b) {
    return dot(a.position, n) < dot(b.position, n);
  });
  std::vector<std::vector<Candidate>> groups;
  double last = 0;
  for (auto& c : items) {
    const double d = dot(c.position, n);
    if (groups.empty() || std::fabs(d - last) > 1e-3) groups.emplace_back();
    groups.back().push_back(c);
    last = d;
  }
  return groups;
}

void setPixelAndRescale(SeriesPlan& plan) {
  bool uniform = true;
  for (const auto& s : plan.slices)
    if (s.rescaleSlope != plan.slices.front().rescaleSlope || s.rescaleIntercept != plan.slices.front().rescaleIntercept)
      uniform = false;
  plan.type = plan.pixel.storedType();
  plan.info.rescaleUniform = uniform;
  const bool rgb = plan.type == PixelType::RGB8 || plan.type == PixelType::RGB16 || plan.type == PixelType::RGB32;
  // float32 stored values (32-bit integers, e.g. RT Dose counts) get their rescale (DoseGridScaling) applied.
  const bool scaledFloat = plan.type == PixelType::Float32 &&
                           (plan.slices.front().rescaleSlope != 1 || plan.slices.front().rescaleIntercept != 0);
  if ((uniform && !scaledFloat) || rgb) {
    plan.info.rescaleSlope = plan.slices.front().rescaleSlope;
    plan.info.rescaleIntercept = plan.slices.front().rescaleIntercept;
  } else {
    // Per-slice rescale (e.g. PET): voxels become modality values in float32.
    plan.type = PixelType::Float32;
    plan.info.rescaleApplied = true;
    plan.info.rescaleSlope = 1;
    plan.info.rescaleIntercept = 0;
    if (!uniform)
      plan.warnings.push_back({"pixel.per_slice_rescale", "rescale differs between slices; voxels stored as float32 modality values"});
  }
}

SeriesPlan makePlan(const Partition& part, const std::vector<std::vector<Candidate>>& groups) {
  SeriesPlan plan;
  const Candidate& first = groups.front().front();
  plan.info = first.header->info;
  plan.pixel = first.header->pixel;
  plan.splitReason = part.splitReason;
  plan.warnings = part.warnings;
  plan.dims = {first.cols, first.rows, static_cast<int64_t>(groups.size()),
               static_cast<int64_t>(groups.front().size())};
  std::vector<Vec3> positions;
  for (const auto& g : groups) positions.push_back(g.front().position);
  if (first.hasGeometry) {
    planStackGeometry(positions, first, plan);
  } else {
    plan.geometry.spacingMm = {first.spacingX, first.spacingY, 1};
    plan.warnings.push_back({"geometry.missing", "no ImagePositionPatient/ImageOrientationPatient: image placed at the origin"});
  }
  const size_t nz = groups.size(), nt = groups.front().size();
  plan.slices.resize(nz * nt);
  for (size_t z = 0; z < nz; ++z)
    for (size_t t = 0; t < nt; ++t) {
      const Candidate& c = groups[z][t];
      const double slope = c.fh->rescaleSlope != 0 ? c.fh->rescaleSlope : 1;  // 0: warned below
      plan.slices[z + t * nz] = SliceRef{c.file, c.frame, c.tile, slope, c.fh->rescaleIntercept};
    }
  if (first.hasGeometry && nz == 2)
    plan.warnings.push_back({"geometry.few_slices", "only 2 slices: the volume is loaded, spacing from their positions"});
  noteInvalidValues(groups, plan);
  setPixelAndRescale(plan);
  return plan;
}

// Same-position slices that are not phases: the k-th slice (by InstanceNumber) at each position
// goes to volume k.
void splitSamePosition(const Partition& part, std::vector<std::vector<Candidate>> groups, const char* code,
                       const std::string& why, std::vector<SeriesPlan>& out) {
  size_t m = 0;
  for (auto& g : groups) {
    std::stable_sort(g.begin(), g.end(), [](const Candidate& a, const Candidate& b) {
      return a.fh->instanceNumber < b.fh->instanceNumber;
    });
    m = std::max(m, g.size());
  }
  for (size_t k = 0; k < m; ++k) {
    std::vector<std::vector<Candidate>> sub;
    for (const auto& g : groups)
      if (k < g.size()) sub.push_back({g[k]});
    Partition p = part;
    p.splitReason = code;
    p.warnings.push_back({code, why});
    out.push_back(makePlan(p, sub));
  }
}

}  // namespace

void planPartition(const ScanResult&, Partition part, std::vector<SeriesPlan>& out) {
  if (part.items.empty()) return;
  if (!part.items.front().hasGeometry) {
    std::stable_sort(part.items.begin(), part.items.end(), [](const Candidate& a, const Candidate& b) {
      return std::make_pair(a.fh->instanceNumber, a.frame) < std::make_pair(b.fh->instanceNumber, b.frame);
    });
    std::vector<std::vector<Candidate>> groups;
    for (auto& c : part.items) groups.push_back({c});
    out.push_back(makePlan(part, groups));
    return;
  }
  auto groups = groupByPosition(part.items);
  const size_t m = groups.front().size();
  const bool even = std::all_of(groups.begin(), groups.end(), [&](const auto& g) { return g.size() == m; });
  if (!even) {
    splitSamePosition(part, std::move(groups), "split.inconsistent_phases",
                      "positions hold different numbers of slices; split into separate volumes", out);
    return;
  }
  if (m == 1) {
    out.push_back(makePlan(part, groups));
    return;
  }
  std::vector<double> times;
  std::string rule;
  if (orderPhases(groups, times, rule)) {
    SeriesPlan plan = makePlan(part, groups);
    plan.timesMs = times;
    plan.timeRule = rule;
    out.push_back(std::move(plan));
    return;
  }
  splitSamePosition(part, std::move(groups), "split.same_position",
                    std::to_string(m) + " slices share each position and no time attribute orders them: not phases",
                    out);
}

GroupResult planSeriesImpl(const ScanResult& scan) {
  GroupResult r;
  for (auto& part : partitionSeries(makeCandidates(scan))) planPartition(scan, std::move(part), r.series);
  // Ids: the SeriesInstanceUID, with ".<n>" for every volume split off the same series.
  std::map<std::string, int> count, next;
  for (const auto& p : r.series) count[p.info.seriesInstanceUid]++;
  for (auto& p : r.series) {
    p.id = p.info.seriesInstanceUid;
    if (count[p.id] > 1) p.id += "." + std::to_string(++next[p.info.seriesInstanceUid]);
  }
  return r;
}

}  // namespace cvx::io::detail

namespace cvx::io {
GroupResult planSeries(const ScanResult& scan) { return detail::planSeriesImpl(scan); }
}  // namespace cvx::io
