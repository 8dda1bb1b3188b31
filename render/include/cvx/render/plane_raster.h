// SPDX-License-Identifier: MIT
// Images placed in the 3D scene (the MPR views' slices drawn on their planes: viewstate's
// slices_3d.h), drawn on the CPU into the colour and depth image of mesh_raster.h, so that the ray
// caster stops at them as at a segment surface and the volume in front is composited over them.
// Qt-free and GL-free: the GUI's 3D view and the headless `cinevox render` draw the same pixels.
//
// The rules (docs/volume-rendering.md, "Slices in the 3D view"):
// - Pixel (x, y)'s ray (cvx::worldRays, the ray caster's t) meets the image's plane at t >= 0; the
//   point is drawn where it lies inside the image's outline (a convex polygon, in the image's pixel
//   coordinates, edges included) and the cuts keep it (mesh_raster.h, CutPlane).
// - Its colour is the image's, bilinear between the four pixel centres about the point (an edge
//   pixel repeated past the edge) with their alpha as weights, opaque and unlit: the slice looks as
//   it does in its 2D view. Where the interpolated alpha is below one half the point is see-through
//   (not drawn): slices_3d.h gives alpha 0 to what lies below the view's window (air), so that what
//   lies beyond shows there.
// - Depth test: it replaces what the buffer holds only when nearer (a plane seen exactly edge-on is
//   not drawn, nearly edge-on it is a sliver); among planes, the first given wins at equal t.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/raycast.h>
#include <cvx/core/thread_pool.h>
#include <cvx/render/mesh_raster.h>

namespace cvx::render {

struct ImagePlane {
  Vec3 origin;             // LPS mm of pixel (0, 0)'s centre
  Vec3 du, dv;             // LPS mm per pixel, along the rows and down the columns (square to each other)
  int width = 0, height = 0;
  const uint32_t* pixels = nullptr;  // 0xAABBGGRR (bytes R, G, B, A in memory), row by row
  std::vector<std::array<double, 2>> outline;  // convex, in pixel coordinates, in order; empty: none drawn
};

// Draws the planes into rgba (premultiplied, 4 floats a pixel) and depth (mm along the ray) where
// they are nearer than what is there: call it after rasterizeMeshes (or on cleared buffers: rgba 0,
// depth +inf). render.bad_request for a bad size, null outputs or a plane whose pixels are missing
// or whose du or dv is zero.
Status rasterizeImagePlanes(std::span<const ImagePlane> planes, const Camera3D& camera, int width, int height,
                            float* rgba, float* depth, std::span<const CutPlane> cuts = {},
                            ThreadPool* pool = nullptr);

// The nearest depth the planes give pixel (x, y) (+inf where none covers it), for picking.
float imagePlaneDepthAt(std::span<const ImagePlane> planes, const Camera3D& camera, int width, int height, int x,
                        int y, std::span<const CutPlane> cuts = {});

}  // namespace cvx::render
