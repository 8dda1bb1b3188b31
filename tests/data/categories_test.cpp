// One named test per category of messy input: dims, split reasons and warning codes.
// Expected values come from the folder READMEs (MANIFEST.md), i.e. from the files' own description.
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "data_util.h"

using cvx::test::hasCode;
using cvx::test::plan;

TEST(Category, GantryTiltKeepsShearedGeometryAndWarns) {
  CVX_REQUIRE_FOLDER("tilt");
  auto p = plan("tilt");
  ASSERT_EQ(p.groups.series.size(), 1u);
  const auto& s = p.groups.series[0];
  EXPECT_EQ(s.dims, (std::array<int64_t, 4>{512, 512, 4, 1}));
  EXPECT_TRUE(hasCode(s.warnings, "geometry.gantry_tilt"));
  EXPECT_FALSE(hasCode(s.warnings, "geometry.uneven_spacing"));
  // README: positions step 5 mm along z only; IOP column cosine 0\0.9703\-0.2419 (about 14 deg).
  const auto& d = s.geometry.direction[2];
  EXPECT_NEAR(d.x, 0, 1e-6);
  EXPECT_NEAR(d.y, 0, 1e-6);
  EXPECT_NEAR(std::fabs(d.z), 1, 1e-6);
  EXPECT_NEAR(s.geometry.spacingMm.z, 5.0, 1e-3);
  // The last slice's first voxel sits exactly where its file says (sheared grid keeps positions).
  const auto last = s.geometry.worldAt(0, 0, 3);
  const auto& fh = p.scan.files[s.slices[3].file].frames[0];
  EXPECT_NEAR(last.x, fh.position->x, 1e-6);
  EXPECT_NEAR(last.y, fh.position->y, 1e-6);
  EXPECT_NEAR(last.z, fh.position->z, 1e-6);
}

TEST(Category, UnevenSpacingIsResampledWithWarning) {
  CVX_REQUIRE_FOLDER("uneven_spacing");
  auto p = plan("uneven_spacing");
  ASSERT_EQ(p.groups.series.size(), 1u);
  const auto& s = p.groups.series[0];
  EXPECT_TRUE(hasCode(s.warnings, "geometry.uneven_spacing"));
  EXPECT_TRUE(hasCode(s.warnings, "geometry.gantry_tilt"));  // README: also tilted 18.5 deg
  EXPECT_TRUE(s.resampled);
  // dcmdump: ImagePositionPatient z runs 48.036..91.356 along z only (the README's list is shifted by
  // one file), so the stack extent is 43.32 mm.
  const double extent = s.geometry.spacingMm.z * static_cast<double>(s.dims[2] - 1);
  EXPECT_NEAR(extent, 91.3560586 - 48.0360586, 1e-3);
  EXPECT_LE(s.geometry.spacingMm.z, 1.14 + 0.2);  // no coarser than the finest step
  EXPECT_EQ(s.sourcePositionsMm.size(), 9u);
}

TEST(Category, MissingSliceIsReportedAndFilled) {
  CVX_REQUIRE_FOLDER("missing_slice");
  auto p = plan("missing_slice");
  ASSERT_EQ(p.groups.series.size(), 1u);
  const auto& s = p.groups.series[0];
  // README: z = 18.1, 23.1, 28.1, 38.1: one 5 mm position is missing -> 5 slices on a 5 mm grid.
  EXPECT_EQ(s.dims, (std::array<int64_t, 4>{512, 512, 5, 1}));
  EXPECT_NEAR(s.geometry.spacingMm.z, 5.0, 1e-3);
  EXPECT_TRUE(hasCode(s.warnings, "geometry.missing_slice"));
  EXPECT_FALSE(hasCode(s.warnings, "geometry.uneven_spacing"));
}

TEST(Category, MixedFolderIsGroupedAndSplit) {
  CVX_REQUIRE_FOLDER("mixed_folder");
  auto p = plan("mixed_folder");
  // README: CT_small, MR_small, an RGB secondary capture, 3 localizer images, 2 T1 slices,
  // 2 no-preamble duplicates of CT_small.
  int ct = 0, mr = 0, sc = 0, loc = 0, t1 = 0;
  for (const auto& s : p.groups.series) {
    if (s.splitReason == "split.localizer") {
      ++loc;
      EXPECT_TRUE(hasCode(s.warnings, "series.localizer"));
    } else if (s.info.modality == "CT") {
      ++ct;
      EXPECT_EQ(s.dims, (std::array<int64_t, 4>{128, 128, 1, 1}));
    } else if (s.info.modality == "OT") {
      ++sc;
      EXPECT_EQ(s.type, cvx::PixelType::RGB8);
      EXPECT_TRUE(hasCode(s.warnings, "geometry.missing"));
    } else if (s.dims[2] == 2) {
      ++t1;
      EXPECT_EQ(s.dims, (std::array<int64_t, 4>{128, 128, 2, 1}));
    } else {
      ++mr;
      EXPECT_EQ(s.dims, (std::array<int64_t, 4>{64, 64, 1, 1}));
    }
  }
  EXPECT_EQ(ct, 1);
  EXPECT_EQ(mr, 1);
  EXPECT_EQ(sc, 1);
  EXPECT_EQ(loc, 3);
  EXPECT_EQ(t1, 1);
  int dup = 0;
  for (const auto& k : p.scan.skipped) dup += k.code == "dicom.duplicate_sop";
  EXPECT_EQ(dup, 2);
  // Four studies: CT (A), MR (B), SC (C), scout + T1 (D).
  std::set<std::string> studies;
  for (const auto& s : p.groups.series) studies.insert(s.info.studyInstanceUid);
  EXPECT_EQ(studies.size(), 4u);
}

TEST(Category, TwoOrientationsUnderOneUidAreSplit) {
  CVX_REQUIRE_FOLDER("two_orientations");
  auto p = plan("two_orientations");
  ASSERT_EQ(p.groups.series.size(), 2u);
  EXPECT_EQ(p.groups.series[0].info.seriesInstanceUid, p.groups.series[1].info.seriesInstanceUid);
  EXPECT_NE(p.groups.series[0].id, p.groups.series[1].id);
  int split = 0;
  for (const auto& s : p.groups.series) {
    EXPECT_EQ(s.dims[0], 288);
    EXPECT_EQ(s.dims[2], 2);
    split += s.splitReason == "split.orientation";
  }
  EXPECT_EQ(split, 1);
  // README: roughly perpendicular planes.
  const auto& a = p.groups.series[0].geometry.direction[2];
  const auto& b = p.groups.series[1].geometry.direction[2];
  EXPECT_LT(std::fabs(cvx::dot(a, b)), 0.5);
}

TEST(Category, SamePositionSlicesAreNotPhases) {
  CVX_REQUIRE_FOLDER("notavolume");
  auto p = plan("notavolume");
  ASSERT_EQ(p.groups.series.size(), 4u);
  for (const auto& s : p.groups.series) {
    EXPECT_EQ(s.dims, (std::array<int64_t, 4>{512, 512, 1, 1}));
    EXPECT_EQ(s.splitReason, "split.same_position");
    EXPECT_TRUE(hasCode(s.warnings, "split.same_position"));
  }
}

TEST(Category, TooFewSlicesStillLoadsWithWarning) {
  CVX_REQUIRE_FOLDER("slicecount");
  auto p = plan("slicecount");
  ASSERT_EQ(p.groups.series.size(), 1u);
  const auto& s = p.groups.series[0];
  EXPECT_EQ(s.dims, (std::array<int64_t, 4>{256, 256, 2, 1}));
  EXPECT_TRUE(hasCode(s.warnings, "geometry.few_slices"));
}

TEST(Category, DicomdirIsReadAndBrokenOneFallsBack) {
  CVX_REQUIRE_FOLDER("dicomdir");
  auto good = plan("dicomdir");
  EXPECT_TRUE(good.scan.warnings.empty());
  EXPECT_EQ(good.scan.files.size(), 11u);  // README: the DICOMDIR lists 11 files
  auto broken = plan("dicomdir_broken");
  ASSERT_FALSE(broken.scan.warnings.empty());
  EXPECT_EQ(broken.scan.warnings[0].code, "dicomdir.missing_entries");
  EXPECT_EQ(broken.scan.files.size(), 2u);
}

TEST(Category, MalformedFilesEachGiveACodedError) {
  CVX_REQUIRE_FOLDER("malformed");
  auto p = plan("malformed");
  ASSERT_EQ(p.scan.files.size(), 1u);  // only good.dcm parses
  EXPECT_NE(p.scan.files[0].path.find("good.dcm"), std::string::npos);
  std::ifstream errors(std::string(CVX_SOURCE_DIR) + "/docs/errors.md");
  const std::string documented((std::istreambuf_iterator<char>(errors)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(documented.empty());
  for (const auto& k : p.scan.skipped) {
    if (k.path.find("README") != std::string::npos) continue;
    // The exact code of each file is Malformed.MixedIntoAGoodSeriesTheSeriesStillLoadsWhole's;
    // here: every code is one of the documented ones.
    EXPECT_NE(documented.find("`" + k.code + "`"), std::string::npos) << k.path << " " << k.code;
  }
}
