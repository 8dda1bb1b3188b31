// SPDX-License-Identifier: MIT
#include "seg_logic_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>

#include <algorithm>

#include "seg_editing.h"

namespace cvx::viewer {

namespace {
// The operators in the order of op_'s entries.
constexpr view::SegLogic kOps[] = {view::SegLogic::Add, view::SegLogic::Subtract, view::SegLogic::Intersect,
                                   view::SegLogic::Copy, view::SegLogic::Invert};
}  // namespace

SegLogicPanel::SegLogicPanel(view::ViewerState& state, SegEditing& editing, QWidget* parent)
    : QWidget(parent), state_(state), editing_(editing) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("Logical"), this));
  op_ = new QComboBox(this);
  op_->setObjectName("segLogicOp");
  op_->addItems({tr("Add"), tr("Subtract"), tr("Intersect"), tr("Copy"), tr("Invert")});
  op_->setToolTip(tr("The active segment becomes itself plus, less, or in common with the other segment, a copy of "
                     "it, or its own complement; no other segment changes (one undo step)"));
  with_ = new QComboBox(this);
  with_->setObjectName("segLogicWith");
  apply_ = new QPushButton(tr("Apply"), this);
  apply_->setObjectName("segLogicApply");
  message_ = new QLabel(this);
  message_->setObjectName("segLogicMessage");
  row->addWidget(op_);
  row->addWidget(with_, 1);
  row->addWidget(apply_);
  row->addWidget(message_);
  connect(op_, &QComboBox::currentIndexChanged, this, [this] { listSegments(); });
  connect(with_, &QComboBox::activated, this, [this](int i) {
    chosen_ = i >= 0 && i < static_cast<int>(listed_.size()) ? listed_[static_cast<size_t>(i)] : 0;
    listSegments();
  });
  connect(apply_, &QPushButton::clicked, this, &SegLogicPanel::apply);
  subscription_ = state_.subscribe([this](const view::ChangeEvent& e) {
    if (e.what & view::kSegmentation) listSegments();
  });
  listSegments();
}

void SegLogicPanel::listSegments() {
  const auto [index, active] = state_.activeSegment();
  const Segmentation* of = index >= 0 ? state_.segmentations()[static_cast<size_t>(index)].segmentation.get() : nullptr;
  if (of != of_) chosen_ = 0;  // numbers are a segmentation's own
  of_ = of;
  std::vector<uint16_t> now;  // the other segments' numbers (indices move when one is removed)
  QStringList names;
  if (index >= 0) {
    const auto& segs = state_.segmentations()[static_cast<size_t>(index)].segmentation->segments();
    for (size_t k = 0; k < segs.size(); ++k)
      if (static_cast<int>(k) != active) now.push_back(segs[k].number), names << QString::fromStdString(segs[k].name);
  }
  QStringList shown;
  for (int i = 0; i < with_->count(); ++i) shown << with_->itemText(i);
  if (now != listed_ || names != shown) {
    const QSignalBlocker quiet(with_);
    // A segment the user chose stays chosen while it is listed; gone (removed), none is, and Apply
    // waits for a choice rather than taking another segment silently. Before any choice: the first.
    int kept = now.empty() ? -1 : 0;
    if (chosen_ != 0) {
      const auto it = std::find(now.begin(), now.end(), chosen_);
      kept = it != now.end() ? static_cast<int>(it - now.begin()) : -1;
    }
    with_->clear();
    with_->addItems(names);
    with_->setCurrentIndex(kept);
    listed_ = std::move(now);
  }
  const bool invert = kOps[op_->currentIndex()] == view::SegLogic::Invert;
  with_->setEnabled(!invert && !listed_.empty());
  apply_->setEnabled(index >= 0 && (invert || with_->currentIndex() >= 0));
  QString why = tr("Choose the other segment");
  if (index < 0) why = tr("Choose a segment first");
  else if (listed_.empty()) why = tr("No other segment in its segmentation");
  apply_->setToolTip(apply_->isEnabled() ? QString() : why);
}

void SegLogicPanel::apply() {
  const view::SegLogic op = kOps[op_->currentIndex()];
  const int w = with_->currentIndex();
  const auto [index, active] = state_.activeSegment();
  int64_t other = 0;
  if (op != view::SegLogic::Invert) {
    const bool listed = w >= 0 && w < static_cast<int>(listed_.size()) && index >= 0;
    const auto& seg = listed ? state_.segmentations()[static_cast<size_t>(index)].segmentation : nullptr;
    other = seg ? seg->findByNumber(listed_[static_cast<size_t>(w)]) : -1;
    if (other < 0) {
      message_->setText(tr("Choose the other segment"));
      return;
    }
  }
  const Status st = editing_.combineActive(op, static_cast<size_t>(other));
  message_->setText(st.ok() ? QString() : QString::fromStdString(st.error().str()));
}

}  // namespace cvx::viewer
