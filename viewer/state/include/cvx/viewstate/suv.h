// SPDX-License-Identifier: MIT
// SUV body weight (SUVbw) of a PET series from its header: the factor that turns a modality value
// in Bq/ml into SUVbw, with the inputs it came from (docs/suv.md). Qt-free.
//
//   SUVbw = C[Bq/ml] * factor,  factor = weight[g] / decayedDose[Bq],
//   decayedDose = dose * 2^(-decaySeconds / halfLife)
//
// Rules (the QIBA vendor-neutral method, as GE and Siemens document it):
// - Units (0054,1001) must be BQML, else "suv.not_bqml" (CNTS, GML, ... are not converted).
// - DecayCorrection (0054,1102)
//   START: the images are decay corrected to the scan start, so the dose is decayed from the
//          injection to SeriesTime (0008,0031); to AcquisitionTime (0008,0032, first slice) when
//          SeriesTime is missing, with warning "suv.acquisition_time". SeriesTime later than
//          AcquisitionTime (a GE re-reconstruction) keeps SeriesTime, with "suv.series_after_acquisition".
//   ADMIN: decay corrected to the administration already: no decay (decaySeconds 0, the half-life
//          and the times are not needed).
//   NONE:  refused ("suv.not_decay_corrected"): each frame would need its own decay from its own
//          acquisition time, which QIBA leaves out of the vendor-neutral method as well. A non-empty
//          CorrectedImage (0028,0051) without DECY is refused the same way. Any other value:
//          "suv.unknown_decay_correction".
// - Injection time: the time of RadiopharmaceuticalStartDateTime (0018,1078) when present, else
//   RadiopharmaceuticalStartTime (0018,1072). Times of day only: a series time earlier than the
//   injection is the next day (injection 23:50, series 00:40: 50 min). When the DateTime carries a
//   date and the StudyDate is known (SeriesInfo keeps no SeriesDate: the study date stands in for
//   it), the dates count too: same date and a negative difference is still the next day; a decay
//   time negative or over 24 h is "suv.bad_times", as is a time that does not parse.
// - Missing (or non-positive) PatientWeight, RadionuclideTotalDose, RadionuclideHalfLife (START),
//   injection time (START), series and acquisition time (START), Units or DecayCorrection:
//   "suv.missing_input", naming every one missing.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/metadata.h>

namespace cvx::view {

struct SuvFactor {
  double factor = 0;          // SUVbw = modality value [Bq/ml] * factor  [g/Bq]
  double weightKg = 0;        // PatientWeight
  double injectedDoseBq = 0;  // RadionuclideTotalDose
  double halfLifeS = 0;       // RadionuclideHalfLife (0 when not needed: ADMIN without it)
  double decaySeconds = 0;    // from the injection to the reference time (0 for ADMIN)
  double decayedDoseBq = 0;   // injectedDoseBq * 2^(-decaySeconds / halfLifeS)
  std::string referenceTime;  // "series", "acquisition" or "administration" (ADMIN)
  std::string rule;           // the computation in words, with the numbers
  std::vector<Diagnostic> warnings;
};

// The SUVbw factor of a series, or why there is none (suv.* codes above; path: SeriesInstanceUID).
Result<SuvFactor> suvBodyWeight(const SeriesInfo& info);

// SUL: SUV normalised by lean body mass, the unit of PERCIST 1.0 (Wahl et al., J Nucl Med 2009:
// SULpeak, the liver reference), with the lean body mass of Janmahasatian et al. (Clin
// Pharmacokinet 2005), which Tahari et al. (J Nucl Med 2014) recommend for SUL (docs/suv.md):
//   LBM [kg] = 9270 x W / (6680 + 216 x BMI) (male),  9270 x W / (8780 + 244 x BMI) (female),
//   BMI = W / H^2 (W: PatientWeight in kg, H: PatientSize (0010,1020) in m),
//   SUL = SUVbw x LBM / W: factor = SUVbw's factor x LBM / W.
// Rules: SUVbw's errors first. PatientSex (0010,0040) must be M or F (the formula has no other),
// PatientSize present and positive, else "suv.sul_missing_input" naming each. A PatientSize outside
// 0.5 to 2.6 m is "suv.bad_height": a height written in centimetres (175) is the file's error, and
// reading it as 1.75 m would be a silent guess.
struct SulFactor {
  double factor = 0;    // SUL = modality value [Bq/ml] x factor
  double leanKg = 0;    // LBM
  double heightM = 0;   // PatientSize
  double bmi = 0;       // kg/m^2
  char sex = 'M';       // 'M' or 'F'
  SuvFactor bw;         // the SUVbw factor SUL scales (its weight, dose and warnings)
  double perSuv() const { return bw.weightKg > 0 ? leanKg / bw.weightKg : 0; }  // SUL / SUVbw
  std::string rule;     // the computation in words, with the numbers
};
Result<SulFactor> suvLeanBodyMass(const SeriesInfo& info);
// The same from SUVbw's factor of info, already computed (not computed a second time).
Result<SulFactor> suvLeanBodyMass(const SeriesInfo& info, const SuvFactor& bw);


}  // namespace cvx::view
