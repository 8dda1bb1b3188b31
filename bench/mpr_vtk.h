// SPDX-License-Identifier: MIT
// bench_mpr's peer: VTK's vtkImageReslice + vtkImageMapToWindowLevelColors on the same voxels (no
// copy), plane, output grid, slab sampling and thread count as CineVox. The only unit with VTK headers.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/geometry.h>
#include <cvx/core/volume.h>

namespace cvx::bench {

// One output image: a plane in patient space (LPS mm) as CineVox's PixelFrame has it, and the slab.
struct MprFrame {
  Vec3 origin;  // pixel (0, 0)'s centre, on the slab's central plane
  Vec3 du, dv;  // mm per pixel, right and down (orthogonal)
  int width = 0, height = 0;
  int slabSamples = 1;     // along the plane normal, centred on the plane
  double slabStepMm = 0;   // between slab samples
};

class VtkMpr {
 public:
  // Wraps phase 0 of v (int16 or uint16, a grid that is not sheared) without copying it. The window
  // is in modality units (as DisplayMapping); VTK gets it in stored units.
  VtkMpr(const Volume& v, unsigned threads, double windowCenter, double windowWidth);
  ~VtkMpr();
  VtkMpr(const VtkMpr&) = delete;
  VtkMpr& operator=(const VtkMpr&) = delete;

  // Empty when usable; else why not.
  const std::string& error() const;
  // Reslices (linear, slab MIP when f.slabSamples > 1) and maps the window to RGBA.
  void draw(const MprFrame& f);
  // vtkImageReslice's Optimization (on by default, and while timing): its permuted-axes path for
  // planes along the grid. VTK 9.1's takes a slab's samples elsewhere than its general path does
  // (the agreement check of an axis-aligned slab is made with it off; docs/benchmarks.md).
  void setOptimization(bool on);
  // The last reslice as modality values, NaN where VTK filled in its background.
  std::vector<float> values() const;
  // The last RGBA image (4 bytes a pixel, row by row from pixel row 0).
  const uint8_t* rgba() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace cvx::bench
