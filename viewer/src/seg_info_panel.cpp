// SPDX-License-Identifier: MIT
#include "seg_info_panel.h"

#include <QColorDialog>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>

#include <cvx/viewstate/seg_terms.h>

#include "seg_editing.h"

namespace cvx::viewer {

QIcon segmentSwatch(const std::array<uint8_t, 3>& rgb) {
  QPixmap swatch(12, 12);
  swatch.fill(QColor(rgb[0], rgb[1], rgb[2]));
  return QIcon(swatch);
}

SegInfoPanel::SegInfoPanel(view::ViewerState& state, SegEditing& editing, QWidget* parent)
    : QWidget(parent), state_(state), editing_(editing) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("Name"), this));
  name_ = new QLineEdit(this);
  name_->setObjectName("segName");
  name_->setToolTip(tr("The active segment's name (SegmentLabel in a DICOM SEG)"));
  row->addWidget(name_, 2);
  row->addWidget(new QLabel(tr("Type"), this));
  type_ = new QComboBox(this);
  type_->setObjectName("segType");
  type_->setToolTip(tr("What the segment is, as a DICOM SEG codes it (SNOMED CT): PACS and other viewers read it. "
                       "It also sets the colour, and the name while it is a default one"));
  type_->addItem(QString());  // 0: the segment's own term (sync names it)
  for (const view::SegmentTerm& t : view::segmentTerms()) {
    type_->addItem(segmentSwatch(t.rgb), QString::fromStdString(t.label));
  }
  row->addWidget(type_, 2);
  colour_ = new QPushButton(tr("Colour..."), this);
  colour_->setObjectName("segColour");
  row->addWidget(colour_);
  delete_ = new QPushButton(tr("Delete"), this);
  delete_->setObjectName("segDelete");
  delete_->setToolTip(tr("Remove the active segment and its voxels (Undo brings it back)"));
  row->addWidget(delete_);

  connect(name_, &QLineEdit::editingFinished, this, [this] {
    const Segment* s = active();
    const std::string name = name_->text().trimmed().toStdString();
    if (syncing_ || !s || name.empty() || name == s->name) return;
    Segment c = *s;
    c.name = name;
    change(c);
  });
  connect(type_, &QComboBox::activated, this, [this](int i) {
    const Segment* s = active();
    const auto& terms = view::segmentTerms();
    if (syncing_ || !s || i < 1 || i > static_cast<int>(terms.size())) return;
    change(view::withSegmentTerm(*s, terms[static_cast<size_t>(i - 1)]));
  });
  connect(colour_, &QPushButton::clicked, this, &SegInfoPanel::chooseColour);
  connect(delete_, &QPushButton::clicked, this, [this] {
    const Status st = editing_.removeActiveSegment();
    delete_->setToolTip(st.ok() ? tr("Remove the active segment and its voxels (Undo brings it back)")
                                : QString::fromStdString(st.error().str()));
  });
  subscription_ = state_.subscribe([this](const view::ChangeEvent& e) {
    if (e.what & (view::kSegmentation | view::kLayers)) sync();
  });
  sync();
}

const Segment* SegInfoPanel::active() const {
  const auto [i, k] = state_.activeSegment();
  if (i < 0 || k < 0) return nullptr;
  const auto& segs = state_.segmentations()[static_cast<size_t>(i)].segmentation->segments();
  return k < static_cast<int>(segs.size()) ? &segs[static_cast<size_t>(k)] : nullptr;
}

void SegInfoPanel::change(const Segment& s) {
  const Status st = editing_.setActiveSegmentInfo(s);
  if (!st.ok()) name_->setToolTip(QString::fromStdString(st.error().str()));
  name_->setModified(false);  // applied (or refused): the segment's name shows again, Undo's too
  sync();                     // a refusal puts the widgets back
}

void SegInfoPanel::chooseColour() {
  const Segment* s = active();
  if (!s) return;
  const QColor c = QColorDialog::getColor(QColor(s->rgb[0], s->rgb[1], s->rgb[2]), this, tr("Segment colour"));
  if (!c.isValid() || !active()) return;  // cancelled, or the segment went meanwhile
  Segment n = *active();
  n.rgb = {static_cast<uint8_t>(c.red()), static_cast<uint8_t>(c.green()), static_cast<uint8_t>(c.blue())};
  change(n);
}

void SegInfoPanel::sync() {
  syncing_ = true;
  const Segment* s = active();
  for (QWidget* w : std::initializer_list<QWidget*>{name_, type_, colour_, delete_}) w->setEnabled(s != nullptr);
  if (!s) {
    name_->clear();
    type_->setItemText(0, QString());
    type_->setCurrentIndex(0);
  } else {
    if (!name_->hasFocus() || !name_->isModified()) name_->setText(QString::fromStdString(s->name));
    const int term = view::segmentTermIndex(*s);
    type_->setItemText(0, s->type.empty() ? tr("(none)") : tr("Other: %1").arg(QString::fromStdString(s->type.meaning)));
    type_->setCurrentIndex(term + 1);
    colour_->setIcon(segmentSwatch(s->rgb));
  }
  syncing_ = false;
}

}  // namespace cvx::viewer
