// SPDX-License-Identifier: MIT
// The 3D view: a thin widget over the viewer state's 3D camera and preset (ViewerState::camera3d,
// preset3d) that shows the reference volume rendered by view::VolumeRenderer, with the cursor (the
// crosshair of the MPR views) projected onto it. While the camera moves it draws at a quarter of
// its resolution on the UI thread; once it stops, a full-resolution image is rendered on a worker
// thread and replaces it (progressive refinement). Left drag rotates, a middle or Shift+left drag
// pans, the wheel and a right drag zoom, the keys A, P, L, R, S and I look from that side; an
// orientation marker shows the patient's axes. The camera frames what the preset shows of a new
// series (and again after Reset: camera_3d.h), fitted by the worker before its first picture. A click
// (press and release within a few pixels) picks the first visible point under the mouse and moves
// the session cursor there (render_3d.h, VolumeRenderer::pick); a double click also makes it the
// point the camera turns about (a pan that brings it to the image's centre). The key C shows or
// hides the crop box (state.h, CropBox3D: its edges and face handles); a drag on a handle moves that
// face. Ctrl and a left drag windows the rendering as a left drag windows an MPR view (right: wider;
// down: brighter), moving and stretching the transfer function's points (an edit, as the editor's;
// Escape during the drag puts back the curve it started from). With a
// PET/CT, the PET is drawn in the same pass (ViewerState::fusedLayer3d); the key F turns it off/on. With
// the Scissors tool, a left drag draws a lasso that cuts the active segment through the volume
// (SegEditing::scissors: erase inside; with Shift, keep inside) instead of rotating; with Paint or
// Erase, a left drag brushes balls onto the points picked under the mouse (volume_view_paint.cpp). The MPR views
// chosen in "Slices in 3D" are drawn on their planes (slices_3d.h), outlined in their colours; a drag
// on an outline moves that slice along its normal (scrolling its MPR view). The
// session's measurements in the reference's frame are drawn over the rendering (measure_3d.h); with
// the Distance tool a left drag measures between the points picked under its press and release, with
// the Angle tool three clicks measure an angle; a press on a distance's or an angle's handle selects it,
// and a drag moves that end to the point picked where it is released (any tool but Scissors); Delete removes the
// selected measurement.
// Where OpenGL works, the pictures are drawn by a child QOpenGLWidget covering the view (its
// canvas) as textures (view_textures.h): a GPU writes the preview straight into its texture where
// the app gives a DeviceTexture factory (cuda::GlTarget); otherwise, and for the full-resolution
// image (rendered on the worker, where the context is not current), the bytes are uploaded.
// Without OpenGL (no GLX or EGL: a remote X session, Qt's offscreen platform) there is no canvas,
// for Qt cannot compose a window holding a QOpenGLWidget there, and the view paints the host
// images with QPainter. The overlays are painted with QPainter over either.
#pragma once
#include <atomic>
#include <cmath>
#include <optional>
#include <cstdint>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include <QImage>
#include <QPoint>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/seg_surfaces.h>
#include <cvx/viewstate/slices_3d.h>
#include <cvx/viewstate/state.h>

#include "lasso.h"
#include "view_textures.h"
#include "view_tools.h"

class QOpenGLWidget;
class QTimer;

namespace cvx::viewer {

class VolumeCanvas;

class VolumeView : public QWidget {
  Q_OBJECT
 public:
  VolumeView(view::ViewerState& state, ViewTools& tools, QWidget* parent = nullptr);
  ~VolumeView() override;
  // Slices were loaded (of any series): render again; the voxels' count (voxelsChanged) moves when a
  // series the view draws gained slices: the reference, a layer of its frame, the fused layer, the
  // threshold preview's layer.
  void invalidate();
  // The voxels of the series drawn changed in place: the renderers' shared count moves, so that the
  // back end's copy, the brick maps and the punched phases are made again.
  void voxelsChanged();
  // The image on screen is the full-resolution rendering of the current state, segments' surfaces
  // included (tests and --screenshot wait for it).
  bool refined() const;
  // The last pick, as the corner shows it ("nothing under the cursor" when it hit nothing).
  QString pickText() const { return pickText_; }
  // The text at the top left: the preset (and the fused layer's), the camera, "(preview)" until the
  // full-resolution picture is up, and for a 4D series the phase (view::phaseLine).
  QString headerText() const;
  // The phases' brick maps both renderers draw with (tests).
  const view::PhaseBricks& phaseBricks() const { return coarse_.phaseBricks(); }
  // The voxels' revision each renderer (preview, full resolution) last drew with (tests: the same
  // count, so that a shared GPU back end keeps one copy of the volume).
  std::pair<uint64_t, uint64_t> voxelRevisions() const {
    return {coarse_.voxelsRevision(), fine_.voxelsRevision()};
  }
  // The OpenGL canvas that draws the pictures; null where OpenGL is unavailable (openGlWorks()).
  QOpenGLWidget* canvas() const;

 protected:
  void paintEvent(QPaintEvent* event) override;  // without a canvas: the host images
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;  // the picked point: the orbit's centre
  void keyPressEvent(QKeyEvent* event) override;  // A, P, L, R, S, I: the camera presets
  void leaveEvent(QEvent* event) override;        // the brush's circle goes with the mouse

 private:
  void changed();     // the picture is out of date: a coarse one at the next paint, a fine one later
  friend class VolumeCanvas;
  // The coarse picture: with gl (the canvas's context current) into the preview texture (the
  // device's, else uploaded), else into previewImage_.
  void drawPreview(bool gl);
  void initGl();      // the canvas's initializeGL
  void paintGl();     // the canvas's paintGL
  void releaseGl();   // the context goes: its textures and the device's registration
  void redraw();      // update() of the canvas, or of the view without one
  void paintOverlay(class QPainter& p);  // text, crosshair, marker, crop box, clip outlines, lasso
  void drawClipOutlines(class QPainter& p);  // and the slices' outlines, in their views' colours
  // The slices shown in 3D (slices_3d.h), drawn again when something they show changed.
  const std::vector<view::Slice3D>& slices();
  void startFine();   // the full-resolution render on the worker
  bool loadPreset();  // the state's preset, cached by name; false (and error_) when it cannot be read
  // The layer fused over the reference in 3D (ViewerState::fusedLayer3d) with its modality's
  // default preset (cached by name), or none (also when that preset cannot be read: the view's
  // note says why).
  std::optional<view::Fused3D> fused();
  void drawCursor(class QPainter& p);
  void drawMarker(class QPainter& p);
  void drawCrop(class QPainter& p);
  std::optional<Vec3> pickAt(QPoint at);  // the point picked (also the cursor's now), if any
  // The first visible point under pixel at, changing nothing; the surface of segment skip (segmentation,
  // segment) is left out.
  std::optional<Vec3> pickPoint(QPoint at, std::pair<int, int> skip = {-1, -1});
  // Paint and Erase (volume_view_paint.cpp): a left drag is a stroke of balls on the picked points.
  bool brushTool() const;                       // Paint or Erase, with editing and a series
  bool lassoTool() const;                       // a left drag draws a lasso: Scissors with editing, or Punch
  std::optional<Vec3> pickForBrush(QPointF at);  // the point a dab there goes to
  void startPainting(QPointF at);               // a left press: the stroke begins (or the corner says why not)
  void paintTo(QPointF at);                     // a move while painting: a dab where the mouse is
  void endPainting();                           // the release (or a lost one): the stroke is one undo step
  void hoverBrush(QPointF at);                  // a move without a button: the brush's circle follows
  void drawBrush(class QPainter& p);
  int cropHandleUnder(QPointF at) const;     // the crop face whose handle is under the mouse, or -1
  view::SliceGrab sliceUnder(QPointF at) const;  // the slice whose outline is under the mouse (view -1: none)
  void dragSlice(QPoint d);                  // the dragged slice follows a mouse motion of d pixels
  // Ctrl and a left press: the window drag starts (or the corner says why not); false without a series.
  bool startWindowing(QPointF at);
  void drawMeasurements(class QPainter& p);  // the session's measurements in the reference's frame
  void finishDistance(QPointF end);  // the Distance tool's drag released at end: a measurement
  void clickAngle(QPoint at);        // the Angle tool's click: the next point, the third adds the angle
  // The measurement (0: none) and its handle under the mouse, as a press would grab them.
  std::pair<int64_t, int> handleUnder(QPointF at) const;
  bool grabHandle(QPointF at);       // a press on a 3D measurement's handle: it is selected and dragged
  void showHover(QPointF at, Qt::KeyboardModifiers keys);  // an open hand over what a left drag moves
  void dropHandle(QPointF end);      // its drag released at end: the point picked there, measured again
  Vec3 lineOfSight() const;          // the 3D camera's, in patient space
  void lesionAt(QPoint at);          // the Lesion tool's click: the cursor to the PET's hottest voxel under it
  // Adds a measurement made in 3D (or says why not) and selects it; the corner says "<what> <result>".
  void addMeasurement3d(const Result<view::Measurement>& m, const QString& what);
  void cutWithLasso(QPointF end, bool keepInside);  // the Scissors tool's lasso, released at end
  void islandAt(QPointF at, bool keep);             // the Island tool's click
  void rebuildSurfaces();  // starts a build of the changed segments' surfaces
  void pollSurfaces();     // collects a finished build and redraws

  view::ViewerState& state_;
  ViewTools& tools_;
  view::ViewerState::Subscription subscription_;
  view::VolumeRenderer coarse_;  // UI thread
  view::VolumeRenderer fine_;    // worker thread only, while busy_
  view::SegmentSurfaces surfaces_;  // segments' surfaces, built off the UI thread
  view::Slices3D sliceMaker_;
  std::vector<view::Slice3D> slices_;  // immutable images: the worker draws them too
  bool slicesDirty_ = true;
  view::CropBox3D slicesCrop_;        // the crop box slices_ were cut to
  std::vector<view::ClipPlane3D> slicesCuts_;  // and the cuts
  QTimer* surfacesDue_ = nullptr;   // a segmentation changed: rebuild its surfaces when editing pauses
  QTimer* surfacesPoll_ = nullptr;  // a build is running: collect it when it is done
  std::vector<float> shownOpacities_;  // the surfaces' opacities last seen (a change is drawn at once)
  view::TransferPreset preset_;
  std::string presetName_;
  std::string fusedPresetName_;
  bool previewFused_ = false;  // fused() gave the threshold preview's layer (not framed by the camera)
  Result<view::TransferPreset> fusedPreset_ = view::TransferPreset{};
  VolumeCanvas* canvas_ = nullptr;  // null without OpenGL
  ViewTextures textures_;  // with the canvas's context current only
  QImage previewImage_;    // the coarse picture, without a canvas
  QImage fineImage_;       // the full-resolution picture (kept to upload again into a new context)
  bool fineUpload_ = false;  // fineImage_ is not in its texture yet
  uint64_t generation_ = 1, shownGeneration_ = 0;
  bool shownFine_ = false;
  std::thread worker_;
  std::atomic<bool> busy_{false};
  uint64_t voxelsRevision_ =
      1;                       // invalidate()s that saw new slices, plus one: both renderers' voxel revision
  int64_t readyCounted_ = -1;  // drawnSlicesReady() when the count last moved
  int64_t drawnSlicesReady() const;  // the slices ready of the series the view may draw
  QTimer* refine_ = nullptr;
  QPoint lastAt_;
  bool rotating_ = false;
  bool panning_ = false;  // a middle or Shift+left drag
  bool zooming_ = false;  // a right drag
  QPoint pressAt_;
  bool dragging_ = false;  // moved beyond a click since the press
  int cropFace_ = -1;      // the crop face whose handle is being dragged
  // Ctrl and a left drag windows the rendering (view::windowedPreset of the preset at the press).
  bool windowing_ = false;
  view::TransferPreset windowFrom_;
  std::optional<view::TransferPreset> windowUndo_;  // the edit at the press (none: the preset's file)
  // A slice shown in 3D dragged by its outline along its view's normal (that view scrolls).
  int sliceDrag_ = -1;     // the view (-1: none)
  Vec3 sliceFrom_;         // that view's cursor at the press
  Vec3 sliceGrabbed_;      // the point of its outline grabbed
  double sliceMm_ = 0;     // the mouse's motion so far, in mm along the normal
  double clipWheel_ = 0;   // Ctrl+wheel notches not yet pushed (a fraction)
  QString pickText_;
  QString error_;
  Lasso lasso_;  // the Scissors tool's lasso while it is drawn
  bool painting_ = false;         // a Paint or Erase stroke is open (the left button is down)
  std::optional<Vec3> brushAt_;   // where the brush meets the rendering under the mouse (none: nothing there)
  // The Distance tool in 3D: a left drag from one picked point to another.
  bool measuring_ = false;
  std::optional<Vec3> measureFrom_;  // the end picked at the press (none: nothing was under it)
  QPointF measureTo_;                // the mouse while it drags
  std::vector<Vec3> anglePoints_;     // the Angle tool in 3D: the points clicked so far (arm end, vertex)
  // A distance's or an angle's handle dragged in 3D (any tool but Scissors): on release its point is picked again.
  int64_t handleId_ = 0;  // the measurement (0: none dragged)
  int handle_ = -1;       // its point
  QPointF handleTo_;      // the mouse while it drags
  std::map<int64_t, std::pair<uint64_t, QString>> measureText_;  // id -> (what it was measured on, text)
};

// The pixel under a mouse position (the 3D view picks and measures there).
inline QPoint pixelUnder(QPointF at) {
  return {static_cast<int>(std::floor(at.x())), static_cast<int>(std::floor(at.y()))};
}

// Whether this process can make an OpenGL context (tried once, with the first view): a window that
// holds a QOpenGLWidget where it cannot crashes in Qt 6.4's backing store.
bool openGlWorks();

}  // namespace cvx::viewer
