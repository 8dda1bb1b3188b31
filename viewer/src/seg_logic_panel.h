// SPDX-License-Identifier: MIT
// Logical operators in the Segments dock (view::SegEditor::combine, 3D Slicer's effect of that
// name): the active segment becomes itself with another segment of its segmentation added,
// intersected or subtracted, its complement, or a copy of the other. No other segment changes;
// one undo step, journaled (SegEditing::combineActive). A row: [operation] [with] [Apply].
#pragma once
#include <QWidget>

#include <cstddef>
#include <cstdint>
#include <vector>

#include <cvx/viewstate/state.h>

class QComboBox;
class QLabel;
class QPushButton;

namespace cvx::viewer {

class SegEditing;

class SegLogicPanel : public QWidget {
  Q_OBJECT
 public:
  SegLogicPanel(view::ViewerState& state, SegEditing& editing, QWidget* parent = nullptr);

 private:
  void listSegments();  // "with": the other segments of the active segment's segmentation
  void apply();

  view::ViewerState& state_;
  SegEditing& editing_;
  view::ViewerState::Subscription subscription_;
  QComboBox* op_ = nullptr;
  QComboBox* with_ = nullptr;
  QPushButton* apply_ = nullptr;
  QLabel* message_ = nullptr;
  std::vector<uint16_t> listed_;  // the segment number (Segment::number) of each entry of with_
  uint16_t chosen_ = 0;           // the number the user chose in with_ (0: none yet)
  const Segmentation* of_ = nullptr;  // the segmentation listed (a choice is forgotten with it)
};

}  // namespace cvx::viewer
