// SPDX-License-Identifier: MIT
// How a layer's modality values become display values: the window (DICOM linear VOI, applied after
// slicing, so dragging it never reslices), inversion (MONOCHROME1), a colour map and an opacity.
#pragma once
#include <array>
#include <cstdint>
#include <cmath>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include <cvx/core/volume.h>

namespace cvx::view {

enum class ColorMap { Grey, Hot, Rainbow };

struct DisplayMapping {
  double center = 40, width = 400;  // in the layer's modality units (HU, SUV, ...)
  bool invert = false;              // MONOCHROME1: low values bright
  ColorMap colorMap = ColorMap::Grey;
  double opacity = 1.0;             // 0..1, over the layers below
  std::string source;               // where the window came from: "file", "preset:<name>", "protocol:<name>",
                                    // "suv", "range", "user"
  // How the window is shown and typed: centre and width above are modality values; the reader
  // sees them times `unitScale`, in `units` (PET: the SUVbw factor and "SUVbw"; else 1 and the
  // series' units). Slicing and mapping never use this: it is a label.
  double unitScale = 1.0;
  std::string units;
  // unitScale, or 1 where it is no positive finite number: what a typed value is divided by.
  double shownPerValue() const { return unitScale > 0 && std::isfinite(unitScale) ? unitScale : 1.0; }
};

// A named window preset (CT: brain, subdural, stroke, lung, mediastinum, abdomen, liver, bone).
struct NamedWindow {
  std::string name;
  double center = 0, width = 1;
};
const std::vector<NamedWindow>& ctWindowPresets();

// THE rule for a layer's first mapping (the only place it is chosen), first that applies:
// 1. `protocolPreset`, the hanging protocol's preset for the series' modality, when it names a CT
//    preset and the series is CT (the reader configured it; it wins over the file);
// 2. the file's first window when it has one with a positive width;
// 3. CT (modality CT or units HU): the abdomen preset;
// 4. PET (PT) in BQML with an SUVbw factor (suv.h): SUVbw 0 to 6, inverted grey, as nuclear
//    medicine reads PET, shown in SUVbw;
// 5. the 0.5th to 99.5th percentile of the modality values of the middle slice of phase 0.
// MONOCHROME1 is inverted. A PET with an SUVbw factor is shown in SUVbw and inverted whichever
// window it opens at (the file's too); elsewhere units are the series' units.
DisplayMapping initialMapping(const Volume& v, std::string_view protocolPreset = {});
// The preset of ctWindowPresets() with this name (case-insensitive), or nullptr.
const NamedWindow* findCtPreset(std::string_view name);

// A stored voxel value as a modality value (rescale unless the volume holds modality values).
inline double modalityValue(const Volume& v, double stored) {
  return v.info.rescaleApplied ? stored : stored * v.info.rescaleSlope + v.info.rescaleIntercept;
}

// The qlo and qhi quantiles (0..1) of the modality values of phase 0 (at most 262,144 voxels,
// evenly strided; NaN skipped): a relative transfer function's range. {0, 0} when there are none.
std::pair<double, double> valuePercentiles(const Volume& v, double qlo, double qhi);

// Window/level drag: dx widens (positive: wider), dy raises the level (positive: brighter image,
// i.e. a lower centre), both scaled by the current width so that a drag feels the same at W 80 and
// W 2000. Width stays >= 1.
DisplayMapping dragWindow(const DisplayMapping& m, double dxPixels, double dyPixels);

// 256-entry RGBA lookup of a colour map (a = 255).
const std::array<uint32_t, 256>& colorMapLut(ColorMap c);

}  // namespace cvx::view
