// cvx::seg::otsu / multiOtsu against ITK, two ways (docs/segmentation.md, "Algorithms and rules"):
//  1. The whole filters, OtsuThresholdImageFilter and OtsuMultipleThresholdsImageFilter, with one
//     bin per stored value (cvx: bins = 0; ITK: NumberOfHistogramBins = max - min + 1). ITK's bins
//     span [min, max + (max - min) / bins / 100] with a float width, cvx's [min, max]: the edges
//     differ, but with one bin per integer both put every stored value in a bin of its own, and
//     Otsu's choice does not depend on where the bin centres sit (moving them by an affine map adds
//     a constant to every score): the same split. ITK labels v <= T as the lower class.
//  2. Any bin count: ITK's OtsuMultipleThresholdsCalculator on an itk::Statistics::Histogram whose
//     edges are cvx's documented ones (min + b * width; the last bin ends at max), filled through
//     ITK's own Histogram::GetIndex.
#include <gtest/gtest.h>

#include <itkHistogram.h>
#include <itkOtsuMultipleThresholdsCalculator.h>
#include <itkOtsuMultipleThresholdsImageFilter.h>
#include <itkOtsuThresholdImageFilter.h>

#include "itk_seg_util.h"

namespace cvx::test {
namespace {

using Mask = Img<uint8_t>;

template <class T>
void expectFilterMatch(const Volume& v, int classes) {
  auto t0 = std::chrono::steady_clock::now();
  auto ours = seg::multiOtsu(v, classes, 0);
  const double oursMs = msSince(t0);
  ASSERT_TRUE(ours.ok()) << ours.error().str();
  T mn = std::numeric_limits<T>::max(), mx = std::numeric_limits<T>::lowest();
  for (int64_t i = 0; i < v.voxelsPerPhase(); ++i)
    mn = std::min(mn, v.as<T>()[i]), mx = std::max(mx, v.as<T>()[i]);
  ASSERT_EQ(ours->bins, static_cast<int>(mx) - static_cast<int>(mn) + 1);
  auto in = toItk<T>(v);
  Mask::Pointer theirs;
  std::vector<double> itkThresholds;
  t0 = std::chrono::steady_clock::now();
  if (classes == 2) {
    auto f = itk::OtsuThresholdImageFilter<Img<T>, Mask>::New();
    f->SetInput(in);
    f->SetNumberOfHistogramBins(ours->bins);
    f->SetAutoMinimumMaximum(true);
    f->SetInsideValue(0);  // v <= T: the lower class
    f->SetOutsideValue(1);
    f->Update();
    theirs = f->GetOutput();
    itkThresholds.push_back(f->GetThreshold());
  } else {
    auto f = itk::OtsuMultipleThresholdsImageFilter<Img<T>, Mask>::New();
    f->SetInput(in);
    f->SetNumberOfHistogramBins(ours->bins);
    f->SetNumberOfThresholds(classes - 1);
    f->Update();
    theirs = f->GetOutput();
    for (double t : f->GetThresholds()) itkThresholds.push_back(t);
  }
  const double itkMs = msSince(t0);
  int64_t differ = 0;
  for (int64_t i = 0; i < v.voxelsPerPhase(); ++i)
    differ += ours->labels->as<uint8_t>()[i] != theirs->GetBufferPointer()[i];
  EXPECT_EQ(differ, 0) << classes << " classes";
  std::printf("%d classes over %d bins: cvx", classes, ours->bins);
  for (double t : ours->thresholds) std::printf(" %.3f", t);
  std::printf(" (%.1f ms), ITK", oursMs);
  for (double t : itkThresholds) std::printf(" %.3f", t);
  std::printf(" (%.1f ms)\n", itkMs);
}

// Two overlapping modes plus a third, all positive (ITK casts its thresholds to the pixel type,
// which truncates towards zero).
std::shared_ptr<Volume> modes(unsigned seed) {
  auto r = Volume::create(PixelType::Int16, {40, 36, 30, 1});
  std::shared_ptr<Volume> v = *r;
  std::mt19937 rng(seed);
  std::normal_distribution<double> a(400, 60), b(700, 90), c(1500, 200);
  for (int64_t i = 0; i < v->voxelCount(); ++i) {
    const int64_t x = i % 40;
    const double s = x < 18 ? a(rng) : (x < 33 ? b(rng) : c(rng));
    v->as<int16_t>()[i] = static_cast<int16_t>(std::clamp(std::round(s), 1.0, 3000.0));
  }
  return v;
}

TEST(ItkOtsu, FiltersWithOneBinPerValuePhantom) {
  auto v = modes(3);
  expectFilterMatch<int16_t>(*v, 2);
  expectFilterMatch<int16_t>(*v, 3);
}

// ITK's histogram takes 3 s on the whole CT: 30 of its slices, and the calculator below on all.
TEST(ItkOtsu, FiltersWithOneBinPerValueCt) {
  CVX_REQUIRE_CT();
  auto part = slab(*ct(), 52, 82);
  expectFilterMatch<uint16_t>(*part, 2);
  expectFilterMatch<uint16_t>(*part, 3);
}

// ITK's calculator on a histogram with cvx's edges, filled by ITK's GetIndex (once per stored
// value, weighted by how often it occurs).
template <class T>
void expectCalculatorMatch(const Volume& v, int classes, int bins) {
  auto ours = seg::multiOtsu(v, classes, bins);
  ASSERT_TRUE(ours.ok()) << ours.error().str();
  const T* p = v.as<T>();
  T lo = std::numeric_limits<T>::max(), hi = std::numeric_limits<T>::lowest();
  for (int64_t i = 0; i < v.voxelsPerPhase(); ++i) lo = std::min(lo, p[i]), hi = std::max(hi, p[i]);
  std::vector<int64_t> counts(static_cast<size_t>(hi - lo + 1), 0);
  for (int64_t i = 0; i < v.voxelsPerPhase(); ++i) ++counts[p[i] - lo];
  const double mn = lo, mx = hi;
  const double w = (mx - mn) / bins;
  using H = itk::Statistics::Histogram<double>;
  auto h = H::New();
  h->SetMeasurementVectorSize(1);
  H::SizeType size(1);
  size[0] = static_cast<H::SizeValueType>(bins);
  h->Initialize(size);
  for (int b = 0; b < bins; ++b) {
    h->SetBinMin(0, b, mn + b * w);
    h->SetBinMax(0, b, b + 1 < bins ? mn + (b + 1) * w : mx);
  }
  H::MeasurementVectorType mv(1);
  H::IndexType idx(1);
  for (size_t i = 0; i < counts.size(); ++i) {
    if (!counts[i]) continue;
    mv[0] = mn + static_cast<double>(i);
    ASSERT_TRUE(h->GetIndex(mv, idx)) << mv[0];
    h->IncreaseFrequencyOfIndex(idx, static_cast<H::AbsoluteFrequencyType>(counts[i]));
  }
  auto calc = itk::OtsuMultipleThresholdsCalculator<H>::New();
  calc->SetInputHistogram(h);
  calc->SetNumberOfThresholds(classes - 1);
  calc->Compute();
  const auto theirs = calc->GetOutput();  // the upper edges of the classes' last bins
  ASSERT_EQ(theirs.size(), ours->thresholds.size());
  for (size_t i = 0; i < theirs.size(); ++i)
    EXPECT_EQ(ours->thresholds[i], theirs[i]) << bins << " bins, threshold " << i;
  int64_t differ = 0;
  for (int64_t i = 0; i < v.voxelsPerPhase(); ++i) {
    uint8_t c = 0;
    for (double t : theirs) c += p[i] >= t;
    differ += ours->labels->as<uint8_t>()[i] != c;
  }
  EXPECT_EQ(differ, 0) << bins << " bins, " << classes << " classes";
}

TEST(ItkOtsu, CalculatorOnTheSameBinsPhantom) {
  auto v = modes(8);
  for (const int bins : {64, 100, 128, 256, 1000}) {
    expectCalculatorMatch<int16_t>(*v, 2, bins);
    expectCalculatorMatch<int16_t>(*v, 3, bins);
  }
}

TEST(ItkOtsu, CalculatorOnTheSameBinsCt) {
  CVX_REQUIRE_CT();
  for (const int bins : {128, 200}) {
    expectCalculatorMatch<uint16_t>(*ct(), 2, bins);
    expectCalculatorMatch<uint16_t>(*ct(), 3, bins);
  }
}

}  // namespace
}  // namespace cvx::test
