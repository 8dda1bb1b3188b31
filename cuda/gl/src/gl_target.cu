// SPDX-License-Identifier: MIT
#include <cvx/core/hd/window.h>
#include <cvx/core/log.h>
#include <cvx/cuda/device.h>
#include <cvx/cuda/gl_target.h>

#include <GL/gl.h>
#include <cuda_gl_interop.h>
#include <cuda_runtime.h>

#include <string>
#include <vector>

#include "../../src/check.h"  // the cuda module's cudaFault, CVX_CUDA_TRY and DeviceBytes

namespace cvx::cuda {
namespace {

using detail::cudaFault;

__device__ uchar4 texel(float4 c) {
  return make_uchar4(hd::displayByte(c.x), hd::displayByte(c.y), hd::displayByte(c.z), 255);
}

__global__ void toSurface(const float4* in, int width, int height, cudaSurfaceObject_t out) {
  const int x = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int y = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (x >= width || y >= height) return;
  surf2Dwrite(texel(in[static_cast<size_t>(y) * width + x]), out, x * static_cast<int>(sizeof(uchar4)), y);
}

__global__ void toBytes(const float4* in, int width, int height, uchar4* out) {
  const int x = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int y = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (x >= width || y >= height) return;
  const size_t i = static_cast<size_t>(y) * width + x;
  out[i] = texel(in[i]);
}

}  // namespace

struct GlTarget::Impl {
  unsigned texture = 0;
  int width = 0, height = 0;
  cudaGraphicsResource_t resource = nullptr;
  std::string why;
  detail::DeviceBytes bytes;  // the host path's device staging
  std::vector<uchar4> host;
};

GlTarget::GlTarget() : impl_(new Impl()) {}
GlTarget::~GlTarget() { detach(); }

bool GlTarget::attached() const { return impl_->texture != 0; }
bool GlTarget::interop() const { return impl_->resource != nullptr; }
const std::string& GlTarget::why() const { return impl_->why; }

void GlTarget::detach() {
  if (impl_->resource) cudaGraphicsUnregisterResource(impl_->resource);
  impl_->bytes.reset();
  impl_->resource = nullptr;
  impl_->texture = 0;
  impl_->host.clear();
}

Status GlTarget::attach(unsigned texture, int width, int height, bool interop) {
  detach();
  if (texture == 0 || width <= 0 || height <= 0 || width > 16384 || height > 16384)
    return makeError("render.bad_request", "no texture, or a size outside 1..16384");
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  impl_->texture = texture, impl_->width = width, impl_->height = height;
  impl_->why.clear();
  if (!interop) {
    impl_->why = "interop not asked for";
    return {};
  }
  const cudaError_t e = cudaGraphicsGLRegisterImage(&impl_->resource, texture, GL_TEXTURE_2D,
                                                    cudaGraphicsRegisterFlagsSurfaceLoadStore |
                                                        cudaGraphicsRegisterFlagsWriteDiscard);
  if (e != cudaSuccess) {
    (void)cudaGetLastError();
    impl_->resource = nullptr;
    impl_->why = std::string("the texture cannot be registered with CUDA (") + cudaGetErrorName(e) +
                 "): frames go through the host";
    log::info("cuda gl: " + impl_->why);
  }
  return {};
}

Status GlTarget::write(const float* deviceRgba) {
  Impl& m = *impl_;
  if (!m.texture || !deviceRgba) return makeError("render.bad_request", "no texture attached, or no image");
  const auto* in = reinterpret_cast<const float4*>(deviceRgba);
  const dim3 block(16, 8);
  const dim3 grid((m.width + block.x - 1) / block.x, (m.height + block.y - 1) / block.y);
  if (m.resource) {
    CVX_CUDA_TRY(cudaGraphicsMapResources(1, &m.resource));
    cudaArray_t array = nullptr;
    cudaError_t e = cudaGraphicsSubResourceGetMappedArray(&array, m.resource, 0, 0);
    cudaSurfaceObject_t surface = 0;
    if (e == cudaSuccess) {
      cudaResourceDesc desc{};
      desc.resType = cudaResourceTypeArray;
      desc.res.array.array = array;
      e = cudaCreateSurfaceObject(&surface, &desc);
    }
    if (e == cudaSuccess) {
      toSurface<<<grid, block>>>(in, m.width, m.height, surface);
      e = cudaGetLastError();
      cudaDestroySurfaceObject(surface);
    }
    const cudaError_t u = cudaGraphicsUnmapResources(1, &m.resource);  // waits for the kernel
    if (e != cudaSuccess) return cudaFault(e, "writing the mapped texture");
    if (u != cudaSuccess) return cudaFault(u, "cudaGraphicsUnmapResources");
    return {};
  }
  const size_t pixels = static_cast<size_t>(m.width) * static_cast<size_t>(m.height);
  CVX_CUDA_TRY(m.bytes.reserve(pixels * sizeof(uchar4)));
  toBytes<<<grid, block>>>(in, m.width, m.height, static_cast<uchar4*>(m.bytes.p));
  CVX_CUDA_TRY(cudaGetLastError());
  m.host.resize(pixels);
  CVX_CUDA_TRY(cudaMemcpy(m.host.data(), m.bytes.p, pixels * sizeof(uchar4), cudaMemcpyDeviceToHost));
  glBindTexture(GL_TEXTURE_2D, m.texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, m.width, m.height, GL_RGBA, GL_UNSIGNED_BYTE, m.host.data());
  if (const GLenum g = glGetError(); g != GL_NO_ERROR)
    return makeError("render.gl_error", "glTexSubImage2D failed with GL error " + std::to_string(g));
  return {};
}

}  // namespace cvx::cuda
