// SPDX-License-Identifier: MIT
#include <cvx/viewstate/slices_3d.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/clip_3d.h>
#include <cvx/viewstate/measure_draw.h>

namespace cvx::view {

PixelFrame sliceFrame(const ViewerState& s, int view, const std::vector<Vec3>& outline, int longSide) {
  const Plane& p = s.view(view).plane;
  double r0 = std::numeric_limits<double>::infinity(), r1 = -r0, d0 = r0, d1 = -r0;
  for (const Vec3& c : outline) {
    r0 = std::min(r0, dot(c, p.right)), r1 = std::max(r1, dot(c, p.right));
    d0 = std::min(d0, dot(c, p.down)), d1 = std::max(d1, dot(c, p.down));
  }
  PixelFrame f;
  if (outline.empty()) return f;
  const int n = std::max(1, longSide);
  // Pixel centres from edge to edge of the rectangle: n pixels span its longer side.
  f.mmPerPixel = std::max({r1 - r0, d1 - d0, 1e-6}) / std::max(1, n - 1);
  f.width = std::clamp(static_cast<int>(std::ceil((r1 - r0) / f.mmPerPixel - 1e-9)) + 1, 1, n);
  f.height = std::clamp(static_cast<int>(std::ceil((d1 - d0) / f.mmPerPixel - 1e-9)) + 1, 1, n);
  f.du = p.right * f.mmPerPixel;
  f.dv = p.down * f.mmPerPixel;
  // The rectangle's corner (r0, d0), on the plane: the outline's points lie on it.
  const Vec3 c = outline.front();
  f.origin = c + p.right * (r0 - dot(c, p.right)) + p.down * (d0 - dot(c, p.down));
  return f;
}

namespace {

// Alpha 0 where the view's own layer has no value or one at or below its window's lower edge (DICOM
// linear VOI: what maps to the window's floor) and the pixel is grey (no other layer or overlay
// coloured it).
void seeThrough(const ViewerState& s, int view, const std::vector<float>& values, RgbaImage& image) {
  const int layer = s.viewLayer(view);
  if (layer < 0 || layer >= static_cast<int>(s.layers().size()) || !s.layers()[static_cast<size_t>(layer)].visible ||
      values.size() != image.pixels.size())
    return;
  const DisplayMapping& m = s.layers()[static_cast<size_t>(layer)].mapping;
  const double floor = m.center - 0.5 - (m.width - 1) / 2;
  for (size_t i = 0; i < image.pixels.size(); ++i) {
    const uint32_t px = image.pixels[i];
    const bool grey = (px & 0xFFu) == ((px >> 8) & 0xFFu) && (px & 0xFFu) == ((px >> 16) & 0xFFu);
    if (grey && (std::isnan(values[i]) || values[i] <= floor)) image.pixels[i] = px & 0x00FFFFFFu;
  }
}

}  // namespace

void Slices3D::invalidate() {
  for (auto& r : renderers_)
    if (r) r->invalidate();
}

Result<std::vector<Slice3D>> Slices3D::update(const ViewerState& s) {
  std::vector<Slice3D> out;
  renderers_.resize(static_cast<size_t>(s.viewCount()));
  if (s.layers().empty() || !s.layers().front().volume) return out;
  const Volume& ref = *s.layers().front().volume;
  const std::vector<ClipPlane3D> cuts = s.clipSurfaces3d() ? s.cutPlanes3d() : std::vector<ClipPlane3D>{};
  for (int v = 0; v < s.viewCount(); ++v) {
    if (!s.view(v).shownIn3d || s.linkOf(v) != LinkKind::Linked) continue;
    ClipPlane3D c;
    c.point = s.cursor();
    c.normal = s.view(v).plane.normal();
    Slice3D slice;
    slice.view = v;
    slice.outline = cutOutline(clipOutline(ref, s.crop3d(), c), cuts);
    if (slice.outline.empty()) continue;
    if (const double half = s.view(v).slabMm / 2; half > 0)
      for (const double side : {-half, half}) {
        ClipPlane3D face = c;
        face.point = c.point + c.normal * side;
        if (auto f = cutOutline(clipOutline(ref, s.crop3d(), face), cuts); !f.empty()) slice.slabFaces.push_back(std::move(f));
      }
    slice.frame = sliceFrame(s, v, slice.outline, kLongSide);
    auto& r = renderers_[static_cast<size_t>(v)];
    if (!r) r = std::make_unique<ViewRenderer>();
    auto image = r->draw(s, v, slice.frame);
    if (!image) return image.error();
    auto copy = std::make_shared<RgbaImage>(**image);  // the 3D view's background draw keeps it
    seeThrough(s, v, r->values(s.viewLayer(v)), *copy);
    slice.image = std::move(copy);
    out.push_back(std::move(slice));
  }
  return out;
}

SliceGrab sliceOutlineAt(const ViewerState& s, const std::vector<Slice3D>& slices, const Camera3D& cam, int width,
                         int height, double x, double y, double radiusPx) {
  SliceGrab best;
  double bestD = radiusPx;
  for (size_t i = 0; i < slices.size(); ++i) {
    const std::vector<Vec3>& o = slices[i].outline;
    if (slices[i].view < 0 || slices[i].view >= s.viewCount()) continue;
    std::vector<std::array<double, 2>> px;
    for (const Vec3& q : o)
      if (const auto at = projectToPixel(cam, q, width, height)) px.push_back(*at);
    if (px.size() < 2 || px.size() != o.size()) continue;
    for (size_t k = 0; k < px.size(); ++k) {
      const size_t k1 = (k + 1) % px.size();
      const double d = segmentDistancePx({x, y}, px[k], px[k1]);
      if (d > bestD) continue;
      const Vec3 at = o[k] + (o[k1] - o[k]) * segmentFractionPx({x, y}, px[k], px[k1]);
      const Vec3 n = s.view(slices[i].view).plane.normal();
      // The normal's screen length at the point (a millimetre of it, projected).
      const auto a0 = projectToPixel(cam, at, width, height), a1 = projectToPixel(cam, at + n, width, height);
      const double pxPerMm = a0 && a1 ? std::hypot((*a1)[0] - (*a0)[0], (*a1)[1] - (*a0)[1]) : 0.0;
      if (!(pxPerMm >= kMinSlicePxPerMm)) continue;  // face-on: no way to drag it
      best = {static_cast<int>(i), slices[i].view, at};
      bestD = d;
    }
  }
  return best;
}

Vec3 sliceDraggedCursor(const ViewerState& s, int view, Vec3 from, double mm) {
  const double step = s.sliceStepMm(view);
  if (!(step > 0) || !std::isfinite(mm)) return from;
  return from + s.view(view).plane.normal() * (std::round(mm / step) * step);
}

}  // namespace cvx::view
