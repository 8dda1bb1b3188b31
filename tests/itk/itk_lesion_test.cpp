// The lesion plugin (docs/segmentation.md, "Lesion") against ITK on the real FDG PET of
// ../shared/data/pet_ct/PT (128 x 128 x 40, Float32 Bq/ml once the per-slice rescale is applied):
// ITK's MinimumMaximumImageCalculator finds the hottest voxel, ITK's ConnectedThresholdImageFilter
// grows the voxels >= fraction x max from it (background 0), and the plugin, run through the
// PluginHost with that voxel as its seed, must give the same voxels.
//
// Precision: the plugin computes T = 0.41 x max in double and compares double(v) >= T; ITK casts
// its lower bound to the pixel type (float) and compares floats. Passing float(T) (round to
// nearest) could move a voxel whose value lies between float(T) and T; the lower given to ITK is
// therefore the smallest float >= T (std::nextafter when the rounding went down), for which
// v >= lower (float) and double(v) >= T (double) select the same voxels: the test checks that on
// every voxel and reports how many voxels the plain cast would have moved.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <limits>
#include <string>

#include <itkConnectedThresholdImageFilter.h>
#include <itkMinimumMaximumImageCalculator.h>

#include <cvx/core/plugin/host.h>
#include <cvx/io/dicom.h>

#include "itk_seg_util.h"

namespace cvx::test {
namespace {

using Mask = Img<uint8_t>;

// ../shared/data/pet_ct/PT, loaded once.
std::shared_ptr<Volume> pet() {
  static std::shared_ptr<Volume> v = [] {
    auto r = io::loadPath(dataPath("pet_ct/PT"));
    return r.ok() ? *r : nullptr;
  }();
  return v;
}

// The smallest float >= t.
float floatAtOrAbove(double t) {
  float f = static_cast<float>(t);
  if (static_cast<double>(f) < t) f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}

struct Hottest {
  Img<float>::IndexType at;
  float value = 0;
};

Hottest hottestByItk(const Img<float>* img) {
  auto calc = itk::MinimumMaximumImageCalculator<Img<float>>::New();
  calc->SetImage(img);
  calc->Compute();
  return {calc->GetIndexOfMaximum(), calc->GetMaximum()};
}

Mask::Pointer itkGrow(const Img<float>::Pointer& img, const Img<float>::IndexType& seed, float lower, int conn) {
  auto f = itk::ConnectedThresholdImageFilter<Img<float>, Mask>::New();
  f->SetInput(img);
  f->SetLower(lower);
  f->SetUpper(std::numeric_limits<float>::max());  // nothing above: the plugin's upper is +inf
  f->SetReplaceValue(1);
  f->SetConnectivity(conn == 26 ? itk::ConnectedThresholdImageFilterEnums::Connectivity::FullConnectivity
                                : itk::ConnectedThresholdImageFilterEnums::Connectivity::FaceConnectivity);
  f->AddSeed(seed);
  f->Update();
  return f->GetOutput();
}

Result<std::shared_ptr<Volume>> runLesion(plugin::PluginHost& host, const Volume& v, const std::string& seed,
                                          const std::string& fraction, const std::string& searchMm,
                                          const std::string& conn) {
  const auto* m = host.find("lesion");
  if (!m) return makeError("test.no_plugin", "no lesion plugin in " CVX_PLUGIN_DIR);
  auto p = plugin::resolveParams(
      m->params, {{"seeds", seed}, {"fraction", fraction}, {"search_mm", searchMm}, {"connectivity", conn}});
  if (!p.ok()) return p.error();
  return host.segment("lesion", v, *p);
}

std::string str(const Img<float>::IndexType& i) {
  return std::to_string(i[0]) + "," + std::to_string(i[1]) + "," + std::to_string(i[2]);
}

// One comparison: fraction (%) and connectivity, the seed at ITK's hottest voxel (search_mm 0).
void compareAtFraction(double fraction, int conn) {
  const Volume& v = *pet();
  auto img = toItk<float>(v);
  const Hottest h = hottestByItk(img.GetPointer());
  EXPECT_NEAR(h.value, 32567.2, 0.05);  // pet_ct/README.md: stored 32767 x slope in PT/1-239.dcm
  const double t = fraction / 100.0 * static_cast<double>(h.value);  // the plugin's T (background 0)
  const float lower = floatAtOrAbove(t);
  // The lower bound selects in float exactly what T selects in double; count what float(T) moves.
  int64_t mismatch = 0, moved = 0;
  const float nearest = static_cast<float>(t);
  for (int64_t i = 0; i < v.voxelsPerPhase(); ++i) {
    const float x = v.as<float>()[i];
    mismatch += (x >= lower) != (static_cast<double>(x) >= t);
    moved += (x >= nearest) != (static_cast<double>(x) >= t);
  }
  ASSERT_EQ(mismatch, 0);
  std::cout << "[ lesion   ] fraction " << fraction << " %, " << conn << "-connected: max " << h.value << " Bq/ml at "
            << str(h.at) << ", T = " << t << " (float(T) " << (static_cast<double>(nearest) == t ? "exact" : "rounded")
            << ", " << moved << " voxel(s) between float(T) and T)\n";

  plugin::PluginHost host;
  host.discover({CVX_PLUGIN_DIR});
  auto ours = runLesion(host, v, str(h.at), std::to_string(fraction), "0", std::to_string(conn));
  ASSERT_TRUE(ours.ok()) << ours.error().str();
  auto theirs = itkGrow(img, h.at, lower, conn);
  const MaskCompare c = compareMasks(**ours, theirs.GetPointer());
  std::cout << "[ lesion   ] plugin " << c.ours << " voxels, ITK " << c.theirs << ", differ " << c.differ << "\n";
  EXPECT_EQ(c.differ, 0);
  EXPECT_EQ(c.ours, c.theirs);
  EXPECT_GE(c.ours, 10) << "a lesion of a few voxels proves little";
  EXPECT_LT(c.ours, v.voxelsPerPhase() / 100) << "a lesion, not the body";
}

}  // namespace

TEST(ItkLesion, FortyOnePercentOfTheHottestVoxel26Connected) {
  CVX_REQUIRE_FOLDER("pet_ct");
  ASSERT_NE(pet(), nullptr) << "the PET did not load";
  ASSERT_EQ(pet()->type(), PixelType::Float32);
  // Bq/ml as stored: the host hands the plugin slope 1, intercept 0 (rescale applied on loading).
  ASSERT_TRUE(pet()->info.rescaleApplied);
  compareAtFraction(41, 26);
}

TEST(ItkLesion, FiftyPercent6Connected) {
  CVX_REQUIRE_FOLDER("pet_ct");
  ASSERT_NE(pet(), nullptr) << "the PET did not load";
  ASSERT_TRUE(pet()->info.rescaleApplied);
  compareAtFraction(50, 6);
}

// A seed one voxel (4.69 mm) off the hottest voxel with search_mm 10 finds it: the same labels as
// ITK's growth from the hottest voxel itself. The maximum is unique, so no tie rule decides.
TEST(ItkLesion, SearchFromANeighbourFindsTheHottestVoxel) {
  CVX_REQUIRE_FOLDER("pet_ct");
  ASSERT_NE(pet(), nullptr) << "the PET did not load";
  ASSERT_TRUE(pet()->info.rescaleApplied);
  const Volume& v = *pet();
  auto img = toItk<float>(v);
  const Hottest h = hottestByItk(img.GetPointer());
  int64_t atMax = 0;
  for (int64_t i = 0; i < v.voxelsPerPhase(); ++i) atMax += v.as<float>()[i] == h.value;
  ASSERT_EQ(atMax, 1);
  ASSERT_LT(v.geometry.spacingMm.x, 10.0);
  auto seed = h.at;
  seed[0] += seed[0] > 0 ? -1 : 1;
  plugin::PluginHost host;
  host.discover({CVX_PLUGIN_DIR});
  auto ours = runLesion(host, v, str(seed), "41", "10", "26");
  ASSERT_TRUE(ours.ok()) << ours.error().str();
  auto theirs = itkGrow(img, h.at, floatAtOrAbove(0.41 * static_cast<double>(h.value)), 26);
  const MaskCompare c = compareMasks(**ours, theirs.GetPointer());
  EXPECT_EQ(c.differ, 0);
  EXPECT_GE(c.ours, 10);
  // With search_mm 0 the seed's own, cooler value is the peak: ITK grown from the seed at 41 % of it.
  const float own = img->GetPixel(seed);
  ASSERT_LT(own, h.value);
  auto self = runLesion(host, v, str(seed), "41", "0", "26");
  ASSERT_TRUE(self.ok()) << self.error().str();
  auto fromSeed = itkGrow(img, seed, floatAtOrAbove(0.41 * static_cast<double>(own)), 26);
  const MaskCompare s = compareMasks(**self, fromSeed.GetPointer());
  EXPECT_EQ(s.differ, 0);
  EXPECT_GE(s.ours, c.ours);
}

}  // namespace cvx::test
