// SPDX-License-Identifier: MIT
// What every viewport of the window shares besides the viewer state: the mouse tool, the session's
// measurements (owned by the window's MeasureSession) and the overlay options.
#pragma once
#include <cstdint>
#include <functional>

#include <cvx/viewstate/measure_model.h>
#include <cvx/viewstate/overlay.h>

namespace cvx::viewer {

// Navigate: left drag windows, left click moves the cursor, Ctrl+left drag rotates the crosshair.
// The measurement tools draw a measurement with the left button (Angle: three clicks, Freehand: a
// drag); Paint and Erase brush the active segment (a disk in a 2D view's plane, or a ball: SegEditing;
// in the 3D view balls on the points picked under the mouse); right
// drag zooms and middle drag pans in every tool; a measurement's handle drags in every tool.
// Scissors: a lasso drawn with the left button cuts the active segment through the whole volume
// along the line of sight (the 3D view's camera; a 2D view's normal): erases what projects inside,
// with Shift keeps only that. Lesion: a left click moves the cursor there (a 2D view's point; in the
// 3D view the PET's hottest voxel along the line of sight) and delineates the PET lesion about it
// (ViewTools::lesion: the Segments dock's lesion plugin on the PET of the frame); a drag does what it
// does in Navigate. Punch: in the 3D view, a lasso drawn with the left button leaves what projects inside
// out of the volume rendering (with Shift keeps only that; ViewerState::punches3d, punch_3d.h); the 2D
// views and the data are unchanged, and the tool navigates there.
// Draw: in a 2D view, an outline drawn with the left button is filled into the active segment on that
// slice, one voxel thick (SegEditor's BrushPolygon; with Shift it is erased), within the brush's value
// range like a stroke; the 3D view navigates.
// Island: a click on a piece of the active segment (a 2D view's voxel, or the 3D view's point picked)
// keeps that piece, its 6-connected voxels, and removes the rest of the segment (with Shift removes
// that piece): a threshold's bone cleaned to the spine in one click.
// Level: in a 2D view of the segment's grid (axial, coronal or sagittal), the region the level curve
// through the voxel under the mouse encloses on that slice is outlined as the mouse moves
// (level_trace.h, 3D Slicer's Level tracing); a click fills it into the active segment (Shift:
// erases it), within the brush's value range; the 3D view navigates.
enum class Tool {
  Navigate,
  Distance,
  Angle,
  Rectangle,
  Ellipse,
  Freehand,
  Paint,
  Erase,
  Draw,
  Level,
  Scissors,
  Island,
  Punch,
  Lesion
};
// The tools that edit segments (Undo and Redo then act on the segmentation).
inline bool segmentTool(Tool t) {
  return t == Tool::Paint || t == Tool::Erase || t == Tool::Draw || t == Tool::Level || t == Tool::Scissors ||
         t == Tool::Island || t == Tool::Lesion;
}

class SegEditing;

struct ViewTools {
  Tool tool = Tool::Navigate;
  view::MeasurementSet* measurements = nullptr;  // null: no study open
  view::OverlayOptions overlay;
  int64_t selected = 0;  // the measurement Delete removes (0: none)
  SegEditing* editing = nullptr;  // the window's segmentation editing (brush strokes)
  // The Lesion tool's click, once the cursor is on the point: the 2D view clicked, or -1 for the 3D
  // view (null: none).
  std::function<void(int view)> lesion;
};

}  // namespace cvx::viewer
