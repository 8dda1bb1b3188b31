// SPDX-License-Identifier: MIT
// The transfer-function editor's model, Qt-free: an edited preset's control points and the
// operations on them (move within the neighbours, add without changing the function, remove, colour,
// hit-testing in the editor's plot), the plot's value/alpha <-> pixel mapping, and the histogram of
// the reference volume's modality values the editor draws behind the curve (docs/volume-rendering.md,
// "Editing a transfer function").
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/tf_presets.h>

namespace cvx::view {

// The editor's plot: values [lo, hi] from left to right over `width` pixels from `left`, alpha 0 at
// the bottom to 1 at the top over `height` pixels from `top` (y grows downwards, as on screen).
struct TfPlot {
  double lo = -1024, hi = 3071;
  double left = 0, top = 0, width = 1, height = 1;
  double xOf(double value) const { return left + (value - lo) / (hi - lo) * width; }
  double yOf(double alpha) const { return top + (1 - alpha) * height; }
  double valueAt(double x) const { return lo + (x - left) / width * (hi - lo); }
  double alphaAt(double y) const { return 1 - (y - top) / height; }
};

class TfEdit {
 public:
  TfEdit() = default;
  // The preset to edit, its values absolute (editablePreset resolves a relative one).
  explicit TfEdit(TransferPreset preset) : preset_(std::move(preset)) {}

  const TransferPreset& preset() const { return preset_; }
  const std::vector<TfPoint>& points() const { return preset_.points; }
  int size() const { return static_cast<int>(preset_.points.size()); }

  // Moves point i to (value, alpha): the value clamped between its neighbours' values (values never
  // decrease), alpha to [0, 1]. False (and no change) for a bad index or a number that is not finite.
  bool movePoint(int i, double value, double alpha);
  // Adds a point at `value` after any points of the same value, its colour and alpha those the
  // function has there (linear between the neighbours, the end point's beyond the ends), so the
  // function does not change. Its index, or -1 (no change) for a value that is not finite.
  int addPoint(double value);
  // Removes point i; never below 2 points. False when nothing was removed.
  bool removePoint(int i);
  // Point i's colour, each channel clamped to [0, 1]. False for a bad index or a channel not finite.
  bool setColor(int i, float r, float g, float b);
  // The point whose handle in `plot` is nearest (x, y) (pixels), within radiusPx; -1 when none is.
  int hitTest(const TfPlot& plot, double x, double y, double radiusPx = 6) const;

  // The gradient-opacity curve (TransferPreset::gradientOpacity: opacity times f(|gradient|), a 2D
  // transfer function; empty: opacity by value alone), edited like the points. In a TfPlot of it,
  // the value axis is the magnitude (units per mm) and alpha is the factor.
  const std::vector<GradientPoint>& gradientPoints() const { return preset_.gradientOpacity; }
  int gradientSize() const { return static_cast<int>(preset_.gradientOpacity.size()); }
  // Moves gradient point i to (magnitude, factor): the magnitude clamped to [0, inf) and between its
  // neighbours', the factor to [0, 1]. False (and no change) for a bad index or a number not finite.
  bool moveGradientPoint(int i, double magnitude, double factor);
  // Adds a gradient point at `magnitude` (clamped to >= 0) with the curve's factor there (linear
  // between neighbours, the ends held beyond; 1 on an empty curve), so the function does not change.
  // Its index, or -1 for a magnitude that is not finite.
  int addGradientPoint(double magnitude);
  // Removes gradient point i; the last one too (the curve is gone: 1D again). False for a bad index.
  bool removeGradientPoint(int i);
  int hitTestGradient(const TfPlot& plot, double x, double y, double radiusPx = 6) const;

 private:
  TransferPreset preset_;
};

// A preset in volume v's modality units, ready to edit and to draw (VolumeRenderer draws through
// this): a relative preset resolved to v's 1st..99th percentile of phase 0; a preset in SUVbw
// (units) divided by v's SUVbw factor (suv.h: value / factor Bq/ml); others unchanged. Errors:
// tf.bad_range (resolveRelative); tf.no_suv when an SUVbw preset meets a series without a factor
// (not PET in Bq/ml, or inputs missing: the suv.* reason is in the message).
Result<TransferPreset> editablePreset(const TransferPreset& preset, const Volume& v);

// p titled as an edit: " (edited)" after its title (its name when it has none), once; the 3D view's
// corner shows the title.
TransferPreset markedEdited(TransferPreset p);

// The values where a curve changes: from the last point of its leading run of one opacity to the first
// of its trailing run (ct-bone: 150 to 1500 HU, not the -1024 and 3071 that only hold its ends); the
// first and last values when those runs meet.
std::pair<double, double> windowSpan(const std::vector<TfPoint>& points);

// The 3D view's window drag (Ctrl and a left drag in the 3D view), the MPR views' rule (dragWindow,
// mapping.h: right wider, down brighter, w / 256 a pixel) applied to p's points: windowSpan is the
// window (width w, centre c); the drag gives the window
// (c', w') and value v goes to c' + (v - c) w' / w, so that the curve keeps its shape, moved and
// stretched. The narrowest window is w / 256 (the MPR views' floor of 1 in units of the span, so that
// data whose whole range is under 1, ADC or a 0..1 map, does not jump). Alpha, colours and the
// gradient curve stay; the values' order too (w' > 0). p's values must be absolute (editablePreset).
// Points all of one value move by 1/256 a pixel (a span of 1).
TransferPreset windowedPreset(const TransferPreset& p, double dxPixels, double dyPixels);

// Counts of one phase's modality values (the stored values through modalityValue, mapping.h; NaN
// skipped) in `bins` equal bins over [lo, hi]: bin i holds [lo + i w, lo + (i + 1) w), the last bin
// also hi itself; values below lo or above hi are counted in below / above. No counts for bins < 1,
// lo >= hi (or either not finite) or a phase out of range.
struct ValueHistogram {
  double lo = 0, hi = 1;
  std::vector<int64_t> counts;
  int64_t below = 0, above = 0;
};
ValueHistogram valueHistogram(const Volume& v, int phase, double lo, double hi, int bins);

// Counts of gradient magnitudes (modality units per mm: central differences over each axis's
// spacing, at interior voxels; at most about 2 M of them, every k-th voxel along each axis with the
// smallest k that gives so few) in `bins` equal bins over [0, hi], hi the 99.5th percentile of those
// magnitudes (the larger ones in `above`), the gradient-opacity plot's range. No counts for bins < 1,
// a phase out of range or a grid without interior voxels; hi 1 when every magnitude is 0.
ValueHistogram gradientHistogram(const Volume& v, int phase, int bins);

// The smallest and largest modality value of one phase (NaN skipped); {0, 0} when there is none.
std::pair<double, double> valueExtent(const Volume& v, int phase);

}  // namespace cvx::view
