// SPDX-License-Identifier: MIT
#include "recovery_dialog.h"

#include <algorithm>

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cvx/studydb/database.h>
#include <cvx/viewstate/overlay.h>
#include <cvx/viewstate/seg_journal.h>

namespace cvx::viewer {
namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// The study database's description of a series; `problem` when it cannot be opened from there.
void lookUp(PendingSeries& row, studydb::StudyDatabase* db) {
  const QString uid = qs(row.seriesUid);
  if (!db) {
    row.problem = QObject::tr("studydb.not_found: no study database to find the series in");
    return;
  }
  // The database's key is the SeriesInstanceUID (".<n>" added only when a series was split).
  const auto series = db->seriesByKey(uid);
  if (!series) {
    row.problem = QObject::tr("studydb.not_found: series not found in the study database (import its folder)");
    return;
  }
  row.description = series->description;
  row.modality = series->modality;
  row.studyDate = qs(view::formatDicomDate(series->studyDate.toStdString()));
  if (const auto study = db->studyOf(series->key)) {
    row.patient = qs(view::formatPersonName(study->patientName.toStdString()));
    if (const auto patient = db->patient(study->patientRef)) row.patientId = patient->patientId;
  }
  auto files = db->seriesFiles(series->key);  // checked now
  if (!files.ok()) {
    row.problem = qs(files.error().str());
  } else if (files->files.isEmpty() || files->missing.size() == files->files.size()) {
    row.problem = QObject::tr("studydb.files_missing: the series' files are gone (moved or deleted since import)");
  } else {
    row.seriesKey = series->key;
  }
}

}  // namespace

const Result<view::JournalSummary>& JournalPeeks::peek(const std::string& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  const auto written = ec ? std::filesystem::file_time_type{} : std::filesystem::last_write_time(path, ec);
  auto it = entries_.find(path);
  if (it != entries_.end() && !ec && it->second.size == size && it->second.written == written)
    return it->second.summary;  // (a file that cannot be looked at now is read again)
  ++reads_;
  Entry e{size, written, view::SegJournal::peek(path)};
  if (it != entries_.end()) entries_.erase(it);
  return entries_.emplace(path, std::move(e)).first->second.summary;
}

void JournalPeeks::keepOnly(const std::vector<std::string>& paths) {
  std::erase_if(entries_, [&](const auto& e) { return std::find(paths.begin(), paths.end(), e.first) == paths.end(); });
}

std::vector<PendingSeries> pendingSeries(const std::vector<std::string>& journals, JournalPeeks* peeks) {
  std::vector<PendingSeries> rows;
  if (peeks) peeks->keepOnly(journals);
  for (const std::string& path : journals) {
    const auto s = peeks ? peeks->peek(path) : view::SegJournal::peek(path);
    PendingSeries* row = nullptr;
    if (s.ok() && !s->seriesInstanceUid.empty())
      for (auto& r : rows)
        if (r.readable && r.seriesUid == s->seriesInstanceUid) row = &r;
    if (!row) {
      row = &rows.emplace_back();
      row->readable = s.ok();
      row->keepOnly = !s.ok() && s.error().code == "seg.journal_version";
      if (!s.ok()) row->problem = qs(s.error().str());
      else if (s->seriesInstanceUid.empty())
        row->problem = QObject::tr("seg.journal_no_series: the journal names no series (edits on a file without "
                                   "DICOM UIDs): open that file to recover them");
      else row->seriesUid = s->seriesInstanceUid;
    }
    row->journals.push_back(path);
    if (!s.ok()) continue;
    for (const Segment& seg : s->segments) row->segments << qs(seg.name);
    row->dims = QString("%1 x %2 x %3").arg(s->dims[0]).arg(s->dims[1]).arg(s->dims[2]);
    row->modifiedMs = std::max(row->modifiedMs, s->modifiedMs);
  }
  return rows;
}

void describeFromDatabase(std::vector<PendingSeries>& rows, studydb::StudyDatabase* db) {
  for (auto& r : rows)
    if (r.problem.isEmpty()) lookUp(r, db);
}

RecoveryDialog::RecoveryDialog(std::vector<PendingSeries> rows, bool hidePatient, QWidget* parent)
    : QDialog(parent), rows_(std::move(rows)), hidePatient_(hidePatient) {
  setObjectName("recoveryDialog");
  setWindowTitle(tr("Recover segmentation edits"));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("CineVox did not close cleanly while segmentations were being edited. Every edit was "
                              "saved as it happened; these series have edits waiting:"),
                           this);
  intro->setWordWrap(true);
  layout->addWidget(intro);
  list_ = new QTreeWidget(this);
  list_->setObjectName("recoveryList");
  list_->setRootIsDecorated(false);
  list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  list_->setHeaderLabels(
      {tr("Patient"), tr("Study date"), tr("Series"), tr("Segments"), tr("Last saved"), tr("Status")});
  layout->addWidget(list_);
  message_ = new QLabel(this);
  message_->setObjectName("recoveryMessage");
  message_->setWordWrap(true);
  layout->addWidget(message_);
  auto* buttons = new QDialogButtonBox(this);
  open_ = buttons->addButton(tr("Open and recover"), QDialogButtonBox::AcceptRole);
  open_->setObjectName("recoveryOpen");
  open_->setToolTip(tr("Open the selected series from the study database and recover its edits"));
  discard_ = buttons->addButton(tr("Discard..."), QDialogButtonBox::DestructiveRole);
  discard_->setObjectName("recoveryDiscard");
  discard_->setToolTip(tr("Delete the saved edits of the selected series (asks first)"));
  QPushButton* later = buttons->addButton(tr("Later"), QDialogButtonBox::RejectRole);
  later->setObjectName("recoveryLater");
  later->setToolTip(tr("Keep the edits: they are offered again when the series is opened"));
  layout->addWidget(buttons);
  connect(open_, &QPushButton::clicked, this, [this] {
    const auto sel = selectedRows();
    if (sel.size() != 1 || rows_[static_cast<size_t>(sel[0])].seriesKey.isEmpty()) return;
    chosen_ = sel[0];
    accept();
  });
  connect(discard_, &QPushButton::clicked, this, &RecoveryDialog::discardSelected);
  connect(later, &QPushButton::clicked, this, &QDialog::reject);
  connect(list_, &QTreeWidget::itemSelectionChanged, this, &RecoveryDialog::sync);
  fill();
  resize(width(), 170 + 22 * std::min<int>(8, static_cast<int>(rows_.size())));
}

void RecoveryDialog::fill() {
  list_->clear();
  for (size_t i = 0; i < rows_.size(); ++i) {
    const PendingSeries& r = rows_[i];
    QString patient = hidePatient_ ? tr("(hidden)") : r.patient;
    if (!hidePatient_ && !r.patientId.isEmpty()) patient += QString(" (%1)").arg(r.patientId);
    // What the database says of the series, else its grid (the UID is in the tooltip).
    QString series = QString("%1 %2").arg(r.modality, r.description).trimmed();
    if (r.description.isEmpty() && !r.dims.isEmpty()) series = (series + "  " + r.dims).trimmed();
    const QString segments = r.readable ? QString("%1: %2").arg(r.segments.size()).arg(r.segments.join(", ")) : "";
    const QString saved =
        r.modifiedMs ? QDateTime::fromMSecsSinceEpoch(r.modifiedMs).toString("yyyy-MM-dd HH:mm") : QString();
    const QString status = r.problem.isEmpty() ? tr("can be recovered") : r.problem;
    auto* item = new QTreeWidgetItem(
        list_, {patient, r.studyDate, series, segments, saved, status});
    item->setData(0, Qt::UserRole, static_cast<int>(i));
    item->setToolTip(2, QString("SeriesInstanceUID %1").arg(qs(r.seriesUid)));
    item->setToolTip(5, QString::fromStdString(r.journals.front()) +
                            (r.journals.size() > 1 ? tr(" and %1 more").arg(r.journals.size() - 1) : QString()));
  }
  int width = 0;
  for (int c = 0; c < list_->columnCount(); ++c) {
    list_->resizeColumnToContents(c);
    width += list_->columnWidth(c);
  }
  resize(std::clamp(width + 60, 720, 1240), height());
  for (int i = 0; i < list_->topLevelItemCount(); ++i)  // the first that can be opened is chosen
    if (!rows_[static_cast<size_t>(i)].seriesKey.isEmpty()) {
      list_->setCurrentItem(list_->topLevelItem(i));
      break;
    }
  sync();
}

std::vector<int> RecoveryDialog::selectedRows() const {
  std::vector<int> out;
  for (QTreeWidgetItem* item : list_->selectedItems()) out.push_back(item->data(0, Qt::UserRole).toInt());
  std::sort(out.begin(), out.end());
  return out;
}

bool RecoveryDialog::keepOnlySelected() const {
  const auto sel = selectedRows();
  return std::any_of(sel.begin(), sel.end(), [this](int i) { return rows_[static_cast<size_t>(i)].keepOnly; });
}

void RecoveryDialog::sync() {
  const auto sel = selectedRows();
  open_->setEnabled(sel.size() == 1 && !rows_[static_cast<size_t>(sel[0])].seriesKey.isEmpty());
  discard_->setEnabled(!sel.empty() && !keepOnlySelected());
  if (keepOnlySelected())
    message_->setText(tr("Edits saved by another version of CineVox: that version can recover them, so they are "
                         "kept (open the series there). They cannot be discarded here."));
  else if (sel.size() == 1 && rows_[static_cast<size_t>(sel[0])].seriesKey.isEmpty())
    message_->setText(tr("This series cannot be opened from here: discard its edits, or keep them for later."));
  else message_->clear();
}

void RecoveryDialog::discardSelected() {
  const auto sel = selectedRows();
  if (sel.empty() || keepOnlySelected()) return;  // the button is disabled then; never by another path
  QMessageBox box(QMessageBox::Warning, tr("Discard segmentation edits"),
                  tr("Delete the saved edits of %n series? They cannot be recovered afterwards.", "",
                     static_cast<int>(sel.size())),
                  QMessageBox::Discard | QMessageBox::Cancel, this);
  box.setObjectName("recoveryDiscardConfirm");
  box.setDefaultButton(QMessageBox::Cancel);
  if (box.exec() != QMessageBox::Discard) return;
  QStringList failed;
  for (auto it = sel.rbegin(); it != sel.rend(); ++it) {
    PendingSeries& r = rows_[static_cast<size_t>(*it)];
    std::vector<std::string> kept;
    for (const std::string& path : r.journals)
      if (Status st = view::SegJournal::discard(path); !st.ok()) {
        failed << qs(st.error().str());
        kept.push_back(path);
      }
    if (kept.empty()) rows_.erase(rows_.begin() + *it);
    else r.journals = std::move(kept);
  }
  if (rows_.empty() && failed.isEmpty()) return reject();
  fill();
  message_->setText(failed.join("\n"));
}

}  // namespace cvx::viewer
