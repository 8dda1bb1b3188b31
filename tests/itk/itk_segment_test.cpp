// cvx::seg against ITK as the reference (issue 12): ConnectedThresholdImageFilter (face = 6,
// full = 26), ConnectedComponentImageFilter (compared as partitions), BinaryDilate/Erode with a
// FlatStructuringElement built from cvx's ball offsets (same element, independent implementation)
// and with ITK's own BinaryBallStructuringElement where the two balls agree. On phantoms and on
// the real CT (../shared/data/ct): identical voxels, Dice = 1. Otsu is itk_otsu_test.cpp.
#include <gtest/gtest.h>

#include <itkBinaryBallStructuringElement.h>
#include <itkBinaryDilateImageFilter.h>
#include <itkBinaryErodeImageFilter.h>
#include <itkBinaryFillholeImageFilter.h>
#include <itkBinaryThresholdImageFilter.h>
#include <itkConnectedComponentImageFilter.h>
#include <itkConnectedThresholdImageFilter.h>
#include <itkFlatStructuringElement.h>

#include "itk_seg_util.h"

namespace cvx::test {
namespace {

using Mask = Img<uint8_t>;

template <class T>
typename Mask::Pointer itkConnectedThreshold(const Volume& v, const std::vector<seg::Index3>& seeds, T lo,
                                             T hi, int conn) {
  auto f = itk::ConnectedThresholdImageFilter<Img<T>, Mask>::New();
  f->SetInput(toItk<T>(v));
  f->SetLower(lo);
  f->SetUpper(hi);
  f->SetReplaceValue(1);
  f->SetConnectivity(conn == 26 ? itk::ConnectedThresholdImageFilterEnums::Connectivity::FullConnectivity
                                : itk::ConnectedThresholdImageFilterEnums::Connectivity::FaceConnectivity);
  for (const auto& s : seeds) {
    typename Img<T>::IndexType idx = {{s.x, s.y, s.z}};
    f->AddSeed(idx);
  }
  f->Update();
  return f->GetOutput();
}

TEST(ItkSegment, ConnectedThresholdPhantom) {
  auto v = randomValues(61, 47, 33, 21);
  for (const int conn : {6, 26}) {
    const int16_t hi = conn == 6 ? 35 : 14;  // just above percolation: long thin clusters
    // Seeds: the first in-range voxel from four places in raster order.
    std::vector<seg::Index3> seeds;
    for (const int64_t start : {int64_t{0}, int64_t{30000}, int64_t{50000}, int64_t{90000}})
      for (int64_t i = start; i < v->voxelCount(); ++i)
        if (v->as<int16_t>()[i] <= hi) {
          seeds.push_back({i % 61, (i / 61) % 47, i / (61 * 47)});
          break;
        }
    auto ours = seg::connectedThreshold(*v, seeds, 0, hi, conn);
    ASSERT_TRUE(ours.ok()) << ours.error().str();
    auto theirs = itkConnectedThreshold<int16_t>(*v, seeds, 0, hi, conn);
    const MaskCompare c = compareMasks(**ours, theirs.GetPointer());
    EXPECT_EQ(c.differ, 0) << "connectivity " << conn;
    EXPECT_GT(c.ours, 30) << "connectivity " << conn;
  }
}

// A seed inside the lung: on the middle slice, the first voxel left of the centre whose 5 x 5
// in-plane neighbourhood lies within lo..hi.
seg::Index3 lungSeed(const Volume& v, double lo, double hi) {
  const int64_t z = v.dims()[2] / 2, y = v.dims()[1] / 2;
  for (int64_t x = v.dims()[0] / 2; x >= 2; --x) {
    bool all = true;
    for (int dy = -2; dy <= 2 && all; ++dy)
      for (int dx = -2; dx <= 2 && all; ++dx) {
        const double s = v.valueAt(x + dx, y + dy, z);
        all = lo <= s && s <= hi;
      }
    if (all) return {x, y, z};
  }
  return {-1, -1, -1};
}

TEST(ItkSegment, ConnectedThresholdCtLung) {
  CVX_REQUIRE_CT();
  const Volume& v = *ct();
  ASSERT_EQ(v.type(), PixelType::UInt16);
  const double lo = storedOf(v, -1000), hi = storedOf(v, -400);
  const seg::Index3 seed = lungSeed(v, lo, hi);
  ASSERT_GE(seed.x, 0) << "no lung found left of the centre";
  for (const int conn : {6, 26}) {
    auto t0 = std::chrono::steady_clock::now();
    auto ours = seg::connectedThreshold(v, {seed}, lo, hi, conn);
    const double oursMs = msSince(t0);
    ASSERT_TRUE(ours.ok()) << ours.error().str();
    t0 = std::chrono::steady_clock::now();
    auto theirs = itkConnectedThreshold<uint16_t>(v, {seed}, static_cast<uint16_t>(lo),
                                                  static_cast<uint16_t>(hi), conn);
    const double itkMs = msSince(t0);
    const MaskCompare c = compareMasks(**ours, theirs.GetPointer());
    EXPECT_EQ(c.differ, 0);
    EXPECT_EQ(c.dice(), 1.0);
    EXPECT_EQ(c.ours, c.theirs);
    EXPECT_GT(c.ours, 200000) << "a lung is more than 200 000 voxels (0.57 L)";
    std::printf("CT lung from (%lld,%lld,%lld), %d-connected: %lld voxels; cvx %.1f ms, ITK %.1f ms\n",
                static_cast<long long>(seed.x), static_cast<long long>(seed.y),
                static_cast<long long>(seed.z), conn, static_cast<long long>(c.ours), oursMs, itkMs);
  }
}

// The CT's bone: 300..3000 HU.
std::shared_ptr<Volume> ctBone() {
  const Volume& v = *ct();
  auto m = seg::threshold(v, storedOf(v, 300), storedOf(v, 3000));
  return m.ok() ? *m : nullptr;
}

// ---- Threshold and hole filling --------------------------------------------------------------

TEST(ItkSegment, ThresholdCt) {
  CVX_REQUIRE_CT();
  const Volume& v = *ct();
  const double lo = storedOf(v, 300), hi = storedOf(v, 3000);
  auto t0 = std::chrono::steady_clock::now();
  auto ours = seg::threshold(v, lo, hi);
  const double oursMs = msSince(t0);
  ASSERT_TRUE(ours.ok());
  auto f = itk::BinaryThresholdImageFilter<Img<uint16_t>, Mask>::New();
  f->SetInput(toItk<uint16_t>(v));
  f->SetLowerThreshold(static_cast<uint16_t>(lo));  // ITK's bounds are inclusive too
  f->SetUpperThreshold(static_cast<uint16_t>(hi));
  f->SetInsideValue(1);
  f->SetOutsideValue(0);
  t0 = std::chrono::steady_clock::now();
  f->Update();
  const double itkMs = msSince(t0);
  const MaskCompare c = compareMasks(**ours, f->GetOutput());
  EXPECT_EQ(c.differ, 0);
  EXPECT_GT(c.ours, 100000);
  std::printf("CT bone threshold: %lld voxels; cvx %.1f ms, ITK %.1f ms\n", static_cast<long long>(c.ours),
              oursMs, itkMs);
}

// ITK's BinaryFillholeImageFilter labels the background with FullyConnected and keeps as background
// the components on the border: FullyConnected off/on is cvx's background connectivity 6/26.
void expectSameFill(const Volume& mask) {
  for (const int conn : {6, 26}) {
    auto ours = seg::fillHoles(mask, conn);
    ASSERT_TRUE(ours.ok());
    auto f = itk::BinaryFillholeImageFilter<Mask>::New();
    f->SetInput(toItk<uint8_t>(mask));
    f->SetForegroundValue(1);
    f->SetFullyConnected(conn == 26);
    f->Update();
    const MaskCompare c = compareMasks(**ours, f->GetOutput());
    EXPECT_EQ(c.differ, 0) << "connectivity " << conn;
    EXPECT_GT(c.ours, countNonZeroOf(mask)) << "something to fill, connectivity " << conn;
  }
}

TEST(ItkSegment, FillHolesPhantomAndCt) {
  // Dense random foreground (enclosed background pockets) and a hollow ball, 3 voxels thick, that
  // holds background for both connectivities.
  auto v = randomValues(40, 36, 30, 9);
  for (int64_t z = 0; z < 30; ++z)
    for (int64_t y = 0; y < 36; ++y)
      for (int64_t x = 0; x < 40; ++x) {
        const int64_t r2 = (x - 20) * (x - 20) + (y - 18) * (y - 18) + (z - 15) * (z - 15);
        if (r2 <= 121) v->as<int16_t>()[(z * 36 + y) * 40 + x] = r2 > 64 ? 0 : 99;
      }
  auto m = seg::threshold(*v, 0, 60);
  ASSERT_TRUE(m.ok());
  expectSameFill(**m);
  CVX_REQUIRE_CT();
  auto bone = ctBone();
  ASSERT_NE(bone, nullptr);
  expectSameFill(*slab(*bone, 47, 87));
}

// ---- Connected components ---------------------------------------------------------------------

void expectSameComponents(const Volume& mask, int conn) {
  auto t0 = std::chrono::steady_clock::now();
  auto ours = seg::labelComponents(mask, conn);
  const double oursMs = msSince(t0);
  ASSERT_TRUE(ours.ok()) << ours.error().str();
  auto f = itk::ConnectedComponentImageFilter<Mask, Img<uint32_t>>::New();
  f->SetInput(toItk<uint8_t>(mask));
  f->SetFullyConnected(conn == 26);
  t0 = std::chrono::steady_clock::now();
  f->Update();
  const double itkMs = msSince(t0);
  int64_t n = 0;
  EXPECT_TRUE(
      samePartition(ours->labels.data(), f->GetOutput()->GetBufferPointer(), mask.voxelsPerPhase(), &n))
      << "connectivity " << conn;
  EXPECT_EQ(static_cast<uint64_t>(n), ours->count());
  EXPECT_EQ(f->GetObjectCount(), ours->count());
  std::printf("%d-connected: %u components; cvx %.1f ms, ITK %.1f ms\n", conn, ours->count(), oursMs, itkMs);
}

TEST(ItkSegment, ComponentsPhantom) {
  auto v = randomValues(64, 50, 40, 5);
  for (const int conn : {6, 26}) {
    auto m = seg::threshold(*v, 0, conn == 6 ? 30 : 10);
    ASSERT_TRUE(m.ok());
    expectSameComponents(**m, conn);
  }
}

TEST(ItkSegment, ComponentsCtBone) {
  CVX_REQUIRE_CT();
  auto bone = ctBone();
  ASSERT_NE(bone, nullptr);
  for (const int conn : {6, 26}) expectSameComponents(*bone, conn);
}

// ---- Morphology -------------------------------------------------------------------------------

template <class Kernel>
Mask::Pointer itkMorph(const Mask* in, const Kernel& k, bool erode) {
  if (erode) {
    auto f = itk::BinaryErodeImageFilter<Mask, Mask, Kernel>::New();
    f->SetInput(in);
    f->SetKernel(k);
    f->SetForegroundValue(1);
    f->SetBackgroundValue(0);
    f->Update();
    return f->GetOutput();
  }
  auto f = itk::BinaryDilateImageFilter<Mask, Mask, Kernel>::New();
  f->SetInput(in);
  f->SetKernel(k);
  f->SetForegroundValue(1);
  f->SetBackgroundValue(0);
  f->Update();
  return f->GetOutput();
}

// dilate, erode, open and close of `mask` against ITK with the flat element of cvx's ball.
void expectSameMorphology(const Volume& mask, double r) {
  auto offs = seg::ballOffsets(r, mask.geometry.spacingMm);
  ASSERT_TRUE(offs.ok());
  const SE se = seFromOffsets(*offs);
  auto in = toItk<uint8_t>(mask);
  auto d = seg::dilate(mask, r);
  auto e = seg::erode(mask, r);
  auto o = seg::open(mask, r);
  auto c = seg::close(mask, r);
  ASSERT_TRUE(d.ok() && e.ok() && o.ok() && c.ok());
  auto itkD = itkMorph(in.GetPointer(), se, false);
  auto itkE = itkMorph(in.GetPointer(), se, true);
  auto itkO = itkMorph(itkE.GetPointer(), se, false);
  auto itkC = itkMorph(itkD.GetPointer(), se, true);
  EXPECT_EQ(compareMasks(**d, itkD.GetPointer()).differ, 0) << "dilate r=" << r;
  EXPECT_EQ(compareMasks(**e, itkE.GetPointer()).differ, 0) << "erode r=" << r;
  EXPECT_EQ(compareMasks(**o, itkO.GetPointer()).differ, 0) << "open r=" << r;
  EXPECT_EQ(compareMasks(**c, itkC.GetPointer()).differ, 0) << "close r=" << r;
  EXPECT_GT(countNonZeroOf(**e), 0);
}

TEST(ItkSegment, MorphologyPhantom) {
  struct Case {
    Vec3 spacing;
    double r;
  };
  for (const Case& k : {Case{{1, 1, 1}, 2.0}, Case{{0.5, 0.8, 2.0}, 1.7}, Case{{0.7, 0.7, 0.7}, 2.1},
                        Case{{0.6, 0.45, 0.8}, 3.3}, Case{{0.9765625, 0.9765625, 3.0}, 5.0}}) {
    // Specks and small clusters (random values up to 20), and a solid ellipsoid that erosion keeps.
    auto v = randomValues(48, 40, 30, 17);
    for (int64_t z = 0; z < 30; ++z)
      for (int64_t y = 0; y < 40; ++y)
        for (int64_t x = 0; x < 48; ++x) {
          const double dx = (x - 24) * k.spacing.x, dy = (y - 20) * k.spacing.y, dz = (z - 15) * k.spacing.z;
          if (dx * dx / 100 + dy * dy / 64 + dz * dz / 144 <= 1) v->as<int16_t>()[(z * 40 + y) * 48 + x] = 0;
        }
    v->geometry.spacingMm = k.spacing;
    auto blobs = seg::threshold(*v, 0, 20);
    ASSERT_TRUE(blobs.ok());
    auto grown = seg::close(**blobs, k.r);
    ASSERT_TRUE(grown.ok());
    expectSameMorphology(**blobs, k.r);
    expectSameMorphology(**grown, k.r);
  }
}

// The bone of the CT (300..3000 HU) dilated and eroded by a 2 mm ball: 0.977 mm in plane and 3 mm
// slices make it the 13-voxel disc i^2 + j^2 <= 4. Erosion runs on 40 slices (ITK takes 5 s on all).
void expectCtBoneMorph(const Volume& bone, bool erode) {
  const double r = 2.0;
  auto offs = seg::ballOffsets(r, bone.geometry.spacingMm);
  ASSERT_TRUE(offs.ok());
  EXPECT_EQ(offs->size(), 13u);
  const SE se = seFromOffsets(*offs);
  auto in = toItk<uint8_t>(bone);
  auto t0 = std::chrono::steady_clock::now();
  auto ours = erode ? seg::erode(bone, r) : seg::dilate(bone, r);
  const double oursMs = msSince(t0);
  ASSERT_TRUE(ours.ok());
  t0 = std::chrono::steady_clock::now();
  auto theirs = itkMorph(in.GetPointer(), se, erode);
  const double itkMs = msSince(t0);
  const MaskCompare c = compareMasks(**ours, theirs.GetPointer());
  EXPECT_EQ(c.differ, 0);
  EXPECT_EQ(c.dice(), 1.0);
  EXPECT_EQ(c.ours, c.theirs);
  EXPECT_GT(c.ours, 1000);
  std::printf("CT bone (%lld slices) %s 2 mm: %lld voxels; cvx %.1f ms, ITK %.1f ms\n",
              static_cast<long long>(bone.dims()[2]), erode ? "erode" : "dilate",
              static_cast<long long>(c.ours), oursMs, itkMs);
}

TEST(ItkSegment, DilateCtBone) {
  CVX_REQUIRE_CT();
  auto bone = ctBone();
  ASSERT_NE(bone, nullptr);
  expectCtBoneMorph(*bone, false);
}

TEST(ItkSegment, ErodeCtBone) {
  CVX_REQUIRE_CT();
  auto bone = ctBone();
  ASSERT_NE(bone, nullptr);
  expectCtBoneMorph(*slab(*bone, 47, 87), true);
}

// ITK's own ball of radius R voxels is the ellipsoid with semi-axes R + 0.5: the same set as
// cvx's rule for r = (R + 0.5) x spacing. On the CT, r = 2.5 x 0.9765625 mm gives ITK's radius
// (2, 2, 0): the 21 voxels with i^2 + j^2 <= 6.
TEST(ItkSegment, ItkBallWhereTheRulesAgree) {
  CVX_REQUIRE_CT();
  auto bone = ctBone();
  ASSERT_NE(bone, nullptr);
  const double r = 2.5 * bone->geometry.spacingMm.x;
  ASSERT_EQ(bone->geometry.spacingMm.x, bone->geometry.spacingMm.y);
  using Ball = itk::BinaryBallStructuringElement<uint8_t, 3>;
  Ball ball;
  ball.SetRadius({{2, 2, 0}});
  ball.CreateStructuringElement();
  auto offs = seg::ballOffsets(r, bone->geometry.spacingMm);
  ASSERT_TRUE(offs.ok());
  int64_t itkCount = 0;
  for (unsigned i = 0; i < ball.Size(); ++i) itkCount += ball[i] != 0;
  EXPECT_EQ(itkCount, 21);
  EXPECT_EQ(static_cast<int64_t>(offs->size()), itkCount);
  for (const auto& o : *offs) {
    const Ball::OffsetType off = {{o.x, o.y, o.z}};
    EXPECT_NE(ball[off], 0) << o.x << "," << o.y << "," << o.z;
  }
  auto part = slab(*bone, 47, 87);  // 40 slices: ITK's dilation of the whole CT takes 2-4 s
  auto ours = seg::dilate(*part, r);
  ASSERT_TRUE(ours.ok());
  auto theirs = itkMorph(toItk<uint8_t>(*part).GetPointer(), ball, false);
  EXPECT_EQ(compareMasks(**ours, theirs.GetPointer()).differ, 0);
}

}  // namespace
}  // namespace cvx::test
