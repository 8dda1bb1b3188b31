// Grouping by study and series, then splitting what cannot be one volume.
#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <map>

#include "plan/internal.h"

namespace cvx::io::detail {
namespace {

bool isLocalizer(const Candidate& c) {
  if (c.header->imageType.find("LOCALIZER") != std::string::npos) return true;
  std::string d = c.header->info.seriesDescription;
  std::transform(d.begin(), d.end(), d.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  for (const char* w : {"localizer", "localiser", "scout", "survey", "topogram", "scanogram", "3-plane loc"})
    if (d.find(w) != std::string::npos) return true;
  return false;
}

std::string roundKey(double v, double q) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", std::round(v / q));
  return buf;
}

// The properties that must agree inside one volume, each with its split code.
struct SplitKey {
  // localizer/geometry, orientation, size, pixel format, spacing, echo, SOP class, SeriesNumber
  std::array<std::string, 8> parts;
};

const std::array<const char*, 8> kSplitCodes = {"split.localizer", "split.orientation", "split.size",
                                                "split.pixel_format", "split.spacing", "split.echo",
                                                "split.sop_class", "split.series_number"};

SplitKey keyOf(const Candidate& c, bool multiEcho) {
  SplitKey k;
  if (isLocalizer(c)) k.parts[0] = "localizer";
  else if (!c.hasGeometry) k.parts[0] = "nogeometry";
  if (c.hasGeometry) {
    const Vec3 o[2] = {c.row, c.col};
    for (const Vec3& v : o)
      for (int i = 0; i < 3; ++i) k.parts[1] += roundKey(v[i], 1e-3) + ",";
  }
  k.parts[2] = std::to_string(c.cols) + "x" + std::to_string(c.rows);
  const PixelFormat& p = c.header->pixel;
  k.parts[3] = std::to_string(p.samplesPerPixel) + "/" + std::to_string(p.bitsAllocated) + "/" +
               std::to_string(p.isSigned) + "/" + p.photometric;
  k.parts[4] = roundKey(c.spacingX, 1e-3) + "," + roundKey(c.spacingY, 1e-3);
  if (multiEcho && c.fh->echoTimeMs) k.parts[5] = roundKey(*c.fh->echoTimeMs, 1e-2);
  // The same acquisition exported as classic and as enhanced objects is two copies, not one volume.
  k.parts[6] = c.header->sopClassUid;
  // Two SeriesNumbers under one UID are two series (e.g. images that share a SOPInstanceUID but
  // not their content, kept apart by the scan).
  k.parts[7] = std::to_string(c.header->info.seriesNumber);
  return k;
}

std::string keyString(const SplitKey& k) {
  std::string s;
  for (const auto& p : k.parts) s += p + "|";
  return s;
}

// Does the series hold several echoes at the same position (multi-echo), not one echo per slice?
bool hasMultipleEchoes(const std::vector<Candidate>& items) {
  std::map<std::string, std::map<std::string, int>> echoesAtPos;
  for (const auto& c : items) {
    if (!c.fh->echoTimeMs || !c.hasGeometry) continue;
    echoesAtPos[roundKey(dot(c.position, c.normal), 1e-2)][roundKey(*c.fh->echoTimeMs, 1e-2)]++;
  }
  return std::any_of(echoesAtPos.begin(), echoesAtPos.end(), [](const auto& e) { return e.second.size() > 1; });
}

void splitOneSeries(std::vector<Candidate> items, std::vector<Partition>& out) {
  const bool multiEcho = hasMultipleEchoes(items);
  std::map<std::string, Partition> parts;
  std::map<std::string, SplitKey> keys;
  for (auto& c : items) {
    SplitKey k = keyOf(c, multiEcho);
    const std::string ks = keyString(k);
    keys.emplace(ks, k);
    parts[ks].items.push_back(c);
  }
  // The largest non-localizer partition with geometry is the main one; others say why they differ.
  std::string mainKey;
  size_t best = 0;
  for (auto& [ks, p] : parts) {
    const bool eligible = keys[ks].parts[0].empty();
    const size_t score = p.items.size() + (eligible ? 1000000 : 0);
    if (score > best) best = score, mainKey = ks;
  }
  for (auto& [ks, p] : parts) {
    if (ks != mainKey) {
      const SplitKey& a = keys[ks];
      const SplitKey& m = keys[mainKey];
      for (size_t i = 0; i < a.parts.size(); ++i)
        if (a.parts[i] != m.parts[i]) {
          p.splitReason = kSplitCodes[i];
          if (i == 0 && a.parts[0] == "nogeometry") p.splitReason = "split.no_geometry";
          break;
        }
    }
    if (keys[ks].parts[0] == "localizer") {
      p.splitReason = "split.localizer";
      p.warnings.push_back({"series.localizer", "localizer (scout) images: kept apart from diagnostic volumes"});
    }
    out.push_back(std::move(p));
  }
}

}  // namespace

std::vector<Partition> partitionSeries(std::vector<Candidate> cands) {
  // Study + series; files without a SeriesInstanceUID form a series of their own.
  std::map<std::string, std::vector<Candidate>> series;
  std::vector<std::string> order;
  for (auto& c : cands) {
    const SeriesInfo& i = c.header->info;
    std::string key = i.studyInstanceUid + "|" + i.seriesInstanceUid;
    if (i.seriesInstanceUid.empty()) key += "|" + c.header->path;
    if (!series.count(key)) order.push_back(key);
    series[key].push_back(c);
  }
  std::vector<Partition> out;
  for (const auto& key : order) splitOneSeries(std::move(series[key]), out);
  return out;
}

}  // namespace cvx::io::detail
