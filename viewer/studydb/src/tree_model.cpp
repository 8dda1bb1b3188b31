// SPDX-License-Identifier: MIT
#include <cvx/studydb/tree_model.h>

#include <QColor>

#include <optional>

namespace cvx::studydb {

struct StudyTreeModel::Node {
  int level = -1;  // -1: the root
  Node* parent = nullptr;
  int row = 0;
  qint64 id = 0;
  PatientRow patient;
  StudyRow study;
  SeriesRow series;
  std::vector<std::unique_ptr<Node>> children;
  bool fetched = false;
  mutable std::optional<QImage> thumb;
};

namespace {

QString displayName(const QString& dicomName) {
  QString n = dicomName;
  n.replace('^', ' ');
  return n.simplified().isEmpty() ? QStringLiteral("(no name)") : n.simplified();
}

QString displayDate(const QString& d) {
  return d.size() == 8 ? d.left(4) + '-' + d.mid(4, 2) + '-' + d.mid(6, 2) : d;
}

// The tree's sort order at each level (the same as the queries').
bool before(const StudyTreeModel::Level level, const PatientRow& ap, const StudyRow& as, const SeriesRow& ar,
            const PatientRow& bp, const StudyRow& bs, const SeriesRow& br) {
  switch (level) {
    case StudyTreeModel::PatientLevel: {
      const int c = QString::compare(ap.name, bp.name, Qt::CaseInsensitive);
      return c != 0 ? c < 0 : ap.id < bp.id;
    }
    case StudyTreeModel::StudyLevel:
      if (as.date != bs.date) return as.date > bs.date;
      if (as.time != bs.time) return as.time > bs.time;
      return as.id < bs.id;
    case StudyTreeModel::SeriesLevel:
      return ar.number != br.number ? ar.number < br.number : ar.key < br.key;
  }
  return false;
}

}  // namespace

StudyTreeModel::StudyTreeModel(StudyDatabase* db, QObject* parent) : QAbstractItemModel(parent), db_(db) {
  root_ = std::make_unique<Node>();
  totalPatients_ = db_->patientCount(query_);
}

StudyTreeModel::~StudyTreeModel() = default;

void StudyTreeModel::setSearch(const SearchQuery& q) {
  query_ = q;
  reload();
}

void StudyTreeModel::setThumbnailSize(int size) {
  thumbnailSize_ = size;
  reload();
}

void StudyTreeModel::reload() {
  beginResetModel();
  root_ = std::make_unique<Node>();
  totalPatients_ = db_->patientCount(query_);
  endResetModel();
}

StudyTreeModel::Node* StudyTreeModel::nodeOf(const QModelIndex& index) const {
  return index.isValid() ? static_cast<Node*>(index.internalPointer()) : root_.get();
}

QModelIndex StudyTreeModel::indexOf(const Node* node, int column) const {
  return node == root_.get() || !node ? QModelIndex() : createIndex(node->row, column, const_cast<Node*>(node));
}

QModelIndex StudyTreeModel::index(int row, int column, const QModelIndex& parent) const {
  const Node* p = nodeOf(parent);
  if (row < 0 || column < 0 || column >= ColumnCount || row >= static_cast<int>(p->children.size())) return {};
  return createIndex(row, column, p->children[static_cast<size_t>(row)].get());
}

QModelIndex StudyTreeModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  return indexOf(nodeOf(child)->parent);
}

int StudyTreeModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() && parent.column() != 0) return 0;
  return static_cast<int>(nodeOf(parent)->children.size());
}

int StudyTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

bool StudyTreeModel::hasChildren(const QModelIndex& parent) const {
  const Node* n = nodeOf(parent);
  if (parent.isValid() && parent.column() != 0) return false;
  switch (n->level) {
    case -1: return totalPatients_ > 0;
    case PatientLevel: return n->fetched ? !n->children.empty() : n->patient.studyCount > 0;
    case StudyLevel: return n->fetched ? !n->children.empty() : n->study.seriesCount > 0;
    default: return false;
  }
}

bool StudyTreeModel::canFetchMore(const QModelIndex& parent) const {
  const Node* n = nodeOf(parent);
  if (n->level == -1) return static_cast<int>(n->children.size()) < totalPatients_;
  return n->level != SeriesLevel && !n->fetched;
}

void StudyTreeModel::fetchMore(const QModelIndex& parent) {
  Node* n = nodeOf(parent);
  if (n->level == -1) {
    const auto rows = db_->patients(query_, static_cast<int>(n->children.size()), kPageSize);
    if (rows.empty()) {
      totalPatients_ = static_cast<int>(n->children.size());  // the database shrank meanwhile
      return;
    }
    const int first = static_cast<int>(n->children.size());
    beginInsertRows(parent, first, first + static_cast<int>(rows.size()) - 1);
    for (const PatientRow& p : rows) {
      auto node = std::make_unique<Node>();
      node->level = PatientLevel, node->parent = n, node->row = static_cast<int>(n->children.size());
      node->id = p.id, node->patient = p;
      n->children.push_back(std::move(node));
    }
    endInsertRows();
    return;
  }
  fetchChildren(n);
}

void StudyTreeModel::fetchChildren(Node* n) {
  if (n->fetched || n->level == SeriesLevel) return;
  n->fetched = true;
  std::vector<std::unique_ptr<Node>> kids;
  if (n->level == PatientLevel) {
    for (const StudyRow& s : db_->studies(n->id, query_)) {
      auto node = std::make_unique<Node>();
      node->level = StudyLevel, node->id = s.id, node->study = s;
      kids.push_back(std::move(node));
    }
  } else {
    for (const SeriesRow& r : db_->series(n->id, query_)) {
      auto node = std::make_unique<Node>();
      node->level = SeriesLevel, node->id = r.id, node->series = r;
      kids.push_back(std::move(node));
    }
  }
  if (kids.empty()) return;
  beginInsertRows(indexOf(n), 0, static_cast<int>(kids.size()) - 1);
  for (auto& k : kids) {
    k->parent = n, k->row = static_cast<int>(n->children.size());
    n->children.push_back(std::move(k));
  }
  endInsertRows();
}

StudyTreeModel::Node* StudyTreeModel::findChild(Node* parent, qint64 id) const {
  for (auto& c : parent->children)
    if (c->id == id) return c.get();
  return nullptr;
}

int StudyTreeModel::insertPosition(const Node* parent, const Node& node) const {
  int pos = 0;
  const auto lvl = static_cast<Level>(node.level);
  for (const auto& c : parent->children) {
    if (before(lvl, node.patient, node.study, node.series, c->patient, c->study, c->series)) break;
    ++pos;
  }
  return pos;
}

void StudyTreeModel::insertNode(Node* parent, std::unique_ptr<Node> node) {
  const int pos = insertPosition(parent, *node);
  node->parent = parent;
  beginInsertRows(indexOf(parent), pos, pos);
  parent->children.insert(parent->children.begin() + pos, std::move(node));
  for (size_t i = static_cast<size_t>(pos); i < parent->children.size(); ++i) parent->children[i]->row = static_cast<int>(i);
  endInsertRows();
}

void StudyTreeModel::addSeries(const QStringList& keys) {
  if (!query_.empty()) return reload();  // what matches a search is the database's to say
  for (const QString& key : keys) {
    const auto series = db_->seriesByKey(key);
    const auto study = db_->studyOf(key);
    const auto patient = study ? db_->patient(study->patientRef) : std::nullopt;
    if (!series || !study || !patient) continue;
    Node* p = findChild(root_.get(), patient->id);
    if (!p) {
      auto node = std::make_unique<Node>();
      node->level = PatientLevel, node->id = patient->id, node->patient = *patient;
      // Loaded patients are the first N in sort order: insert only where that stays true.
      const bool allLoaded = static_cast<int>(root_->children.size()) >= totalPatients_;
      const int pos = insertPosition(root_.get(), *node);
      ++totalPatients_;
      if (allLoaded || pos < static_cast<int>(root_->children.size())) insertNode(root_.get(), std::move(node));
      continue;  // a new patient's studies load when it is expanded
    }
    p->patient = *patient;
    emit dataChanged(indexOf(p, 0), indexOf(p, ColumnCount - 1));
    if (!p->fetched) continue;
    Node* s = findChild(p, study->id);
    if (!s) {
      auto node = std::make_unique<Node>();
      node->level = StudyLevel, node->id = study->id, node->study = *study;
      insertNode(p, std::move(node));
      continue;
    }
    s->study = *study;
    emit dataChanged(indexOf(s, 0), indexOf(s, ColumnCount - 1));
    if (!s->fetched) continue;
    if (Node* r = findChild(s, series->id)) {
      r->series = *series;
      r->thumb.reset();
      emit dataChanged(indexOf(r, 0), indexOf(r, ColumnCount - 1));
    } else {
      auto node = std::make_unique<Node>();
      node->level = SeriesLevel, node->id = series->id, node->series = *series;
      insertNode(s, std::move(node));
    }
  }
}

QModelIndex StudyTreeModel::indexOfSeries(const QString& key) const {
  for (const auto& p : root_->children)
    for (const auto& s : p->children)
      for (const auto& r : s->children)
        if (r->series.key == key) return indexOf(r.get());
  return {};
}

void StudyTreeModel::refreshSeries(const QStringList& keys) {
  for (const QString& key : keys) {
    const QModelIndex idx = indexOfSeries(key);
    if (!idx.isValid()) continue;
    if (auto row = db_->seriesByKey(key)) nodeOf(idx)->series = *row;
    emit dataChanged(idx, idx.siblingAtColumn(ColumnCount - 1));
  }
}

QVariant StudyTreeModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Node* n = nodeOf(index);
  const int col = index.column();
  const bool missing = n->level == SeriesLevel &&
                       (n->series.state == FilesState::Missing || n->series.state == FilesState::Partial);
  switch (role) {
    case LevelRole: return n->level;
    case RowIdRole: return n->id;
    case SeriesKeyRole: return n->level == SeriesLevel ? QVariant(n->series.key) : QVariant();
    case MissingRole: return missing;
    case Qt::ForegroundRole: return missing ? QVariant(QColor(Qt::gray)) : QVariant();
    case Qt::DecorationRole:
      if (n->level != SeriesLevel || col != NameColumn) return {};
      if (!n->thumb) {
        n->thumb = QImage::fromData(db_->thumbnailPng(n->series.key), "PNG");
        if (thumbnailSize_ > 0 && !n->thumb->isNull())
          n->thumb = n->thumb->scaled(thumbnailSize_, thumbnailSize_, Qt::KeepAspectRatio, Qt::SmoothTransformation);
      }
      return n->thumb->isNull() ? QVariant() : QVariant(*n->thumb);
    case Qt::ToolTipRole:
      if (n->level == SeriesLevel) return n->series.root + "\n" + n->series.key;
      if (n->level == StudyLevel) return n->study.studyUid;
      return n->patient.patientId;
    case Qt::DisplayRole: break;
    default: return {};
  }
  if (n->level == PatientLevel) {
    if (col == NameColumn) return displayName(n->patient.name) + "  [" + n->patient.patientId + "]";
    return {};
  }
  if (n->level == StudyLevel) {
    if (col == NameColumn) return n->study.description.isEmpty() ? QStringLiteral("(study)") : n->study.description;
    if (col == ModalityColumn) return n->study.modalities;
    if (col == DateColumn) return displayDate(n->study.date);
    if (col == ImagesColumn) return n->study.imageCount;
    return {};
  }
  const SeriesRow& r = n->series;
  switch (col) {
    case NameColumn: return QStringLiteral("%1  %2").arg(r.number).arg(r.description);
    case ModalityColumn: return r.modality;
    case DateColumn: return displayDate(r.studyDate);
    case ImagesColumn: return r.imageCount;
    case StateColumn:
      if (r.state == FilesState::Missing) return tr("missing");
      if (r.state == FilesState::Partial) return tr("%1 of %2 files missing").arg(r.missingCount).arg(r.fileCount);
      return {};
    default: return {};
  }
}

QVariant StudyTreeModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return tr("Patient / study / series");
    case ModalityColumn: return tr("Modality");
    case DateColumn: return tr("Date");
    case ImagesColumn: return tr("Images");
    case StateColumn: return tr("Files");
    default: return {};
  }
}

Qt::ItemFlags StudyTreeModel::flags(const QModelIndex& index) const {
  return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::NoItemFlags;
}

}  // namespace cvx::studydb
