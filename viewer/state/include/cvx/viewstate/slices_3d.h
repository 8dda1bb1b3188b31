// SPDX-License-Identifier: MIT
// The MPR views' slices in the 3D view ("slices in 3D"): each view shown in 3D (View::shownIn3d) is
// drawn as its 2D view draws it (its layers, windows, slab, segment overlays; render_view.h) over
// the whole section of the reference's crop box by the view's plane through the cursor, whatever the
// 2D view's zoom and pan, and the 3D view places that image on the plane (render_3d.h, Slice3D):
// opaque, it hides the volume behind it, and the volume in front is composited over it. It is
// see-through (render/plane_raster.h: alpha 0) where the view's own layer (its first) has no value or
// one at or below its window's lower edge, whatever the inversion, unless something else coloured the
// pixel (another layer, a segment: the pixel is not grey), so that the volume beyond shows round the
// body and through the lungs in a soft-tissue window. A slab's image is drawn on its centre plane,
// and its two faces are outlined (Slice3D::slabFaces).
// Qt-free; the
// GUI's 3D view and the headless `cinevox render --view 3d --show-slice ...` draw through this.
#pragma once
#include <memory>
#include <vector>

#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/render_view.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

// The pixel frame a slice is drawn on: the bounding rectangle of `outline` (points of view v's
// plane, LPS mm) in the view's own axes (right, down), square pixels, longSide pixels along its longer
// side (at least one pixel along the other).
PixelFrame sliceFrame(const ViewerState& s, int view, const std::vector<Vec3>& outline, int longSide);

// A slice shown in 3D is dragged by its outline along its view's normal (scrolling that view): the
// slice whose outline, projected onto the 3D view's width x height image by cam, passes nearest to
// pixel (x, y) within radiusPx, and the point of the outline grabbed there (LPS mm: on the nearest
// edge, at the fraction of it nearest on the screen, exact in parallel projection), which the drag
// then moves with the mouse. Outlines, unlike centres, stay apart when several slices meet at the
// cursor. Skipped: a slice seen (nearly) face-on, whose normal moves less than kMinSlicePxPerMm on
// the screen at that point (it cannot be dragged, and its outline is the volume's silhouette: a press
// there turns the camera), an outline with a corner behind a perspective eye, and a slice of a view
// the state does not have. index -1 for none.
inline constexpr double kMinSlicePxPerMm = 0.1;
struct SliceGrab {
  int index = -1;  // into the slices
  int view = -1;   // its view
  Vec3 at;
};
SliceGrab sliceOutlineAt(const ViewerState& s, const std::vector<Slice3D>& slices, const Camera3D& cam, int width,
                         int height, double x, double y, double radiusPx);
// View `view`'s cursor once its slice has been dragged `mm` along the view's normal from `from` (its
// cursor when the drag began): moved by the whole number of the view's slice steps
// (ViewerState::sliceStepMm) nearest to mm, so that the slice lands where scrolling would put it.
Vec3 sliceDraggedCursor(const ViewerState& s, int view, Vec3 from, double mm);

class Slices3D {
 public:
  static constexpr int kLongSide = 512;  // pixels along a slice's longer side (about 1 mm on the chest CT)

  // The slices of the views shown in 3D, in view order. A view not linked to the reference layer's
  // frame of reference (another frame, unlinked or linked by an offset) is not drawn: its plane is not
  // the reference's. A view whose plane misses the crop box draws nothing. While the clip planes cut
  // surfaces (ViewerState::clipSurfaces3d) a slice's outline is cut by them (clip_3d.h, cutOutline), and the
  // 3D view cuts its pixels as well. Each view keeps its
  // resliced values between calls (ViewRenderer), so a window change re-maps without reslicing.
  // render.bad_request from the view renderer.
  Result<std::vector<Slice3D>> update(const ViewerState& s);
  // The voxels changed in place (progressive loading) or another volume came: the next update
  // reslices every view.
  void invalidate();

 private:
  std::vector<std::unique_ptr<ViewRenderer>> renderers_;  // per view
};

}  // namespace cvx::view
