// Values that are invalid and replaced are never silent: each replacement is a warning of the
// series with its full code and the value used, and Geometry::spacingKnown says when the in-plane
// spacing is not the file's. Files are written byte by byte by the test (crafted_dicom.h).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <cvx/io/dicom.h>

#include "crafted_dicom.h"
#include "decode_synth_util.h"

namespace cr = cvx::test::crafted;
using cvx::test::dec::TempDir;

namespace {

// Scans and plans the slices written by `make(k)` for k < n; exactly one series is expected.
template <class Make>
cvx::io::SeriesPlan planOf(int n, Make make) {
  TempDir dir;
  for (int k = 0; k < n; ++k) {
    cr::Image im = make(k);
    cr::write(dir.file("s" + std::to_string(k) + ".dcm"), im.native(cr::ctPixels(k + 1)));
  }
  auto scanned = cvx::io::scan(dir.file(""));
  EXPECT_TRUE(scanned.ok());
  if (!scanned.ok()) return {};
  EXPECT_EQ(scanned->files.size(), static_cast<size_t>(n));
  auto groups = cvx::io::planSeries(*scanned);
  EXPECT_EQ(groups.series.size(), 1u);
  return groups.series.empty() ? cvx::io::SeriesPlan{} : groups.series.front();
}

// The one warning with `code` (failing when there is none or several).
const cvx::Diagnostic* warning(const cvx::io::SeriesPlan& p, const std::string& code) {
  const cvx::Diagnostic* found = nullptr;
  for (const auto& w : p.warnings)
    if (w.code == code) {
      EXPECT_EQ(found, nullptr) << "two warnings " << code;
      found = &w;
    }
  EXPECT_NE(found, nullptr) << "no warning " << code;
  return found;
}

bool has(const cvx::io::SeriesPlan& p, const std::string& code) {
  for (const auto& w : p.warnings)
    if (w.code == code) return true;
  return false;
}

cvx::io::SeriesPlan withValue(uint16_t g, uint16_t e, const char* vr, const std::string& value, int slices = 1) {
  return planOf(slices, [&](int k) {
    cr::Image im = cr::ctSlice(k, k + 1);
    im.set(g, e, vr, value);
    return im;
  });
}

}  // namespace

TEST(PlanValues, ValidValuesGiveNoReplacementWarningAndKnownSpacing) {
  const auto p = planOf(3, [](int k) { return cr::ctSlice(k * 2.0, k + 1); });
  for (const char* code : {"geometry.invalid_spacing", "geometry.invalid_thickness", "geometry.invalid_orientation",
                           "geometry.invalid_position", "pixel.invalid_rescale", "pixel.unknown_photometric"})
    EXPECT_FALSE(has(p, code)) << code;
  EXPECT_TRUE(p.geometry.spacingKnown);
  EXPECT_FALSE(p.geometry.sheared);
  EXPECT_DOUBLE_EQ(p.geometry.spacingMm.x, 0.5);
  EXPECT_DOUBLE_EQ(p.geometry.spacingMm.z, 2.0);
}

TEST(PlanValues, InvalidPixelSpacingIsReplacedBy1mmWithAWarningAndSpacingUnknown) {
  for (const char* bad : {"0\\0", "-1\\-1", "abc", "1e308", "NaN", "0.5\\inf"}) {
    const auto p = withValue(0x0028, 0x0030, "DS", bad, 2);
    const auto* w = warning(p, "geometry.invalid_spacing");
    ASSERT_NE(w, nullptr) << bad;
    EXPECT_NE(w->message.find("1 x 1 mm used"), std::string::npos) << w->message;
    EXPECT_NE(w->message.find("(2 images)"), std::string::npos) << w->message;  // both slices counted, one warning
    EXPECT_FALSE(p.geometry.spacingKnown) << bad;
    EXPECT_DOUBLE_EQ(p.geometry.spacingMm.x, 1.0) << bad;
    EXPECT_DOUBLE_EQ(p.geometry.spacingMm.y, 1.0) << bad;
    EXPECT_DOUBLE_EQ(p.geometry.spacingMm.z, 1.0) << bad;  // from the positions 0 and 1 mm, not replaced
  }
}

TEST(PlanValues, MissingPixelSpacingIsUnknownSpacingWithoutAWarning) {
  const auto p = planOf(1, [](int k) {
    cr::Image im = cr::ctSlice(k, k + 1);
    im.erase(0x0028, 0x0030);
    return im;
  });
  EXPECT_FALSE(p.geometry.spacingKnown);
  EXPECT_FALSE(has(p, "geometry.invalid_spacing"));
}

TEST(PlanValues, InvalidSliceThicknessIsIgnoredWithAWarning) {
  for (const char* bad : {"-3", "x", "1e9"}) {
    const auto p = withValue(0x0018, 0x0050, "DS", bad);
    const auto* w = warning(p, "geometry.invalid_thickness");
    ASSERT_NE(w, nullptr) << bad;
    EXPECT_NE(w->message.find("1 mm for a single slice"), std::string::npos) << w->message;
    EXPECT_DOUBLE_EQ(p.geometry.spacingMm.z, 1.0) << bad;
  }
}

TEST(PlanValues, RescaleSlopeZeroOrUnparseableBecomesOneWithAWarning) {
  for (const char* bad : {"0", "x"}) {
    const auto p = withValue(0x0028, 0x1053, "DS", bad);
    const auto* w = warning(p, "pixel.invalid_rescale");
    ASSERT_NE(w, nullptr) << bad;
    EXPECT_NE(w->message.find("slope 1 used"), std::string::npos) << w->message;
    EXPECT_DOUBLE_EQ(p.info.rescaleSlope, 1.0) << bad;
    EXPECT_DOUBLE_EQ(p.info.rescaleIntercept, -1024.0) << bad;  // the file's intercept is kept
    ASSERT_EQ(p.slices.size(), 1u);
    EXPECT_DOUBLE_EQ(p.slices[0].rescaleSlope, 1.0);
  }
}

TEST(PlanValues, UnparseableRescaleInterceptBecomesZeroWithAWarning) {
  const auto p = withValue(0x0028, 0x1052, "DS", "1e400");
  const auto* w = warning(p, "pixel.invalid_rescale");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->message.find("intercept 0 used"), std::string::npos) << w->message;
  EXPECT_DOUBLE_EQ(p.info.rescaleIntercept, 0.0);
}

TEST(PlanValues, UnknownPhotometricIsReadAsMonochrome2WithAWarning) {
  const auto p = withValue(0x0028, 0x0004, "CS", "FOO");
  const auto* w = warning(p, "pixel.unknown_photometric");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->message.find("'FOO'"), std::string::npos) << w->message;
  EXPECT_NE(w->message.find("read as MONOCHROME2"), std::string::npos) << w->message;
}

TEST(PlanValues, ZeroOrParallelOrientationIsAWarningAndNoGeometry) {
  for (const char* bad : {"0\\0\\0\\0\\0\\0", "1\\0\\0\\1\\0\\0", "0\\1\\0\\0\\-1\\0"}) {
    const auto p = withValue(0x0020, 0x0037, "DS", bad);
    const auto* w = warning(p, "geometry.invalid_orientation");
    ASSERT_NE(w, nullptr) << bad;
    EXPECT_NE(w->message.find("placed at the origin"), std::string::npos) << w->message;
    EXPECT_TRUE(has(p, "geometry.missing")) << bad;
    EXPECT_DOUBLE_EQ(p.geometry.originMm.z, 0.0);
  }
}

TEST(PlanValues, UnparseableOrientationAndPositionAreWarnings) {
  const auto o = withValue(0x0020, 0x0037, "DS", "a\\b\\c\\d\\e\\f");
  const auto* wo = warning(o, "geometry.invalid_orientation");
  ASSERT_NE(wo, nullptr);
  EXPECT_NE(wo->message.find("'a\\b\\c\\d\\e\\f'"), std::string::npos) << wo->message;
  const auto p = withValue(0x0020, 0x0032, "DS", "0\\0\\nan");
  const auto* wp = warning(p, "geometry.invalid_position");
  ASSERT_NE(wp, nullptr);
  EXPECT_NE(wp->message.find("placed at the origin"), std::string::npos) << wp->message;
}

// An enhanced (functional groups) image whose shared PixelMeasuresSequence holds PixelSpacing "abc":
// the same warning, read through DCMTK's path, and the spacing is unknown.
TEST(PlanValues, UnparseableSpacingInAFunctionalGroupIsAWarning) {
  auto item = [](const std::string& content) {
    std::string b;
    cr::put16(b, 0xFFFE);
    cr::put16(b, 0xE000);
    cr::put32(b, static_cast<uint32_t>(content.size()));
    return b + content;
  };
  const auto p = planOf(1, [&](int k) {
    cr::Image im = cr::ctSlice(k, k + 1);
    im.erase(0x0028, 0x0030);
    const std::string measures = cr::element(0x0028, 0x9110, "SQ", item(cr::element(0x0028, 0x0030, "DS", "abc\\def")));
    im.set(0x5200, 0x9229, "SQ", item(measures));  // SharedFunctionalGroupsSequence
    im.set(0x5200, 0x9230, "SQ", item(""));        // PerFrameFunctionalGroupsSequence: one empty item
    return im;
  });
  const auto* w = warning(p, "geometry.invalid_spacing");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->message.find("'abc\\def'"), std::string::npos) << w->message;
  EXPECT_NE(w->message.find("1 x 1 mm, spacing unknown, when there is none"), std::string::npos) << w->message;
  EXPECT_FALSE(p.geometry.spacingKnown);
  EXPECT_DOUBLE_EQ(p.geometry.spacingMm.x, 1.0);
}

// Gantry tilt: positions step 1 mm in z and 0.2 mm in y per slice, so the stack direction is not the
// slice normal: the grid is sheared, and says so.
TEST(PlanValues, AGantryTiltStackIsMarkedSheared) {
  const auto p = planOf(4, [](int k) {
    cr::Image im = cr::ctSlice(k, k + 1);
    char pos[64];
    std::snprintf(pos, sizeof pos, "0\\%g\\%d", 0.2 * k, k);
    im.set(0x0020, 0x0032, "DS", pos);
    return im;
  });
  EXPECT_TRUE(has(p, "geometry.gantry_tilt"));
  EXPECT_TRUE(p.geometry.sheared);
  const double n = std::sqrt(1 + 0.04);
  EXPECT_NEAR(p.geometry.direction[2].y, 0.2 / n, 1e-9);
  EXPECT_NEAR(p.geometry.direction[2].z, 1.0 / n, 1e-9);
}
