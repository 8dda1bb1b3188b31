// SPDX-License-Identifier: MIT
// The browser's lazy tree: pages of patients, children on expansion, search, and series added by an
// import batch without a reset. Runs without a display (QCoreApplication).
#include <QSqlDatabase>
#include <QSqlQuery>

#include <cvx/demo/demo.h>
#include <cvx/studydb/tree_model.h>

#include "studydb_test_util.h"

namespace cvx::test {
namespace {

using studydb::StudyTreeModel;

class TreeModel : public StudyDbTest {
 protected:
  void SetUp() override {
    StudyDbTest::SetUp();
    demoDir_ = tmp_.file("demo");
    ASSERT_TRUE(demo::writeDemoStudy(demoDir_).ok());
    db_ = openDb();
    ASSERT_TRUE(db_);
  }
  static void fetchAll(StudyTreeModel& m, const QModelIndex& parent = {}) {
    while (m.canFetchMore(parent)) m.fetchMore(parent);
  }
  std::string demoDir_;
  std::unique_ptr<studydb::StudyDatabase> db_;
};

TEST_F(TreeModel, PatientStudySeriesWithThumbnailsAndColumns) {
  importOk(demoDir_ + "/MONO1");
  importOk(demoDir_ + "/PET");
  StudyTreeModel m(db_.get());
  EXPECT_EQ(m.rowCount(), 0);  // lazy: nothing read before the view asks
  fetchAll(m);
  ASSERT_EQ(m.rowCount(), 1);
  const QModelIndex patient = m.index(0, 0);
  EXPECT_EQ(m.data(patient).toString(), "CineVox Demo  [CVX-DEMO-001]");  // docs/demo.md
  EXPECT_TRUE(m.hasChildren(patient));
  EXPECT_EQ(m.rowCount(patient), 0);
  fetchAll(m, patient);
  ASSERT_EQ(m.rowCount(patient), 1);
  const QModelIndex study = m.index(0, 0, patient);
  EXPECT_EQ(m.data(m.index(0, StudyTreeModel::DateColumn, patient)).toString(), "2025-01-02");
  EXPECT_EQ(m.data(m.index(0, StudyTreeModel::ImagesColumn, patient)).toInt(), 8 + 60);
  fetchAll(m, study);
  ASSERT_EQ(m.rowCount(study), 2);
  // Series by number: MONO1 is 6, PET is 3 (docs/demo.md).
  EXPECT_EQ(m.data(m.index(0, StudyTreeModel::ModalityColumn, study)).toString(), "PT");
  EXPECT_EQ(m.data(m.index(0, StudyTreeModel::ImagesColumn, study)).toInt(), 60);
  EXPECT_EQ(m.data(m.index(1, StudyTreeModel::ModalityColumn, study)).toString(), "CT");
  EXPECT_EQ(m.data(m.index(1, StudyTreeModel::ImagesColumn, study)).toInt(), 8);
  const QModelIndex pet = m.index(0, 0, study);
  EXPECT_EQ(m.parent(pet), study);
  EXPECT_EQ(m.parent(study), patient);
  const QString key = m.data(pet, StudyTreeModel::SeriesKeyRole).toString();
  EXPECT_EQ(key, q(dcmtkTags(*filesUnder(demoDir_ + "/PET").begin()).seriesUid));
  const QImage thumb = m.data(pet, Qt::DecorationRole).value<QImage>();
  EXPECT_EQ(thumb.size(), QSize(96, 96));
  EXPECT_FALSE(m.data(pet, StudyTreeModel::MissingRole).toBool());
  EXPECT_EQ(m.indexOfSeries(key), pet);
  // Scaled for a view's icon size (a reset: the tree is read again).
  m.setThumbnailSize(48);
  fetchAll(m);
  fetchAll(m, m.index(0, 0));
  fetchAll(m, m.index(0, 0, m.index(0, 0)));
  const QModelIndex again = m.indexOfSeries(key);
  ASSERT_TRUE(again.isValid());
  EXPECT_EQ(m.data(again, Qt::DecorationRole).value<QImage>().size(), QSize(48, 48));
}

TEST_F(TreeModel, MissingFilesShowOnTheSeriesRow) {
  importOk(demoDir_ + "/MONO1");
  StudyTreeModel m(db_.get());
  fetchAll(m);
  fetchAll(m, m.index(0, 0));
  fetchAll(m, m.index(0, 0, m.index(0, 0)));
  const QModelIndex series = m.index(0, 0, m.index(0, 0, m.index(0, 0)));
  ASSERT_TRUE(series.isValid());
  EXPECT_FALSE(m.data(series, StudyTreeModel::MissingRole).toBool());
  const auto files = filesUnder(demoDir_ + "/MONO1");
  ASSERT_EQ(files.size(), 8u);  // docs/demo.md
  ASSERT_TRUE(std::filesystem::remove(*files.begin()));
  const QStringList changed = db_->checkFiles();
  ASSERT_EQ(changed.size(), 1);
  m.refreshSeries(changed);
  EXPECT_TRUE(m.data(series, StudyTreeModel::MissingRole).toBool());
  EXPECT_EQ(m.data(series.siblingAtColumn(StudyTreeModel::StateColumn)).toString(), "1 of 8 files missing");
  std::filesystem::remove_all(demoDir_ + "/MONO1");
  m.refreshSeries(db_->checkFiles());
  EXPECT_EQ(m.data(series.siblingAtColumn(StudyTreeModel::StateColumn)).toString(), "missing");
}

TEST_F(TreeModel, SearchShowsOnlyMatchingBranches) {
  importOk(demoDir_ + "/MONO1");
  importOk(demoDir_ + "/PET");
  StudyTreeModel m(db_.get());
  m.setSearch(studydb::parseSearch("PT"));
  fetchAll(m);
  ASSERT_EQ(m.rowCount(), 1);
  fetchAll(m, m.index(0, 0));
  fetchAll(m, m.index(0, 0, m.index(0, 0)));
  ASSERT_EQ(m.rowCount(m.index(0, 0, m.index(0, 0))), 1);  // only the PET series
  m.setSearch(studydb::parseSearch("nobody"));
  fetchAll(m);
  EXPECT_EQ(m.rowCount(), 0);
}

TEST_F(TreeModel, PatientsArriveInPages) {
  importOk(demoDir_ + "/MONO1");
  {
    // 600 more patients written straight into the documented schema (docs/study-database.md).
    QSqlDatabase raw = QSqlDatabase::addDatabase("QSQLITE", "fill");
    raw.setDatabaseName(db_->filePath());
    ASSERT_TRUE(raw.open());
    QSqlQuery ins(raw);
    raw.transaction();
    ins.prepare("INSERT INTO patients(pkey, name, patient_id, birth_date) VALUES(?, ?, ?, '')");
    for (int i = 0; i < 600; ++i) {
      const QString name = QStringLiteral("Zz^Patient%1").arg(i, 4, 10, QChar('0'));
      ins.addBindValue(name);
      ins.addBindValue(name);
      ins.addBindValue(QStringLiteral("P%1").arg(i));
      ASSERT_TRUE(ins.exec());
    }
    raw.commit();
    ins = QSqlQuery();
    raw.close();
  }
  QSqlDatabase::removeDatabase("fill");
  StudyTreeModel m(db_.get());
  ASSERT_TRUE(m.canFetchMore({}));
  m.fetchMore({});
  EXPECT_EQ(m.rowCount(), StudyTreeModel::kPageSize);
  fetchAll(m);
  EXPECT_EQ(m.rowCount(), 601);
  EXPECT_FALSE(m.canFetchMore({}));
  // Sorted by name without case: "CineVox^Demo" first, then Zz^Patient0000 ... 0599.
  EXPECT_EQ(m.data(m.index(0, 0)).toString(), "CineVox Demo  [CVX-DEMO-001]");
  EXPECT_EQ(m.data(m.index(600, 0)).toString(), "Zz Patient0599  [P599]");
}

TEST_F(TreeModel, ImportBatchInsertsRowsWithoutAReset) {
  if (!std::filesystem::exists(dataPath("ct"))) GTEST_SKIP() << "no ct/";
  importOk(demoDir_ + "/MONO1");
  StudyTreeModel m(db_.get());
  fetchAll(m);
  const QModelIndex demo = m.index(0, 0);
  fetchAll(m, demo);
  fetchAll(m, m.index(0, 0, demo));
  ASSERT_EQ(m.rowCount(m.index(0, 0, demo)), 1);
  int resets = 0, inserted = 0;
  QObject::connect(&m, &QAbstractItemModel::modelReset, [&] { ++resets; });
  QObject::connect(&m, &QAbstractItemModel::rowsInserted, [&] { ++inserted; });
  QStringList keys;
  studydb::ImportOptions opt;
  opt.onBatch = [&](const QStringList& k) { keys << k; };
  importOk(demoDir_ + "/PET", opt);
  importOk(dataPath("ct"), opt);
  ASSERT_EQ(keys.size(), 2);
  m.addSeries(keys);
  EXPECT_EQ(resets, 0);
  EXPECT_EQ(inserted, 2);  // the PET under the expanded study, the CT patient at the top level
  EXPECT_EQ(m.rowCount(), 2);
  EXPECT_EQ(m.rowCount(m.index(0, 0, m.index(0, 0))), 2);
  // The CT patient sorts by name among the top level.
  const Tags ct = dcmtkTags(*filesUnder(dataPath("ct")).begin());
  const bool ctFirst = QString::compare(q(ct.patientName), "CineVox^Demo", Qt::CaseInsensitive) < 0;
  const QModelIndex ctRow = m.index(ctFirst ? 0 : 1, 0);
  EXPECT_TRUE(m.data(ctRow).toString().endsWith("[" + q(ct.patientId) + "]"));
}

}  // namespace
}  // namespace cvx::test
