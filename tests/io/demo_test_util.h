// The demo study written once per test program into a fresh temp folder, and DCMTK readers used
// as the oracle for what the files say (independent of cvx::io's scanner and loader).
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cvx/core/geometry.h>
#include <cvx/demo/demo.h>

#include "temp_dir.h"

namespace cvx::test {

// Writes the demo study on first use; removes it at exit.
class DemoStudy {
 public:
  static const DemoStudy& get() {
    static DemoStudy study;
    return study;
  }
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  std::string dir(const std::string& series = {}) const { return series.empty() ? dir_ : dir_ + "/" + series; }
 private:
  DemoStudy() {
    if (!tmp_.ok()) return;
    dir_ = tmp_.path();
    const Status s = demo::writeDemoStudy(dir_);
    ok_ = s.ok();
    if (!ok_) error_ = s.error().str();
  }
  TempDir tmp_{"cvx_demo_test"};
  std::string dir_, error_;
  bool ok_ = false;
};

inline std::vector<std::string> filesIn(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file()) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string tagStr(DcmItem& d, const DcmTagKey& tag) {
  OFString v;
  return d.findAndGetOFStringArray(tag, v).good() ? std::string(v.c_str()) : std::string();
}

inline double tagNum(DcmItem& d, const DcmTagKey& tag, unsigned long pos = 0) {
  Float64 v = NAN;
  d.findAndGetFloat64(tag, v, pos);
  return v;
}

// One slice as DCMTK reads it: where its pixels are in patient space (DICOM PS3.3 C.7.6.2.1.1).
struct DcmSlice {
  Vec3 position, rowDir, colDir;
  double rowSpacing = 0, colSpacing = 0;  // PixelSpacing[0], PixelSpacing[1]
  int rows = 0, cols = 0;
  double slope = 1, intercept = 0;
  std::vector<int32_t> stored;  // rows*cols stored values
  Vec3 patientAt(int col, int row) const {
    return position + rowDir * (col * colSpacing) + colDir * (row * rowSpacing);
  }
  int32_t at(int col, int row) const { return stored[static_cast<size_t>(row) * cols + col]; }
};

inline bool readSlice(const std::string& path, DcmSlice& s) {
  DcmFileFormat ff;
  if (ff.loadFile(path.c_str()).bad()) return false;
  DcmDataset& d = *ff.getDataset();
  for (int i = 0; i < 3; ++i) {
    s.position[i] = tagNum(d, DCM_ImagePositionPatient, i);
    s.rowDir[i] = tagNum(d, DCM_ImageOrientationPatient, i);
    s.colDir[i] = tagNum(d, DCM_ImageOrientationPatient, i + 3);
  }
  s.rowSpacing = tagNum(d, DCM_PixelSpacing, 0);
  s.colSpacing = tagNum(d, DCM_PixelSpacing, 1);
  Uint16 rows = 0, cols = 0, pr = 0;
  d.findAndGetUint16(DCM_Rows, rows);
  d.findAndGetUint16(DCM_Columns, cols);
  d.findAndGetUint16(DCM_PixelRepresentation, pr);
  s.rows = rows;
  s.cols = cols;
  if (d.tagExists(DCM_RescaleSlope)) s.slope = tagNum(d, DCM_RescaleSlope);
  if (d.tagExists(DCM_RescaleIntercept)) s.intercept = tagNum(d, DCM_RescaleIntercept);
  const Uint16* px = nullptr;
  unsigned long count = 0;
  if (d.findAndGetUint16Array(DCM_PixelData, px, &count).bad() || count != size_t(rows) * cols) return false;
  s.stored.resize(count);
  for (size_t i = 0; i < count; ++i) s.stored[i] = pr ? int32_t(int16_t(px[i])) : int32_t(px[i]);
  return true;
}

inline std::vector<DcmSlice> readSeries(const std::string& dir) {
  std::vector<DcmSlice> out;
  for (const auto& f : filesIn(dir)) {
    DcmSlice s;
    if (readSlice(f, s)) out.push_back(std::move(s));
  }
  return out;
}

// The slice whose plane is nearest to p, and the pixel whose centre is nearest within it.
inline double valueNear(const std::vector<DcmSlice>& series, Vec3 p, bool rescaled = true) {
  const DcmSlice* best = nullptr;
  double bestDist = 1e300;
  for (const auto& s : series) {
    const double d = std::abs(dot(p - s.position, cross(s.rowDir, s.colDir)));
    if (d < bestDist) bestDist = d, best = &s;
  }
  if (!best) return NAN;
  const Vec3 rel = p - best->position;
  const int c = static_cast<int>(std::lround(dot(rel, best->rowDir) / best->colSpacing));
  const int r = static_cast<int>(std::lround(dot(rel, best->colDir) / best->rowSpacing));
  if (c < 0 || r < 0 || c >= best->cols || r >= best->rows) return NAN;
  const double v = best->at(c, r);
  return rescaled ? v * best->slope + best->intercept : v;
}

}  // namespace cvx::test

#define CVX_REQUIRE_DEMO(study)                                   \
  do {                                                            \
    ASSERT_TRUE((study).ok()) << "writeDemoStudy failed: " << (study).error(); \
  } while (0)
