// SPDX-License-Identifier: MIT
// Import by reference, query, restart, re-import: the real chest CT of ../shared/data (read only:
// nothing may be written into it) with the expected tags read by DCMTK.
#include <QStandardPaths>

#include "studydb_test_util.h"

namespace cvx::test {
namespace {

using studydb::FilesState;

class CtImport : public StudyDbTest {
 protected:
  void SetUp() override {
    StudyDbTest::SetUp();
    if (!std::filesystem::exists(dataPath("ct"))) GTEST_SKIP() << "no ct/";
    files_ = filesUnder(dataPath("ct"));
    files_.erase(std::filesystem::absolute(dataPath("ct/README.md")).lexically_normal().string());
    ASSERT_EQ(files_.size(), 134u);  // MANIFEST.md: 134 slices
    tags_ = dcmtkTags(*files_.begin());
    ASSERT_FALSE(tags_.seriesUid.empty());
  }
  std::set<std::string> files_;
  Tags tags_;
};

TEST_F(CtImport, IndexesPatientStudySeriesAndFilesAsTheFilesSay) {
  auto db = openDb();
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->messages().empty());
  const auto sum = importOk(dataPath("ct"));
  EXPECT_EQ(sum.series, 1);
  EXPECT_EQ(sum.files, 134);

  const auto patients = db->patients();
  ASSERT_EQ(patients.size(), 1u);
  EXPECT_EQ(patients[0].name, q(tags_.patientName));
  EXPECT_EQ(patients[0].patientId, q(tags_.patientId));
  const auto studies = db->studies(patients[0].id);
  ASSERT_EQ(studies.size(), 1u);
  EXPECT_EQ(studies[0].studyUid, q(tags_.studyUid));
  EXPECT_EQ(studies[0].date, q(tags_.studyDate));
  const auto series = db->series(studies[0].id);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].key, q(tags_.seriesUid));
  EXPECT_EQ(series[0].modality, q(tags_.modality));
  EXPECT_EQ(series[0].modality, "CT");
  EXPECT_EQ(series[0].imageCount, 134);
  EXPECT_EQ(series[0].fileCount, 134);
  EXPECT_EQ(series[0].state, FilesState::Present);
  EXPECT_FALSE(db->thumbnailPng(series[0].key).isEmpty());

  // What the viewer opens: every file of the folder, each once.
  auto f = db->seriesFiles(series[0].key);
  ASSERT_TRUE(f.ok()) << f.error().str();
  std::set<std::string> got;
  for (const QString& p : f->files) got.insert(p.toStdString());
  EXPECT_EQ(got, files_);
  EXPECT_EQ(f->files.size(), 134);
  EXPECT_TRUE(f->missing.isEmpty());
  // Import by reference: the source folder is unchanged.
  std::set<std::string> after = filesUnder(dataPath("ct"));
  after.erase(std::filesystem::absolute(dataPath("ct/README.md")).lexically_normal().string());
  EXPECT_EQ(after, files_);
}

TEST_F(CtImport, SurvivesARestartAndReimportAddsNoDuplicates) {
  QString key;
  {
    auto db = openDb();
    ASSERT_TRUE(db);
    importOk(dataPath("ct"));
    ASSERT_EQ(db->seriesCount(), 1);
    key = db->patients().empty() ? QString() : db->series(db->studies(db->patients()[0].id)[0].id)[0].key;
  }
  auto db = openDb();  // a new process would see the same file
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->messages().empty());
  EXPECT_TRUE(db->rootsToReimport().isEmpty());
  ASSERT_EQ(db->patients().size(), 1u);
  EXPECT_EQ(db->patients()[0].patientId, q(tags_.patientId));
  auto row = db->seriesByKey(q(tags_.seriesUid));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->key, key);
  EXPECT_EQ(row->imageCount, 134);

  importOk(dataPath("ct"));  // again: updated in place
  EXPECT_EQ(db->seriesCount(), 1);
  EXPECT_EQ(db->patients().size(), 1u);
  EXPECT_EQ(db->seriesFiles(key)->files.size(), 134);
  EXPECT_EQ(db->importedRoots(), QStringList{q(std::filesystem::absolute(dataPath("ct")).lexically_normal().string())});
}

TEST_F(StudyDbTest, UnknownSeriesKeyIsNotFound) {
  auto db = openDb();
  ASSERT_TRUE(db);
  auto f = db->seriesFiles("1.2.3.does.not.exist");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, "studydb.not_found");
  EXPECT_FALSE(db->seriesByKey("1.2.3").has_value());
  EXPECT_TRUE(db->thumbnailPng("1.2.3").isEmpty());
}

TEST_F(StudyDbTest, ImportOfAMissingPathIsAnError) {
  auto r = studydb::importPath(dataDir_, q(tmp_.file("nothing_here")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "io.not_found");
}

TEST_F(StudyDbTest, DefaultDataFolderIsTheAppDataLocation) {
  const std::string xdg = tmp_.file("xdg");
  ASSERT_TRUE(qputenv("XDG_DATA_HOME", QByteArray::fromStdString(xdg)));
  QCoreApplication::setApplicationName("cinevox_studydb_test");
  auto db = studydb::StudyDatabase::open();
  ASSERT_TRUE(db.ok()) << db.error().str();
  EXPECT_EQ((*db)->filePath().toStdString(), xdg + "/cinevox_studydb_test/studies.db");
  EXPECT_TRUE(std::filesystem::exists(xdg + "/cinevox_studydb_test/studies.db"));
}

TEST_F(StudyDbTest, DicomdirImportsWhatItReferences) {
  CVX_REQUIRE_FOLDER("dicomdir");
  auto db = openDb();
  ASSERT_TRUE(db);
  importOk(dataPath("dicomdir/DICOMDIR"));
  // README: 2 patients, 3 studies, 3 series, 11 images (files under IMAGES/).
  EXPECT_EQ(db->patients().size(), 2u);
  int files = 0, studies = 0;
  std::set<std::string> paths;
  for (const auto& p : db->patients())
    for (const auto& s : db->studies(p.id)) {
      ++studies;
      for (const auto& r : db->series(s.id)) {
        auto f = db->seriesFiles(r.key);  // kept: a range-for over a temporary's member would dangle
        ASSERT_TRUE(f.ok());
        for (const QString& path : f->files) paths.insert(path.toStdString());
        files += r.fileCount;
      }
    }
  EXPECT_EQ(studies, 3);
  EXPECT_EQ(files, 11);
  std::set<std::string> expected = filesUnder(dataPath("dicomdir/IMAGES"));
  EXPECT_EQ(paths, expected);
}

}  // namespace
}  // namespace cvx::test
