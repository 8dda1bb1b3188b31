// SPDX-License-Identifier: MIT
// Shared by the study database tests: a QCoreApplication (Qt SQL's plugins), a temp data folder,
// copies of read-only data, and DCMTK as the independent reader of the tags the database indexes.
#pragma once
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QString>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cvx/studydb/database.h>
#include <cvx/studydb/importer.h>

#include "temp_dir.h"
#include "test_data.h"

namespace cvx::test {

inline QCoreApplication* ensureApp() {
  if (!QCoreApplication::instance()) {
    static int argc = 1;
    static char name[] = "studydb_tests";
    static char* argv[] = {name, nullptr};
    static QCoreApplication* app = new QCoreApplication(argc, argv);
    (void)app;
  }
  return QCoreApplication::instance();
}

inline QString q(const std::string& s) { return QString::fromStdString(s); }

// The tags the database indexes, read by DCMTK from one file.
struct Tags {
  std::string patientName, patientId, studyUid, studyDate, seriesUid, modality;
  int rows = 0, columns = 0;
};
inline Tags dcmtkTags(const std::string& path) {
  DcmFileFormat ff;
  Tags t;
  if (ff.loadFile(path.c_str()).bad()) return t;
  DcmDataset* ds = ff.getDataset();
  OFString v;
  if (ds->findAndGetOFString(DCM_PatientName, v).good()) t.patientName = v.c_str();
  if (ds->findAndGetOFString(DCM_PatientID, v).good()) t.patientId = v.c_str();
  if (ds->findAndGetOFString(DCM_StudyInstanceUID, v).good()) t.studyUid = v.c_str();
  if (ds->findAndGetOFString(DCM_StudyDate, v).good()) t.studyDate = v.c_str();
  if (ds->findAndGetOFString(DCM_SeriesInstanceUID, v).good()) t.seriesUid = v.c_str();
  if (ds->findAndGetOFString(DCM_Modality, v).good()) t.modality = v.c_str();
  Uint16 n = 0;
  if (ds->findAndGetUint16(DCM_Rows, n).good()) t.rows = n;
  if (ds->findAndGetUint16(DCM_Columns, n).good()) t.columns = n;
  return t;
}

// The regular files of a folder (recursively), as absolute paths.
inline std::set<std::string> filesUnder(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.insert(std::filesystem::absolute(e.path()).lexically_normal().string());
  return out;
}

// Copies a read-only data folder into a temp folder (to delete files from it).
inline void copyTree(const std::string& from, const std::string& to) {
  std::filesystem::create_directories(to);
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

// One database in a fresh data folder.
class StudyDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ensureApp();
    ASSERT_TRUE(tmp_.ok());
    dataDir_ = q(tmp_.file("data"));
  }
  std::unique_ptr<studydb::StudyDatabase> openDb(int lockTimeoutMs = 3000) {
    studydb::OpenOptions o;
    o.dataDir = dataDir_;
    o.lockTimeoutMs = lockTimeoutMs;
    auto db = studydb::StudyDatabase::open(o);
    EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().str());
    return db.ok() ? std::move(db.value()) : nullptr;
  }
  studydb::ImportSummary importOk(const std::string& path, studydb::ImportOptions opt = {}) {
    auto r = studydb::importPath(dataDir_, q(path), opt);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().str());
    return r.ok() ? r.value() : studydb::ImportSummary{};
  }
  TempDir tmp_{"cvx_studydb"};
  QString dataDir_;
};

}  // namespace cvx::test
