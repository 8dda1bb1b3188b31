// SPDX-License-Identifier: MIT
// The value under the cursor on the real CT equals stored x slope + intercept of the nearest voxel,
// with the stored value, the slope and the intercept, the position and the orientation all read
// by DCMTK from the slice's own file.
#include <gtest/gtest.h>

#include <cmath>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cvx/io/dicom.h>
#include <cvx/viewstate/probe.h>

#include "dcmtk_oracle.h"
#include "test_data.h"

using namespace cvx;

TEST(ProbeCt, TheValueUnderTheCursorIsTheNearestVoxelsStoredTimesSlopePlusIntercept) {
  CVX_REQUIRE_FOLDER("ct");
  auto loaded = io::loadPath(test::dataPath("ct"));
  ASSERT_TRUE(loaded.ok()) << loaded.error().str();
  auto volume = loaded.value();
  view::ViewerState state;
  state.addLayer(volume);
  struct Case { int i, j, k; double di, dj; };
  for (const Case c : {Case{300, 200, 60, 0.3, -0.4}, Case{120, 310, 10, -0.45, 0.2}, Case{256, 256, 133, 0.1, 0.45}}) {
    const std::string file = volume->sources[static_cast<size_t>(c.k)].file;
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(file.c_str()).good()) << file;
    DcmDataset* ds = ff.getDataset();
    Float64 iop[6], ps[2], slope = 1, intercept = 0;
    for (int n = 0; n < 6; ++n) ASSERT_TRUE(ds->findAndGetFloat64(DCM_ImageOrientationPatient, iop[n], n).good());
    for (int n = 0; n < 2; ++n) ASSERT_TRUE(ds->findAndGetFloat64(DCM_PixelSpacing, ps[n], n).good());
    ds->findAndGetFloat64(DCM_RescaleSlope, slope);
    ds->findAndGetFloat64(DCM_RescaleIntercept, intercept);
    const auto ipp = test::dcmtkPosition(file);
    ASSERT_TRUE(ipp);
    Uint16 cols = 0;
    ds->findAndGetUint16(DCM_Columns, cols);
    // Column i runs along the row cosine at PixelSpacing[1]; row j along the column cosine at [0].
    const double x = c.i + c.di, y = c.j + c.dj;
    const Vec3 world{(*ipp)[0] + x * ps[1] * iop[0] + y * ps[0] * iop[3], (*ipp)[1] + x * ps[1] * iop[1] + y * ps[0] * iop[4],
                     (*ipp)[2] + x * ps[1] * iop[2] + y * ps[0] * iop[5]};
    const auto stored = test::dcmtkStoredFrame(file);
    ASSERT_FALSE(stored.empty());
    const double expected = stored[static_cast<size_t>(c.j) * cols + static_cast<size_t>(c.i)] * slope + intercept;
    const auto p = view::probe(state, 0, world);
    ASSERT_TRUE(p) << c.i << "," << c.j << "," << c.k;
    EXPECT_EQ(p->voxel[0], c.i);
    EXPECT_EQ(p->voxel[1], c.j);
    EXPECT_EQ(p->voxel[2], c.k);
    EXPECT_DOUBLE_EQ(p->value, expected) << c.i << "," << c.j << "," << c.k;
  }
  // Outside the grid: no value.
  EXPECT_FALSE(view::probe(state, 0, volume->geometry.worldAt(-1, 5, 5)));
  EXPECT_FALSE(view::probe(state, 0, volume->geometry.worldAt(5, 5, 134)));
}
