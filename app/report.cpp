#include "report.h"

#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cvx::app {
using namespace cvx::io;
namespace {

nlohmann::json warningsJson(const std::vector<Diagnostic>& ws) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& w : ws) {
    nlohmann::json o = {{"code", w.code}, {"message", w.message}};
    if (!w.path.empty()) o["path"] = w.path;
    a.push_back(std::move(o));
  }
  return a;
}

nlohmann::json seriesJson(const SeriesPlan& p) {
  const Geometry& g = p.geometry;
  nlohmann::json dir = nlohmann::json::array();
  for (const Vec3& c : g.direction)
    for (int i = 0; i < 3; ++i) dir.push_back(c[i]);
  return {{"studyInstanceUid", p.info.studyInstanceUid},
          {"seriesInstanceUid", p.info.seriesInstanceUid},
          {"id", p.id},
          {"modality", p.info.modality},
          {"description", p.info.seriesDescription},
          {"dims", {p.dims[0], p.dims[1], p.dims[2], p.dims[3]}},
          {"spacingMm", {g.spacingMm.x, g.spacingMm.y, g.spacingMm.z}},
          {"spacingKnown", g.spacingKnown},
          {"sheared", g.sheared},
          {"originMm", {g.originMm.x, g.originMm.y, g.originMm.z}},
          {"direction", dir},
          {"timesMs", p.timesMs},
          {"timeRule", p.timeRule},
          {"frameOfReferenceUid", p.info.frameOfReferenceUid},
          {"splitReason", p.splitReason},
          {"pixelType", toString(p.type)},
          {"rescale",
           {{"slope", p.info.rescaleSlope}, {"intercept", p.info.rescaleIntercept},
            {"uniform", p.info.rescaleUniform}, {"applied", p.info.rescaleApplied}}},
          {"units", p.info.units},
          {"transferSyntaxUid", p.info.transferSyntaxUid},
          {"warnings", warningsJson(p.warnings)}};
}

}  // namespace

std::string infoJson(const ScanResult& scan, const GroupResult& groups) {
  nlohmann::json j;
  j["series"] = nlohmann::json::array();
  for (const auto& p : groups.series) j["series"].push_back(seriesJson(p));
  j["skipped"] = nlohmann::json::array();
  auto addSkipped = [&](const Diagnostic& s) {
    j["skipped"].push_back({{"path", s.path}, {"code", s.code}, {"reason", s.message}});
  };
  for (const auto& s : scan.skipped) addSkipped(s);
  for (const auto& s : groups.skipped) addSkipped(s);
  j["warnings"] = warningsJson(scan.warnings);
  return j.dump(1);
}

std::string infoText(const ScanResult& scan, const GroupResult& groups) {
  std::ostringstream o;
  o << groups.series.size() << " series, " << scan.files.size() << " files read, " << scan.skipped.size()
    << " skipped\n";
  for (const auto& w : scan.warnings) o << "warning " << w.str() << "\n";
  for (const auto& p : groups.series) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%ldx%ldx%ldx%ld  %.4gx%.4gx%.4g mm", static_cast<long>(p.dims[0]),
                  static_cast<long>(p.dims[1]), static_cast<long>(p.dims[2]), static_cast<long>(p.dims[3]),
                  p.geometry.spacingMm.x, p.geometry.spacingMm.y, p.geometry.spacingMm.z);
    o << "- " << p.info.modality << " \"" << p.info.seriesDescription << "\" " << buf << " " << toString(p.type)
      << "\n    id " << p.id << "\n";
    if (!p.splitReason.empty()) o << "    split: " << p.splitReason << "\n";
    if (!p.timeRule.empty()) o << "    time: " << p.timeRule << "\n";
    for (const auto& w : p.warnings) o << "    warning " << w.str() << "\n";
  }
  for (const auto& s : scan.skipped) o << "skipped " << s.path << ": " << s.code << " (" << s.message << ")\n";
  return o.str();
}

}  // namespace cvx::app
