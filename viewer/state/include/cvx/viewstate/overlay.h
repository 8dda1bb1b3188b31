// SPDX-License-Identifier: MIT
// What a 2D view draws over its image, decided here without Qt so that the widget only paints and
// the headless renderer, the recorder and the tests see the same text and lines (issue 10, MPR):
// corner annotations, the value under the mouse, orientation letters, a scale bar, reference lines
// of the other views, and a marker at a patient position. All pixel coordinates are the view's
// PixelFrame coordinates (ViewerState::pixelFrame): pixel (x, y) has its centre at (x, y), so the
// top-left pixel covers [-0.5, 0.5) in both.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/metadata.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

// ---- Corner annotations (overlay_text.cpp) ----

struct OverlayOptions {
  // Hides patient-identifying text (screenshots for teaching, screen sharing). What counts as PHI
  // here, exactly: PatientName, PatientID, PatientBirthDate and AccessionNumber; their lines are
  // left out. Kept: PatientSex, the study date and time, descriptions, modality, numbers and
  // everything about the image (dates are kept for clinical context; this is not a de-identifier:
  // free-text descriptions are shown as they are in the file).
  bool hidePhi = false;
};

enum class Corner { TopLeft = 0, TopRight = 1, BottomLeft = 2, BottomRight = 3 };

// Lines per corner, top line first in every corner (the widget aligns bottom corners to the
// bottom). Empty header values give no line.
struct CornerText {
  std::array<std::vector<std::string>, 4> corners;
  const std::vector<std::string>& at(Corner c) const { return corners[static_cast<size_t>(c)]; }
};

// The four corners of `view`:
// - top left: patient name ("FAMILY, Given" from the PN), "ID <id>", "<birth date YYYY-MM-DD>  <sex>";
// - top right: study description, "<study date YYYY-MM-DD> <HH:MM>  Acc <accession>",
//   "Se <number>  <series description>", modality;
// - bottom left: the orientation and the slice position along the view normal as radiologists read
//   it, the patient direction letter and the coordinate in LPS mm: axial "axial  S 12.5 mm"
//   (z = 12.5), "I 30.0 mm" (z = -30); coronal P/A (y), sagittal L/R (x); oblique: the normal's
//   letters (directionLabel) and the signed distance of the cursor's plane from the origin along it;
//   "slice k/n" (1-based grid index along the normal of the view's first layer) when the view is
//   axis-aligned with that grid; "slab <mm> mm MIP|MinIP|mean"; "zoom <x>" (1 = the fit);
//   "phase p/n  <t> ms" for 4D; "NOT LINKED (other frame of reference)" / "linked by manual offset";
// - bottom right: "W <width> L <centre>" of the view's first layer, in the mapping's display units
//   when it has them (PET in SUVbw: "W 6 L 3 SUVbw"); "LOSSY <ratio>:1 <method>" when the series was
//   lossy-compressed (ratios as in LossyImageCompressionRatio, one per compression step); "spacing
//   unknown: lengths in px" when the in-plane spacing was missing.
// The metadata is the view's first layer's (Volume::info) unless `info` is given. An empty state
// or a bad view index gives empty corners.
CornerText cornerText(const ViewerState& state, int view, const OverlayOptions& options = {},
                      const SeriesInfo* info = nullptr);

// "phase p/n  <t> ms" (1-based; the time when the reference volume has one for the phase) of a 4D
// state, empty for a 3D one: the MPR views' bottom left and the 3D view's header.
std::string phaseLine(const ViewerState& state);

// The value under the mouse: "<value> <units>" ("HU" for CT); for PET in BQML with an SUVbw factor
// (suv.h) "SUVbw <suv> (Bq/ml <value>)", then "  SUL <sul>" where the header gives a lean body mass
// (suv.h's suvLeanBodyMass), a second line with the factor's inputs and, with SUL, a third "LBM <kg>
// kg (<height> m, <sex>)"; without an SUVbw factor,
// the value and the suv.* code that says why. `value` is a modality value (as ViewRenderer::values
// holds); NaN (outside the volume) gives no line.
std::vector<std::string> valueText(const SeriesInfo& info, double value);

// A PN value (family^given^middle^prefix^suffix) as written on a film: "FAMILY, Given Middle".
std::string formatPersonName(const std::string& pn);
// A DA value (YYYYMMDD) as YYYY-MM-DD; anything else as it is.
std::string formatDicomDate(const std::string& da);

// ---- Geometry of the overlays (overlay_geometry.cpp) ----

// The patient-direction letters at the four edges of the view (directionLabel of the screen
// directions: left edge = -right, top edge = -down).
struct EdgeLabels {
  std::string left, right, top, bottom;
};
EdgeLabels edgeLabels(const ViewerState& state, int view);

// A scale bar: the longest "nice" length (1, 2 or 5 x 10^k) whose bar fits in maxPixels.
struct ScaleBar {
  double length = 0;   // in mm, or in image pixels when the spacing is unknown
  double pixels = 0;   // on screen
  std::string label;   // "50 mm", "0.5 mm", "20 px"
};
// `mmPerPixel` as in PixelFrame (with unknown spacing the grid's "mm" are image pixels, and the
// label says px). No bar (length 0, empty label) when even the smallest nice length below
// maxPixels cannot be found (maxPixels <= 0 or mmPerPixel not positive and finite).
ScaleBar scaleBar(double mmPerPixel, double maxPixels, bool spacingKnown = true);

// Where another view's plane (and, for a slab, its two faces) crosses this view's plane.
enum class ReferenceKind { Plane, SlabFront, SlabBack };
struct ReferenceLine {
  int view = -1;                              // the other view (the widget colours by it)
  Orientation orientation = Orientation::Axial;  // that view's orientation
  ReferenceKind kind = ReferenceKind::Plane;  // SlabFront: -slab/2 along its normal; SlabBack: +slab/2
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;      // this view's pixel coordinates
};
// For every other view, the segment where its plane crosses this view's plane, clipped to the
// reference layer's grid (voxel edges: what an image of it covers, sheared grids included).
// Planes parallel to this one give none; a line that misses the grid gives none.
std::vector<ReferenceLine> referenceLines(const ViewerState& state, int view, int width, int height);

// A patient position (LPS mm) in the view's pixels, e.g. a marker or a measurement's end.
struct MarkerPixel {
  double x = 0, y = 0;      // continuous pixel coordinates
  double distanceMm = 0;    // signed distance from the view's plane along its normal
  bool inViewport = false;  // (x, y) within [-0.5, width - 0.5) x [-0.5, height - 0.5)
};
MarkerPixel pixelOf(const ViewerState& state, int view, Vec3 world, int width, int height);

}  // namespace cvx::view
