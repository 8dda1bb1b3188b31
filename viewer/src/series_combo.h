// SPDX-License-Identifier: MIT
// A combo box of series (the Segments dock's "of" beside the brush's range and "on" of the plugins):
// one item per image layer listed, labelled by its modality ("PT"; with its series number, "PT 3",
// when two listed series share a modality), its data the layer's Volume::serial, so that a choice
// survives layers added or removed.
#pragma once
#include <cstdint>
#include <vector>

#include <cvx/viewstate/state.h>

class QComboBox;

namespace cvx::viewer {

// Lists `layers` of `state` in `combo`, keeping the current choice while it is still listed (else
// the first item). `listed` holds the serials listed last: when they are the same, nothing changes
// and false is returned. No signal is sent while the items change.
bool listSeries(QComboBox* combo, const view::ViewerState& state, const std::vector<int>& layers,
                std::vector<uint64_t>& listed);

// The serial of the combo's current item; 0 for none.
uint64_t chosenSerial(const QComboBox* combo);

}  // namespace cvx::viewer
