// SPDX-License-Identifier: MIT
// What the transfer-function editor edits (tf_editor.h): the volume, or the 3D view's fused layer.
#include "tf_editor.h"

namespace cvx::viewer {

std::shared_ptr<const Volume> TfEditor::targetVolume() const {
  if (!fused_) return state_.layers().empty() ? nullptr : state_.layers().front().volume;
  return state_.layers()[static_cast<size_t>(state_.fusedLayer3d())].volume;
}
int TfEditor::targetPhase() const { return fused_ ? state_.fusedPhase3d() : state_.phase(); }
const view::TransferPreset* TfEditor::targetEdit() const {
  return fused_ ? state_.editedFusedPreset3d() : state_.editedPreset3d();
}
std::string TfEditor::targetPresetName() const { return fused_ ? state_.fusedPresetName3d() : state_.preset3d(); }
void TfEditor::choosePreset(const std::string& name) {
  if (fused_) state_.setFusedPreset3d(name);
  else state_.setPreset3d(name);
}

}  // namespace cvx::viewer
