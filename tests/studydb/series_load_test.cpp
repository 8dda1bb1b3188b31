// SPDX-License-Identifier: MIT
// Opening a series from the database: its files' headers planned again give the same volume grid as
// planning the whole folder, and a deleted file only removes its slice.
#include <cvx/studydb/series_load.h>

#include "studydb_test_util.h"

namespace cvx::test {
namespace {

class SeriesLoad : public StudyDbTest {
 protected:
  void SetUp() override {
    StudyDbTest::SetUp();
    if (!std::filesystem::exists(dataPath("pet_ct"))) GTEST_SKIP() << "no pet_ct/";
    copyTree(dataPath("pet_ct"), tmp_.file("pet_ct"));  // a copy: files get deleted below
    db_ = openDb();
    ASSERT_TRUE(db_);
    importOk(tmp_.file("pet_ct"));
    ct_ = filesUnder(tmp_.file("pet_ct/CT"));
    ASSERT_EQ(ct_.size(), 40u);  // MANIFEST.md: 40 CT slices
    key_ = q(dcmtkTags(*ct_.begin()).seriesUid);
  }
  std::unique_ptr<studydb::StudyDatabase> db_;
  std::set<std::string> ct_;
  QString key_;
};

TEST_F(SeriesLoad, PlansTheSeriesFromItsFilesAlone) {
  auto files = db_->seriesFiles(key_);
  ASSERT_TRUE(files.ok());
  auto s = studydb::planSeriesFiles(*files);
  ASSERT_TRUE(s.ok()) << s.error().str();
  EXPECT_EQ(s->plan.id, key_.toStdString());
  EXPECT_EQ(s->scan->files.size(), 40u);
  const Tags t = dcmtkTags(*ct_.begin());
  EXPECT_EQ(s->plan.dims[0], t.columns);
  EXPECT_EQ(s->plan.dims[1], t.rows);
  EXPECT_EQ(s->plan.dims[2], 40);
  EXPECT_TRUE(s->missing.isEmpty());
  // The same grid as planning the whole folder (the PT files are not read here).
  auto whole = io::scan(tmp_.file("pet_ct"));
  ASSERT_TRUE(whole.ok());
  const io::GroupResult groups = io::planSeries(*whole);
  const io::SeriesPlan* ref = io::findSeries(groups, key_.toStdString());
  ASSERT_NE(ref, nullptr);
  EXPECT_EQ(s->plan.dims, ref->dims);
  EXPECT_NEAR(s->plan.geometry.originMm.z, ref->geometry.originMm.z, 1e-9);
}

TEST_F(SeriesLoad, ADeletedFileIsListedAndLeftOut) {
  const std::string gone = *std::next(ct_.begin(), 5);
  ASSERT_TRUE(std::filesystem::remove(gone));
  auto files = db_->seriesFiles(key_);
  ASSERT_TRUE(files.ok());
  auto s = studydb::planSeriesFiles(*files);
  ASSERT_TRUE(s.ok()) << s.error().str();
  EXPECT_EQ(s->missing, QStringList{q(gone)});
  EXPECT_EQ(s->scan->files.size(), 39u);
}

TEST_F(SeriesLoad, AllFilesGoneIsAnError) {
  std::filesystem::remove_all(tmp_.file("pet_ct/CT"));
  auto files = db_->seriesFiles(key_);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->missing.size(), 40);
  auto s = studydb::planSeriesFiles(*files);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "studydb.files_missing");
}

}  // namespace
}  // namespace cvx::test
