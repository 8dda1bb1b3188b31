// The time rule engine: which attribute orders same-position slices into phases, and why.
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <set>

#include "plan/internal.h"

namespace cvx::io::detail {
namespace {

using Getter = std::function<std::optional<double>(const Candidate&)>;

struct Rule {
  const char* name;
  Getter get;
};

// Enhanced objects: the dimension index that varies among frames at one position (not the stack).
std::optional<size_t> temporalDimension(const std::vector<std::vector<Candidate>>& groups) {
  const auto& g0 = groups.front();
  const auto& ptrs = g0.front().header->dimensionIndexPointers;
  const size_t n = g0.front().fh->dimensionIndex.size();
  for (size_t d = 0; d < n; ++d) {
    if (d < ptrs.size() && ptrs[d] == 0x00209057u) continue;  // InStackPositionNumber
    std::set<uint32_t> vals;
    for (const auto& c : g0)
      if (c.fh->dimensionIndex.size() > d) vals.insert(c.fh->dimensionIndex[d]);
    if (vals.size() == g0.size()) return d;
  }
  return std::nullopt;
}

std::vector<Rule> rules(const std::vector<std::vector<Candidate>>& groups) {
  std::vector<Rule> r;
  r.push_back({"TemporalPositionIdentifier", [](const Candidate& c) { return c.fh->temporalPositionId; }});
  r.push_back({"TriggerTime", [](const Candidate& c) { return c.fh->triggerTimeMs; }});
  if (auto d = temporalDimension(groups)) {
    const size_t dim = *d;
    r.push_back({"DimensionIndexValues", [dim](const Candidate& c) -> std::optional<double> {
                   if (c.fh->dimensionIndex.size() <= dim) return std::nullopt;
                   return c.fh->dimensionIndex[dim];
                 }});
  }
  r.push_back({"AcquisitionNumber", [](const Candidate& c) { return c.fh->acquisitionNumber; }});
  r.push_back({"AcquisitionTime", [](const Candidate& c) { return c.fh->acquisitionTimeS; }});
  r.push_back({"ContentTime", [](const Candidate& c) { return c.fh->contentTimeS; }});
  // Last resort, only for a real stack (>= 2 positions, checked by the caller): InstanceNumber.
  r.push_back({"InstanceNumber", [](const Candidate& c) -> std::optional<double> {
                 if (c.fh->instanceNumber == 0) return std::nullopt;
                 return c.fh->instanceNumber;
               }});
  return r;
}

// True when every slice at each position carries the same acquisition time: then the slices were
// not acquired at different times, whatever their AcquisitionNumber says (sequential CT numbers each
// rotation).
bool acquiredTogether(const std::vector<std::vector<Candidate>>& groups) {
  for (const auto& g : groups) {
    std::set<double> t;
    for (const auto& c : g) {
      if (!c.fh->acquisitionTimeS) return false;
      t.insert(*c.fh->acquisitionTimeS);
    }
    if (t.size() != 1) return false;
  }
  return true;
}

// A rule applies when every slice has a value and values are distinct at each position.
bool applies(const Rule& rule, const std::vector<std::vector<Candidate>>& groups) {
  if (std::string(rule.name) == "AcquisitionNumber" && acquiredTogether(groups)) return false;
  if (std::string(rule.name) == "InstanceNumber" && groups.size() < 2) return false;
  for (const auto& g : groups) {
    std::set<double> vals;
    for (const auto& c : g) {
      const auto v = rule.get(c);
      if (!v) return false;
      vals.insert(*v);
    }
    if (vals.size() != g.size()) return false;
  }
  return true;
}

// One time per phase: TriggerTime if distinct per phase, else acquisition/content time relative to
// the first phase, else the phase index. Returns the source used.
std::string phaseTimes(const std::vector<std::vector<Candidate>>& groups, std::vector<double>& times) {
  const size_t m = groups.front().size();
  const std::vector<std::pair<const char*, Getter>> sources = {
      {"TriggerTime", [](const Candidate& c) { return c.fh->triggerTimeMs; }},
      {"AcquisitionTime", [](const Candidate& c) -> std::optional<double> {
         if (!c.fh->acquisitionTimeS) return std::nullopt;
         return *c.fh->acquisitionTimeS * 1000.0;
       }},
      {"ContentTime", [](const Candidate& c) -> std::optional<double> {
         if (!c.fh->contentTimeS) return std::nullopt;
         return *c.fh->contentTimeS * 1000.0;
       }}};
  for (const auto& [name, get] : sources) {
    std::vector<double> t(m, 0.0);
    bool ok = true;
    for (size_t k = 0; k < m && ok; ++k) {
      double sum = 0;
      for (const auto& g : groups) {
        const auto v = get(g[k]);
        if (!v) ok = false;
        else sum += *v;
      }
      t[k] = sum / static_cast<double>(groups.size());
    }
    for (size_t k = 1; k < m && ok; ++k) ok = t[k] > t[k - 1];
    if (!ok) continue;
    if (std::string(name) != "TriggerTime")
      for (size_t k = m; k-- > 0;) t[k] -= t[0];
    times = t;
    return name;
  }
  times.resize(m);
  const auto tr = groups.front().front().fh->repetitionTimeMs;
  const bool mr = groups.front().front().header->info.modality == "MR";
  if (mr && tr && *tr > 0) {
    // fMRI/ASL: one volume per repetition.
    for (size_t k = 0; k < m; ++k) times[k] = static_cast<double>(k) * *tr;
    return "RepetitionTime x phase (no per-phase time attribute)";
  }
  for (size_t k = 0; k < m; ++k) times[k] = static_cast<double>(k);
  return "phase index (no time attribute)";
}

}  // namespace

bool orderPhases(std::vector<std::vector<Candidate>>& groups, std::vector<double>& times, std::string& rule) {
  if (groups.empty() || groups.front().size() < 2) return false;
  for (const Rule& r : rules(groups)) {
    if (!applies(r, groups)) continue;
    for (auto& g : groups)
      std::stable_sort(g.begin(), g.end(), [&](const Candidate& a, const Candidate& b) { return *r.get(a) < *r.get(b); });
    const std::string src = phaseTimes(groups, times);
    rule = std::string("phases ordered by ") + r.name + " (" + std::to_string(groups.front().size()) +
           " distinct values at each of " + std::to_string(groups.size()) + " positions); times from " + src;
    return true;
  }
  // A multi-frame file without per-frame time: the frame order is the time order.
  const bool oneFile = std::all_of(groups.begin(), groups.end(), [](const auto& g) {
    return std::all_of(g.begin(), g.end(), [&](const Candidate& c) { return c.file == g.front().file; });
  });
  if (oneFile && groups.front().front().header->numberOfFrames > 1) {
    for (auto& g : groups)
      std::stable_sort(g.begin(), g.end(), [](const Candidate& a, const Candidate& b) { return a.frame < b.frame; });
    const std::string src = phaseTimes(groups, times);
    rule = "phases ordered by frame number within one multi-frame file; times from " + src;
    return true;
  }
  return false;
}

}  // namespace cvx::io::detail
