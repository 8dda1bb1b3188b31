// SPDX-License-Identifier: MIT
// The ITK peer of bench_ingest: GDCMSeriesFileNames + ImageSeriesReader + GDCMImageIO.
// Kept in one translation unit (itk_reader.cpp) because ITK's templates are slow to compile.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace cvx::bench {

struct ItkSeries {
  std::vector<int16_t> voxels;      // x fastest, then y, z (ITK's slice order)
  std::array<uint64_t, 3> size{};   // x, y, z
  std::array<double, 3> origin{};   // first voxel centre (LPS, mm)
  std::array<double, 3> spacing{};
  std::string error;                // empty on success
};

// Sets ITK's global default number of threads (MultiThreaderBase) and returns what ITK reports.
unsigned setItkThreads(unsigned threads);

// Reads the first series of a folder the way an ITK application does. With keepVoxels false the
// image is dropped after the read (timing runs); true copies the voxels out (verification).
ItkSeries itkReadSeries(const std::string& folder, bool keepVoxels);

}  // namespace cvx::bench
