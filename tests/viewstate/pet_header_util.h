// SPDX-License-Identifier: MIT
// A PET header with SUVbw and SUL for the viewstate tests (suv.h), its figures worked out by hand:
// ADMIN (no decay), 80 kg, 200 MBq, so SUVbw = Bq/ml x 80000 g / 2e8 Bq = Bq/ml x 4e-4; female,
// 1.60 m: BMI 80 / 1.60^2 = 31.25, lean body mass (Janmahasatian) 9270 x 80 / (8780 + 244 x 31.25)
// = 741600 / 16405 = 45.20573 kg, so SUL = SUVbw x 45.20573 / 80 = SUVbw x 0.5650716.
#pragma once
#include <cvx/core/metadata.h>

namespace cvx::test {

inline constexpr double kHeaderSuvPerBqml = 4e-4;
inline constexpr double kHeaderSulPerSuv = 0.5650716;

inline void setSulHeader(SeriesInfo& info) {
  info.modality = "PT";
  info.units = info.pet.units = "BQML";
  info.pet.decayCorrection = "ADMIN";
  info.pet.patientWeightKg = 80;
  info.pet.injectedDoseBq = 2e8;
  info.pet.patientHeightM = 1.60;
  info.patientSex = "F";
}

// An F-18 PET header: 75 kg, 370 MBq at 09:00:00, series and acquisition at 10:00:00, START, BQML.
inline SeriesInfo fdgHeader() {
  SeriesInfo s;
  s.modality = "PT";
  s.units = "BQML";
  s.seriesInstanceUid = "1.2.3";
  s.studyDate = "20240105";
  s.pet.units = "BQML";
  s.pet.patientWeightKg = 75.0;
  s.pet.injectedDoseBq = 370e6;
  s.pet.halfLifeS = 6586.2;
  s.pet.injectionTime = "090000.00";
  s.pet.seriesTime = "100000";
  s.pet.acquisitionTime = "100000";
  s.pet.decayCorrection = "START";
  s.pet.correctedImage = "DECY\\ATTN\\SCAT\\DTIM\\RAN\\NORM";
  return s;
}

}  // namespace cvx::test
