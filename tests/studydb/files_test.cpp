// SPDX-License-Identifier: MIT
// Files moved or deleted since import are shown as missing: on demand (one series, every file) and
// by the cheap whole-database check (a folder's files are stat'ed only when the folder changed).
#include <cvx/demo/demo.h>

#include "studydb_test_util.h"

namespace cvx::test {
namespace {

using studydb::FilesState;

class MissingFiles : public StudyDbTest {
 protected:
  void SetUp() override {
    StudyDbTest::SetUp();
    demoDir_ = tmp_.file("demo");
    ASSERT_TRUE(demo::writeDemoStudy(demoDir_).ok());
    db_ = openDb();
    ASSERT_TRUE(db_);
    importOk(demoDir_ + "/MONO1");
    importOk(demoDir_ + "/OBLIQUE");
    mono_ = filesUnder(demoDir_ + "/MONO1");
    ASSERT_EQ(mono_.size(), 8u);  // docs/demo.md: 8 slices, one file each
    monoKey_ = q(dcmtkTags(*mono_.begin()).seriesUid);
    obliqueKey_ = q(dcmtkTags(*filesUnder(demoDir_ + "/OBLIQUE").begin()).seriesUid);
  }
  std::string demoDir_;
  std::unique_ptr<studydb::StudyDatabase> db_;
  std::set<std::string> mono_;
  QString monoKey_, obliqueKey_;
};

TEST_F(MissingFiles, NothingChangedNothingMissing) {
  EXPECT_TRUE(db_->checkFiles().isEmpty());
  EXPECT_EQ(db_->seriesByKey(monoKey_)->state, FilesState::Present);
  EXPECT_EQ(db_->seriesByKey(obliqueKey_)->state, FilesState::Present);
}

TEST_F(MissingFiles, ADeletedFileMakesItsSeriesPartial) {
  const std::string gone = *std::next(mono_.begin(), 3);
  ASSERT_TRUE(std::filesystem::remove(gone));
  const QStringList changed = db_->checkFiles();
  EXPECT_EQ(changed, QStringList{monoKey_});
  auto row = db_->seriesByKey(monoKey_);
  EXPECT_EQ(row->state, FilesState::Partial);
  EXPECT_EQ(row->missingCount, 1);
  EXPECT_EQ(db_->seriesByKey(obliqueKey_)->state, FilesState::Present);
  auto files = db_->seriesFiles(monoKey_);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->files.size(), 8);
  EXPECT_EQ(files->missing, QStringList{q(gone)});
  // Restored: present again.
  std::filesystem::copy_file(*std::next(mono_.begin(), 4), gone);
  EXPECT_EQ(db_->checkFiles(), QStringList{monoKey_});
  EXPECT_EQ(db_->seriesByKey(monoKey_)->state, FilesState::Present);
}

TEST_F(MissingFiles, AMovedFolderMakesItsSeriesMissing) {
  std::filesystem::rename(demoDir_ + "/OBLIQUE", demoDir_ + "/OBLIQUE_moved");
  EXPECT_EQ(db_->checkFiles(), QStringList{obliqueKey_});
  auto row = db_->seriesByKey(obliqueKey_);
  EXPECT_EQ(row->state, FilesState::Missing);
  EXPECT_EQ(row->missingCount, row->fileCount);
  EXPECT_EQ(db_->seriesByKey(monoKey_)->state, FilesState::Present);
  // Re-importing the new place updates the same series (UID key): present, no duplicate.
  importOk(demoDir_ + "/OBLIQUE_moved");
  EXPECT_EQ(db_->seriesCount(), 2);
  EXPECT_EQ(db_->seriesByKey(obliqueKey_)->state, FilesState::Present);
  EXPECT_TRUE(db_->seriesFiles(obliqueKey_)->missing.isEmpty());
}

TEST_F(MissingFiles, OnDemandCheckSeesADeletionWithoutTheWholeCheck) {
  const std::string gone = *mono_.begin();
  ASSERT_TRUE(std::filesystem::remove(gone));
  auto files = db_->seriesFiles(monoKey_);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->missing, QStringList{q(gone)});
  EXPECT_EQ(db_->seriesByKey(monoKey_)->state, FilesState::Partial);
}

}  // namespace
}  // namespace cvx::test
