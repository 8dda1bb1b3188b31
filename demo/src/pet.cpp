// SPDX-License-Identifier: MIT
// Demo study: the PET series. 128x128x60 slices of the body phantom (2 mm pixels, 4 mm slices) in
// the CT's frame of reference, in Bq/ml (BQML), int16 with a per-slice RescaleSlope as GE
// writes it. Activity = SUV x (decayed dose / weight), so SUVbw is known exactly (docs/demo.md).
// One writer serves the demo's PET and the follow-up study's (FOLLOWUP_PET/, lesion SUV 4): only the
// study (UIDs, date), the folder, the lesion's SUV and the description differ.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "internal.h"

namespace cvx::demo {
namespace {

constexpr int kSize = 128, kSlices = 60;
constexpr double kPixelMm = 2.0, kSliceMm = 4.0;
constexpr double kDoseBq = 370e6, kHalfLifeS = 6586.2, kWeightKg = 75.0;
constexpr double kUptakeS = 3600.0;          // injection 09:00:00, series start 10:00:00
constexpr double kFrameS = 180.0;

Vec3 petVoxelCentre(int i, int j, int k) {
  return {(i - (kSize - 1) / 2.0) * kPixelMm, (j - (kSize - 1) / 2.0) * kPixelMm,
          (k - (kSlices - 1) / 2.0) * kSliceMm};
}

// Bq/ml of SUV 1: the dose decayed to the series start, spread over the body weight in grams.
double bqmlPerSuv() { return kDoseBq * std::exp2(-kUptakeS / kHalfLifeS) / (kWeightKg * 1000.0); }

// Quantises one slice; returns the RescaleSlope string written (and used) for it.
std::string fillSlice(int k, double lesionSuv, std::vector<uint16_t>& px) {
  std::vector<double> bqml(px.size());
  double maxValue = 0;
  for (int j = 0; j < kSize; ++j)
    for (int i = 0; i < kSize; ++i) {
      const Tissue t = tissueAt(petVoxelCentre(i, j, k));
      const double v = (t == Tissue::Lesion ? lesionSuv : suvOf(t)) * bqmlPerSuv();
      bqml[static_cast<size_t>(j) * kSize + i] = v;
      maxValue = std::max(maxValue, v);
    }
  const std::string slopeText = maxValue > 0 ? ds(maxValue / 32767.0) : "1";
  const double slope = std::stod(slopeText);
  for (size_t n = 0; n < px.size(); ++n) {
    const long q = std::clamp(std::lround(bqml[n] / slope), 0L, 32767L);
    px[n] = static_cast<uint16_t>(static_cast<int16_t>(q));
  }
  return slopeText;
}

void putIsotope(DicomItemWriter& d, const std::string& date) {
  DicomItemWriter item = d.item("RadiopharmaceuticalInformationSequence", 0);
  item.set("Radiopharmaceutical", "Fluorodeoxyglucose");
  item.set("RadiopharmaceuticalStartTime", "090000.00");
  item.set("RadiopharmaceuticalStartDateTime", date + "090000.00");
  item.set("RadionuclideTotalDose", ds(kDoseBq));
  item.set("RadionuclideHalfLife", ds(kHalfLifeS));
  item.set("RadionuclidePositronFraction", "0.9673");
  DicomItemWriter code = item.item("RadionuclideCodeSequence", 0);
  code.set("CodeValue", "C-111A1");
  code.set("CodingSchemeDesignator", "SRT");
  code.set("CodeMeaning", "^18^Fluorine");
}

void putPetModules(DicomItemWriter& d, const Study& study, int instance, const std::string& slope) {
  d.set("ImageType", "ORIGINAL\\PRIMARY");
  d.set("PatientWeight", ds(kWeightKg));
  d.set("PatientSize", "1.75");
  d.set("Units", "BQML");
  d.set("CountsSource", "EMISSION");
  d.set("SeriesType", "STATIC\\IMAGE");
  d.set("CorrectedImage", "DECY\\ATTN\\SCAT\\DTIM\\RAN\\NORM");
  d.set("RandomsCorrectionMethod", "DLYD");
  d.set("AttenuationCorrectionMethod", "CT");
  d.set("DecayCorrection", "START");
  d.set("ReconstructionMethod", "OSEM");
  d.setU16("NumberOfSlices", kSlices);
  d.set("CollimatorType", "NONE");
  d.set("AcquisitionDate", study.date);
  d.set("AcquisitionTime", "100000");
  d.set("FrameReferenceTime", ds(kFrameS * 500.0));
  d.set("ActualFrameDuration", ds(kFrameS * 1000.0));
  d.setU16("ImageIndex", static_cast<uint16_t>(instance));
  d.set("DecayFactor", ds(std::exp2(kFrameS / 2.0 / kHalfLifeS)));
  d.set("DoseCalibrationFactor", "1");
  d.set("SliceSensitivityFactor", "1");
  d.set("RescaleIntercept", "0");
  d.set("RescaleSlope", slope);
  const double c = bqmlPerSuv();
  putWindows(d, {3.0 * c}, {6.0 * c}, "SUV 0-6");
  putIsotope(d, study.date);
}

}  // namespace

Status writePet(const std::string& outDir, const Study& study, const std::string& folder, double lesionSuv,
                const std::string& description) {
  auto dir = seriesDir(outDir, folder);
  if (!dir) return dir.error();
  Series s{newUid(), study.ctFrameUid, "PT", kPetImageStorage, description, "100000", 3};
  std::vector<uint16_t> px(static_cast<size_t>(kSize) * kSize);
  for (int k = 0; k < kSlices; ++k) {
    const std::string slope = fillSlice(k, lesionSuv, px);
    DicomWriter file;
    DicomItemWriter& d = file;
    const int instance = kSlices - k;
    putCommon(d, study, s, instance);
    putPetModules(d, study, instance, slope);
    putPlane(d, Plane{petVoxelCentre(0, 0, k), {1, 0, 0}, {0, 1, 0}, kPixelMm, kPixelMm, kSliceMm});
    putPixels(d, Pixels{kSize, kSize, 16, true, "MONOCHROME2", px.data()});
    CVX_TRY(save(file, instancePath(*dir, instance)));
  }
  return {};
}

}  // namespace cvx::demo
