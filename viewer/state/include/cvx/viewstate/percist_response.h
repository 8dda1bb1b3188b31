// SPDX-License-Identifier: MIT
// PERCIST 1.0's metabolic response between a baseline and a follow-up PET (Wahl et al., J Nucl Med
// 2009, table 5; O et al., "Practical PERCIST", Radiology 2016): each PET's liver reference and
// target lesion (percist.h) read from the segment report's rows, and the category. Qt-free.
// docs/segmentation.md, "PERCIST response".
//
// Rules:
// - A scan is a PET (SegmentReportRow::petSerial) with a reference (percistReference: its liver's, or
//   its blood pool's where the liver is abnormal). Scans
//   are ordered by StudyDate, then SeriesTime (a scan without a date goes last, in the rows' order);
//   the first is the baseline, the last the follow-up (with three or more, the ones between are
//   listed, not judged: PERCIST compares with the baseline).
// - The lesions of a scan: its rows with uptake and SUL that percistMeasurable judges (no organ, no
//   reference: percist.h). Its target lesion is the single hottest, by SULpeak, of the measurable ones; where none
//   is measurable, the hottest judged lesion (PERCIST then reads the former target's region).
// - Not assessable (category "NA", code): the baseline or the follow-up has no StudyDate, or both
//   have the same date and SeriesTime (percist.scan_order_unknown: the order decides PMR from PMD, and
//   is never guessed); the baseline has no measurable lesion (percist.no_baseline_target); the
//   follow-up has no lesion at all (percist.no_follow_up_lesion).
// - The change: (follow-up target's SULpeak - baseline target's) / baseline target's, and the
//   difference in SUL.
//   CMR: the follow-up's hottest lesion at or below its reference's SULmean (Practical PERCIST: "less than
//        the mean liver activity and indistinguishable from the blood pool": the blood pool is judged
//        by eye, the text says so);
//   PMR: a fall of 30 % or more and at least 0.8 SUL;
//   PMD: a rise of 30 % or more and at least 0.8 SUL, or a new lesion (below);
//   SMD: anything else.
// - New lesions (PMD whatever the target does): where both PETs' frames of reference are linked
//   (PercistFrames: the same frame, or one linked by hand), a measurable lesion of the follow-up
//   (FDG-avid: SULpeak at or above its threshold) whose SULpeak centre (PetStats::peakAt) lies
//   farther than kPercistMatchMm plus both lesions' equivalent sphere radii (from their volumes)
//   from every judged lesion of the baseline, both taken to the reference frame. "New" means no
//   segmented baseline lesion lies there: the reader confirms that the baseline shows none (one not
//   segmented would have matched) and that it is typical of cancer (not inflammation, not a
//   treatment effect), and lesions no one has segmented are still judged by eye: the text says so.
//   A large baseline lesion matches far (radius 30 mm: anything within 45 mm plus the other's
//   radius). Unlinked frames: new lesions are judged by eye only, and the text says why.
// - Warnings (the comparison stands, the reader weighs it):
//   percist.liver_changed (percist.blood_pool_changed): the reference's SULmean differs between the
//     scans by more than 20 % or by 0.3 SUL or more (Wahl: the scans are comparable when it is within
//     20 % and below 0.3); percist.reference_differs: the liver on one scan, the blood pool on the other;
//   percist.uptake_time_differs: injection-to-scan times more than 15 minutes apart;
//   percist.uptake_time_unknown: either scan's uptake time is unknown (SuvFactor ADMIN, no times).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/viewstate/percist.h>

namespace cvx::view {

class ViewerState;

// A follow-up lesion matches a baseline one within this distance (mm) beyond their equivalent radii:
// the residue a frame linked by hand leaves (a translation: breathing and positioning differ between
// the scans by a centimetre or two), so that one lesion is not called new for having moved.
inline constexpr double kPercistMatchMm = 15;

// Where each open PET lies in the state's reference frame (layer 0's frame of reference), for
// matching lesions between studies (PercistFrames, seg_report.h): per Volume::serial, the shift added
// to its patient coordinates (0 in the reference frame; minus the offset of a frame linked by hand,
// ViewerState::linkFrameByOffset). A PET that is not there lies in an unlinked frame, or has no
// FrameOfReferenceUID (and is not the reference layer): two anonymised studies are never matched.
PercistFrames percistFrames(const ViewerState& state);

// One PET's PERCIST reading.
struct PercistScan {
  uint64_t petSerial = 0;
  PetScan info;                 // date, time, uptake (seg_report.h)
  PercistReference reference;
  int lesions = 0, measurable = 0;  // judged lesions, and how many reach the threshold
  int target = -1;              // the target lesion's index in the rows; -1: no lesion
  double targetSulPeak = 0;     // its SULpeak
  bool targetMeasurable = false;
};

// Every PET of the rows with a reference (liver or blood pool), baseline first (the rules' order).
std::vector<PercistScan> percistScans(const std::vector<SegmentReportRow>& rows);

struct PercistResponse {
  PercistScan baseline, followUp;
  int scans = 0;                  // PETs with a reference (>= 2)
  std::string category;           // "CMR", "PMR", "SMD", "PMD", or "NA"
  Diagnostic notAssessable;       // for "NA": why (percist.scan_order_unknown, no_baseline_target, no_follow_up_lesion)
  double change = 0, changeSul = 0;  // the target's SULpeak: relative (-0.5: a fall of 50 %) and in SUL
  std::vector<Diagnostic> warnings;  // percist.liver_changed, blood_pool_changed, reference_differs, uptake_time_*
  // New lesions: looked for only where both PETs' frames are linked (frames given, both in them).
  bool framesGiven = false;  // percistResponse had frames
  bool lesionsMatched = false;
  struct NewLesion {
    int row = -1;           // the follow-up lesion's row
    double nearestMm = -1;  // its distance to the nearest segmented baseline lesion, -1: none there
  };
  std::vector<NewLesion> newLesions;  // hottest first
};

// The response of the last scan against the first, or none with fewer than two scans. frames: where
// the PETs lie (percistFrames), or null: new lesions are judged by eye only.
std::optional<PercistResponse> percistResponse(const std::vector<SegmentReportRow>& rows,
                                               const PercistFrames* frames = nullptr);

// In words, for the Segments dock: "PERCIST response 2025-04-02 vs 2025-01-02: PMR (partial
// metabolic response): target SULpeak 6.20 -> 3.10 (-50 %, -3.10 SUL)", the targets' names, what is
// judged by eye, and one line per warning ("percist.liver_changed: ...").
std::string percistResponseText(const PercistResponse& r, const std::vector<SegmentReportRow>& rows);

}  // namespace cvx::view
