// SPDX-License-Identifier: MIT
// One thread per output pixel running core/hd/reslice.h: the function the CPU back end runs.
#include <cvx/core/backend.h>
#include <cvx/core/hd/reslice.h>
#include <cvx/cuda/device.h>
#include <cvx/cuda/reslice.h>
#include <cvx/core/reslice.h>

#include <cuda_runtime.h>

#include <string>

#include "check.h"

namespace cvx::cuda {
namespace {

template <class T>
__global__ void resliceKernel(hd::ResliceParams p, hd::GridSampler<T> s, int width, int height, float* out) {
  const int x = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int y = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (x < width && y < height) out[static_cast<size_t>(y) * width + x] = hd::reslicePixel(p, s, x, y);
}

template <class T>
Status launch(const Volume& v, int64_t phase, const hd::ResliceParams& p, int width, int height, float* out) {
  const size_t voxelBytes = static_cast<size_t>(v.voxelsPerPhase()) * bytesPerVoxel(v.type());
  const size_t outBytes = static_cast<size_t>(width) * static_cast<size_t>(height) * sizeof(float);
  detail::DeviceBytes dVoxels, dOut;
  CVX_CUDA_TRY(cudaMalloc(&dVoxels.p, voxelBytes));
  CVX_CUDA_TRY(cudaMalloc(&dOut.p, outBytes));
  CVX_CUDA_TRY(cudaMemcpy(dVoxels.p, v.slice(0, phase), voxelBytes, cudaMemcpyHostToDevice));
  const hd::GridSampler<T> s = gridSampler(v, static_cast<const T*>(dVoxels.p));
  const dim3 block(16, 16);
  const dim3 grid((width + block.x - 1) / block.x, (height + block.y - 1) / block.y);
  resliceKernel<T><<<grid, block>>>(p, s, width, height, static_cast<float*>(dOut.p));
  CVX_CUDA_TRY(cudaGetLastError());
  CVX_CUDA_TRY(cudaMemcpy(out, dOut.p, outBytes, cudaMemcpyDeviceToHost));
  return {};
}

Error badRequest(std::string message) { return makeError("render.bad_request", std::move(message)); }

}  // namespace

Status reslice(const Volume& v, int64_t phase, const hd::ResliceParams& p, int width, int height, float* out) {
  CVX_TRY(checkImageRequest(v, phase, width, height, out));
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  switch (v.type()) {
    case PixelType::UInt8: return launch<uint8_t>(v, phase, p, width, height, out);
    case PixelType::Int16: return launch<int16_t>(v, phase, p, width, height, out);
    case PixelType::UInt16: return launch<uint16_t>(v, phase, p, width, height, out);
    case PixelType::Float32: return launch<float>(v, phase, p, width, height, out);
    case PixelType::RGB8: return launch<hd::Rgb<uint8_t>>(v, phase, p, width, height, out);
    case PixelType::RGB16: return launch<hd::Rgb<uint16_t>>(v, phase, p, width, height, out);
    case PixelType::RGB32: return launch<hd::Rgb<uint32_t>>(v, phase, p, width, height, out);
    default: break;
  }
  return badRequest(std::string("no reslice for pixel type ") + toString(v.type()));
}

}  // namespace cvx::cuda
