// SPDX-License-Identifier: MIT
// The viewer state: one per viewing session, Qt-free, read by every view (2D, 3D), tool, the
// headless renderer and the recorder. Views and tools change only this; each change notifies the
// listeners with what changed and which view (ITK-SNAP's models and couplings are the pattern).
// Not thread-safe: it lives on the UI thread; workers get copies of what they need.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/hd/reslice.h>
#include <cvx/core/segmentation.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/mapping.h>
#include <cvx/viewstate/plane.h>
#include <cvx/viewstate/punch_3d.h>
#include <cvx/viewstate/tf_presets.h>

namespace cvx::view {

using SlabMode = hd::SlabMode;  // MIP, MinIP, mean: the reslice function's own modes

// One image layer: a volume shared by every view (never copied) and its display mapping.
struct Layer {
  std::shared_ptr<const Volume> volume;
  DisplayMapping mapping;
  std::string name;
  bool visible = true;
};

struct View {
  Orientation orientation = Orientation::Axial;
  Plane plane;               // through the view's cursor; orientation from the standard or a rotation
  std::vector<int> layers;   // layer indices drawn, bottom first (empty: all layers)
  double zoom = 1;           // 1: the reference layer fits the viewport; 2: twice as large
  double panX = 0, panY = 0; // view centre offset in mm along plane.right / plane.down
  double slabMm = 0;         // 0: thin
  SlabMode slabMode = SlabMode::Mip;
  bool shownIn3d = false;    // the 3D view draws this view's image on its plane (slices_3d.h)
};

// How a view's position relates to the session cursor: its first layer shares the reference
// layer's frame of reference (linked), is linked by a manual offset the user set, or is unlinked
// (it keeps its own cursor, and the view shows a mark).
enum class LinkKind { Linked, ManualOffset, Unlinked };

enum Change : uint32_t {
  kCursor = 1u << 0,   // the cursor moved (planes of every linked view moved with it)
  kPlane = 1u << 1,    // a view's plane orientation changed (rotation, reset, convention)
  kPhase = 1u << 2,
  kLayers = 1u << 3,   // layers added/removed/shown, or a view's layer list
  kMapping = 1u << 4,  // window, inversion, colour map, opacity: no reslice needed
  kCamera = 1u << 5,   // zoom or pan
  kSlab = 1u << 6,
  kLinks = 1u << 7,
  kView3d = 1u << 8,  // the 3D view's camera or preset
  kSegmentation = 1u << 9,  // segmentations added/removed/edited, or their display
};

// How one segment is shown.
struct SegmentDisplay {
  bool visible = true;
  double opacity = 0.5;    // of the fill over the image (an outline is drawn opaque)
  double opacity3d = 1.0;  // of its surface in the 3D view (1: opaque; a translucent organ shows what it holds)
  // The Segment::number it belongs to (set by the state): a display stays with its segment when
  // another is removed, or a removal is undone. 0: matched by position.
  uint16_t number = 0;
};

// The threshold tool's live preview: while on, every 2D view that draws `layer` or another layer of
// its frame tints the pixels whose value of `layer` (modality units, resliced for the view) lies in [lo, hi], and the
// 3D view draws that range (thresholdPreset) instead of its preset (another layer of the frame: fused
// in that colour over the reference). Moving the slider re-maps the views' cached values.
struct ThresholdPreview {
  bool on = false;
  int layer = 0;
  double lo = 0, hi = 0;
  std::array<uint8_t, 3> rgb{255, 220, 0};
  double opacity = 0.5;
};

// A segmentation (core/segmentation.h) shown over the image layer it was made on: every view that
// draws that layer draws it, in fill or outline, in step. The segmentation is shared with the tools
// that edit it (they call ViewerState::segmentationEdited after a change).
struct SegmentationLayer {
  std::shared_ptr<Segmentation> segmentation;
  int layer = 0;                          // the image layer whose grid it shares
  std::vector<SegmentDisplay> segments;   // per segment of the segmentation
  bool outline = false;                   // outlines instead of fills
  bool visible = true;
  std::string name;
  // Bumped on every segmentationEdited (and unique across layers): caches of derived data (the 3D
  // view's surfaces) are rebuilt when it changes.
  uint64_t revision = 0;
};

// What the 3D camera frames at zoom 1 (camera_3d.h): a cylinder about the patient's long axis (LPS
// z) through `centre`, radiusMm about that axis and halfHeightMm along it, which holds what the
// preset shows of volume `volume` (Volume::serial; 0: nothing fitted yet, the view fits it).
struct Frame3D {
  uint64_t volume = 0;
  uint64_t fused = 0;  // the layer fused in 3D when it was fitted (Volume::serial; 0: none)
  Vec3 centre;
  double radiusMm = 0, halfHeightMm = 0;
};
// The 3D view's camera, orbiting the framed content's centre shifted by panMm. Azimuth 0, elevation
// 0 looks from the front (anterior) with superior up, so the patient's right is on the image's left;
// azimuth 90 looks from the patient's left, 180 from behind; elevation 90 looks down from above
// (superior). zoom 1 fits the frame to the image (camera_3d.h's rule, at any azimuth); 2 shows half
// as much.
struct Camera3DView {
  double azimuthDeg = 0, elevationDeg = 0, zoom = 1;
  bool perspective = true;
  double fovYDeg = 30;
  Frame3D frame;     // a frame of another volume (or none) frames that volume's box
  Vec3 panMm{0, 0, 0};  // the orbit's centre from frame's (LPS mm)
};
// The 3D view's crop box, in the reference volume's voxel-index space as fractions of its extent:
// per voxel axis, 0 is the outer face of the first voxel (index -0.5) and 1 that of the last (n - 0.5).
// The default keeps the whole volume; lo <= hi. shown: the 3D view draws its edges and face handles
// (and a drag on a handle moves that face).
struct CropBox3D {
  std::array<double, 3> lo{0, 0, 0}, hi{1, 1, 1};
  bool shown = false;
  bool full() const { return lo == std::array<double, 3>{0, 0, 0} && hi == std::array<double, 3>{1, 1, 1}; }
};
// A clip plane of the 3D view: the view draws only what lies on the side its normal points to
// (dot(normal, p - point) >= 0), in the volume and a fused layer alike (and the segment surfaces and
// slices shown in 3D when clipSurfaces3d is on). A plane that follows an MPR view (view >= 0) is that view's plane through its cursor, with
// the view's normal (into its screen), reversed when flip: by default the 3D view keeps what the MPR
// view looks into, so the cut face is the MPR's image seen from the same side, and the plane moves
// as the view scrolls or its plane turns (the crosshair turned in another view), through the cursor
// in the reference's frame (a view linked by an offset shows another frame: its plane is placed
// there by the cursor, not its own; an unlinked view's plane cuts nothing). The convention
// (radiological, neurological) does not change the side kept. A free plane (view -1) stays at point,
// normal (LPS mm; flip reverses it too). A slab keeps instead what lies within slabMm / 2 of the plane, on both sides
// (thick-slab volume rendering; flip does not matter): slabMm 0 on a plane that follows a view takes
// that view's own slab (View::slabMm; kDefaultSlabMm while the view is thin), so the 3D slab is the
// MPR's. It counts as two planes.
struct ClipPlane3D {
  static constexpr double kDefaultSlabMm = 20;
  int view = -1;
  Vec3 point{0, 0, 0}, normal{0, 0, 1};
  bool flip = false;
  bool slab = false;
  double slabMm = 0;
  // A free plane's normal as kept: unit, reversed when flip.
  Vec3 keptNormal() const { return normalized(normal) * (flip ? -1.0 : 1.0); }
  bool operator==(const ClipPlane3D& o) const;  // every field the same
};
// viewer.bad_clip for planes setClipPlanes3d refuses (below) among views 0 .. viewCount - 1.
Status checkClipPlanes(const std::vector<ClipPlane3D>& planes, int viewCount);
struct ChangeEvent {
  uint32_t what = 0;
  int view = -1;   // the view concerned, -1 for all
  int layer = -1;  // the layer concerned, -1 for all/none
};

class ViewerState {
 public:
  using Listener = std::function<void(const ChangeEvent&)>;
  // Unsubscribes when destroyed.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&&) noexcept = default;
    Subscription& operator=(Subscription&&) noexcept = default;
    ~Subscription();
   private:
    friend class ViewerState;
    std::weak_ptr<std::map<int, Listener>> listeners_;
    int id_ = -1;
  };

  // Views in the given orientations (default: axial, coronal, sagittal).
  explicit ViewerState(std::vector<Orientation> views = {Orientation::Axial, Orientation::Coronal,
                                                         Orientation::Sagittal});

  [[nodiscard]] Subscription subscribe(Listener listener);

  // Layers. The first layer is the reference: it gives the cursor's grid (snapping, scroll step),
  // the fit of zoom 1, the phase count and the frame of reference others link to. Adding the
  // first layer resets the views and puts the cursor at the voxel centre nearest its centre.
  int addLayer(std::shared_ptr<const Volume> volume, std::optional<DisplayMapping> mapping = std::nullopt);
  void removeLayer(int layer);
  const std::vector<Layer>& layers() const { return layers_; }
  void setMapping(int layer, const DisplayMapping& m);
  void setLayerVisible(int layer, bool visible);
  void setViewLayers(int view, std::vector<int> layers);
  // The layer a view is about (its first layer; the reference when it lists none): its values,
  // window and annotations are the ones the view shows and its tools change.
  int viewLayer(int view) const { return firstLayer(view); }
  // A layer's FrameOfReferenceUID ("" for none, or no such layer).
  std::string frameOf(int layer) const;
  // Layer `own` first, then the other layers of its frame of reference (a frame without a UID links
  // nothing): the series a segment on `own` can be read against (the brush's range, the PET uptake,
  // the plugins' input). Empty for no such layer.
  std::vector<int> layersOfFrame(int own) const;
  // The layer holding the volume of Volume::serial `serial`; -1 for none.
  int layerOfSerial(uint64_t serial) const;

  // Views. setViews replaces them (a new layout): standard planes through the cursor, zoom 1; each
  // view's layer list from `layers` when given (empty: all layers).
  void setViews(std::vector<Orientation> views, std::vector<std::vector<int>> layers = {});
  int viewCount() const { return static_cast<int>(views_.size()); }
  const View& view(int v) const { return views_.at(static_cast<size_t>(v)); }
  Convention convention() const { return convention_; }
  void setConvention(Convention c);

  // The cursor (LPS mm) in the reference frame of reference. Snapped to the nearest voxel centre of
  // the reference layer while every view is axis-aligned with it and snapping is on.
  Vec3 cursor() const { return cursor_; }
  // `fromView`: the view the point was picked in; its frame when it is linked by an offset, its own
  // cursor only when it is unlinked.
  void setCursor(Vec3 world, int fromView = -1);
  // setCursor exactly at `world`, not snapped to the reference's voxel centres (a PET voxel's centre).
  void setCursorUnsnapped(Vec3 world, int fromView = -1);
  bool snapping() const { return snap_; }
  void setSnapping(bool on) { snap_ = on; }
  // Moves the cursor along the view's normal by `slices` steps of sliceStepMm(view).
  void scroll(int view, double slices);
  // One slice step along the view's normal: the distance over which the reference grid's voxel
  // index changes by at most 1 along any axis (its spacing for an axis-aligned view).
  double sliceStepMm(int view) const;
  // Rotates the crosshair in `view`: every other view's plane turns about this view's normal,
  // through the cursor, and becomes oblique.
  void rotateCrosshair(int view, double radians);
  // Zoom is linked: every view that is not unlinked zooms by the same factor (unless zoom linking is
  // off). Pan moves the views whose plane is parallel to this one's (side-by-side series), or this
  // view alone when zoom linking is off.
  void zoom(int view, double factor);
  void pan(int view, double dxMm, double dyMm);
  bool zoomLinked() const { return linkZoom_; }
  void setZoomLinked(bool on) { linkZoom_ = on; }
  void setSlab(int view, double slabMm, SlabMode mode);
  // Back to the standard orientation, zoom 1, no pan (one view, or all with -1). All (-1) also
  // brings the 3D camera back to the front, zoom 1, no pan, its projection kept, its frame fitted
  // again (to the preset's content now: Frame3D).
  void reset(int view = -1);

  // 4D: the phase every view shows.
  int phase() const { return phase_; }
  // The phase the views show of a volume: the state's, or its last when it has fewer (a static PET
  // over a 4D CT: its only one).
  int64_t phaseOf(const Volume& v) const { return std::min<int64_t>(phase_, std::max<int64_t>(1, v.dims()[3]) - 1); }
  int phaseCount() const;
  void setPhase(int phase);

  // The 3D view: its camera and its transfer-function preset (a name of resources/transfer_functions).
  const Camera3DView& camera3d() const { return camera3d_; }
  void setCamera3d(const Camera3DView& c);
  const std::string& preset3d() const { return preset3d_; }
  // The layer the 3D view fuses over the reference (PET on CT, MR on CT): the first visible layer
  // after it in the reference's frame of reference; -1 when there is none. It is drawn with
  // fusedPreset3d() (by default its modality's, defaultTransferPreset), at the state's phase when it has as many
  // phases as the reference, else its first. setFusion3d(false) draws the reference alone
  // (kView3d); the layer stays as it is in the 2D views.
  int fusedLayer3d() const;
  bool fusion3d() const { return fusion3d_; }
  void setFusion3d(bool on);
  int fusedPhase3d() const;
  // The fused layer's preset (a transfer-preset name); empty, the default: its modality's
  // (defaultTransferPreset). setFusedPreset3d raises kView3d.
  const std::string& fusedPreset3d() const { return fusedPreset3d_; }
  void setFusedPreset3d(const std::string& name);
  // The preset the fused layer is drawn with: fusedPreset3d(), or its modality's when that is empty;
  // empty without a fused layer.
  std::string fusedPresetName3d() const;
  // The transfer-function editor's edit of the fused layer's preset (in the layer's own units, as
  // editedPreset3d): while there is one, the 3D view draws the layer with it. setFusedPreset3d drops
  // it; tf.bad_points (and no change) as setEditedPreset3d. Raises kView3d.
  const TransferPreset* editedFusedPreset3d() const { return editedFused3d_ ? &*editedFused3d_ : nullptr; }
  Status setEditedFusedPreset3d(TransferPreset preset);
  void setPreset3d(const std::string& name);
  // The transfer-function editor's edit of the preset (absolute values; tf_edit.h): while there is
  // one, the 3D view draws it instead of preset3d()'s file. Choosing a preset (setPreset3d) drops it.
  // setEditedPreset3d raises kView3d; tf.bad_points (and no change) for points checkTransferPoints
  // rejects. setPreset3dPoints replaces the edit's points (starting one from `base` when none).
  const TransferPreset* editedPreset3d() const { return edited3d_ ? &*edited3d_ : nullptr; }
  Status setEditedPreset3d(TransferPreset preset);
  Status setPreset3dPoints(std::vector<TfPoint> points, const TransferPreset& base);
  // The 3D view's crop box (kView3d): clamped to [0, 1] with lo <= hi; resetCrop3d keeps the whole
  // volume (and whether the box is shown).
  const CropBox3D& crop3d() const { return crop3d_; }
  void setCrop3d(const CropBox3D& c);
  void resetCrop3d();

  // The 3D view's clip planes (kView3d), at most kMaxClipPlanes3d half-spaces (a slab is two);
  // viewer.bad_clip (and no change: checkClipPlanes) for more, a free plane's normal that is zero or
  // not finite (nor its length), a point not finite, a slab thickness that is negative or not finite
  // (or 0 on a free slab), or a view that does not exist. A new layout (setViews) turns the planes that follow views into free
  // planes where they were (a slab with the thickness it had), so that the cut stays.
  static constexpr int kMaxClipPlanes3d = 6;
  const std::vector<ClipPlane3D>& clipPlanes3d() const { return clip3d_; }
  Status setClipPlanes3d(std::vector<ClipPlane3D> planes);
  // The half-spaces where they are now (point, unit normal, flip false, slab false; view: the view the
  // plane follows, for its colour, else -1), in order, a slab's two in a row: what the 3D view cuts
  // with.
  std::vector<ClipPlane3D> cutPlanes3d() const;
  // A plane where it is now, itself (view -1, the normal flipped in, a slab's thickness resolved).
  ClipPlane3D fixedClip3d(const ClipPlane3D& c) const;
  // Some plane follows an MPR view: the 3D picture changes with the cursor and the views' planes.
  bool clipFollowsViews() const;
  // Whether the clip planes cut the segment surfaces (capped: render/mesh_raster.h) and the slices shown in
  // 3D too (off by default: they cut the volume alone, so a structure stays whole in the volume cut open).
  // kView3d.
  bool clipSurfaces3d() const { return clipSurfaces3d_; }
  void setClipSurfaces3d(bool on);
  // Whether the 3D view draws view v's image on its plane, where the plane crosses the crop box
  // (slices_3d.h): View::shownIn3d. kView3d for v; nothing for a view that does not exist. A new
  // layout (setViews) shows none.
  void setShownIn3d(int view, bool on);
  bool anyShownIn3d() const;
  // The 3D view's punches and their undo (punch_3d.h): what its volume rendering leaves out (kView3d).
  // A new reference layer (the first added, or the first removed) starts with none.
  const Punches3D& punches3d() const { return punches3d_; }
  void setPunches3d(Punches3D p);

  // Segmentations over the layers (kSegmentation). addSegmentation: on image layer `layer`, whose
  // grid it must share (dims; the geometry within 1e-3 mm), else seg.bad_geometry; shown, each
  // segment filled at opacity 0.5. Removing an image layer removes its segmentations. The active
  // segment is the one tools (brush, threshold) work on: (-1, -1) when there is none.
  Result<int> addSegmentation(std::shared_ptr<Segmentation> s, int layer = 0, std::string name = {});
  void removeSegmentation(int index);
  const std::vector<SegmentationLayer>& segmentations() const { return segs_; }
  void setSegmentDisplay(int index, int segment, const SegmentDisplay& d);
  void setSegmentationOutline(int index, bool outline);
  void setSegmentationVisible(int index, bool visible);
  // Its voxels or segments changed (an edit, a plugin's result): views redraw; each segment keeps its
  // display (by Segment::number), new segments get the default one.
  void segmentationEdited(int index);
  std::pair<int, int> activeSegment() const { return activeSeg_; }
  // The threshold preview (kSegmentation | kView3d); lo > hi is swapped.
  const ThresholdPreview& thresholdPreview() const { return threshold_; }
  void setThresholdPreview(const ThresholdPreview& t);
  void setActiveSegment(int index, int segment);

  // Frames of reference: a layer whose FrameOfReferenceUID differs from the reference layer's is
  // unlinked unless the user links it by an offset (mm, added to the cursor for that frame).
  void linkFrameByOffset(const std::string& frameOfReferenceUid, Vec3 offsetMm);
  void unlinkFrame(const std::string& frameOfReferenceUid);
  LinkKind linkOf(int view) const;
  // The cursor as seen by a view (its own cursor when unlinked, with the offset when linked so).
  Vec3 viewCursor(int view) const;
  std::optional<Vec3> frameOffset(const std::string& frameOfReferenceUid) const;  // its manual link, if any

  // Where the view's pixels are for a viewport of width x height: the plane through the view's
  // cursor, centred on the reference layer's extent (plus pan), at zoom 1 fitting that extent
  // (edge to edge, aspect kept: a viewport with the slice's physical aspect has no margin).
  // An unlinked view (another frame of reference) centres on and fits its own layer instead.
  PixelFrame pixelFrame(int view, int width, int height) const;

 private:
  void notify(uint32_t what, int view = -1, int layer = -1);
  void dropSegmentationsOf(int layer);  // after image layer `layer` was removed (state_seg.cpp)
  void placePlanes();
  Vec3 snapped(Vec3 world) const;
  void moveCursor(Vec3 world, int fromView, bool snap);  // setCursor and setCursorUnsnapped
  bool allAxisAligned() const;
  std::vector<int> cameraGroup(int view, bool parallelOnly) const;  // the views a zoom/pan moves
  const Volume* reference() const;
  const Volume* viewVolume(int view) const;  // the view's first layer's volume (or the reference)
  int firstLayer(int view) const;

  std::vector<Layer> layers_;
  std::vector<SegmentationLayer> segs_;
  std::pair<int, int> activeSeg_{-1, -1};
  ThresholdPreview threshold_;
  std::vector<View> views_;
  std::vector<Vec3> ownCursor_;       // per view, used while it is unlinked
  std::vector<Orientation> home_;     // per view, the orientation reset() returns to
  std::map<std::string, Vec3> frameOffsets_;
  Vec3 cursor_;
  int phase_ = 0;
  Camera3DView camera3d_;
  std::string preset3d_ = "ct-bone";
  bool fusion3d_ = true;
  std::string fusedPreset3d_;
  std::optional<TransferPreset> edited3d_;  // the editor's edit, if any
  std::optional<TransferPreset> editedFused3d_;  // its edit of the fused layer's preset, if any
  CropBox3D crop3d_;
  std::vector<ClipPlane3D> clip3d_;
  Punches3D punches3d_;
  bool clipSurfaces3d_ = false;
  Convention convention_ = Convention::Radiological;
  bool snap_ = true;
  bool linkZoom_ = true;
  std::shared_ptr<std::map<int, Listener>> listeners_ = std::make_shared<std::map<int, Listener>>();
  int nextListener_ = 0;
};

}  // namespace cvx::view
