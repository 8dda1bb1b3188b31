// SPDX-License-Identifier: MIT
// What every ray-casting launch copies to the device besides the voxels: the transfer functions,
// the brick map, the 2D table and the scene depth; p and tf are rewritten to point at the copies
// (private to the cuda module: raycast.cu, raycast_slabs.cu).
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include <cvx/core/error.h>
#include <cvx/core/hd/raycast.h>

#include "check.h"

namespace cvx::cuda::detail {

// Copies n bytes of host memory into d (its allocation kept when large enough) and returns where
// they are on the device: null for a null source or n == 0. cudaMemcpy waits for the work before
// it on the device, so a table still read by the last frame's kernel is not overwritten early.
template <class T>
inline Status upload(DeviceBytes& d, const T* host, size_t n, const T*& device) {
  device = nullptr;
  if (!host || n == 0) return {};
  CVX_CUDA_TRY(d.reserve(n));
  CVX_CUDA_TRY(cudaMemcpy(d.p, host, n, cudaMemcpyHostToDevice));
  device = static_cast<const T*>(d.p);
  return {};
}

// A texture object over a transfer-function table on the device (hd::tfNodeAt fetches its nodes
// through it: issue 11, "the transfer function in texture or shared memory"), remade only when the
// table's address or size changes. Unfiltered 128-bit texels: the same nodes as a load.
struct TableTexture {
  cudaTextureObject_t tex = 0;
  const void* p = nullptr;
  size_t bytes = 0;
  uint64_t generation = 0;  // of the DeviceBytes it reads (a buffer freed and made again is another)
  uint64_t made = 0;        // texture objects made so far (tests: the fetches are textures)
  TableTexture() = default;
  TableTexture(const TableTexture&) = delete;
  TableTexture& operator=(const TableTexture&) = delete;
  ~TableTexture() { reset(); }
  void reset() {
    if (tex) cudaDestroyTextureObject(tex);
    tex = 0, p = nullptr, bytes = 0, generation = 0;
  }
  // The texture over the first n bytes of nodes in d (table: d.p, or null for none); 0 for no table,
  // for one past the 1D linear texture's 2^27 texels, or when the device refuses (its error cleared:
  // the loads serve).
  unsigned long long of(const DeviceBytes& d, const void* table, size_t n) {
    if (!table || n == 0 || n / sizeof(hd::TfNode) > (size_t{1} << 27)) return 0;
    if (tex && p == table && bytes == n && generation == d.generation) return tex;
    reset();
    cudaResourceDesc res{};
    res.resType = cudaResourceTypeLinear;
    res.res.linear.devPtr = const_cast<void*>(table);
    res.res.linear.desc = cudaCreateChannelDesc<float4>();
    res.res.linear.sizeInBytes = n;
    cudaTextureDesc td{};
    td.readMode = cudaReadModeElementType;
    if (cudaCreateTextureObject(&tex, &res, &td, nullptr) != cudaSuccess) {
      (void)cudaGetLastError();
      tex = 0;
      return 0;
    }
    p = table, bytes = n, generation = d.generation;
    ++made;
    return tex;
  }
};

// Whether the transfer functions are read through textures (TableTexture): yes unless
// CVX_CUDA_TF=global (plain loads through the read-only cache; bench_render_gpu compares both).
// Read at every frame, so that one process can measure both.
bool tableTextures();

// The tables a frame reads, kept between frames (ResidentCache) so that a frame allocates nothing.
struct DeviceTables {
  DeviceBytes nodes, integral, tf2, bricks, brickRange, depthIn, nodes2, integral2, fusedTf2;
  TableTexture nodesTex, integralTex, tf2Tex, nodes2Tex, integral2Tex, fusedTf2Tex;
  uint64_t texturesMade() const {
    return nodesTex.made + integralTex.made + tf2Tex.made + nodes2Tex.made + integral2Tex.made + fusedTf2Tex.made;
  }
  void resetTextures() {
    for (TableTexture* t : {&nodesTex, &integralTex, &tf2Tex, &nodes2Tex, &integral2Tex, &fusedTf2Tex}) t->reset();
  }
  uint64_t brickStamp = 0;  // the brick map's stamp (hd::BrickMap::stamp) that bricks and brickRange hold
};

// The brick map's skip entries and ranges, copied only when its stamp is 0 or another than the
// copy's (a 512^3 map is 16 MB of each: copied every frame they cost more than the frame's rays).
inline Status uploadBricks(hd::BrickMap& m, DeviceTables& d) {
  const size_t bricks = static_cast<size_t>(m.bx) * m.by * m.bz;
  if (m.stamp != 0 && m.stamp == d.brickStamp) {
    if (m.skip) m.skip = static_cast<const uint8_t*>(d.bricks.p);
    if (m.range) m.range = static_cast<const float*>(d.brickRange.p);
    return {};
  }
  d.brickStamp = 0;  // until both copies are complete
  CVX_TRY(upload(d.bricks, m.skip, hd::kSkipOctants * bricks, m.skip));
  CVX_TRY(upload(d.brickRange, m.range, 2 * bricks * sizeof(float), m.range));
  // Kept only when both are there: a later frame with the same stamp may read either.
  if (m.skip && m.range) d.brickStamp = m.stamp;
  return {};
}

// fused: p.fusion's transfer functions (1D and 2D) are copied too. p and tf are rewritten to point at
// the copies.
inline Status uploadTables(hd::RaycastParams& p, hd::TransferFunction1D& tf, bool fused, size_t pixels,
                           DeviceTables& d) {
  const size_t tfBytes = static_cast<size_t>(tf.n) * sizeof(hd::TfNode);
  const size_t tf2Bytes =
      p.tf2.nodes ? static_cast<size_t>(p.tf2.nv) * static_cast<size_t>(p.tf2.ng) * sizeof(hd::TfNode) : 0;
  if (fused) {
    hd::TransferFunction1D& f = p.fusion.tf;
    const size_t bytes2 = static_cast<size_t>(f.n) * sizeof(hd::TfNode);
    CVX_TRY(upload(d.nodes2, f.nodes, bytes2, f.nodes));
    CVX_TRY(upload(d.integral2, f.integral, bytes2, f.integral));
    hd::TransferFunction2D& f2 = p.fusion.tf2;
    const size_t bytes2d = f2.nodes ? static_cast<size_t>(f2.nv) * static_cast<size_t>(f2.ng) * sizeof(hd::TfNode) : 0;
    CVX_TRY(upload(d.fusedTf2, f2.nodes, bytes2d, f2.nodes));
  }
  CVX_TRY(upload(d.nodes, tf.nodes, tfBytes, tf.nodes));
  CVX_TRY(upload(d.integral, tf.integral, tfBytes, tf.integral));
  CVX_TRY(uploadBricks(p.bricks, d));
  CVX_TRY(upload(d.tf2, p.tf2.nodes, tf2Bytes, p.tf2.nodes));
  CVX_TRY(upload(d.depthIn, p.depthIn, pixels * sizeof(float), p.depthIn));
  if (tableTextures()) {
    tf.nodesTex = d.nodesTex.of(d.nodes, tf.nodes, tfBytes);
    tf.integralTex = d.integralTex.of(d.integral, tf.integral, tfBytes);
    p.tf2.tex = d.tf2Tex.of(d.tf2, p.tf2.nodes, tf2Bytes);
    if (fused) {
      hd::TransferFunction1D& f = p.fusion.tf;
      const size_t bytes2 = static_cast<size_t>(f.n) * sizeof(hd::TfNode);
      f.nodesTex = d.nodes2Tex.of(d.nodes2, f.nodes, bytes2);
      f.integralTex = d.integral2Tex.of(d.integral2, f.integral, bytes2);
      hd::TransferFunction2D& f2 = p.fusion.tf2;
      const size_t bytes2d =
          f2.nodes ? static_cast<size_t>(f2.nv) * static_cast<size_t>(f2.ng) * sizeof(hd::TfNode) : 0;
      f2.tex = d.fusedTf2Tex.of(d.fusedTf2, f2.nodes, bytes2d);
    }
  } else {
    d.resetTextures();  // none kept over buffers these frames may reallocate
    tf.nodesTex = tf.integralTex = p.tf2.tex = 0;
    p.fusion.tf.nodesTex = p.fusion.tf.integralTex = p.fusion.tf2.tex = 0;
  }
  return {};
}

// The image a launch writes on the device, copied back into the caller's buffers.
// allocate keeps the buffers when they are large enough (a resident renderer's frames).
struct DeviceImage {
  DeviceBytes rgba, depth, value;
  size_t pixels = 0;
  Status allocate(size_t n) {
    pixels = 0;
    CVX_CUDA_TRY(rgba.reserve(n * sizeof(float4)));
    CVX_CUDA_TRY(depth.reserve(n * sizeof(float)));
    CVX_CUDA_TRY(value.reserve(n * sizeof(float)));
    pixels = n;
    return {};
  }
  float4* rgbaOut() const { return static_cast<float4*>(rgba.p); }
  float* depthOut() const { return static_cast<float*>(depth.p); }
  float* valueOut() const { return static_cast<float*>(value.p); }
  Status download(float* hostRgba, float* hostDepth, float* hostValue) const {
    CVX_CUDA_TRY(cudaMemcpy(hostRgba, rgba.p, pixels * sizeof(float4), cudaMemcpyDeviceToHost));
    if (hostDepth) CVX_CUDA_TRY(cudaMemcpy(hostDepth, depth.p, pixels * sizeof(float), cudaMemcpyDeviceToHost));
    if (hostValue) CVX_CUDA_TRY(cudaMemcpy(hostValue, value.p, pixels * sizeof(float), cudaMemcpyDeviceToHost));
    return {};
  }
};

// Pixel i of a kernel's result.
__device__ inline void storePixel(const hd::PixelResult& r, size_t i, float4* rgba, float* depth, float* value) {
  rgba[i] = make_float4(r.colour.r, r.colour.g, r.colour.b, r.colour.a);
  depth[i] = r.depth;
  value[i] = r.value;
}

}  // namespace cvx::cuda::detail
