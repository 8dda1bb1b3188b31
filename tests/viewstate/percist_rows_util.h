// SPDX-License-Identifier: MIT
// Rows of the segment report for PERCIST's response tests (percist_response_test, percist_scans_test,
// percist_new_lesions_test):
// one PET's liver reference and lesions with their uptake set by hand (as percist_test.cpp's row()).
#pragma once
#include <algorithm>
#include <string>

#include <cvx/viewstate/percist_response.h>

namespace cvx::test {

using view::PercistResponse;
using view::PetScan;
using view::SegmentReportRow;

inline PetScan when(const char* date, const char* time = "100000", double uptakeS = 3600) {
  PetScan s;
  s.studyDate = date;
  s.seriesTime = time;
  s.studyDescription = "PET/CT";
  s.uptakeS = uptakeS;
  return s;
}

// One PET's rows (as percist_test.cpp's row(): the uptake set by hand). With sulPerSuv 1, SUL = SUV.
struct Pet {
  uint64_t serial = 0;
  PetScan info;
  double sulPerSuv = 1;
  size_t next = 0;

  SegmentReportRow row(Segment meta, double suvPeak, double suvMean, double suvSd) {
    SegmentReportRow r;
    r.segmentation = static_cast<int>(serial);
    r.segment = next++;
    r.meta = std::move(meta);
    r.modality = "PT";
    r.units = "SUVbw";
    view::PetStats p;
    p.voxels = 100;
    p.suvPeak = suvPeak, p.suvMax = suvPeak, p.suvMean = suvMean, p.suvSd = suvSd;
    r.pet = p;
    r.petMeasured = true;
    r.sulPerSuv = sulPerSuv;
    r.petSerial = serial;
    r.petScan = info;
    return r;
  }
  static Segment liverSegment(const char* name) {
    Segment s;
    s.name = name;
    s.type = {"10200004", "SCT", "Liver"};
    return s;
  }
  // The liver reference: SULmean suvMean x sulPerSuv, SD suvSd x sulPerSuv.
  SegmentReportRow liver(double suvMean, double suvSd = 0.1) {
    return row(liverSegment(view::kPercistReferenceName), suvMean * 1.2, suvMean, suvSd);
  }
  // The blood pool reference (an abnormal liver): SULmean suvMean x sulPerSuv.
  SegmentReportRow bloodPool(double suvMean, double suvSd = 0.1) {
    Segment s;
    s.name = view::kPercistBloodPoolName;
    s.type = {"15825003", "SCT", "Aorta"};
    return row(s, suvMean * 1.2, suvMean, suvSd);
  }
  // A TotalSegmentator-like whole liver: liver-typed, no reference, never a lesion.
  SegmentReportRow wholeLiver(double suvPeak) {
    return row(liverSegment("Liver"), suvPeak, suvPeak / 2, 0.5);
  }
  SegmentReportRow lesion(double suvPeak, const std::string& name = "Lesion") {
    Segment s;
    s.name = name;
    return row(s, suvPeak, suvPeak * 0.6, suvPeak * 0.2);
  }
  // A lesion whose SULpeak centre is `at` (this PET's patient mm), of a sphere's volume of radius radiusMm.
  SegmentReportRow lesionAt(double suvPeak, Vec3 at, double radiusMm, const std::string& name = "Lesion") {
    SegmentReportRow r = lesion(suvPeak, name);
    r.pet->peakAt = at;
    r.volumeMl = 4.0 / 3.0 * 3.14159265358979 * radiusMm * radiusMm * radiusMm / 1000.0;
    return r;
  }
};

inline bool has(const PercistResponse& r, const std::string& code) {
  return std::any_of(r.warnings.begin(), r.warnings.end(),
                     [&](const Diagnostic& d) { return d.code == code; });
}

}  // namespace cvx::test
