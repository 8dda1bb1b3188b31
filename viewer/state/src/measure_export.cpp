// SPDX-License-Identifier: MIT
#include <cvx/viewstate/measure_export.h>

#include <cmath>

#include "csv.h"
#include "measure_json.h"

namespace cvx::view {
namespace {

using detail::Json;

constexpr int kExportVersion = 1;

using detail::csvField;
using detail::csvNumber;

std::string points(const std::vector<Vec3>& ps) {
  std::string s;
  for (const Vec3& p : ps) s += (s.empty() ? "" : ";") + csvNumber(p.x) + " " + csvNumber(p.y) + " " + csvNumber(p.z);
  return s;
}

void statsFields(std::vector<std::string>& f, const std::optional<RoiStats>& s, bool withCount) {
  if (withCount) f.push_back(s ? std::to_string(s->count) : "");
  for (double x : {s ? s->mean : NAN, s ? s->sd : NAN, s ? s->min : NAN, s ? s->max : NAN}) f.push_back(csvNumber(x));
}

}  // namespace

int findLayer(const std::vector<Layer>& layers, const Measurement& m) {
  for (size_t i = 0; i < layers.size(); ++i)
    if (!m.seriesUid.empty() && layers[i].volume && layers[i].volume->info.seriesInstanceUid == m.seriesUid)
      return static_cast<int>(i);
  if (!m.seriesUid.empty() || m.layer < 0 || m.layer >= static_cast<int>(layers.size())) return -1;
  const auto& v = layers[static_cast<size_t>(m.layer)].volume;
  return v && v->info.seriesInstanceUid.empty() ? m.layer : -1;
}

std::vector<MeasuredRow> measureAll(const MeasurementSet& set, const std::vector<Layer>& layers) {
  std::vector<MeasuredRow> rows;
  for (const auto& [id, m] : set.all()) {
    MeasuredRow r;
    r.measurement = m;
    const int l = findLayer(layers, m);
    if (l < 0) {
      r.error = makeError("measure.no_layer", "the measured series is not loaded",
                          m.seriesUid.empty() ? "layer " + std::to_string(m.layer) : m.seriesUid);
    } else {
      auto res = measure(m, *layers[static_cast<size_t>(l)].volume);
      if (res) r.result = std::move(*res);
      else r.error = res.error();
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string measurementsCsv(const std::vector<MeasuredRow>& rows) {
  std::string out =
      "id,kind,label,series_uid,layer,phase,value,unit,in_pixels,count,mean,sd,min,max,values_unit,"
      "suv_mean,suv_sd,suv_min,suv_max,suv_error,sul_mean,sul_sd,sul_min,sul_max,sul_error,error,points\r\n";
  for (const MeasuredRow& r : rows) {
    const Measurement& m = r.measurement;
    const MeasureResult* res = r.result ? &*r.result : nullptr;
    std::vector<std::string> f = {std::to_string(m.id), toString(m.kind), csvField(m.label), csvField(m.seriesUid),
                                  std::to_string(m.layer), std::to_string(m.phase)};
    f.push_back(res ? csvNumber(res->value) : "");
    f.push_back(res ? csvField(res->unit) : "");
    f.push_back(res ? (res->inPixels ? "1" : "0") : "");
    statsFields(f, res ? res->stats : std::nullopt, true);
    f.push_back(res ? csvField(res->statsUnit) : "");
    statsFields(f, res ? res->suv : std::nullopt, false);
    f.push_back(res ? csvField(res->suvError) : "");
    statsFields(f, res ? res->sul : std::nullopt, false);
    f.push_back(res ? csvField(res->sulError) : "");
    f.push_back(res ? "" : csvField(r.error.code));
    f.push_back(points(m.points));
    out += detail::csvLine(f);
  }
  return out;
}

std::string measurementsJson(const std::vector<MeasuredRow>& rows) {
  Json list = Json::array();
  for (const MeasuredRow& r : rows) {
    Json j = detail::toJson(r.measurement);
    if (r.result) j["result"] = detail::toJson(*r.result);
    else j["error"] = {{"code", r.error.code}, {"message", r.error.message}};
    list.push_back(std::move(j));
  }
  const Json doc = {{"format", "cinevox.measurements.export"}, {"version", kExportVersion}, {"measurements", list}};
  return doc.dump(1) + "\n";
}

Status exportCsv(const std::string& path, const std::vector<MeasuredRow>& rows) {
  return detail::writeFileAtomic(path, measurementsCsv(rows), "measure.export_failed");
}

Status exportJson(const std::string& path, const std::vector<MeasuredRow>& rows) {
  return detail::writeFileAtomic(path, measurementsJson(rows), "measure.export_failed");
}

}  // namespace cvx::view
