// SPDX-License-Identifier: MIT
// The browser's tree (patient > study > series) over the study database, lazy: patients are read a
// page at a time (fetchMore), a patient's studies and a study's series when it is expanded, each as
// one indexed query; a search is a query, not a rebuild of anything in memory. Qt Core/Gui only
// (the thumbnail is a QImage), so it is tested without a display and the widget stays thin.
#pragma once
#include <memory>
#include <vector>

#include <QAbstractItemModel>
#include <QImage>

#include <cvx/studydb/database.h>

namespace cvx::studydb {

class StudyTreeModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum Column { NameColumn, ModalityColumn, DateColumn, ImagesColumn, StateColumn, ColumnCount };
  enum Level { PatientLevel, StudyLevel, SeriesLevel };
  enum Role {
    SeriesKeyRole = Qt::UserRole + 1,  // QString, series rows only
    LevelRole,                         // Level
    RowIdRole,                         // database row id (qint64)
    MissingRole,                       // bool: files of the series are gone (series rows)
  };
  static constexpr int kPageSize = 256;  // patients per fetchMore

  // The database must outlive the model and live on the model's thread.
  explicit StudyTreeModel(StudyDatabase* db, QObject* parent = nullptr);
  ~StudyTreeModel() override;

  void setSearch(const SearchQuery& q);  // resets the model
  // The decoration of series rows: the stored thumbnail scaled to fit size x size (default: as stored).
  void setThumbnailSize(int size);
  const SearchQuery& search() const { return query_; }
  // Re-reads everything (after an import batch, a file check or a rebuild).
  void reload();
  // Series were imported (a batch): inserts their patient/study/series rows where the tree already
  // has those levels loaded, and updates rows that exist, without a reset.
  void addSeries(const QStringList& keys);
  // The file state of these series changed (missing files): their rows are re-read.
  void refreshSeries(const QStringList& keys);
  // The index of a series row if it is loaded (its study expanded), else invalid.
  QModelIndex indexOfSeries(const QString& key) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  bool hasChildren(const QModelIndex& parent = {}) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;

 private:
  struct Node;
  Node* nodeOf(const QModelIndex& index) const;
  QModelIndex indexOf(const Node* node, int column = 0) const;
  void fetchChildren(Node* parent);
  Node* findChild(Node* parent, qint64 id) const;
  int insertPosition(const Node* parent, const Node& node) const;
  void insertNode(Node* parent, std::unique_ptr<Node> node);

  StudyDatabase* db_;
  SearchQuery query_;
  std::unique_ptr<Node> root_;
  int totalPatients_ = 0;
  int thumbnailSize_ = 0;
};

}  // namespace cvx::studydb
