// SPDX-License-Identifier: MIT
// The volume composited with the meshes' picture (mesh_raster.h): over opaque surfaces, and between
// translucent fragments.
#include <cvx/render/mesh_raster.h>

#include <algorithm>
#include <limits>

namespace cvx::render {

int MeshFragments::inFront(size_t i, float opaque) const {
  if (layers == 0 || depth.empty()) return 0;
  int k = 0;
  for (float d; k < layers && (d = depth[i * kMaxFragments + static_cast<size_t>(k)]) <= opaque &&
                d < std::numeric_limits<float>::infinity();)
    ++k;
  return k;
}

void compositeOverMeshes(float* volumeRgba, float* volumeDepth, const float* meshRgba, const float* meshDepth,
                         size_t pixels) {
  for (size_t i = 0; i < pixels; ++i) {
    const float keep = 1.0f - volumeRgba[4 * i + 3];
    for (int k = 0; k < 4; ++k) volumeRgba[4 * i + k] += keep * meshRgba[4 * i + k];
    if (volumeDepth && !(volumeDepth[i] < std::numeric_limits<float>::infinity()))
      volumeDepth[i] = meshDepth[i];
  }
}

void compositeWithFragments(float* volumeRgba, float* volumeDepth, std::span<const float* const> passes,
                            const MeshFragments& f, const uint8_t* counts, const float* meshRgba,
                            const float* meshDepth, size_t pixels) {
  for (size_t i = 0; i < pixels; ++i) {
    const int n = std::min(static_cast<int>(counts[i]), static_cast<int>(passes.size()));
    float out[3] = {0, 0, 0}, prev[4] = {0, 0, 0, 0};
    float through = 1;  // what the fragments in front let through
    for (int k = 0; k < n; ++k) {
      const float* v = passes[static_cast<size_t>(k)] + 4 * i;  // the volume up to fragment k
      const float* g = &f.rgba[4 * (i * kMaxFragments + static_cast<size_t>(k))];
      for (int c = 0; c < 3; ++c) out[c] += through * ((v[c] - prev[c]) + (1 - v[3]) * g[c]);
      through *= 1 - g[3];
      for (int c = 0; c < 4; ++c) prev[c] = v[c];
    }
    float* v = volumeRgba + 4 * i;  // the volume up to the opaque surface
    const float* m = meshRgba + 4 * i;
    for (int c = 0; c < 3; ++c) out[c] += through * ((v[c] - prev[c]) + (1 - v[3]) * m[c]);
    const float alpha = 1 - through * (1 - v[3]) * (1 - m[3]);
    for (int c = 0; c < 3; ++c) v[c] = out[c];
    v[3] = alpha;
    if (volumeDepth && !(volumeDepth[i] < std::numeric_limits<float>::infinity()))
      volumeDepth[i] = n > 0 ? f.depth[i * kMaxFragments] : meshDepth[i];
  }
}

}  // namespace cvx::render
