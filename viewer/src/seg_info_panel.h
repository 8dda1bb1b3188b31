// SPDX-License-Identifier: MIT
// The active segment's identity in the Segments dock (issue 12): its name, its type (a DICOM term of
// view::segmentTerms(), which also sets its colour and, while it bears a default name, its name), its
// colour, and Delete. Each change is one undoable, journaled step (SegEditing::setActiveSegmentInfo,
// removeActiveSegment), so a SEG saved afterwards says "Liver" with SNOMED CT's code rather than
// "Segment 1" of type Tissue. A file's own terms show as "Other: <meaning>" and are kept until
// another type is chosen. A thin widget over the state's active segment.
#pragma once
#include <QIcon>
#include <QWidget>

#include <array>
#include <cstdint>

#include <cvx/viewstate/state.h>

class QComboBox;
class QLineEdit;
class QPushButton;

namespace cvx::viewer {

class SegEditing;

// A segment colour's 12-pixel swatch: the dock's rows, the Type list, the Colour button.
QIcon segmentSwatch(const std::array<uint8_t, 3>& rgb);

class SegInfoPanel : public QWidget {
  Q_OBJECT
 public:
  SegInfoPanel(view::ViewerState& state, SegEditing& editing, QWidget* parent = nullptr);

 private:
  void sync();                      // the widgets from the active segment
  const Segment* active() const;    // the active segment, or null
  void change(const Segment& s);    // an edit of the active segment (or the reason it failed, in the tooltip)
  void chooseColour();

  view::ViewerState& state_;
  SegEditing& editing_;
  view::ViewerState::Subscription subscription_;
  QLineEdit* name_ = nullptr;
  QComboBox* type_ = nullptr;
  QPushButton* colour_ = nullptr;
  QPushButton* delete_ = nullptr;
  bool syncing_ = false;
};

}  // namespace cvx::viewer
