// SPDX-License-Identifier: MIT
// The segments as a table, for a tumour board or a trial's case form: one row per segment of every
// segmentation of the state, with its series, terms, volume and statistics in the units the window
// shows, and on a PET/CT the PET uptake (pet_stats.h). The Segments dock exports it as CSV
// (docs/segmentation.md, "Segment report"). Qt-free.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/segmentation.h>
#include <cvx/viewstate/pet_stats.h>
#include <cvx/viewstate/seg_curve.h>
#include <cvx/viewstate/seg_stats.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

// The PET a segment over image layer `own` is read against: the first layer of its frame of
// reference (own first: layersOfFrame) shown in SUVbw with a positive SUV factor; -1 for none.
int petLayerFor(const ViewerState& state, int own);

// The PET a row is read against, as PERCIST's response orders and compares scans (percist_response.h).
struct PetScan {
  std::string studyDate, seriesTime;  // StudyDate (YYYYMMDD) and SeriesTime (HHMMSS.frac); "": unknown
  std::string studyDescription;
  double uptakeS = -1;  // injection to the acquisition's start (SuvFactor::decaySeconds, START; to AcquisitionTime
                        // where a re-reconstruction's SeriesTime is later); < 0: unknown (ADMIN)
};

// The first segment (segmentation, segment) read against PET layer `pet` (petLayerFor) that `is` holds
// of, in the dock's order; {-1, 0} for none. PERCIST's references are found so (isLiverReference, ...).
std::pair<int, size_t> segmentReadAgainst(const ViewerState& state, int pet, bool (*is)(const Segment&));

// Whether segmentation i holds a segment PERCIST judges as a lesion (percist.h's percistJudges) and is
// read against a PET with SUL that some segmentation's PERCIST reference is read against too: then
// every one of its segments' uptake is computed (PERCIST's target is the hottest lesion).
bool percistReadsPet(const ViewerState& state, int segmentation);

struct SegmentReportRow {
  int segmentation = -1;  // index into state.segmentations()
  size_t segment = 0;
  std::string segmentationName;  // the file it came from, or "edits"
  Segment meta;
  std::string seriesUid, modality;  // of the series it lies on
  // Over the segment's voxels at the phase the views show, in `units` (stats' series values times
  // `scale`: SUVbw on a PET with SUV inputs).
  std::optional<SegmentStats> stats;
  std::string units;
  double scale = 1;
  int64_t voxels = 0;  // the segment's voxels and mL, also where the statistics failed
  double volumeMl = 0;
  std::optional<PetStats> pet;  // on a PET/CT (petLayerFor), when the segment holds uptake
  bool petMeasured = false;     // its uptake was computed (with a PET, and wanted: SegmentReportSource::petOnly)
  // SUL / SUVbw of that PET (suv.h's suvLeanBodyMass: LBM / weight), for PERCIST's SULpeak; 0 where
  // the header has no height or sex (sulError: the suv.* code), or there is no PET.
  double sulPerSuv = 0;
  Diagnostic sulError;
  uint64_t petSerial = 0;       // Volume::serial of the PET read (percist.h links a reference by it), 0: none
  PetScan petScan;              // that PET's date, time and uptake time
  std::optional<SegmentCurve> curve;  // over a 4D series, for SegmentReportSource::curveOf (seg_curve.h)
  Diagnostic error;             // what kept stats or pet away (a code; the statistics' first), else empty
};

// Every segment of every segmentation, in the dock's order.
std::vector<SegmentReportRow> segmentReport(const ViewerState& state);

// What the report reads of one segmentation, taken on the state's thread so that the rows can be
// computed on another while the state is edited (the Segments dock's figures, seg_figures.h): its
// labels (a copy of their own: Segmentation::copyWithLabels), and the image it lies on and the PET,
// shared (an image layer's voxels never change).
struct SegmentReportSource {
  int segmentation = -1;   // its index in the state when taken
  uint64_t revision = 0;   // SegmentationLayer::revision when taken
  std::string name;
  std::shared_ptr<const Segmentation> labels;
  std::shared_ptr<const Volume> image;  // the layer it lies on, at the phase the views show
  int64_t phase = 0;
  std::string units;
  double scale = 1;
  std::shared_ptr<const Volume> pet;  // petLayerFor's layer, or null
  int64_t petPhase = 0;
  double suvFactor = 0;
  // With a PET: the one segment whose uptake is computed besides PERCIST references (percist.h;
  // always computed); kAllPet every segment's, kNoPet only the references'.
  static constexpr int kAllPet = -1, kNoPet = -2;
  int petOnly = kAllPet;
  int curveOf = -1;  // the segment whose time-intensity curve is computed over a 4D image; -1: none
  Diagnostic error;  // the copy failed (volume.*, no memory): every row says so
};

// Segmentation `segmentation` of state, its labels copied (Copy), or without labels (None: what the
// figures would be computed from, SegmentFigures' key). petOnly: as SegmentReportSource's.
enum class ReportLabels { Copy, None };
SegmentReportSource segmentReportSource(const ViewerState& state, int segmentation, int petOnly = -1,
                                        ReportLabels labels = ReportLabels::Copy);
// The rows of the sources, in order; reads nothing but what they hold (any thread).
std::vector<SegmentReportRow> segmentReport(const std::vector<SegmentReportSource>& sources);

// Where each PET lies in the state's reference frame, per Volume::serial (percist_response.h's
// percistFrames): PERCIST's new lesions are looked for only where both studies are linked.
using PercistFrames = std::map<uint64_t, Vec3>;

// CSV (RFC 4180, as measurementsCsv: a header line, text quoted where needed, numbers with up to 10
// significant digits, empty where there is no value); the columns are in docs/segmentation.md.
// frames: for the column percist_new_lesion (percistResponse's), or null (the column is empty).
std::string segmentReportCsv(const std::vector<SegmentReportRow>& rows, const PercistFrames* frames = nullptr);
// Written whole (a temporary file renamed over path); "seg.export_failed".
Status exportSegmentReportCsv(const std::string& path, const std::vector<SegmentReportRow>& rows,
                              const PercistFrames* frames = nullptr);

}  // namespace cvx::view
