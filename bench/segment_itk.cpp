// SPDX-License-Identifier: MIT
// ITK's filters for bench_segment. A filter is made afresh for every run (so that Update()
// computes), on the image copied once; only Update() is timed.
#include "segment_itk.h"

#include <chrono>
#include <limits>

#include <itkBinaryDilateImageFilter.h>
#include <itkBinaryThresholdImageFilter.h>
#include <itkConnectedThresholdImageFilter.h>
#include <itkMultiThreaderBase.h>
#include <itkOtsuThresholdImageFilter.h>

#include "itk_seg_common.h"
#include "segment_mem.h"

namespace cvx::bench {

using test::Img;
using Mask = Img<uint8_t>;

struct ItkPeer::Impl {
  PixelType type = PixelType::UInt8;
  Img<int16_t>::Pointer s16;
  Img<uint16_t>::Pointer u16;
  Mask::Pointer mask;
};

namespace {

int64_t countForeground(const Mask* m) {
  const uint8_t* p = m->GetBufferPointer();
  const int64_t n = static_cast<int64_t>(m->GetBufferedRegion().GetNumberOfPixels());
  int64_t c = 0;
  for (int64_t i = 0; i < n; ++i) c += p[i] != 0;
  return c;
}

// Runs filter->Update() timed and with the peak probe, then counts its output's foreground.
template <class F>
ItkRun timedUpdate(F* filter) {
  ItkRun r;
  PeakProbe probe;
  probe.start();
  const auto t0 = std::chrono::steady_clock::now();
  filter->Update();
  r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  r.peakGrowth = probe.growth();
  r.count = countForeground(filter->GetOutput());
  return r;
}

template <class T>
ItkRun thresholdOf(typename Img<T>::Pointer in, int64_t lo, int64_t hi) {
  auto f = itk::BinaryThresholdImageFilter<Img<T>, Mask>::New();
  f->SetInput(in);
  f->SetLowerThreshold(static_cast<T>(lo));  // inclusive, as cvx's
  f->SetUpperThreshold(static_cast<T>(hi));
  f->SetInsideValue(1);
  f->SetOutsideValue(0);
  return timedUpdate(f.GetPointer());
}

template <class T>
ItkRun connectedOf(typename Img<T>::Pointer in, const seg::Index3& s, int64_t lo, int64_t hi, int conn) {
  auto f = itk::ConnectedThresholdImageFilter<Img<T>, Mask>::New();
  f->SetInput(in);
  f->SetLower(static_cast<T>(lo));
  f->SetUpper(static_cast<T>(hi));
  f->SetReplaceValue(1);
  f->SetConnectivity(conn == 26 ? itk::ConnectedThresholdImageFilterEnums::Connectivity::FullConnectivity
                                : itk::ConnectedThresholdImageFilterEnums::Connectivity::FaceConnectivity);
  f->AddSeed({{s.x, s.y, s.z}});
  return timedUpdate(f.GetPointer());
}

template <class T>
ItkRun otsuOf(typename Img<T>::Pointer in, int bins, double* threshold) {
  auto f = itk::OtsuThresholdImageFilter<Img<T>, Mask>::New();
  f->SetInput(in);
  f->SetNumberOfHistogramBins(static_cast<unsigned>(bins));
  f->SetAutoMinimumMaximum(true);
  f->SetInsideValue(0);  // v <= T: the lower class
  f->SetOutsideValue(1);
  ItkRun r = timedUpdate(f.GetPointer());
  if (threshold) *threshold = static_cast<double>(f->GetThreshold());
  return r;
}

}  // namespace

ItkPeer::ItkPeer(const Volume& v) : impl_(std::make_unique<Impl>()) {
  impl_->type = v.type();
  if (v.type() == PixelType::Int16) impl_->s16 = test::toItk<int16_t>(v);
  if (v.type() == PixelType::UInt16) impl_->u16 = test::toItk<uint16_t>(v);
}

ItkPeer::~ItkPeer() = default;

bool ItkPeer::ok() const { return impl_->s16 || impl_->u16; }

void ItkPeer::setThreads(unsigned n) { itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(n); }

unsigned ItkPeer::threads() { return itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads(); }

ItkRun ItkPeer::threshold(int64_t lo, int64_t hi) {
  return impl_->s16 ? thresholdOf<int16_t>(impl_->s16, lo, hi) : thresholdOf<uint16_t>(impl_->u16, lo, hi);
}

ItkRun ItkPeer::connectedThreshold(const seg::Index3& seed, int64_t lo, int64_t hi, int connectivity) {
  return impl_->s16 ? connectedOf<int16_t>(impl_->s16, seed, lo, hi, connectivity)
                    : connectedOf<uint16_t>(impl_->u16, seed, lo, hi, connectivity);
}

ItkRun ItkPeer::otsu(int bins, double* threshold) {
  return impl_->s16 ? otsuOf<int16_t>(impl_->s16, bins, threshold)
                    : otsuOf<uint16_t>(impl_->u16, bins, threshold);
}

void ItkPeer::setMask(const Volume& mask) { impl_->mask = test::toItk<uint8_t>(mask); }

ItkRun ItkPeer::dilate(const std::vector<seg::Index3>& ball) {
  const test::SE se = test::seFromOffsets(ball);
  auto f = itk::BinaryDilateImageFilter<Mask, Mask, test::SE>::New();
  f->SetInput(impl_->mask);
  f->SetKernel(se);
  f->SetForegroundValue(1);
  f->SetBackgroundValue(0);
  return timedUpdate(f.GetPointer());
}

}  // namespace cvx::bench
