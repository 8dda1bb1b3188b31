// SPDX-License-Identifier: MIT
#include <cvx/viewstate/seg_report.h>

#include <cstdio>

#include "csv.h"
#include "measure_json.h"

namespace cvx::view {

using detail::csvField;
using detail::csvNumber;

int petLayerFor(const ViewerState& state, int own) {
  for (int i : state.layersOfFrame(own)) {  // the segment's own layer first
    const Layer& l = state.layers()[static_cast<size_t>(i)];
    if (l.volume && l.mapping.units == "SUVbw" && l.mapping.unitScale > 0 && std::isfinite(l.mapping.unitScale)) return i;
  }
  return -1;
}

std::vector<SegmentReportRow> segmentReport(const ViewerState& state) {
  std::vector<SegmentReportRow> rows;
  for (size_t i = 0; i < state.segmentations().size(); ++i) {
    const SegmentationLayer& sl = state.segmentations()[i];
    // (The state keeps each segmentation over an open layer; the check is for safety only.)
    if (!sl.segmentation || sl.layer < 0 || sl.layer >= static_cast<int>(state.layers().size())) continue;
    const Layer& layer = state.layers()[static_cast<size_t>(sl.layer)];
    const Segmentation& seg = *sl.segmentation;
    // One pass over each label layer for all the segments' statistics.
    auto stats = segmentStats(seg, *layer.volume, state.phaseOf(*layer.volume));
    const int pet = petLayerFor(state, sl.layer);
    for (size_t k = 0; k < seg.segments().size(); ++k) {
      SegmentReportRow r;
      r.segmentation = static_cast<int>(i);
      r.segment = k;
      r.segmentationName = sl.name;
      r.meta = seg.segments()[k];
      r.seriesUid = layer.volume->info.seriesInstanceUid;
      r.modality = layer.volume->info.modality;
      r.units = layer.mapping.units;
      r.scale = layer.mapping.shownPerValue();
      if (stats.ok()) r.stats = (*stats)[k];
      else r.error = stats.error();
      if (pet >= 0 && seg.voxelCount(k) > 0) {  // the uptake does not need the source's statistics
        const Layer& p = state.layers()[static_cast<size_t>(pet)];
        auto up = petStats(seg, k, *p.volume, state.phaseOf(*p.volume), p.mapping.unitScale);
        if (!up.ok()) r.error = up.error();
        else if (up->voxels > 0) r.pet = *up;
      }
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

std::string segmentReportCsv(const std::vector<SegmentReportRow>& rows) {
  std::string out =
      "segmentation,segment_number,name,category,type,type_code,colour,series_uid,modality,voxels,volume_ml,"
      "mean,sd,min,max,units,suv_max,suv_peak,suv_mean,mtv_ml,tlg,error\r\n";
  for (const SegmentReportRow& r : rows) {
    char colour[8];
    std::snprintf(colour, sizeof colour, "#%02x%02x%02x", r.meta.rgb[0], r.meta.rgb[1], r.meta.rgb[2]);
    const std::string code = r.meta.type.value.empty() ? "" : r.meta.type.scheme + ":" + r.meta.type.value;
    std::vector<std::string> f = {csvField(r.segmentationName), std::to_string(r.meta.number), csvField(r.meta.name),
                                  csvField(r.meta.category.meaning), csvField(r.meta.type.meaning), csvField(code),
                                  colour, csvField(r.seriesUid), csvField(r.modality)};
    const SegmentStats* s = r.stats ? &*r.stats : nullptr;
    f.push_back(s ? std::to_string(s->voxels) : "");
    f.push_back(s ? csvNumber(s->volumeMl) : "");
    for (double x : {s ? s->mean : NAN, s ? s->sd : NAN, s ? s->min : NAN, s ? s->max : NAN})
      f.push_back(s && s->voxels > 0 ? csvNumber(x * r.scale) : "");
    f.push_back(s && s->voxels > 0 ? csvField(r.units) : "");
    const PetStats* p = r.pet ? &*r.pet : nullptr;
    for (double x : {p ? p->suvMax : NAN, p ? p->suvPeak : NAN, p ? p->suvMean : NAN, p ? p->mtvMl : NAN, p ? p->tlg : NAN})
      f.push_back(csvNumber(x));
    f.push_back(csvField(r.error.code));
    out += detail::csvLine(f);
  }
  return out;
}

Status exportSegmentReportCsv(const std::string& path, const std::vector<SegmentReportRow>& rows) {
  return detail::writeFileAtomic(path, segmentReportCsv(rows), "seg.export_failed");
}

}  // namespace cvx::view
