// SPDX-License-Identifier: MIT
#include <cvx/viewstate/seg_report.h>

#include <algorithm>
#include <cstdio>

#include <cvx/core/dicom_time.h>
#include <cvx/viewstate/percist.h>
#include <cvx/viewstate/percist_response.h>
#include <cvx/viewstate/suv.h>

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

bool percistReadsPet(const ViewerState& state, int segmentation) {
  const auto& segs = state.segmentations();
  if (segmentation < 0 || segmentation >= static_cast<int>(segs.size())) return false;
  const SegmentationLayer& own = segs[static_cast<size_t>(segmentation)];
  // Only where there is a lesion to judge (a SEG of organs keeps its uptake on demand), on a PET with SUL.
  if (!own.segmentation || std::none_of(own.segmentation->segments().begin(), own.segmentation->segments().end(), percistJudges))
    return false;
  const int pet = petLayerFor(state, own.layer);
  if (pet < 0 || !suvLeanBodyMass(state.layers()[static_cast<size_t>(pet)].volume->info).ok()) return false;
  return segmentReadAgainst(state, pet, isPercistReference).first >= 0;
}

std::pair<int, size_t> segmentReadAgainst(const ViewerState& state, int pet, bool (*is)(const Segment&)) {
  const auto& segs = state.segmentations();
  for (size_t i = 0; i < segs.size(); ++i) {
    if (!segs[i].segmentation || petLayerFor(state, segs[i].layer) != pet) continue;
    const auto& segments = segs[i].segmentation->segments();
    for (size_t k = 0; k < segments.size(); ++k)
      if (is(segments[k])) return {static_cast<int>(i), k};
  }
  return {-1, 0};
}

namespace {

// Segmentation i of state as a report source; its labels copied, shared (a report computed at once,
// on the state's thread) or left out.
enum class Labels { Copy, Share, None };
SegmentReportSource sourceOf(const ViewerState& state, int i, int petOnly, Labels labels) {
  SegmentReportSource src;
  const SegmentationLayer& sl = state.segmentations()[static_cast<size_t>(i)];
  src.segmentation = i;
  src.revision = sl.revision;
  src.name = sl.name;
  const Layer& layer = state.layers()[static_cast<size_t>(sl.layer)];
  src.image = layer.volume;
  src.phase = state.phaseOf(*layer.volume);
  src.units = layer.mapping.units;
  src.scale = layer.mapping.shownPerValue();
  if (const int pet = petLayerFor(state, sl.layer); pet >= 0) {
    const Layer& p = state.layers()[static_cast<size_t>(pet)];
    src.pet = p.volume;
    src.petPhase = state.phaseOf(*p.volume);
    src.suvFactor = p.mapping.unitScale;
    src.petOnly = petOnly;
  }
  if (labels != Labels::Copy) {
    if (labels == Labels::Share) src.labels = sl.segmentation;
    return src;
  }
  auto c = sl.segmentation->copyWithLabels();
  if (c.ok()) src.labels = std::make_shared<const Segmentation>(std::move(*c));
  else src.error = c.error();
  return src;
}

PetScan petScanOf(const SeriesInfo& info) {
  PetScan s;
  s.studyDate = info.studyDate;
  s.seriesTime = info.pet.seriesTime.empty() ? info.studyTime : info.pet.seriesTime;
  s.studyDescription = info.studyDescription;
  if (auto f = suvBodyWeight(info); f.ok() && f->referenceTime != "administration") {
    s.uptakeS = f->decaySeconds;  // to SeriesTime (or AcquisitionTime): the scan's start, as a rule
    // A re-reconstruction's SeriesTime after the acquisition (suv.series_after_acquisition): the
    // uptake PERCIST compares runs to the acquisition's start.
    const auto series = dicomTimeOfDay(info.pet.seriesTime), acquired = dicomTimeOfDay(info.pet.acquisitionTime);
    // (suv.cpp's rule: a later SeriesTime within half a day; AcquisitionTime is the first slice's.)
    if (f->referenceTime == "series" && series && acquired && *series > *acquired && *series - *acquired < 43200)
      s.uptakeS -= *series - *acquired;
  }
  return s;
}

bool validSegmentation(const ViewerState& state, int i) {
  if (i < 0 || i >= static_cast<int>(state.segmentations().size())) return false;
  const SegmentationLayer& sl = state.segmentations()[static_cast<size_t>(i)];
  // (The state keeps each segmentation over an open layer; the check is for safety only.)
  return sl.segmentation && sl.layer >= 0 && sl.layer < static_cast<int>(state.layers().size()) &&
         state.layers()[static_cast<size_t>(sl.layer)].volume;
}

}  // namespace

SegmentReportSource segmentReportSource(const ViewerState& state, int segmentation, int petOnly, ReportLabels labels) {
  if (!validSegmentation(state, segmentation)) {
    SegmentReportSource src;
    src.segmentation = segmentation;
    src.error = makeError("seg.edit_bad_segment", "no segmentation " + std::to_string(segmentation));
    return src;
  }
  return sourceOf(state, segmentation, petOnly, labels == ReportLabels::Copy ? Labels::Copy : Labels::None);
}

std::vector<SegmentReportRow> segmentReport(const ViewerState& state) {
  std::vector<SegmentReportSource> sources;
  for (int i = 0; i < static_cast<int>(state.segmentations().size()); ++i)
    if (validSegmentation(state, i)) sources.push_back(sourceOf(state, i, -1, Labels::Share));
  return segmentReport(sources);
}

std::vector<SegmentReportRow> segmentReport(const std::vector<SegmentReportSource>& sources) {
  std::vector<SegmentReportRow> rows;
  for (const SegmentReportSource& src : sources) {
    if (!src.labels) continue;  // a failed copy: no segment to name (src.error says why)
    const Segmentation& seg = *src.labels;
    // One pass over each label layer for all the segments' statistics.
    auto stats = segmentStats(seg, *src.image, src.phase);
    double sulPerSuv = 0;  // one SUL factor per PET (its header's height, sex and weight)
    Diagnostic sulError;
    PetScan scan;
    if (src.pet) {
      if (auto sul = suvLeanBodyMass(src.pet->info)) sulPerSuv = sul->perSuv();
      else sulError = sul.error();
      scan = petScanOf(src.pet->info);
    }
    for (size_t k = 0; k < seg.segments().size(); ++k) {
      SegmentReportRow r;
      r.segmentation = src.segmentation;
      r.segment = k;
      r.segmentationName = src.name;
      r.meta = seg.segments()[k];
      r.seriesUid = src.image->info.seriesInstanceUid;
      r.modality = src.image->info.modality;
      r.units = src.units;
      r.scale = src.scale;
      if (stats.ok()) r.stats = (*stats)[k];
      else r.error = stats.error();
      r.voxels = stats.ok() ? (*stats)[k].voxels : seg.voxelCount(k);
      r.volumeMl = stats.ok() ? (*stats)[k].volumeMl : seg.volumeMl(k);
      const bool wanted = src.petOnly == SegmentReportSource::kAllPet ||
                          (src.petOnly >= 0 && static_cast<size_t>(src.petOnly) == k) || isPercistReference(r.meta);
      if (src.pet) r.petSerial = src.pet->serial();
      if (src.curveOf >= 0 && static_cast<size_t>(src.curveOf) == k && src.image->dims()[3] > 1) {
        auto c = segmentCurve(seg, k, *src.image, src.units, src.scale);
        if (c) r.curve = std::move(*c);
      }
      r.sulPerSuv = sulPerSuv;
      r.petScan = scan;
      r.sulError = sulError;
      if (src.pet && wanted) {  // the uptake does not need the source's statistics
        r.petMeasured = true;
        if (r.voxels > 0) {
          auto up = petStats(seg, k, *src.pet, src.petPhase, src.suvFactor);
          if (!up.ok() && r.error.code.empty()) r.error = up.error();
          else if (up.ok() && up->voxels > 0) r.pet = *up;
        }
      }
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

std::string segmentReportCsv(const std::vector<SegmentReportRow>& rows, const PercistFrames* frames) {
  std::string out =
      "segmentation,segment_number,name,category,type,type_code,colour,series_uid,modality,voxels,volume_ml,"
      "mean,sd,min,max,units,suv_max,suv_peak,suv_mean,mtv_ml,tlg,sul_peak,sul_max,percist_threshold,percist_measurable,"
      "pet_study_date,percist_target,percist_new_lesion,error\r\n";
  const std::vector<PercistScan> scans = percistScans(rows);  // each PET's target lesion (percist_response.h)
  // The response's new lesions, where its studies are linked: yes for those, no for the follow-up's
  // other measurable lesions (each matched a baseline lesion).
  const auto response = frames ? percistResponse(rows, frames) : std::nullopt;
  auto newLesion = [&](size_t n) -> std::string {
    if (!response || !response->lesionsMatched || rows[n].petSerial != response->followUp.petSerial) return "";
    for (const PercistResponse::NewLesion& l : response->newLesions)
      if (l.row == static_cast<int>(n)) return "yes";
    bool measurable = false;
    return percistMeasurable(rows, rows[n], measurable) && measurable ? "no" : "";
  };
  for (size_t n = 0; n < rows.size(); ++n) {
    const SegmentReportRow& r = rows[n];
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
    const double sul = r.sulPerSuv > 0 ? r.sulPerSuv : NAN;  // PERCIST's SUL, where the header allows it
    for (double x : {p ? p->suvPeak * sul : NAN, p ? p->suvMax * sul : NAN}) f.push_back(csvNumber(x));
    // PERCIST: the liver reference's threshold (percist.h) where the PET has one, and whether this
    // segment's SULpeak reaches it (not said of the reference or another liver segment).
    const auto ref = percistReference(rows, r.petSerial);
    f.push_back(ref ? csvNumber(ref->threshold()) : "");
    bool measurable = false;
    f.push_back(percistMeasurable(rows, r, measurable) ? (measurable ? "yes" : "no") : "");
    f.push_back(r.petSerial ? csvField(r.petScan.studyDate) : "");  // which study's PET: a response reads two
    const bool target = std::any_of(scans.begin(), scans.end(), [&](const PercistScan& c) { return c.target == static_cast<int>(n); });
    f.push_back(target ? "yes" : "");
    f.push_back(newLesion(n));
    f.push_back(csvField(r.error.code));
    out += detail::csvLine(f);
  }
  return out;
}

Status exportSegmentReportCsv(const std::string& path, const std::vector<SegmentReportRow>& rows,
                              const PercistFrames* frames) {
  return detail::writeFileAtomic(path, segmentReportCsv(rows, frames), "seg.export_failed");
}

}  // namespace cvx::view
