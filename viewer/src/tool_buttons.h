// SPDX-License-Identifier: MIT
// The tools bar's buttons (MainWindow::buildToolsBar), in the order of the Tool enum: each tool's
// name (its action is "tool<name>") and tool tip (translated where it is shown).
#pragma once
#include <QtGlobal>

#include "view_tools.h"

namespace cvx::viewer {

struct ToolButton {
  Tool tool;
  const char* name;
  const char* tip = nullptr;
};
inline constexpr ToolButton kToolButtons[] = {
    {Tool::Navigate, "Navigate"},
    {Tool::Distance, "Distance"},
    {Tool::Angle, "Angle"},
    {Tool::Rectangle, "Rectangle"},
    {Tool::Ellipse, "Ellipse"},
    {Tool::Freehand, "Freehand"},
    {Tool::Paint, "Paint"},
    {Tool::Erase, "Erase"},
    {Tool::Draw, "Draw",
     QT_TR_NOOP("Draw an outline in a 2D view: it is filled into the active segment on that slice (Shift: "
                "erased), within the brush's value range")},
    {Tool::Level, "Level",
     QT_TR_NOOP("Level tracing: move over the edge of a structure in a 2D view to outline what its level "
                "encloses on that slice; click to fill it into the active segment (Shift: erase it)")},
    {Tool::Scissors, "Scissors"},
    {Tool::Island, "Island",
     QT_TR_NOOP("Click a piece of the active segment: that piece is kept and the rest removed (Shift: that "
                "piece removed)")},
    {Tool::Punch, "Punch",
     QT_TR_NOOP("Draw a lasso in the 3D view: what it holds is left out of the volume rendering (Shift: "
                "only what it holds is kept). The 2D views and the data stay as they are")},
    {Tool::Lesion, "Lesion",
     QT_TR_NOOP("Click a PET lesion in any view: it is delineated at the Segments dock's percentage of its "
                "peak (41 % by default) on the PET, and its SUVmax, SUVpeak, MTV and TLG are shown")}};

// MainWindow::setTool checks the action at the tool's number.
constexpr bool inEnumOrder() {
  int i = 0;
  for (const ToolButton& b : kToolButtons)
    if (static_cast<int>(b.tool) != i++) return false;
  return i == static_cast<int>(Tool::Lesion) + 1;
}
static_assert(inEnumOrder(), "kToolButtons must list the tools in the order of the Tool enum");

}  // namespace cvx::viewer
