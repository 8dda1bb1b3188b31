// SPDX-License-Identifier: MIT
// The database is a cache: a corrupt, foreign-version, locked or missing file is moved aside (kept)
// and rebuilt from the imported roots (roots.json), with a message carrying the code.
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <cvx/demo/demo.h>

#include "studydb_test_util.h"

namespace cvx::test {
namespace {

class Rebuild : public StudyDbTest {
 protected:
  void SetUp() override {
    StudyDbTest::SetUp();
    demoDir_ = tmp_.file("demo");
    ASSERT_TRUE(demo::writeDemoStudy(demoDir_).ok());
    auto db = openDb();
    ASSERT_TRUE(db);
    importOk(demoDir_ + "/MONO1");  // 8 slices: quick
    ASSERT_EQ(db->seriesCount(), 1);
    dbFile_ = db->filePath().toStdString();
  }
  // The files beside the database whose name starts with studies.db.<suffix>-.
  std::vector<std::string> asideFiles(const std::string& suffix) const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dataDir_.toStdString())) {
      const std::string name = e.path().filename().string();
      if (name.rfind("studies.db." + suffix + "-", 0) == 0 && name.find("-wal") == std::string::npos &&
          name.find("-shm") == std::string::npos)
        out.push_back(e.path().string());
    }
    return out;
  }
  // Reopens, expects one message with `code`, reimports what it lists and finds the series again.
  void expectRebuilt(const std::string& code, int lockTimeoutMs = 3000) {
    auto db = openDb(lockTimeoutMs);
    ASSERT_TRUE(db);
    ASSERT_EQ(db->messages().size(), 1u);
    EXPECT_EQ(db->messages()[0].code, code) << db->messages()[0].str();
    EXPECT_EQ(db->seriesCount(), 0);  // a fresh file
    const QStringList roots = db->rootsToReimport();
    ASSERT_EQ(roots.size(), 1);
    EXPECT_EQ(roots[0].toStdString(), std::filesystem::path(demoDir_ + "/MONO1").lexically_normal().string());
    for (const QString& r : roots) importOk(r.toStdString());
    EXPECT_EQ(db->seriesCount(), 1);
    EXPECT_EQ(db->patients().size(), 1u);
    // And the next start is clean.
    db.reset();
    auto again = openDb();
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->messages().empty());
    EXPECT_TRUE(again->rootsToReimport().isEmpty());
    EXPECT_EQ(again->seriesCount(), 1);
  }
  std::string demoDir_, dbFile_;
};

TEST_F(Rebuild, GarbageFileIsMovedAsideAndRebuilt) {
  const std::string garbage(40000, '\x5a');
  std::filesystem::remove(dbFile_ + "-wal");
  std::filesystem::remove(dbFile_ + "-shm");
  {
    QFile f(q(dbFile_));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(garbage.data(), static_cast<qint64>(garbage.size()));
  }
  expectRebuilt("studydb.corrupt");
  const auto aside = asideFiles("corrupt");
  ASSERT_EQ(aside.size(), 1u);  // kept, not deleted
  QFile f(q(aside[0]));
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  EXPECT_EQ(f.readAll().toStdString(), garbage);
}

TEST_F(Rebuild, DamagedPagesFailQuickCheck) {
  // A valid header with its b-tree pages overwritten: SQLite opens it, quick_check (or the first
  // read) reports the damage.
  std::filesystem::remove(dbFile_ + "-wal");
  std::filesystem::remove(dbFile_ + "-shm");
  {
    QFile f(q(dbFile_));
    ASSERT_TRUE(f.open(QIODevice::ReadWrite));
    const qint64 size = f.size();
    ASSERT_GT(size, 8192);
    f.seek(4096);  // page 2 onwards (SQLite's default page size is 4096)
    f.write(QByteArray(static_cast<int>(size - 4096), '\xff'));
  }
  expectRebuilt("studydb.corrupt");
  EXPECT_EQ(asideFiles("corrupt").size(), 1u);
}

TEST_F(Rebuild, OtherSchemaVersionIsRebuilt) {
  {
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "version_test");
    db.setDatabaseName(q(dbFile_));
    ASSERT_TRUE(db.open());
    QSqlQuery(db).exec("PRAGMA user_version=99");
    db.close();
  }
  QSqlDatabase::removeDatabase("version_test");
  expectRebuilt("studydb.wrong_version");
  EXPECT_EQ(asideFiles("wrong_version").size(), 1u);
}

TEST_F(Rebuild, LockedBeyondTheTimeoutIsRebuilt) {
  QSqlDatabase holder = QSqlDatabase::addDatabase("QSQLITE", "lock_holder");
  holder.setDatabaseName(q(dbFile_));
  ASSERT_TRUE(holder.open());
  QSqlQuery hq(holder);
  ASSERT_TRUE(hq.exec("PRAGMA locking_mode=EXCLUSIVE"));
  ASSERT_TRUE(hq.exec("BEGIN EXCLUSIVE"));
  expectRebuilt("studydb.locked", 200);
  EXPECT_EQ(asideFiles("locked").size(), 1u);
  hq.exec("ROLLBACK");
  hq = QSqlQuery();
  holder.close();
  holder = QSqlDatabase();
  QSqlDatabase::removeDatabase("lock_holder");
}

TEST_F(Rebuild, MissingFileIsRebuiltFromTheRoots) {
  std::filesystem::remove(dbFile_);
  std::filesystem::remove(dbFile_ + "-wal");
  std::filesystem::remove(dbFile_ + "-shm");
  expectRebuilt("studydb.missing");
}

TEST_F(Rebuild, UnreadableRootsListIsReportedNotFatal) {
  {
    QFile f(dataDir_ + "/roots.json");
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("{ not json");
  }
  auto db = openDb();
  ASSERT_TRUE(db);
  ASSERT_EQ(db->messages().size(), 1u);
  EXPECT_EQ(db->messages()[0].code, "studydb.roots_unreadable");
  EXPECT_EQ(db->seriesCount(), 1);  // the database itself was fine
  EXPECT_TRUE(db->rootsToReimport().isEmpty());
}

}  // namespace
}  // namespace cvx::test
