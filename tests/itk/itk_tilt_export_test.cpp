// SPDX-License-Identifier: MIT
// NIfTI export of a gantry-tilted (sheared) CT: ../shared/data/tilt loaded with io::loadPath,
// written as .nii, read back by ITK and by nibabel (python3). Every corner of the grid must lie
// within 1e-3 mm of where the DICOM files put it: ImagePositionPatient, ImageOrientationPatient
// and PixelSpacing read with DCMTK, not CineVox's geometry.
#include <gtest/gtest.h>
#include <itkImage.h>
#include <itkImageFileReader.h>
#include <nifti1_io.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cvx/core/log.h>
#include <cvx/io/dicom.h>
#include <cvx/io/formats.h>

#include "format_test_util.h"

namespace cvx {
namespace {

namespace fs = std::filesystem;
constexpr double kTolMm = 1e-3;

struct DicomSlice {
  Vec3 ipp, row, col;    // LPS mm; row = direction along a row (i), col = along a column (j)
  double di = 0, dj = 0;  // PixelSpacing[1] (between columns), PixelSpacing[0] (between rows)
  long rows = 0, cols = 0;
};

// The tilt series as DCMTK reads it, sorted along the slice normal.
std::vector<DicomSlice> dicomSlices(const std::string& dir) {
  std::vector<DicomSlice> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".dcm") continue;
    DcmFileFormat ff;
    EXPECT_TRUE(ff.loadFile(e.path().c_str()).good()) << e.path();
    DcmDataset& ds = *ff.getDataset();
    DicomSlice s;
    double v[6] = {};
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(ds.findAndGetFloat64(DCM_ImagePositionPatient, v[i], i).good());
    s.ipp = {v[0], v[1], v[2]};
    for (int i = 0; i < 6; ++i) EXPECT_TRUE(ds.findAndGetFloat64(DCM_ImageOrientationPatient, v[i], i).good());
    s.row = {v[0], v[1], v[2]};
    s.col = {v[3], v[4], v[5]};
    EXPECT_TRUE(ds.findAndGetFloat64(DCM_PixelSpacing, s.dj, 0).good());
    EXPECT_TRUE(ds.findAndGetFloat64(DCM_PixelSpacing, s.di, 1).good());
    Uint16 r = 0, c = 0;
    EXPECT_TRUE(ds.findAndGetUint16(DCM_Rows, r).good());
    EXPECT_TRUE(ds.findAndGetUint16(DCM_Columns, c).good());
    s.rows = r, s.cols = c;
    out.push_back(s);
  }
  const Vec3 n = out.empty() ? Vec3{} : cross(out[0].row, out[0].col);
  std::sort(out.begin(), out.end(),
            [&](const DicomSlice& a, const DicomSlice& b) { return dot(a.ipp, n) < dot(b.ipp, n); });
  return out;
}

struct Corner {
  long i, j, k;
  Vec3 lps;
};

// The 8 grid corners where the DICOM files put them: pixel (i, j) of slice k.
std::vector<Corner> expectedCorners(const std::vector<DicomSlice>& s) {
  std::vector<Corner> c;
  const long nk = static_cast<long>(s.size());
  for (long k : {0L, nk - 1})
    for (long j : {0L, s[k].rows - 1})
      for (long i : {0L, s[k].cols - 1})
        c.push_back({i, j, k, s[k].ipp + s[k].row * (i * s[k].di) + s[k].col * (j * s[k].dj)});
  return c;
}

// Each corner (i, j, k) read back equals the DICOM corner of the same in-plane pixel, with the
// slice index counted from either end of the stack (the sort direction is the writer's choice,
// but the same for all corners).
void expectCornersMatch(const std::vector<Corner>& got, const std::vector<Corner>& want, long nk,
                        const std::string& who) {
  ASSERT_EQ(got.size(), 8u) << who;
  auto find = [&](long i, long j, long k) {
    for (const auto& c : want)
      if (c.i == i && c.j == j && c.k == k) return c.lps;
    ADD_FAILURE() << who << ": no expected corner " << i << "," << j << "," << k;
    return Vec3{};
  };
  const Corner& g0 = got[0];
  const bool reversed = norm(g0.lps - find(g0.i, g0.j, 0)) > norm(g0.lps - find(g0.i, g0.j, nk - 1));
  double worst = 0;
  for (const auto& g : got) {
    const Vec3 w = find(g.i, g.j, reversed ? nk - 1 - g.k : g.k);
    const double d = norm(g.lps - w);
    worst = std::max(worst, d);
    EXPECT_LT(d, kTolMm) << who << " corner (" << g.i << "," << g.j << "," << g.k << "): got " << g.lps.x << " "
                         << g.lps.y << " " << g.lps.z << ", DICOM " << w.x << " " << w.y << " " << w.z;
  }
  std::printf("%s: worst corner distance %.3g mm (slice order %s)\n", who.c_str(), worst,
              reversed ? "reversed" : "as sorted");
}

// Corners of a RAS affine (NIfTI's sform) in LPS.
std::vector<Corner> affineCorners(const double a[3][4], long ni, long nj, long nk) {
  std::vector<Corner> c;
  for (long k : {0L, nk - 1})
    for (long j : {0L, nj - 1})
      for (long i : {0L, ni - 1}) {
        double p[3];
        for (int r = 0; r < 3; ++r) p[r] = a[r][0] * i + a[r][1] * j + a[r][2] * k + a[r][3];
        c.push_back({i, j, k, Vec3{-p[0], -p[1], p[2]}});
      }
  return c;
}

class TiltExport : public ::testing::Test {
 protected:
  void SetUp() override {
    CVX_REQUIRE_FOLDER("tilt");
    dir_ = test::dataPath("tilt");
    slices_ = dicomSlices(dir_);
    ASSERT_EQ(slices_.size(), 4u);
    // The data is sheared: the stack direction is not the slice normal.
    const Vec3 stack = normalized(slices_.back().ipp - slices_.front().ipp);
    ASSERT_GT(std::abs(dot(stack, slices_[0].row)) + std::abs(dot(stack, slices_[0].col)), 0.05);
    auto v = io::loadPath(dir_);
    ASSERT_TRUE(v.ok()) << v.error().code << ": " << v.error().message;
    vol_ = *v;
    path_ = tmp_.file("tilt.nii");
    std::vector<std::string> logged;
    log::setSink([&](log::Level, std::string_view m) { logged.emplace_back(m); });
    const auto s = io::writeImage(*vol_, path_);
    log::setSink(nullptr);
    ASSERT_TRUE(s.ok()) << s.error().code;
    sawWarning_ = std::any_of(logged.begin(), logged.end(),
                              [](const std::string& m) { return m.rfind("format.sheared_sform: ", 0) == 0; });
  }
  std::string dir_, path_;
  test::TempDir tmp_;
  std::vector<DicomSlice> slices_;
  std::shared_ptr<Volume> vol_;
  bool sawWarning_ = false;
};

TEST_F(TiltExport, WarnsThatTheGridIsWrittenAsSformOnly) { EXPECT_TRUE(sawWarning_); }

// ITK's own NIfTI library (nifti1_io, bundled with ITK): the header codes and the sform.
TEST_F(TiltExport, ItkNiftiLibraryFindsEveryCorner) {
  nifti_image* nim = nifti_image_read(path_.c_str(), 0);
  ASSERT_NE(nim, nullptr);
  EXPECT_EQ(nim->qform_code, 0);
  EXPECT_EQ(nim->sform_code, 1);
  ASSERT_EQ(nim->nx, slices_[0].cols);
  ASSERT_EQ(nim->ny, slices_[0].rows);
  ASSERT_EQ(nim->nz, 4);
  double a[3][4];
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) a[r][c] = nim->sto_xyz.m[r][c];
  const auto got = affineCorners(a, nim->nx, nim->ny, nim->nz);
  nifti_image_free(nim);
  expectCornersMatch(got, expectedCorners(slices_), 4, "ITK nifti1_io sform");
}

// ITK's image reader: ITK 5.2 keeps only orthonormal directions. It must either place every
// corner right or refuse the file; it must never read the sheared grid as an orthogonal one.
TEST_F(TiltExport, ItkImageReaderPlacesEveryCornerOrRefuses) {
  using Img = itk::Image<float, 3>;
  auto reader = itk::ImageFileReader<Img>::New();
  reader->SetFileName(path_);
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("orthonormal"), std::string::npos) << what;
    std::printf("ITK ImageFileReader refuses the sheared sform: %s\n", e.GetDescription());
    return;
  }
  const Img* img = reader->GetOutput();
  const auto size = img->GetLargestPossibleRegion().GetSize();
  std::vector<Corner> got;
  for (long k : {0L, static_cast<long>(size[2]) - 1})
    for (long j : {0L, static_cast<long>(size[1]) - 1})
      for (long i : {0L, static_cast<long>(size[0]) - 1}) {
        Img::PointType p;
        img->TransformIndexToPhysicalPoint(Img::IndexType{{i, j, k}}, p);
        got.push_back({i, j, k, Vec3{p[0], p[1], p[2]}});
      }
  expectCornersMatch(got, expectedCorners(slices_), 4, "ITK ImageFileReader");
}

// CineVox's own reader: the sform read back is the sheared grid, and the volume says so.
TEST_F(TiltExport, OwnReaderFindsEveryCornerAndKnowsTheGridIsSheared) {
  auto v = io::readImage(path_);
  ASSERT_TRUE(v.ok()) << v.error().code;
  const Geometry& g = (*v)->geometry;
  EXPECT_TRUE(g.sheared);
  const auto& d = (*v)->dims();
  std::vector<Corner> got;
  for (long k : {0L, static_cast<long>(d[2]) - 1})
    for (long j : {0L, static_cast<long>(d[1]) - 1})
      for (long i : {0L, static_cast<long>(d[0]) - 1})
        got.push_back({i, j, k, g.worldAt(static_cast<double>(i), static_cast<double>(j), static_cast<double>(k))});
  expectCornersMatch(got, expectedCorners(slices_), 4, "CineVox readImage");
}

// nibabel (python3-nibabel): the header codes, and img.affine (what nibabel users get).
TEST_F(TiltExport, NibabelFindsEveryCorner) {
  // Debian's python3 (python3-nibabel), not a python3 of another environment first on PATH.
  const std::string py = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  ASSERT_EQ(std::system((py + " -c 'import nibabel' 2>/dev/null").c_str()), 0)
      << "python3-nibabel missing (scripts/deps.sh --tests installs it)";
  const std::string script = tmp_.file("corners.py"), out = tmp_.file("corners.txt");
  std::ofstream(script) << "import sys, nibabel as nib\n"
                           "img = nib.load(sys.argv[1])\n"
                           "h = img.header\n"
                           "print(int(h['qform_code']), int(h['sform_code']), *img.shape[:3])\n"
                           "a = img.affine\n"
                           "for r in range(3): print(*('%.9f' % x for x in a[r]))\n";
  ASSERT_EQ(std::system((py + " " + script + " " + path_ + " > " + out).c_str()), 0);
  std::ifstream in(out);
  int qcode = -1, scode = -1;
  long ni = 0, nj = 0, nk = 0;
  double a[3][4] = {};
  in >> qcode >> scode >> ni >> nj >> nk;
  for (auto& row : a)
    for (double& x : row) in >> x;
  ASSERT_TRUE(in) << "cannot parse nibabel's output";
  EXPECT_EQ(qcode, 0);
  EXPECT_EQ(scode, 1);
  ASSERT_EQ(ni, slices_[0].cols);
  ASSERT_EQ(nj, slices_[0].rows);
  ASSERT_EQ(nk, 4);
  expectCornersMatch(affineCorners(a, ni, nj, nk), expectedCorners(slices_), nk, "nibabel affine");
}

}  // namespace
}  // namespace cvx
