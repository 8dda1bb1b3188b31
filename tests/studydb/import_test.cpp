// SPDX-License-Identifier: MIT
// The demo study (five series whose every value docs/demo.md states), batches, cancel, and the
// background importer's signals.
#include <QElapsedTimer>

#include <cvx/demo/demo.h>
#include <cvx/studydb/importer.h>

#include "studydb_test_util.h"

namespace cvx::test {
namespace {

class DemoImport : public StudyDbTest {
 protected:
  void SetUp() override {
    StudyDbTest::SetUp();
    demoDir_ = tmp_.file("demo");
    ASSERT_TRUE(demo::writeDemoStudy(demoDir_).ok());
  }
  std::string demoDir_;
};

// docs/demo.md: folder, modality, images (slices x phases).
struct DemoSeries {
  const char* folder;
  const char* modality;
  int images;
};
constexpr DemoSeries kDemo[] = {
    {"CT", "CT", 120}, {"PET", "PT", 60}, {"MR4D", "MR", 24 * 10}, {"OBLIQUE", "MR", 40}, {"MONO1", "CT", 8}};

TEST_F(DemoImport, FiveSeriesOfOnePatientAndStudy) {
  auto db = openDb();
  ASSERT_TRUE(db);
  const auto sum = importOk(demoDir_);
  EXPECT_EQ(sum.series, 5);
  const auto patients = db->patients();
  ASSERT_EQ(patients.size(), 1u);
  EXPECT_EQ(patients[0].name, "CineVox^Demo");       // docs/demo.md
  EXPECT_EQ(patients[0].patientId, "CVX-DEMO-001");
  const auto studies = db->studies(patients[0].id);
  ASSERT_EQ(studies.size(), 1u);
  EXPECT_EQ(studies[0].date, "20250102");
  EXPECT_EQ(studies[0].modalities, "CT MR PT");
  EXPECT_EQ(studies[0].seriesCount, 5);
  for (const DemoSeries& d : kDemo) {
    SCOPED_TRACE(d.folder);
    const auto files = filesUnder(demoDir_ + "/" + d.folder);
    ASSERT_FALSE(files.empty());
    const Tags tags = dcmtkTags(*files.begin());
    auto row = db->seriesByKey(q(tags.seriesUid));
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->modality, d.modality);
    EXPECT_EQ(row->modality, q(tags.modality));
    EXPECT_EQ(row->imageCount, d.images);
    EXPECT_EQ(row->fileCount, static_cast<int>(files.size()));
    EXPECT_EQ(row->studyRef, studies[0].id);
    EXPECT_FALSE(db->thumbnailPng(row->key).isEmpty());
  }
}

TEST_F(DemoImport, ProgressCountsFilesThenSeries) {
  auto db = openDb();
  ASSERT_TRUE(db);
  Progress progress;
  studydb::ImportOptions opt;
  opt.progress = &progress;
  const auto sum = importOk(demoDir_, opt);
  const int64_t files = static_cast<int64_t>(filesUnder(demoDir_).size());
  EXPECT_EQ(sum.files, files);
  EXPECT_EQ(progress.total(), files + 5);  // every file scanned, then the five series written
  EXPECT_EQ(progress.done(), progress.total());
}

TEST_F(DemoImport, BatchesArriveAsTheyAreCommittedAndCancelKeepsThem) {
  auto db = openDb();
  ASSERT_TRUE(db);
  Progress progress;
  studydb::ImportOptions opt;
  opt.batchSeries = 1;
  opt.progress = &progress;
  std::vector<QStringList> batches;
  std::vector<int> visible;
  opt.onBatch = [&](const QStringList& keys) {
    batches.push_back(keys);
    visible.push_back(db->seriesCount());  // committed: another connection sees it now
    if (batches.size() == 2) progress.cancel();
  };
  auto r = studydb::importPath(dataDir_, q(demoDir_), opt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "studydb.cancelled");
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(visible, (std::vector<int>{1, 2}));
  EXPECT_EQ(db->seriesCount(), 2);
  // A later full import completes it, without duplicates.
  importOk(demoDir_);
  EXPECT_EQ(db->seriesCount(), 5);
}

TEST_F(DemoImport, CancelWhileScanningWritesNothing) {
  auto db = openDb();
  ASSERT_TRUE(db);
  Progress progress;
  progress.cancel();
  studydb::ImportOptions opt;
  opt.progress = &progress;
  auto r = studydb::importPath(dataDir_, q(demoDir_), opt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "studydb.cancelled");
  EXPECT_EQ(db->seriesCount(), 0);
  // The root is recorded first, so that a rebuild would still find it.
  EXPECT_EQ(db->importedRoots().size(), 1);
}

TEST_F(DemoImport, BackgroundImporterSignalsEverySeriesThenFinishes) {
  auto db = openDb();
  ASSERT_TRUE(db);
  studydb::Importer importer(dataDir_);
  QStringList keys;
  QStringList finishedPaths;
  bool done = false, cancelled = true;
  QObject::connect(&importer, &studydb::Importer::seriesImported, [&](const QStringList& k) { keys << k; });
  QObject::connect(&importer, &studydb::Importer::pathFinished,
                   [&](const QString& p, const QString& code, const QString&, int n) {
                     finishedPaths << p;
                     EXPECT_TRUE(code.isEmpty()) << code.toStdString();
                     EXPECT_EQ(n, 1);
                   });
  QObject::connect(&importer, &studydb::Importer::finished, [&](bool c) { done = true, cancelled = c; });
  importer.start({q(demoDir_ + "/MONO1"), q(demoDir_ + "/OBLIQUE")});
  QElapsedTimer t;
  t.start();
  while (!done && t.elapsed() < 120000) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
  ASSERT_TRUE(done);
  EXPECT_FALSE(cancelled);
  EXPECT_FALSE(importer.busy());
  EXPECT_EQ(finishedPaths.size(), 2);
  ASSERT_EQ(keys.size(), 2);
  for (const QString& k : keys) EXPECT_TRUE(db->seriesByKey(k).has_value()) << k.toStdString();
  EXPECT_EQ(db->seriesCount(), 2);
}

TEST_F(DemoImport, BackgroundImporterCancelEndsTheQueue) {
  auto db = openDb();
  ASSERT_TRUE(db);
  studydb::Importer importer(dataDir_);
  bool done = false, cancelled = false;
  QObject::connect(&importer, &studydb::Importer::finished, [&](bool c) { done = true, cancelled = c; });
  QStringList paths;
  for (const DemoSeries& d : kDemo) paths << q(demoDir_ + "/" + d.folder);
  importer.start(paths);
  importer.cancel();
  ASSERT_TRUE(importer.wait(120000));
  QElapsedTimer t;
  t.start();
  while (!done && t.elapsed() < 10000) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  ASSERT_TRUE(done);
  EXPECT_TRUE(cancelled);
  EXPECT_LT(db->seriesCount(), 5);  // the queue after the first path never ran
}

}  // namespace
}  // namespace cvx::test
