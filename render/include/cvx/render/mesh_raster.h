// SPDX-License-Identifier: MIT
// Triangle meshes (segment surfaces), opaque or translucent, drawn on the CPU into a colour and depth
// image of the 3D view's camera, so that the ray caster stops at them (hd::RaycastParams::depthIn)
// and the volume is composited over (and between) them. Qt-free and GL-free: the GUI's 3D view and the headless
// `cinevox render` draw the same pixels.
//
// The rules (docs/volume-rendering.md, "Surfaces in the 3D view"):
// - A pixel is covered by a triangle when its centre (x + 0.5, y + 0.5) lies inside the
//   triangle's projection (both windings: surfaces are two-sided). A centre exactly on an edge
//   belongs to the triangle whose inside lies towards +x there (towards +y for a horizontal edge):
//   of two triangles sharing the edge exactly one covers it, so a closed mesh covers a pixel an
//   even number of times, once per crossing of its ray.
// - Its depth is exact: t (mm) along the pixel's ray (cvx::worldRays, the ray caster's t) to the
//   triangle's plane. The nearest triangle wins; at equal t the one drawn first (mesh order, then
//   triangle order).
// - Shading: Blinn-Phong with a headlight, two-sided, as the ray caster's (colour x (ambient +
//   diffuse |n.l|) + specular |n.l|^power, each channel at most 1), n the vertex normals
//   interpolated by the hit point's barycentric coordinates (the face normal when a mesh has none).
// - Perspective: a triangle with a vertex less than 1e-3 mm in front of the eye is not drawn (no
//   near-plane clipping).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/mesh.h>
#include <cvx/core/raycast.h>
#include <cvx/core/thread_pool.h>

namespace cvx::render {

// A half-space that cuts what is drawn (the 3D view's clip planes where they are now,
// ViewerState::cutPlanes3d): a point p is kept where dot(normal, p - point) >= -kCutToleranceMm x
// |normal|, so that a slice lying in a cut's own plane (the MPR view that cut follows) stays whole.
// A closed mesh cut open is capped: where a cut's plane lies inside it (the pixel's ray crosses it an
// odd number of times beyond the plane: a bounded mesh ends behind every ray, wherever the eye is),
// the plane is drawn in the mesh's colour, lit with the plane's normal, so that a cut structure looks
// solid (the first 12 cuts: the clip planes and the crop box's faces, and the first 64 meshes; of
// nested meshes the innermost gives the colour).
struct CutPlane {
  Vec3 point, normal;
};
inline constexpr double kCutToleranceMm = 1e-3;
bool keptByCuts(std::span<const CutPlane> cuts, Vec3 p);

struct MeshLight {
  float ambient = 0.25f, diffuse = 0.7f, specular = 0.2f, power = 24.0f;
};

// Translucent surfaces (a segment drawn in 3D at an opacity below 1: a liver that shows the tumour
// and vessels it holds). Their hits are fragments: each pixel keeps the nearest kMaxFragments in
// front of the opaque surface it shows (farther ones are dropped), nearest first, lit as an opaque
// surface and weighted by the opacity; the nearest cap of a translucent mesh is a fragment too (the
// opaque meshes' caps are found apart, so a translucent mesh inside an opaque one never hides its
// cap). With fragments, a mesh at opacity 0 is not drawn. compositeWithFragments puts the volume
// between them.
inline constexpr int kMaxFragments = 4;
struct MeshFragments {
  int layers = 0;            // the most fragments any pixel has (0: none)
  std::vector<float> depth;  // kMaxFragments per pixel: mm along the ray, nearest first, +inf past its own
  std::vector<float> rgba;   // 4 per fragment: the lit colour x opacity (premultiplied), the opacity
  // How many of pixel i's fragments lie in front of depth `opaque` (what is drawn opaque there now), or
  // at it (a translucent section on an opaque cap).
  int inFront(size_t i, float opaque) const;
};

// Draws the meshes into rgba (4 floats per pixel: premultiplied colour, opacity 1 where a mesh is
// hit, 0 elsewhere) and depth (+inf where none is hit), width x height, row by row. A triangle
// whose indices are out of range is render.bad_mesh; a bad size or null output render.bad_request.
// A point of a triangle that the cuts cut away is not drawn: the triangle behind it, or the cap, shows.
// opacity: per mesh (1 where not given); with `fragments`, a mesh below 1 goes there instead of rgba and
// depth (without, it is drawn opaque); fragments->layers is 0 when there are none.
Status rasterizeMeshes(std::span<const Mesh* const> meshes, const Camera3D& camera, int width, int height,
                       float* rgba, float* depth, const MeshLight& light = {}, ThreadPool* pool = nullptr,
                       std::span<const CutPlane> cuts = {}, std::span<const float> opacity = {},
                       MeshFragments* fragments = nullptr);

// The depth rasterizeMeshes gives pixel (x, y) (+inf where no mesh covers it), for one pixel
// (picking): the same coverage, depth and cap rules, without an image. Bad triangles are ignored. A
// mesh whose opacity is below kPickOpacity is clicked through, as the volume is where it is less than
// half opaque: a click on the tumour inside a translucent liver lands on the tumour.
inline constexpr float kPickOpacity = 0.5f;
float meshDepthAt(std::span<const Mesh* const> meshes, const Camera3D& camera, int width, int height, int x, int y,
                  std::span<const CutPlane> cuts = {}, std::span<const float> opacity = {});

// Composites a volume rendering (premultiplied rgba, its depth) over the meshes' image in place:
// colour = volume + (1 - volume opacity) x mesh; depth = the volume's where it is finite (its
// opacity reached 0.5 in front of the mesh), else the mesh's.
void compositeOverMeshes(float* volumeRgba, float* volumeDepth, const float* meshRgba, const float* meshDepth,
                         size_t pixels);

// compositeOverMeshes with translucent fragments, exactly: along a pixel's ray the volume, fragment 1,
// the volume, fragment 2, ..., the volume, the opaque surface. passes[k] is the volume rendered up to
// fragment k's depth (premultiplied rgba; the ray caster's depthIn set there, 0 where the pixel has no
// such fragment in front of meshDepth), volumeRgba the volume up to meshDepth, so that the volume
// between fragments k - 1 and k is passes[k] - passes[k - 1] (front-to-back compositing is a sum of
// prefixes), seen through the fragments in front of it. counts[i]: pixel i's fragments in front of
// meshDepth (MeshFragments::inFront, worked out once by the caller, who set the passes' depths by it).
// volumeRgba becomes the result; volumeDepth the volume's where finite, else the nearest fragment's,
// else the mesh's.
void compositeWithFragments(float* volumeRgba, float* volumeDepth, std::span<const float* const> passes,
                            const MeshFragments& fragments, const uint8_t* counts, const float* meshRgba,
                            const float* meshDepth, size_t pixels);

}  // namespace cvx::render
