// SPDX-License-Identifier: MIT
// `cinevox segment --mask`: a "segment" plugin (morphology) on the real CT reads its mask from a
// label map on the CT's grid (label --mask-segment N), and dilating one voxel gives exactly the
// ellipsoid of the CT's spacing, counted here by this file's own loop; a missing or a superfluous
// --mask is a usage error, an absent label an error with its code.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include <cvx/io/dicom.h>
#include <cvx/io/formats.h>

#include "../data/data_util.h"
#include "run_command.h"
#include "temp_dir.h"

using cvx::test::run;

TEST(CliSegmentMask, MorphologyDilatesTheChosenLabelOfAMaskFile) {
  CVX_REQUIRE_FOLDER("ct");
  const cvx::test::TempDir tmp("cvx_cli_segment_mask");
  const std::string ct = cvx::test::dataPath("ct");
  auto volume = cvx::io::loadPath(ct);
  ASSERT_TRUE(volume.ok()) << volume.error().str();
  const auto& d = (*volume)->dims();
  const cvx::Vec3 s = (*volume)->geometry.spacingMm;
  // The mask file: label 2 at one voxel, label 1 on a block elsewhere (must be left out).
  auto labels = cvx::Volume::create(cvx::PixelType::UInt8, {d[0], d[1], d[2], 1});
  ASSERT_TRUE(labels.ok());
  (*labels)->geometry = (*volume)->geometry;
  const int64_t cx = d[0] / 2, cy = d[1] / 2, cz = d[2] / 2;
  auto at = [&](int64_t x, int64_t y, int64_t z) -> uint8_t& {
    return (*labels)->as<uint8_t>()[(z * d[1] + y) * d[0] + x];
  };
  at(cx, cy, cz) = 2;
  for (int64_t z = 2; z < 6; ++z)
    for (int64_t y = 10; y < 20; ++y)
      for (int64_t x = 10; x < 20; ++x) at(x, y, z) = 1;
  const std::string maskFile = tmp.file("mask.nrrd");
  ASSERT_TRUE(cvx::io::writeImage(**labels, maskFile).ok());

  // Expected: offsets (i, j, k) with (i sx)^2 + (j sy)^2 + (k sz)^2 <= r^2, none near the sphere.
  const double r = 3.7;
  auto inBall = [&](int64_t x, int64_t y, int64_t z) {
    const double dx = (x - cx) * s.x, dy = (y - cy) * s.y, dz = (z - cz) * s.z;
    const double q = dx * dx + dy * dy + dz * dz;
    return q <= r * r;
  };
  int64_t expected = 0;
  for (int64_t k = -8; k <= 8; ++k)
    for (int64_t j = -8; j <= 8; ++j)
      for (int64_t i = -8; i <= 8; ++i) {
        const double q = std::pow(i * s.x, 2) + std::pow(j * s.y, 2) + std::pow(k * s.z, 2);
        ASSERT_GT(std::abs(q - r * r), 1e-4) << "an offset on the sphere: pick another radius";
        expected += inBall(cx + i, cy + j, cz + k) ? 1 : 0;
      }
  ASSERT_GT(expected, 7);

  const std::string out = tmp.file("dilated.nrrd");
  const std::string cmd = std::string(CVX_CINEVOX) + " segment " + ct + " --plugin morphology ";
  auto [o, rc] = run(cmd + "--param operation=dilate --param radius_mm=3.7 --mask " + maskFile +
                     " --mask-segment 2 --out " + out + " 2>&1");
  ASSERT_EQ(rc, 0) << o;
  auto result = cvx::io::readImage(out);
  ASSERT_TRUE(result.ok()) << result.error().str();
  ASSERT_EQ((*result)->voxelsPerPhase(), (*volume)->voxelsPerPhase());
  int64_t ones = 0, wrong = 0;
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x) {
        const bool on = (*result)->valueAt(x, y, z) != 0;
        ones += on;
        wrong += on != inBall(x, y, z);
      }
  EXPECT_EQ(ones, expected);
  EXPECT_EQ(wrong, 0);

  // Refusals: no --mask for a segment plugin, a --mask for an image plugin (usage, 2); a label
  // the file does not hold (seg.bad_mask, 1).
  EXPECT_EQ(run(cmd + "--out " + tmp.file("x.nrrd") + " 2>&1").second, 2);
  EXPECT_EQ(run(std::string(CVX_CINEVOX) + " segment " + ct + " --plugin threshold --mask " + maskFile +
                " --out " + tmp.file("x.nrrd") + " 2>&1")
                .second,
            2);
  auto [o3, r3] = run(cmd + "--mask " + maskFile + " --mask-segment 9 --out " + tmp.file("x.nrrd") + " 2>&1");
  EXPECT_EQ(r3, 1);
  EXPECT_NE(o3.find("seg.bad_mask"), std::string::npos) << o3;
}

// A "seeds" plugin (growcut) from a seed label map: the output label map holds the classes 1 and 2
// (one segment each), every seed voxel keeps its own class, and nothing is labelled outside the
// seeds' bounding box grown by margin_mm (the plugin's documented region of interest).
TEST(CliSegmentMask, ASeedMapGivesOneClassPerSeedLabel) {
  CVX_REQUIRE_FOLDER("ct");
  const cvx::test::TempDir tmp("cvx_cli_segment_seeds");
  const std::string ct = cvx::test::dataPath("ct");
  auto volume = cvx::io::loadPath(ct);
  ASSERT_TRUE(volume.ok()) << volume.error().str();
  const auto& d = (*volume)->dims();
  auto seeds = cvx::Volume::create(cvx::PixelType::UInt8, {d[0], d[1], d[2], 1});
  ASSERT_TRUE(seeds.ok());
  (*seeds)->geometry = (*volume)->geometry;
  const int64_t y = d[1] / 2, z = d[2] / 2, xa = d[0] / 2 - 6, xb = d[0] / 2 + 14;
  auto at = [&](cvx::Volume& v, int64_t x, int64_t yy, int64_t zz) -> uint8_t& {
    return v.as<uint8_t>()[(zz * d[1] + yy) * d[0] + x];
  };
  for (int64_t i = 0; i < 3; ++i) at(**seeds, xa + i, y, z) = 1, at(**seeds, xb + i, y, z) = 2;
  const std::string seedFile = tmp.file("seeds.nrrd"), out = tmp.file("classes.nrrd");
  ASSERT_TRUE(cvx::io::writeImage(**seeds, seedFile).ok());
  auto [o, rc] = run(std::string(CVX_CINEVOX) + " segment " + ct +
                     " --plugin growcut --param margin_mm=10 --mask " + seedFile + " --out " + out + " 2>&1");
  ASSERT_EQ(rc, 0) << o;
  auto labels = cvx::io::readImage(out);
  ASSERT_TRUE(labels.ok()) << labels.error().str();
  for (int64_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*labels)->valueAt(xa + i, y, z), 1);
    EXPECT_EQ((*labels)->valueAt(xb + i, y, z), 2);
  }
  const cvx::Vec3 s = (*volume)->geometry.spacingMm;
  auto outside = [&](int64_t v, int64_t lo, int64_t hi, double sp) {
    return (v < lo && (lo - v) * sp > 10 + 1e-6) || (v > hi && (v - hi) * sp > 10 + 1e-6);
  };
  int64_t ones = 0, twos = 0, beyond = 0;
  for (int64_t zz = 0; zz < d[2]; ++zz)
    for (int64_t yy = 0; yy < d[1]; ++yy)
      for (int64_t x = 0; x < d[0]; ++x) {
        const double l = (*labels)->valueAt(x, yy, zz);
        ones += l == 1, twos += l == 2;
        if (l != 0 && (outside(x, xa, xb + 2, s.x) || outside(yy, y, y, s.y) || outside(zz, z, z, s.z)))
          ++beyond;
      }
  EXPECT_GE(ones, 3);
  EXPECT_GE(twos, 3);
  EXPECT_EQ(beyond, 0);
}
