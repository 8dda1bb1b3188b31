// SPDX-License-Identifier: MIT
// PERCIST 1.0 (Wahl et al., J Nucl Med 2009; O et al., "Practical PERCIST", Radiology 2016): the
// liver reference, and the threshold a target lesion's SULpeak must reach to be measurable. Qt-free.
// docs/segmentation.md, "PERCIST".
//
// Rules:
// - The liver reference is a segment of type Liver (SNOMED CT 10200004) named "Liver reference" (what
//   the dock's Liver ref. draws: PERCIST's 3 cm ball in the normal right lobe, percistLiverBall; a
//   reader may name and type a segment of their own so), read against a PET (the segment report's
//   rows: seg_report.h). A segment of the whole liver (a TotalSegmentator SEG's "Liver") is no
//   reference. Of several, the first in the rows' order (the dock's); Liver ref. moves an existing one.
// - Its SUL mean and SD: the segment's uptake (pet_stats.h: SUVmean and the sample SUVsd) times
//   SUL / SUVbw (suv.h's suvLeanBodyMass). Without SUL (no height or sex in the PET's header), no
//   reference.
// - Where the liver is abnormal (metastases, steatosis), the blood pool reference instead: a segment of
//   type Aorta (SNOMED CT 15825003) named "Blood pool reference" (the dock's Blood pool ref.: PERCIST's
//   1 cm wide, 2 cm long cylinder along the patient's long axis in the descending thoracic aorta,
//   percistBloodPoolCylinder). A PET with a liver reference reads that; one with a blood pool reference
//   only, the blood pool.
// - The threshold: 1.5 x SULmean + 2 x SD of the liver, 2.0 x SULmean + 2 x SD of the blood pool. A
//   lesion is measurable when its SULpeak reaches it.
//   Organs are not judged: a segment of category Anatomical Structure (SCT 123037004, or SNOMED-RT
//   T-D000A in older SEGs: a TotalSegmentator SEG's brain, bladder, heart, aorta, ...) or of type
//   Liver is no lesion, except a Lymph node (SCT 59441001: nodal disease); any other (Neoplasm, what
//   the Lesion tool makes; a segment drawn untyped or typed Tissue) is one. The references never are.
#pragma once
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/seg_report.h>

namespace cvx::view {

inline constexpr double kPercistLiverRadiusMm = 15;  // a 3 cm ball
inline constexpr double kPercistLiverMl = 4.0 / 3.0 * std::numbers::pi * 15 * 15 * 15 / 1000;  // 14.137 mL

inline constexpr const char* kPercistReferenceName = "Liver reference";
// Whether s is of type Liver (SCT 10200004) and named kPercistReferenceName: a PERCIST liver reference.
bool isLiverReference(const Segment& s);

inline constexpr double kPercistBloodPoolRadiusMm = 5, kPercistBloodPoolLengthMm = 20;  // 1 cm wide, 2 cm long
inline constexpr double kPercistBloodPoolMl = std::numbers::pi * 5 * 5 * 20 / 1000;  // 1.571 mL
inline constexpr const char* kPercistBloodPoolName = "Blood pool reference";
// Whether s is of type Aorta (SCT 15825003) and named kPercistBloodPoolName.
bool isBloodPoolReference(const Segment& s);
// Either reference.
bool isPercistReference(const Segment& s);

struct PercistReference {
  int segmentation = -1;  // the reference's row
  size_t segment = 0;
  double sulMean = 0, sulSd = 0;
  bool bloodPool = false;  // the blood pool's, not the liver's
  double threshold() const { return (bloodPool ? 2.0 : 1.5) * sulMean + 2 * sulSd; }
  const char* organ() const { return bloodPool ? "blood pool" : "liver"; }
};

// The reference among rows read against the PET of serial petSerial (SegmentReportRow::petSerial): its
// liver reference, else its blood pool reference; none without either with its uptake and SUL.
std::optional<PercistReference> percistReference(const std::vector<SegmentReportRow>& rows, uint64_t petSerial);

// What PERCIST says of `row` with the rows' reference: "measurable: SULpeak 4.53 >= 3.25 (1.5 x liver
// SULmean 1.90 + 2 x SD 0.20)" (or "2.0 x blood pool SULmean") or "not measurable: ...", for the
// reference itself "liver reference: SULmean 1.90, SD 0.20; threshold 3.25" ("blood pool reference:
// ..."), and "" where there is nothing to say (no uptake or SUL, no reference, an organ). Figures with two decimals, more (up to six) where SULpeak and the
// threshold would read the same.
std::string percistText(const std::vector<SegmentReportRow>& rows, const SegmentReportRow& row);
// Whether PERCIST judges a segment of these terms as a lesion (the rules: no organ).
bool percistJudges(const Segment& s);
// Whether PERCIST judges `row` (a lesion, percistJudges, with uptake and SUL, on a PET with a
// reference), and if so, in `measurable`, whether its SULpeak reaches the threshold.
bool percistMeasurable(const std::vector<SegmentReportRow>& rows, const SegmentReportRow& row, bool& measurable);

// PERCIST's liver reference drawn about patient point centreMm on grid's voxels: those whose centres lie
// within kPercistLiverRadiusMm of it (1 byte a voxel, grid's first phase's size). seg.ball_outside: no
// voxel centre of the grid within it. whole: the voxels it would hold on the grid's lattice extended
// past its edges, so that a ball cut by the edge shows as fewer (a count on the lattice, not 14.1 mL:
// coarse voxels round the shape).
Result<std::vector<uint8_t>> percistLiverBall(const Volume& grid, Vec3 centreMm, int64_t* whole = nullptr);

// PERCIST's blood pool reference about patient point centreMm on grid's voxels: those whose centres lie
// within kPercistBloodPoolRadiusMm of the line through it along the patient's long axis (LPS z) and
// within half kPercistBloodPoolLengthMm of it along that axis (1 byte a voxel). seg.ball_outside:
// no voxel centre within it. whole: as percistLiverBall's.
Result<std::vector<uint8_t>> percistBloodPoolCylinder(const Volume& grid, Vec3 centreMm, int64_t* whole = nullptr);

}  // namespace cvx::view
