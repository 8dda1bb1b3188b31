// Voxels of loaded series against DCMTK's decoding of the same files (independent oracle).
#include <cmath>

#include "data_util.h"
#include "dcmtk_oracle.h"

namespace {

std::shared_ptr<cvx::Volume> loadOnly(const cvx::test::Planned& p, size_t i = 0) {
  auto v = cvx::io::loadSeries(p.scan, p.groups.series.at(i));
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().str());
  return v.ok() ? v.value() : nullptr;
}

// Every slice of the volume equals DCMTK's stored values of its source file.
void expectSlicesMatchSources(const cvx::Volume& v) {
  for (int64_t z = 0; z < v.dims()[2]; ++z) {
    const auto& src = v.sources[static_cast<size_t>(z)];
    ASSERT_FALSE(src.file.empty());
    const auto ref = cvx::test::dcmtkStoredFrame(src.file, src.frame);
    ASSERT_EQ(ref.size(), static_cast<size_t>(v.voxelsPerSlice())) << src.file;
    size_t bad = 0;
    for (int64_t i = 0; i < v.voxelsPerSlice(); ++i)
      bad += v.valueAt(i % v.dims()[0], i / v.dims()[0], z) != ref[static_cast<size_t>(i)];
    EXPECT_EQ(bad, 0u) << src.file;
  }
}

}  // namespace

TEST(Voxels, ExplicitLittleEndianSeriesEqualsDcmtk) {
  CVX_REQUIRE_FOLDER("tilt");
  auto p = cvx::test::plan("tilt");
  auto v = loadOnly(p);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->slicesReady(), 4);
  expectSlicesMatchSources(*v);
}

TEST(Voxels, PetCtPairSharesFrameAndKeepsPerSliceRescale) {
  CVX_REQUIRE_FOLDER("pet_ct");
  auto p = cvx::test::plan("pet_ct");
  ASSERT_EQ(p.groups.series.size(), 2u);
  const auto& a = p.groups.series[0];
  const auto& b = p.groups.series[1];
  EXPECT_EQ(a.info.frameOfReferenceUid, b.info.frameOfReferenceUid);
  EXPECT_FALSE(a.info.frameOfReferenceUid.empty());
  const size_t pet = a.info.modality == "PT" ? 0 : 1;
  const auto& pt = p.groups.series[pet];
  const auto& ct = p.groups.series[1 - pet];
  // README: PT 128x128x40 at 4.69 mm, CT 202x198x40 at 0.98 mm.
  EXPECT_EQ(pt.dims, (std::array<int64_t, 4>{128, 128, 40, 1}));
  EXPECT_EQ(ct.dims[2], 40);
  EXPECT_EQ(pt.type, cvx::PixelType::Float32);
  EXPECT_TRUE(pt.info.rescaleApplied);
  EXPECT_EQ(pt.info.units, "BQML");
  // README's SUV inputs.
  ASSERT_TRUE(pt.info.pet.patientWeightKg && pt.info.pet.injectedDoseBq && pt.info.pet.halfLifeS);
  EXPECT_NEAR(*pt.info.pet.patientWeightKg, 71, 1e-6);
  EXPECT_NEAR(*pt.info.pet.injectedDoseBq, 3.888e8, 1e5);
  EXPECT_NEAR(*pt.info.pet.halfLifeS, 6588, 1);
  EXPECT_EQ(pt.info.pet.decayCorrection, "START");
  auto v = loadOnly(p, pet);
  ASSERT_TRUE(v);
  // Each PET slice equals DCMTK's stored values times that slice's own RescaleSlope.
  for (int64_t z = 0; z < v->dims()[2]; z += 7) {
    const auto& src = v->sources[static_cast<size_t>(z)];
    const auto ref = cvx::test::dcmtkStoredFrame(src.file);
    const auto& ref0 = pt.slices[static_cast<size_t>(z)];
    ASSERT_EQ(ref.size(), 128u * 128u);
    for (size_t i = 0; i < ref.size(); i += 97) {
      const double expect = ref[i] * ref0.rescaleSlope + ref0.rescaleIntercept;
      EXPECT_NEAR(v->valueAt(static_cast<int64_t>(i % 128), static_cast<int64_t>(i / 128), z), expect,
                  1e-5 * std::fabs(expect) + 1e-4);
    }
  }
  // Slopes really differ between slices (README), so a single scale would be wrong.
  EXPECT_NE(pt.slices.front().rescaleSlope, pt.slices.back().rescaleSlope);
}
