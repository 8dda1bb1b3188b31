// SPDX-License-Identifier: MIT
#include "browser.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QProgressBar>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

#include <cvx/studydb/importer.h>
#include <cvx/studydb/tree_model.h>

namespace cvx::viewer {

using studydb::StudyTreeModel;

StudyBrowser::StudyBrowser(QWidget* parent) : QWidget(parent) {
  buildUi();
  setAcceptDrops(true);
}

StudyBrowser::~StudyBrowser() {
  stopCheck();
  delete importer_;  // cancels and joins before the database goes
  importer_ = nullptr;
  tree_->setModel(nullptr);  // the model reads db_, which goes before the QObject children
  delete model_;
  model_ = nullptr;
}

void StudyBrowser::buildUi() {
  auto* openFolder = new QToolButton(this);
  openFolder->setObjectName("browserOpenFolder");
  openFolder->setText(tr("Open folder…"));
  auto* openFile = new QToolButton(this);
  openFile->setObjectName("browserOpenFile");
  openFile->setText(tr("Open file…"));
  auto* openDicomdir = new QToolButton(this);
  openDicomdir->setObjectName("browserOpenDicomdir");
  openDicomdir->setText(tr("Open DICOMDIR…"));
  connect(openFolder, &QToolButton::clicked, this, &StudyBrowser::openFolderRequested);
  connect(openFile, &QToolButton::clicked, this, &StudyBrowser::openFileRequested);
  connect(openDicomdir, &QToolButton::clicked, this, &StudyBrowser::openDicomdirRequested);

  search_ = new QLineEdit(this);
  search_->setObjectName("browserSearch");
  search_->setPlaceholderText(tr("Search: name, ID, date (2024-01-31, 20240101-20241231), modality (CT, MR, PT)"));
  search_->setClearButtonEnabled(true);
  searchTimer_ = new QTimer(this);
  searchTimer_->setSingleShot(true);
  searchTimer_->setInterval(200);  // one query per pause in typing, not per key
  connect(search_, &QLineEdit::textChanged, searchTimer_, qOverload<>(&QTimer::start));
  connect(searchTimer_, &QTimer::timeout, this, [this] { setSearchText(search_->text()); });

  tree_ = new QTreeView(this);
  tree_->setObjectName("browserTree");
  tree_->setUniformRowHeights(false);
  tree_->setIconSize(QSize(48, 48));
  tree_->setSelectionMode(QAbstractItemView::SingleSelection);
  tree_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  connect(tree_, &QTreeView::activated, this, &StudyBrowser::onActivated);

  recent_ = new QListWidget(this);
  recent_->setObjectName("browserRecent");
  connect(recent_, &QListWidget::itemActivated, this, &StudyBrowser::onRecentActivated);

  progress_ = new QProgressBar(this);
  progress_->setObjectName("browserProgress");
  progress_->setVisible(false);
  cancel_ = new QToolButton(this);
  cancel_->setObjectName("browserCancel");
  cancel_->setText(tr("Cancel"));
  cancel_->setVisible(false);
  connect(cancel_, &QToolButton::clicked, this, &StudyBrowser::cancelImport);
  message_ = new QLabel(this);
  message_->setObjectName("browserMessage");
  message_->setWordWrap(true);
  message_->setVisible(false);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(openFolder);
  buttons->addWidget(openFile);
  buttons->addWidget(openDicomdir);
  buttons->addStretch();
  auto* progressRow = new QHBoxLayout;
  progressRow->addWidget(progress_, 1);
  progressRow->addWidget(cancel_);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(tree_);
  auto* recentBox = new QWidget(split);
  auto* recentLayout = new QVBoxLayout(recentBox);
  recentLayout->setContentsMargins(0, 0, 0, 0);
  recentLayout->addWidget(new QLabel(tr("Recent studies"), recentBox));
  recentLayout->addWidget(recent_);
  split->addWidget(recentBox);
  split->setStretchFactor(0, 4);
  split->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(buttons);
  layout->addWidget(search_);
  layout->addWidget(message_);
  layout->addLayout(progressRow);
  layout->addWidget(split, 1);
}

Status StudyBrowser::openDatabase(const studydb::OpenOptions& options) {
  stopCheck();
  delete importer_;
  importer_ = nullptr;
  tree_->setModel(nullptr);
  delete model_;
  model_ = nullptr;
  db_.reset();
  auto db = studydb::StudyDatabase::open(options);
  if (!db) {
    showMessage(QString::fromStdString(db.error().code), QString::fromStdString(db.error().message));
    return db.error();
  }
  db_ = std::move(db.value());
  for (const Diagnostic& d : db_->messages())
    showMessage(QString::fromStdString(d.code), QString::fromStdString(d.message));

  model_ = new StudyTreeModel(db_.get(), this);
  model_->setThumbnailSize(tree_->iconSize().width());
  tree_->setModel(model_);
  // Fixed widths but the name: ResizeToContents would measure rows, and there may be 10,000.
  QHeaderView* header = tree_->header();
  header->setStretchLastSection(false);
  header->setSectionResizeMode(StudyTreeModel::NameColumn, QHeaderView::Stretch);
  const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
  for (auto [col, ems] : {std::pair{StudyTreeModel::ModalityColumn, 5}, {StudyTreeModel::DateColumn, 8},
                          {StudyTreeModel::ImagesColumn, 5}, {StudyTreeModel::StateColumn, 9}}) {
    header->setSectionResizeMode(col, QHeaderView::Interactive);
    header->resizeSection(col, ems * em);
  }

  importer_ = new studydb::Importer(db_->dataDir(), this);
  connect(importer_, &studydb::Importer::seriesImported, this, [this](const QStringList& keys) {
    model_->addSeries(keys);
    emit seriesImported(keys);
  });
  connect(importer_, &studydb::Importer::progress, this, [this](qint64 done, qint64 total, const QString&) {
    progress_->setRange(0, total > 0 ? 1000 : 0);
    progress_->setValue(total > 0 ? static_cast<int>(1000 * done / total) : 0);
    emit importProgress(done, total);
  });
  connect(importer_, &studydb::Importer::pathFinished, this,
          [this](const QString& path, const QString& code, const QString& text, int series) {
            if (!code.isEmpty() && code != QLatin1String("studydb.cancelled"))
              showMessage(code, text + " (" + path + ")");
            else if (code.isEmpty() && series == 0)
              showMessage(QStringLiteral("series.none"), tr("no image series found in %1").arg(path));
          });
  connect(importer_, &studydb::Importer::finished, this, [this](bool cancelled) {
    progress_->setVisible(false);
    cancel_->setVisible(false);
    emit importFinished(cancelled);
  });
  refreshRecent();
  if (!db_->rootsToReimport().isEmpty()) importPaths(db_->rootsToReimport());
  checkFiles();
  return {};
}

bool StudyBrowser::importing() const { return importer_ && importer_->busy(); }

void StudyBrowser::importPaths(const QStringList& paths) {
  if (!importer_ || paths.isEmpty()) return;
  progress_->setRange(0, 0);
  progress_->setVisible(true);
  cancel_->setVisible(true);
  importer_->start(paths);
}

void StudyBrowser::cancelImport() {
  if (importer_) importer_->cancel();
}

void StudyBrowser::setSearchText(const QString& text) {
  searchTimer_->stop();
  if (search_->text() != text) {
    const QSignalBlocker block(search_);
    search_->setText(text);
  }
  if (model_) model_->setSearch(studydb::parseSearch(text));
}

Result<studydb::SeriesFiles> StudyBrowser::filesOf(const QString& seriesKey) {
  if (!db_) return makeError("studydb.not_found", "no database is open", seriesKey.toStdString());
  auto files = db_->seriesFiles(seriesKey);
  if (files) {
    db_->markOpened(seriesKey);
    model_->refreshSeries({seriesKey});
    refreshRecent();
  }
  return files;
}

void StudyBrowser::refreshRecent() {
  recent_->clear();
  if (!db_) return;
  for (const studydb::StudyRow& s : db_->recentStudies(10)) {
    QString name = s.patientName;
    name.replace('^', ' ');
    const QString date = s.date.size() == 8 ? s.date.left(4) + '-' + s.date.mid(4, 2) + '-' + s.date.mid(6) : s.date;
    auto* item = new QListWidgetItem(QStringLiteral("%1 — %2 %3 (%4)").arg(name.simplified(), date, s.description, s.modalities),
                                     recent_);
    item->setData(Qt::UserRole, s.openedSeries);
  }
}

void StudyBrowser::checkFiles() {
  if (!db_) return;
  stopCheck();
  checkCancel_ = false;
  const QString dir = db_->dataDir();
  // A connection of its own on the worker (Qt SQL's rule); the UI thread only hears the result.
  check_ = std::thread([this, dir] {
    QStringList changed;
    try {
      if (auto conn = studydb::StudyDatabase::attach(dir)) changed = (*conn)->checkFiles(&checkCancel_);
    } catch (const std::exception&) {
      return;  // a check is advisory; nothing escapes this thread
    }
    if (!changed.isEmpty())
      QMetaObject::invokeMethod(this, [this, changed] { if (model_) model_->refreshSeries(changed); }, Qt::QueuedConnection);
  });
}

void StudyBrowser::stopCheck() {
  checkCancel_ = true;
  if (check_.joinable()) check_.join();
}

void StudyBrowser::showMessage(const QString& code, const QString& text) {
  message_->setText(code + ": " + text);
  message_->setVisible(true);
  emit message(code, text);
}

void StudyBrowser::onActivated(const QModelIndex& index) {
  const QString key = index.data(StudyTreeModel::SeriesKeyRole).toString();
  if (!key.isEmpty()) emit seriesActivated(key);
}

void StudyBrowser::onRecentActivated(QListWidgetItem* item) {
  const QString key = item ? item->data(Qt::UserRole).toString() : QString();
  if (!key.isEmpty()) emit seriesActivated(key);
}

void StudyBrowser::dragEnterEvent(QDragEnterEvent* e) {
  for (const QUrl& u : e->mimeData()->urls())
    if (u.isLocalFile()) return e->acceptProposedAction();
}

void StudyBrowser::dropEvent(QDropEvent* e) {
  QStringList paths;
  for (const QUrl& u : e->mimeData()->urls())
    if (u.isLocalFile()) paths << u.toLocalFile();
  if (paths.isEmpty()) return;
  e->acceptProposedAction();
  importPaths(paths);
}

}  // namespace cvx::viewer
