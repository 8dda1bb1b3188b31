// SPDX-License-Identifier: MIT
// Recent studies: opening a series remembers its study (newest first) and the series opened, and
// the list survives a restart.
#include <QThread>

#include <cvx/demo/demo.h>

#include "studydb_test_util.h"

namespace cvx::test {
namespace {

TEST_F(StudyDbTest, OpenedStudiesComeBackNewestFirst) {
  if (!std::filesystem::exists(dataPath("ct"))) GTEST_SKIP() << "no ct/";
  const std::string demoDir = tmp_.file("demo");
  ASSERT_TRUE(demo::writeDemoStudy(demoDir).ok());
  const Tags ct = dcmtkTags(*filesUnder(dataPath("ct")).begin());
  const Tags mono = dcmtkTags(*filesUnder(demoDir + "/MONO1").begin());
  {
    auto db = openDb();
    ASSERT_TRUE(db);
    importOk(demoDir + "/MONO1");
    importOk(dataPath("ct"));
    EXPECT_TRUE(db->recentStudies().empty());
    db->markOpened(q(mono.seriesUid));
    QThread::msleep(5);  // opened_at is in ms
    db->markOpened(q(ct.seriesUid));
    db->markOpened("1.2.3.unknown");  // nothing happens
  }
  auto db = openDb();
  ASSERT_TRUE(db);
  const auto recent = db->recentStudies();
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].studyUid, q(ct.studyUid));
  EXPECT_EQ(recent[0].openedSeries, q(ct.seriesUid));
  EXPECT_EQ(recent[0].patientName, q(ct.patientName));
  EXPECT_EQ(recent[1].studyUid, q(mono.studyUid));
  EXPECT_EQ(recent[1].openedSeries, q(mono.seriesUid));
  EXPECT_EQ(recent[1].patientName, "CineVox^Demo");
  EXPECT_EQ(db->recentStudies(1).size(), 1u);
}

}  // namespace
}  // namespace cvx::test
