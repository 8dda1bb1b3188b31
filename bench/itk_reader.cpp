// SPDX-License-Identifier: MIT
// ITK reference reader for bench_ingest (the only ITK translation unit of the benchmark).
#include "itk_reader.h"

#include <itkGDCMImageIO.h>
#include <itkGDCMSeriesFileNames.h>
#include <itkImage.h>
#include <itkImageSeriesReader.h>
#include <itkMultiThreaderBase.h>

#include <algorithm>
#include <exception>

namespace cvx::bench {

unsigned setItkThreads(unsigned threads) {
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(threads);
  itk::MultiThreaderBase::SetGlobalMaximumNumberOfThreads(std::max(threads, 1u));
  return itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads();
}

ItkSeries itkReadSeries(const std::string& folder, bool keepVoxels) {
  using Image = itk::Image<int16_t, 3>;
  ItkSeries out;
  try {
    auto names = itk::GDCMSeriesFileNames::New();
    names->SetUseSeriesDetails(true);
    names->SetDirectory(folder);
    const auto& uids = names->GetSeriesUIDs();
    if (uids.empty()) {
      out.error = "ITK found no series in " + folder;
      return out;
    }
    auto reader = itk::ImageSeriesReader<Image>::New();
    reader->SetImageIO(itk::GDCMImageIO::New());
    reader->SetFileNames(names->GetFileNames(uids.front()));
    reader->Update();
    Image* img = reader->GetOutput();
    const auto region = img->GetLargestPossibleRegion().GetSize();
    for (int d = 0; d < 3; ++d) {
      out.size[d] = region[d];
      out.origin[d] = img->GetOrigin()[d];
      out.spacing[d] = img->GetSpacing()[d];
    }
    if (keepVoxels) {
      const size_t n = size_t(region[0]) * region[1] * region[2];
      out.voxels.assign(img->GetBufferPointer(), img->GetBufferPointer() + n);
    }
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace cvx::bench
