// SPDX-License-Identifier: MIT
// Layouts and hanging protocols: how a study is first laid out. A protocol names the modalities a
// study must hold, a grid (1x1, 1x2, 2x2, 1x3) and per viewport a view (axial, coronal, sagittal, 3D)
// and the series it shows (by modality); optionally the window preset of a modality. Protocols are
// JSON (resources/hanging_protocols.json); a user's own file may replace them. Qt-free.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/viewstate/plane.h>

namespace cvx::view {

// What a viewport shows: a plane of the viewer state, or the 3D view.
enum class CellKind { Axial, Coronal, Sagittal, ThreeD };
const char* toString(CellKind k);

struct LayoutCell {
  CellKind kind = CellKind::Axial;
  std::string modality;  // the series this viewport shows (its modality); empty: the study's primary series
};

struct Layout {
  std::string name;  // "1x1", "1x2", "2x2", "1x3"
  int rows = 1, cols = 1;
  std::vector<LayoutCell> cells;  // rows * cols, row by row
};

// The built-in grids with the views a reader expects in them: 1x1 axial; 1x2 axial | coronal;
// 2x2 axial, coronal / sagittal, 3D; 1x3 axial | coronal | sagittal.
const std::vector<Layout>& standardLayouts();
const Layout* findLayout(std::string_view name);

struct HangingProtocol {
  std::string name;
  std::vector<std::string> modalities;     // every one must be in the study (e.g. {"PT", "CT"})
  Layout layout;
  std::map<std::string, std::string> windowPreset;  // modality -> preset name (ctWindowPresets)
};

// Parses a protocol file. Errors (with the protocol's index in the message): protocol.bad_json,
// protocol.bad_layout (unknown grid, wrong cell count, unknown view), protocol.bad_preset.
Result<std::vector<HangingProtocol>> parseProtocols(std::string_view json);

// The protocol for a study with these modalities: among those whose modalities are all present,
// the most specific (most modalities; first in file order on a tie). nullptr when none applies
// (the caller then uses the 2x2 layout).
const HangingProtocol* chooseProtocol(const std::vector<HangingProtocol>& protocols,
                                      const std::vector<std::string>& studyModalities);

}  // namespace cvx::view
