// dilate, erode, open and close against a brute-force morphology written here: the ball is the
// documented rule, (i sx)^2 + (j sy)^2 + (k sz)^2 <= r^2 (1 + 1e-6), enumerated by a plain loop.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/seg/segment.h>

#include "seg_phantom.h"

namespace cvx::seg {
namespace {

using test::countNonZero;

std::vector<Index3> ruleBall(double r, Vec3 s) {
  std::vector<Index3> b;
  const int e = 40;
  for (int k = -e; k <= e; ++k)
    for (int j = -e; j <= e; ++j)
      for (int i = -e; i <= e; ++i) {
        const double d = (i * s.x) * (i * s.x) + (j * s.y) * (j * s.y) + (k * s.z) * (k * s.z);
        if (d <= r * r * (1 + 1e-6)) b.push_back({i, j, k});
      }
  return b;
}

// Brute force: dilation (outside is background) or erosion (outside is foreground).
std::vector<uint8_t> bruteMorph(const Volume& m, const std::vector<Index3>& ball, bool erode) {
  const int64_t nx = m.dims()[0], ny = m.dims()[1], nz = m.dims()[2];
  std::vector<uint8_t> out(static_cast<size_t>(nx * ny * nz));
  for (int64_t z = 0; z < nz; ++z)
    for (int64_t y = 0; y < ny; ++y)
      for (int64_t x = 0; x < nx; ++x) {
        bool any = false, all = true;
        for (const Index3& o : ball) {
          const int64_t a = x + o.x, b = y + o.y, c = z + o.z;
          const bool inside = a >= 0 && b >= 0 && c >= 0 && a < nx && b < ny && c < nz;
          const bool fg = inside ? m.as<uint8_t>()[(c * ny + b) * nx + a] != 0 : erode;
          any |= fg;
          all &= fg;
        }
        out[(z * ny + y) * nx + x] = erode ? all : any;
      }
  return out;
}

std::shared_ptr<Volume> toMask(const Volume& like, const std::vector<uint8_t>& v) {
  auto m = test::maskPhantom(like.dims()[0], like.dims()[1], like.dims()[2], like.geometry.spacingMm,
                             [](int64_t, int64_t, int64_t) { return false; });
  std::copy(v.begin(), v.end(), m->as<uint8_t>());
  return m;
}

int64_t diffTo(const Volume& got, const std::vector<uint8_t>& want) {
  int64_t d = 0;
  for (size_t i = 0; i < want.size(); ++i) d += (got.as<uint8_t>()[i] != 0) != (want[i] != 0);
  return d;
}

TEST(SegMorphology, DilatingOneVoxelGivesTheBall) {
  const Vec3 s{0.7, 0.9, 1.6};
  const double r = 3.1;
  auto m = test::maskPhantom(21, 19, 13, s,
                             [](int64_t x, int64_t y, int64_t z) { return x == 10 && y == 9 && z == 6; });
  auto d = dilate(*m, r);
  ASSERT_TRUE(d.ok()) << d.error().str();
  test::expectMaskOf(**d, *m);
  const auto ball = ruleBall(r, s);
  EXPECT_EQ(countNonZero(**d), static_cast<int64_t>(ball.size()));
  for (const Index3& o : ball) EXPECT_EQ(test::at(**d, 10 + o.x, 9 + o.y, 6 + o.z), 1);
  auto offs = ballOffsets(r, s);
  ASSERT_TRUE(offs.ok());
  EXPECT_EQ(offs->size(), ball.size());
  // Along x the ball reaches floor(3.1 / 0.7) = 4 voxels, along z floor(3.1 / 1.6) = 1.
  EXPECT_EQ(test::at(**d, 14, 9, 6), 1);
  EXPECT_EQ(test::at(**d, 15, 9, 6), 0);
  EXPECT_EQ(test::at(**d, 10, 9, 7), 1);
  EXPECT_EQ(test::at(**d, 10, 9, 8), 0);
}

struct Case {
  Vec3 spacing;
  double radius;
};

class SegMorphologyRandom : public ::testing::TestWithParam<Case> {};

TEST_P(SegMorphologyRandom, EqualsBruteForce) {
  const Case c = GetParam();
  auto m = test::randomMask(33, 27, 17, c.spacing, 0.08, 11);
  // Blobs as well as specks: a random mask dilated once, so erosion keeps something.
  auto blobs = dilate(*m, 1.0 * std::max({c.spacing.x, c.spacing.y, c.spacing.z}));
  ASSERT_TRUE(blobs.ok());
  const auto ball = ruleBall(c.radius, c.spacing);
  for (const auto& in : {m, *blobs}) {
    auto d = dilate(*in, c.radius);
    auto e = erode(*in, c.radius);
    ASSERT_TRUE(d.ok() && e.ok());
    const auto bd = bruteMorph(*in, ball, false);
    const auto be = bruteMorph(*in, ball, true);
    EXPECT_EQ(diffTo(**d, bd), 0) << "dilate r=" << c.radius;
    EXPECT_EQ(diffTo(**e, be), 0) << "erode r=" << c.radius;
    auto o = open(*in, c.radius);
    auto cl = close(*in, c.radius);
    ASSERT_TRUE(o.ok() && cl.ok());
    EXPECT_EQ(diffTo(**o, bruteMorph(*toMask(*in, be), ball, false)), 0) << "open";
    EXPECT_EQ(diffTo(**cl, bruteMorph(*toMask(*in, bd), ball, true)), 0) << "close";
  }
}

INSTANTIATE_TEST_SUITE_P(Balls, SegMorphologyRandom,
                         ::testing::Values(Case{{1, 1, 1}, 2.0},             // voxels exactly on the sphere
                                           Case{{1, 1, 1}, 1.0},             // the 6-neighbourhood
                                           Case{{1, 1, 1}, std::sqrt(3.0)},  // the 26-neighbourhood
                                           Case{{0.5, 0.8, 2.0}, 1.7},       // anisotropic: flat along z
                                           Case{{0.7, 0.7, 0.7}, 2.1},       // 3 x 0.7 is not 2.1 in double
                                           Case{{0.9765625, 0.9765625, 3.0}, 2.0},  // the CT's spacing
                                           Case{{0.6, 0.45, 0.8}, 3.3}));

TEST(SegMorphology, RadiusBelowEverySpacingChangesNothing) {
  auto m = test::randomMask(16, 15, 14, {1, 1.2, 2}, 0.3, 3);
  for (const double r : {0.0, 0.99}) {
    EXPECT_EQ(test::countDiff(**dilate(*m, r), *m), 0) << r;
    EXPECT_EQ(test::countDiff(**erode(*m, r), *m), 0) << r;
  }
  // Just at the x spacing: the ball is the three voxels along x.
  auto offs = ballOffsets(1.0, {1, 1.2, 2});
  ASSERT_TRUE(offs.ok());
  EXPECT_EQ(offs->size(), 3u);
}

TEST(SegMorphology, ErosionKeepsTheBorderAndDilationDoesNotWrap) {
  // A full mask stays full under erosion (outside counts as foreground); a voxel on the border
  // dilates into the volume only.
  auto full = test::maskPhantom(9, 9, 9, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return true; });
  EXPECT_EQ(countNonZero(**erode(*full, 3)), 729);
  auto corner =
      test::maskPhantom(9, 9, 9, {1, 1, 1}, [](int64_t x, int64_t y, int64_t z) { return !x && !y && !z; });
  EXPECT_EQ(countNonZero(**dilate(*corner, 1)), 4);
  EXPECT_EQ(test::at(**dilate(*corner, 1), 8, 0, 0), 0);
}

TEST(SegMorphology, Errors) {
  auto m = test::randomMask(8, 8, 8, {1, 1, 1}, 0.5, 1);
  EXPECT_EQ(dilate(*m, -1).error().code, "seg.bad_radius");
  EXPECT_EQ(erode(*m, NAN).error().code, "seg.bad_radius");
  EXPECT_EQ(dilate(*m, INFINITY).error().code, "seg.bad_radius");
  EXPECT_EQ(dilate(*m, 300).error().code, "seg.bad_radius");  // 300 voxels along each axis
  EXPECT_EQ(ballOffsets(1, {0, 1, 1}).error().code, "seg.bad_radius");
  auto i16 = test::phantom<int16_t>(4, 4, 4, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return 1; });
  EXPECT_EQ(open(*i16, 1).error().code, "seg.bad_pixel_type");
  Progress stop;
  stop.cancel();
  EXPECT_EQ(close(*m, 1, &stop).error().code, "seg.cancelled");
}

}  // namespace
}  // namespace cvx::seg
