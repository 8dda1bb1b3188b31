// SPDX-License-Identifier: MIT
// Real reference files in ../shared/data (dcm2niix / dicom2nifti NIfTIs, dcmqi NRRDs) load, with
// the dims of the MANIFEST / JSON sidecars and the orientation of the sidecar's
// ImageOrientationPatientDICOM (LPS; dcm2niix flips the rows, so the column cosine is negated).
#include <gtest/gtest.h>

#include <algorithm>

#include <cvx/io/formats.h>

#include "format_test_util.h"

namespace cvx {
namespace {

struct Ref {
  const char* path;
  std::array<int64_t, 4> dims;
  double trMs;                    // JSON RepetitionTime for 4D, 0 otherwise
  std::array<double, 6> iop;      // JSON ImageOrientationPatientDICOM; all 0 when not checked
};

const Ref kRefs[] = {
    {"transfer_syntax_matrix/ref/1.nii", {64, 64, 35, 1}, 0, {1, 0, 0, 0, 0.994151, -0.107999}},
    {"pcasl/ref/201_pCASL_classic.nii", {128, 128, 16, 1}, 0, {1, 0, 0, 0, 1, 0}},
    {"pcasl/ref/201_pCASL_enhanced_real.nii", {128, 128, 16, 1}, 0, {1, 0, 0, 0, 1, 0}},
    {"4d/siemens_mosaic/ref/EPI_PE=AP_3.nii", {72, 72, 5, 2}, 2435.37, {1, 0, 0, 0, 1, 0}},
    {"4d/siemens_xa10_enhanced_fmri/ref/Siemens_REST1_w_SMS_PF7-8_6.nii", {64, 64, 6, 4}, 500, {1, 0, 0, 0, 1, 0}},
    {"4d/philips_enhanced_fmri/ref/001_ground_truth.nii.gz", {64, 64, 8, 4}, 0, {}},
    {"slicecount/ref/001_ground_truth.nii.gz", {256, 256, 2, 1}, 0, {}},
    {"seg/liver_seg.nrrd", {512, 512, 3, 1}, 0, {}},
};

class ReferenceFiles : public ::testing::TestWithParam<Ref> {};

TEST_P(ReferenceFiles, LoadWithKnownDimsAndOrientation) {
  std::string dir;
  if (!test::dataDirPresent(dir)) GTEST_SKIP() << "no ../shared/data";
  const Ref& ref = GetParam();
  auto r = io::readImage(dir + "/" + ref.path);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const Volume& v = **r;
  EXPECT_EQ(v.dims(), ref.dims);
  if (ref.trMs > 0) {
    ASSERT_EQ(v.timesMs.size(), static_cast<size_t>(ref.dims[3]));
    EXPECT_NEAR(v.timesMs[1] - v.timesMs[0], ref.trMs, 1.0);
  }
  if (ref.iop[0] != 0 || ref.iop[1] != 0 || ref.iop[2] != 0) {
    for (int i = 0; i < 3; ++i) {
      EXPECT_NEAR(v.geometry.direction[0][i], ref.iop[i], 1e-3) << "row cosine " << i;
      EXPECT_NEAR(v.geometry.direction[1][i], -ref.iop[3 + i], 1e-3) << "column cosine " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SharedData, ReferenceFiles, ::testing::ValuesIn(kRefs));

TEST(ReferenceFiles, SagittalT1HasTheVoxelsOf128x128x96) {
  std::string dir;
  if (!test::dataDirPresent(dir)) GTEST_SKIP() << "no ../shared/data";
  auto r = io::readImage(dir + "/t1_jpeg_lossless_fragmented/ref/anat-T1w_acq-tfl_5001.nii");
  ASSERT_TRUE(r.ok()) << r.error().str();
  auto d = (*r)->dims();
  std::sort(d.begin(), d.begin() + 3);
  EXPECT_EQ(d, (std::array<int64_t, 4>{96, 128, 128, 1}));  // dcm2niix reoriented the sagittal stack
  EXPECT_NEAR((*r)->geometry.spacingMm.x, 2.0, 1e-3);  // JSON SliceThickness 2 (sform norm 2.0001)
}

TEST(ReferenceFiles, LiverSegNrrdGeometryFromItsHeaderText) {
  std::string dir;
  if (!test::dataDirPresent(dir)) GTEST_SKIP() << "no ../shared/data";
  auto r = io::readImage(dir + "/seg/liver_seg.nrrd");
  ASSERT_TRUE(r.ok()) << r.error().str();
  const Geometry& g = (*r)->geometry;
  // "space directions: (0.810547,0,0) (0,0.810547,0) (0,0,1)", "space origin: (-235.2,-226.8,-128.69)"
  EXPECT_NEAR(g.spacingMm.x, 0.810547, 1e-9);
  EXPECT_NEAR(g.spacingMm.z, 1.0, 1e-12);
  EXPECT_NEAR(g.originMm.x, -235.2, 1e-9);
  EXPECT_NEAR(g.originMm.z, -128.69, 1e-9);
  EXPECT_EQ((*r)->type(), PixelType::Int16);
}

}  // namespace
}  // namespace cvx
