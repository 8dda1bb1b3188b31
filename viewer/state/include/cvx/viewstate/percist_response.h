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
//   PMD: a rise of 30 % or more and at least 0.8 SUL (new lesions, which also make PMD, are judged
//        by eye: the text says so);
//   SMD: anything else.
// - Warnings (the comparison stands, the reader weighs it):
//   percist.liver_changed (percist.blood_pool_changed): the reference's SULmean differs between the
//     scans by more than 20 % or by 0.3 SUL or more (Wahl: the scans are comparable when it is within
//     20 % and below 0.3); percist.reference_differs: the liver on one scan, the blood pool on the other;
//   percist.uptake_time_differs: injection-to-scan times more than 15 minutes apart;
//   percist.uptake_time_unknown: either scan's uptake time is unknown (SuvFactor ADMIN, no times).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/viewstate/percist.h>

namespace cvx::view {

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
};

// The response of the last scan against the first, or none with fewer than two scans.
std::optional<PercistResponse> percistResponse(const std::vector<SegmentReportRow>& rows);

// In words, for the Segments dock: "PERCIST response 2025-04-02 vs 2025-01-02: PMR (partial
// metabolic response): target SULpeak 6.20 -> 3.10 (-50 %, -3.10 SUL)", the targets' names, what is
// judged by eye, and one line per warning ("percist.liver_changed: ...").
std::string percistResponseText(const PercistResponse& r, const std::vector<SegmentReportRow>& rows);

}  // namespace cvx::view
