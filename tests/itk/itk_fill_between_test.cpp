// SPDX-License-Identifier: MIT
// Fill between slices (cvx::seg::fillBetweenSlices, docs/segmentation.md "Fill between slices")
// against ITK's exact Euclidean distance transform: the test rebuilds each drawn slice's signed
// distance map from itk::SignedMaurerDistanceMapImageFilter (2D, the slice's spacing): outside a
// shape, Maurer's distance to the shape's contour is the distance to the nearest inside pixel (the
// nearest inside pixel is always on the contour); inside, the same filter on the complement gives
// the distance to the nearest outside pixel. Then the documented rule, (1 - t) D_a + t D_b < 0,
// fills the gaps. The shape (a lobed blob whose radius changes with the slice, on 0.7 x 1.1 mm
// pixels, drawn on every fourth slice) keeps away from the slice's edge, where CineVox counts
// beyond the edge as outside and ITK does not. Expected: the same voxels, bar exact ties (below).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <itkImage.h>
#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <cvx/core/volume.h>
#include <cvx/seg/segment.h>

namespace {

using Slice = itk::Image<uint8_t, 2>;
using Distances = itk::Image<float, 2>;

// Maurer's distance, outside the shape `in` (pixels where in == value), to its nearest pixel.
std::vector<float> distanceTo(const std::vector<uint8_t>& in, uint8_t value, int nx, int ny, double sx, double sy) {
  auto img = Slice::New();
  Slice::RegionType region;
  region.SetSize({static_cast<itk::SizeValueType>(nx), static_cast<itk::SizeValueType>(ny)});
  img->SetRegions(region);
  const double spacing[2] = {sx, sy};
  img->SetSpacing(spacing);
  img->Allocate();
  for (size_t i = 0; i < in.size(); ++i) img->GetBufferPointer()[i] = in[i] == value ? 1 : 0;
  auto f = itk::SignedMaurerDistanceMapImageFilter<Slice, Distances>::New();
  f->SetInput(img);
  f->SetUseImageSpacing(true);
  f->SetSquaredDistance(false);
  f->SetInsideIsPositive(false);
  f->SetBackgroundValue(0);
  f->Update();
  const float* d = f->GetOutput()->GetBufferPointer();
  return std::vector<float>(d, d + in.size());
}

}  // namespace

TEST(ItkFillBetween, TheGapsAreWhatItksDistanceMapsGiveByTheDocumentedRule) {
  const int nx = 96, ny = 80, nz = 25;
  const double sx = 0.7, sy = 1.1, sz = 2.5;
  auto made = cvx::Volume::create(cvx::PixelType::UInt8, {nx, ny, nz, 1});
  ASSERT_TRUE(made.ok());
  auto& v = **made;
  v.geometry.spacingMm = {sx, sy, sz};
  // A lobed blob: radius 14 + 6 sin(pi z / 24) mm, three lobes of 3 mm turning with z.
  auto inside = [&](int x, int y, int z) {
    const double px = x * sx - 34, py = y * sy - 44, a = std::atan2(py, px);
    const double r = 14 + 6 * std::sin(M_PI * z / 24) + 3 * std::cos(3 * a + 0.15 * z);
    return std::hypot(px, py) <= r;
  };
  uint8_t* m = v.as<uint8_t>();
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x) m[(z * ny + y) * nx + x] = z % 4 == 0 && inside(x, y, z);
  auto ours = cvx::seg::fillBetweenSlices(v, 2);
  ASSERT_TRUE(ours.ok()) << ours.error().str();
  const size_t n = static_cast<size_t>(nx) * ny;
  std::vector<std::vector<float>> maps(nz);  // the drawn slices' signed maps, from ITK
  for (int z = 0; z < nz; z += 4) {
    const std::vector<uint8_t> s(m + z * n, m + (z + 1) * n);
    const auto toInside = distanceTo(s, 1, nx, ny, sx, sy), toOutside = distanceTo(s, 0, nx, ny, sx, sy);
    maps[z].resize(n);
    for (size_t i = 0; i < n; ++i) maps[z][i] = s[i] ? -std::max(0.0f, toOutside[i]) : std::max(0.0f, toInside[i]);
  }
  // A voxel whose weighted sum lies within 1e-4 mm of 0 is a tie (the same distance inside one
  // outline and outside the other, half way): ITK's float distances and CineVox's round differently
  // there, so those voxels are counted apart, not compared.
  int64_t differ = 0, filled = 0, ties = 0;
  for (int z = 0; z < nz; ++z) {
    const int a = z / 4 * 4, b = a + 4;
    for (size_t i = 0; i < n; ++i) {
      bool want = m[z * n + i] != 0;
      if (z % 4 != 0 && b < nz) {
        const float t = static_cast<float>(z - a) / 4.0f;
        const float sum = (1 - t) * maps[a][i] + t * maps[b][i];
        if (std::abs(sum) < 1e-4f) {
          ++ties;
          continue;
        }
        want = sum < 0;
      }
      const bool got = (*ours)->as<uint8_t>()[z * n + i] != 0;
      differ += want != got;
      filled += got && z % 4 != 0;
    }
  }
  EXPECT_GT(filled, 5000);
  EXPECT_EQ(differ, 0) << "of " << filled << " voxels filled (" << ties << " ties not compared)";
  EXPECT_LT(ties, filled / 50);
}
