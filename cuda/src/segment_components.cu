// SPDX-License-Identifier: MIT
// Connected components on the GPU with cvx::seg::labelComponents' labels. Union-find over voxel
// indices: every foreground voxel starts as its own root; each one unites with its foreground
// neighbours that come before it in raster order (6: -x, -y, -z; 26: the 13 of the 3x3x3 block
// before the centre), linking always the larger root under the smaller with atomicMin (retrying
// when another thread linked first), so a root is always the smallest index of its set: at the
// end, each component's root is its first voxel in raster order, whatever the order of the
// atomics. Then every voxel takes its root (path walk), roots are numbered by an inclusive prefix
// sum over "is a root" in raster order (CUB), which is the CPU's numbering (raster order of each
// component's first voxel), and each voxel takes its root's number; sizes by atomics.
//
// Fill holes unites the background instead (the same kernels with `flip`), marks the roots of the
// background voxels on the volume's border as outside, and writes 1 everywhere but on background
// whose root is outside: the CPU's rule (cvx::seg::fillHoles), which is a property of the sets,
// not of their numbering, so no prefix sum is needed.
#include <cub/device/device_scan.cuh>

#include "segment_detail.h"

namespace cvx::cuda::seg {

using namespace detail;

namespace {

constexpr int kThreads = 256;

struct Grid {
  int nx, ny, nz;
};

// The voxels that are labelled: the foreground, or with flip the background.
__device__ __forceinline__ bool member(uint8_t v, bool flip) { return (v != 0) != flip; }

__global__ void initKernel(const uint8_t* __restrict__ m, int n, bool flip, int* __restrict__ parent) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    parent[i] = member(m[i], flip) ? i : -1;
}

__device__ int findRoot(const int* parent, int i) {
  int p = parent[i];
  while (p != i) {
    i = p;
    p = parent[i];
  }
  return i;
}

__device__ void unite(int* parent, int a, int b) {
  for (;;) {
    a = findRoot(parent, a);
    b = findRoot(parent, b);
    if (a == b) return;
    if (a > b) {
      const int t = a;
      a = b;
      b = t;
    }
    const int old = atomicMin(&parent[b], a);  // link root b under the smaller root a
    if (old == b) return;                      // b was still a root: linked
    b = old;                                   // b was linked meanwhile: retry from there
  }
}

template <int Conn>
__global__ void uniteKernel(const uint8_t* __restrict__ m, Grid g, bool flip, int* parent) {
  const int n = g.nx * g.ny * g.nz, slice = g.nx * g.ny;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    if (!member(m[i], flip)) continue;
    const int z = i / slice, y = (i % slice) / g.nx, x = i % g.nx;
    for (int dz = -1; dz <= 0; ++dz)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          if (dz == 0 && (dy > 0 || (dy == 0 && dx >= 0))) continue;  // only neighbours before i
          if (Conn == 6 && (dx != 0) + (dy != 0) + (dz != 0) != 1) continue;
          const int xx = x + dx, yy = y + dy, zz = z + dz;
          if (xx < 0 || yy < 0 || zz < 0 || xx >= g.nx || yy >= g.ny) continue;
          const int j = i + dz * slice + dy * g.nx + dx;
          if (member(m[j], flip)) unite(parent, i, j);
        }
  }
}

// parent[i] = root; isRoot[i] = 1 for roots.
__global__ void flattenKernel(int n, int* parent, unsigned* __restrict__ isRoot) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    const int p = parent[i];
    isRoot[i] = p == i ? 1u : 0u;
    if (p >= 0) parent[i] = findRoot(parent, i);
  }
}

// labels[i] = number of i's root (0: background); sizes.
__global__ void numberKernel(int n, const int* __restrict__ parent, const unsigned* __restrict__ number,
                             unsigned* __restrict__ labels, unsigned long long* __restrict__ voxels) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    const int p = parent[i];
    const unsigned l = p >= 0 ? number[p] : 0u;
    labels[i] = l;
    atomicAdd(&voxels[l], 1ull);
  }
}

// The labelling on the device: labels (n uint32, 0 = background) and the component sizes.
struct DeviceLabels {
  DeviceBytes parent, root, number, voxels, temp;
  unsigned* labels = nullptr;  // = root's buffer, overwritten
  std::vector<int64_t> sizes;  // [0]: background
};

// The union-find forest of the foreground (or, with flip, the background) of m: parent (n ints,
// allocated by the caller) holds -1 off the set, a link towards the root on it, the root being
// the smallest index of its component.
Status uniteOnDevice(const uint8_t* m, const Grid& g, int connectivity, bool flip, int* parent) {
  const int n = g.nx * g.ny * g.nz;
  const unsigned grid = blocksFor(n, kThreads, 1u << 16);
  initKernel<<<grid, kThreads>>>(m, n, flip, parent);
  if (connectivity == 6)
    uniteKernel<6><<<grid, kThreads>>>(m, g, flip, parent);
  else
    uniteKernel<26><<<grid, kThreads>>>(m, g, flip, parent);
  CVX_CUDA_TRY(cudaGetLastError());
  return {};
}

Status labelOnDevice(const uint8_t* m, const Grid& g, int connectivity, DeviceLabels& d) {
  const int n = g.nx * g.ny * g.nz;
  CVX_CUDA_TRY(cudaMalloc(&d.parent.p, sizeof(int) * n));
  CVX_CUDA_TRY(cudaMalloc(&d.root.p, sizeof(unsigned) * n));
  CVX_CUDA_TRY(cudaMalloc(&d.number.p, sizeof(unsigned) * n));
  auto* parent = static_cast<int*>(d.parent.p);
  auto* isRoot = static_cast<unsigned*>(d.root.p);
  auto* number = static_cast<unsigned*>(d.number.p);
  size_t tempBytes = 0;
  CVX_CUDA_TRY(cub::DeviceScan::InclusiveSum(nullptr, tempBytes, isRoot, number, n));
  CVX_CUDA_TRY(cudaMalloc(&d.temp.p, tempBytes));
  const unsigned grid = blocksFor(n, kThreads, 1u << 16);
  CVX_TRY(uniteOnDevice(m, g, connectivity, false, parent));
  flattenKernel<<<grid, kThreads>>>(n, parent, isRoot);
  CVX_CUDA_TRY(cudaGetLastError());
  CVX_CUDA_TRY(cub::DeviceScan::InclusiveSum(d.temp.p, tempBytes, isRoot, number, n));
  unsigned count = 0;
  CVX_CUDA_TRY(cudaMemcpy(&count, number + (n - 1), sizeof count, cudaMemcpyDeviceToHost));
  CVX_CUDA_TRY(cudaMalloc(&d.voxels.p, sizeof(unsigned long long) * (count + 1)));
  CVX_CUDA_TRY(cudaMemset(d.voxels.p, 0, sizeof(unsigned long long) * (count + 1)));
  // The labels overwrite isRoot (no longer needed).
  numberKernel<<<grid, kThreads>>>(n, parent, number, isRoot, static_cast<unsigned long long*>(d.voxels.p));
  CVX_CUDA_TRY(cudaGetLastError());
  d.labels = isRoot;
  std::vector<unsigned long long> sizes(count + 1);
  CVX_CUDA_TRY(
      cudaMemcpy(sizes.data(), d.voxels.p, sizeof(unsigned long long) * (count + 1), cudaMemcpyDeviceToHost));
  d.sizes.assign(sizes.begin(), sizes.end());
  return {};
}

Status checkLabelInput(const Volume& mask, int connectivity) {
  CVX_TRY(seginputs::mask(mask));
  CVX_TRY(seginputs::connectivity(connectivity));
  const int64_t n64 = mask.voxelsPerPhase();
  if (n64 >= (int64_t{1} << 31))
    return makeError("cuda.too_large",
                     std::to_string(n64) + " voxels: the GPU labelling indexes with 32 bits");
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  return {};
}

Grid gridOf(const Volume& v) {
  return {static_cast<int>(v.dims()[0]), static_cast<int>(v.dims()[1]), static_cast<int>(v.dims()[2])};
}

__global__ void keepKernel(int n, const unsigned* __restrict__ labels, const uint8_t* __restrict__ keep,
                           uint8_t* __restrict__ out) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    out[i] = keep[labels[i]];
}

// A mask in, a mask out, through the device: the checks, the mask up, run(dMask, grid) on the
// device writing the result over the mask's buffer, the result down. run synchronises before its
// own buffers go (a kernel's fault is then its cuda.fault).
template <class Run>
Result<VolumePtr> maskThroughDevice(const Volume& mask, int connectivity, Timing* timing, Run&& run) {
  CVX_TRY(checkLabelInput(mask, connectivity));
  auto out = makeMask(mask);
  if (!out.ok()) return out.error();
  const int n = static_cast<int>(mask.voxelsPerPhase());
  if (n == 0) return out;
  DeviceBytes dMask;
  CVX_CUDA_TRY(cudaMalloc(&dMask.p, static_cast<size_t>(n)));
  Stages st;
  st.mark(0);
  CVX_CUDA_TRY(cudaMemcpy(dMask.p, mask.slice(0, 0), static_cast<size_t>(n), cudaMemcpyHostToDevice));
  st.mark(1);
  CVX_TRY(run(static_cast<uint8_t*>(dMask.p), gridOf(mask)));
  st.mark(2);
  CVX_CUDA_TRY(cudaMemcpy((*out)->as<uint8_t>(), dMask.p, static_cast<size_t>(n), cudaMemcpyDeviceToHost));
  st.mark(3);
  CVX_TRY(st.finish(timing));
  return out;
}

// The mask of the components with keep(label sizes) true, all on the device.
template <class Keep>
Result<VolumePtr> keepComponents(const Volume& mask, int connectivity, Timing* timing, Keep&& keepOf) {
  return maskThroughDevice(mask, connectivity, timing, [&](uint8_t* m, const Grid& g) -> Status {
    DeviceLabels d;
    CVX_TRY(labelOnDevice(m, g, connectivity, d));
    const std::vector<uint8_t> keep = keepOf(d.sizes);  // keep[0] = 0
    DeviceBytes dKeep;
    CVX_CUDA_TRY(cudaMalloc(&dKeep.p, keep.size()));
    CVX_CUDA_TRY(cudaMemcpy(dKeep.p, keep.data(), keep.size(), cudaMemcpyHostToDevice));
    // The mask buffer is free again: the output goes there.
    const int n = g.nx * g.ny * g.nz;
    keepKernel<<<blocksFor(n, kThreads, 1u << 16), kThreads>>>(n, d.labels,
                                                               static_cast<const uint8_t*>(dKeep.p), m);
    CVX_CUDA_TRY(cudaGetLastError());
    CVX_CUDA_TRY(cudaDeviceSynchronize());
    return {};
  });
}

// outside[root] = 1 for the root of every background voxel on the volume's border.
__global__ void borderKernel(Grid g, const int* parent, uint8_t* __restrict__ outside) {
  const int n = g.nx * g.ny * g.nz, slice = g.nx * g.ny;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    const int z = i / slice, y = (i % slice) / g.nx, x = i % g.nx;
    const bool border = x == 0 || y == 0 || z == 0 || x == g.nx - 1 || y == g.ny - 1 || z == g.nz - 1;
    if (border && parent[i] >= 0) outside[findRoot(parent, i)] = 1;
  }
}

// out = 1 but on background whose root is outside.
__global__ void fillKernel(int n, const int* parent, const uint8_t* __restrict__ outside,
                           uint8_t* __restrict__ out) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    out[i] = parent[i] < 0 || !outside[findRoot(parent, i)];
}

}  // namespace

Result<Components> labelComponents(const Volume& mask, int connectivity, Timing* timing) {
  CVX_TRY(checkLabelInput(mask, connectivity));
  const int n = static_cast<int>(mask.voxelsPerPhase());
  Components c;
  c.dims = {mask.dims()[0], mask.dims()[1], mask.dims()[2]};
  c.labels.resize(static_cast<size_t>(n));
  if (n == 0) {
    c.voxels = {0};
    return c;
  }
  DeviceBytes dMask;
  CVX_CUDA_TRY(cudaMalloc(&dMask.p, static_cast<size_t>(n)));
  Stages st;
  st.mark(0);
  CVX_CUDA_TRY(cudaMemcpy(dMask.p, mask.slice(0, 0), static_cast<size_t>(n), cudaMemcpyHostToDevice));
  st.mark(1);
  DeviceLabels d;
  CVX_TRY(labelOnDevice(static_cast<const uint8_t*>(dMask.p), gridOf(mask), connectivity, d));
  st.mark(2);
  CVX_CUDA_TRY(cudaMemcpy(c.labels.data(), d.labels, sizeof(unsigned) * n, cudaMemcpyDeviceToHost));
  st.mark(3);
  CVX_TRY(st.finish(timing));
  c.voxels = std::move(d.sizes);
  return c;
}

Result<VolumePtr> keepLargest(const Volume& mask, int connectivity, Timing* timing) {
  return keepComponents(mask, connectivity, timing, [](const std::vector<int64_t>& sizes) {
    std::vector<uint8_t> keep(sizes.size(), 0);
    size_t best = 0;  // ties: the first in raster order, as the CPU
    for (size_t l = 1; l < sizes.size(); ++l)
      if (best == 0 || sizes[l] > sizes[best]) best = l;
    if (best) keep[best] = 1;
    return keep;
  });
}

Result<VolumePtr> fillHoles(const Volume& mask, int connectivity, Timing* timing) {
  return maskThroughDevice(mask, connectivity, timing, [&](uint8_t* m, const Grid& g) -> Status {
    const int n = g.nx * g.ny * g.nz;
    DeviceBytes dParent, dOutside;
    CVX_CUDA_TRY(cudaMalloc(&dParent.p, sizeof(int) * n));
    CVX_CUDA_TRY(cudaMalloc(&dOutside.p, static_cast<size_t>(n)));
    CVX_CUDA_TRY(cudaMemset(dOutside.p, 0, static_cast<size_t>(n)));
    auto* parent = static_cast<int*>(dParent.p);
    auto* outside = static_cast<uint8_t*>(dOutside.p);
    CVX_TRY(uniteOnDevice(m, g, connectivity, true, parent));
    const unsigned grid = blocksFor(n, kThreads, 1u << 16);
    borderKernel<<<grid, kThreads>>>(g, parent, outside);
    fillKernel<<<grid, kThreads>>>(n, parent, outside, m);  // the mask is no longer read
    CVX_CUDA_TRY(cudaGetLastError());
    CVX_CUDA_TRY(cudaDeviceSynchronize());
    return {};
  });
}

Result<VolumePtr> removeSmallIslands(const Volume& mask, int64_t minVoxels, int connectivity,
                                     Timing* timing) {
  if (minVoxels < 0)
    return makeError("seg.bad_parameter",
                     "the smallest island to keep is negative: " + std::to_string(minVoxels));
  return keepComponents(mask, connectivity, timing, [&](const std::vector<int64_t>& sizes) {
    std::vector<uint8_t> keep(sizes.size(), 0);
    for (size_t l = 1; l < sizes.size(); ++l) keep[l] = sizes[l] >= minVoxels;
    return keep;
  });
}

}  // namespace cvx::cuda::seg
