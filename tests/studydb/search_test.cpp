// SPDX-License-Identifier: MIT
// The search line and the search queries: expected patients and series from the files' own tags
// (DCMTK) and docs/demo.md, over the demo study, the chest CT and the PET/CT pair.
#include <cvx/demo/demo.h>
#include <cvx/studydb/records.h>

#include "studydb_test_util.h"

namespace cvx::test {
namespace {

using studydb::parseSearch;
using studydb::SearchQuery;

TEST(ParseSearch, SplitsTermsIntoFields) {
  SearchQuery q = parseSearch("  smith CT 2019-03-05 ");
  EXPECT_EQ(q.text, "smith");
  EXPECT_EQ(q.modality, "CT");
  EXPECT_EQ(q.dateFrom, "20190305");
  EXPECT_EQ(q.dateTo, "20190305");
  q = parseSearch("20180101-20181231 pt");
  EXPECT_EQ(q.modality, "PT");
  EXPECT_EQ(q.dateFrom, "20180101");
  EXPECT_EQ(q.dateTo, "20181231");
  EXPECT_TRUE(q.text.isEmpty());
  q = parseSearch("2018-01-01..");
  EXPECT_EQ(q.dateFrom, "20180101");
  EXPECT_TRUE(q.dateTo.isEmpty());
  q = parseSearch("..2018-01-01");
  EXPECT_TRUE(q.dateFrom.isEmpty());
  EXPECT_EQ(q.dateTo, "20180101");
  q = parseSearch("name:CT id:LUNG1 mod:seg date:20200101");
  EXPECT_EQ(q.text, "CT LUNG1");
  EXPECT_EQ(q.modality, "SEG");
  EXPECT_EQ(q.dateFrom, "20200101");
  EXPECT_TRUE(parseSearch("").empty());
  q = parseSearch("2018");  // not a date: text (part of an ID, say)
  EXPECT_EQ(q.text, "2018");
  EXPECT_TRUE(q.dateFrom.isEmpty());
}

class Search : public StudyDbTest {
 protected:
  void SetUp() override {
    StudyDbTest::SetUp();
    if (!std::filesystem::exists(dataPath("ct")) || !std::filesystem::exists(dataPath("pet_ct")))
      GTEST_SKIP() << "no ct/ or pet_ct/";
    demoDir_ = tmp_.file("demo");
    ASSERT_TRUE(demo::writeDemoStudy(demoDir_).ok());
    db_ = openDb();
    ASSERT_TRUE(db_);
    importOk(demoDir_ + "/MONO1");
    importOk(demoDir_ + "/PET");
    importOk(dataPath("ct"));
    importOk(dataPath("pet_ct"));
    // Every file's tags, read independently: the oracle of each query below.
    for (const std::string& dir : {demoDir_ + "/MONO1", demoDir_ + "/PET", dataPath("ct"), dataPath("pet_ct")})
      for (const std::string& f : filesUnder(dir)) {
        Tags t = dcmtkTags(f);
        if (!t.seriesUid.empty()) tags_[t.seriesUid] = t;
      }
  }
  // Series keys (SeriesInstanceUID) under every patient/study the query shows.
  std::set<std::string> found(const SearchQuery& sq) {
    std::set<std::string> keys;
    for (const auto& p : db_->patients(sq))
      for (const auto& s : db_->studies(p.id, sq))
        for (const auto& r : db_->series(s.id, sq)) keys.insert(r.seriesUid.toStdString());
    return keys;
  }
  template <class Pred>
  std::set<std::string> expected(Pred pred) {
    std::set<std::string> keys;
    for (const auto& [uid, t] : tags_)
      if (pred(t)) keys.insert(uid);
    return keys;
  }
  static bool contains(const std::string& hay, const std::string& needle) {
    return QString::fromStdString(hay).contains(QString::fromStdString(needle), Qt::CaseInsensitive);
  }
  std::string demoDir_;
  std::unique_ptr<studydb::StudyDatabase> db_;
  std::map<std::string, Tags> tags_;
};

TEST_F(Search, EverythingWithoutAQuery) {
  EXPECT_EQ(found({}), expected([](const Tags&) { return true; }));
  EXPECT_EQ(tags_.size(), 5u);  // demo MONO1 and PET, ct, pet_ct: PT and CT
}

TEST_F(Search, ByNameAndId) {
  const std::string ctName = tags_.begin()->second.patientName;
  for (const auto& [uid, t] : tags_) {
    SCOPED_TRACE(t.patientName + " / " + t.patientId);
    // A part of the name (lower case), and a part of the ID.
    const std::string namePart = QString::fromStdString(t.patientName.substr(0, 4)).toLower().toStdString();
    EXPECT_EQ(found(parseSearch(q(namePart))),
              expected([&](const Tags& o) { return contains(o.patientName, namePart) || contains(o.patientId, namePart); }));
    const std::string idPart = t.patientId.substr(t.patientId.size() / 2);
    SearchQuery sq;
    sq.text = q(idPart);
    EXPECT_EQ(found(sq), expected([&](const Tags& o) { return contains(o.patientName, idPart) || contains(o.patientId, idPart); }));
    EXPECT_TRUE(found(sq).count(uid));
  }
  (void)ctName;
  // Words in any order, each in the name or the ID: "demo cinevox" finds CineVox^Demo.
  auto both = [&](const Tags& o) { return contains(o.patientName, "demo") && contains(o.patientName, "cinevox"); };
  EXPECT_EQ(found(parseSearch("demo cinevox")), expected(both));
  EXPECT_EQ(found(parseSearch("demo cinevox")).size(), 2u);  // the demo's MONO1 and PET
  EXPECT_TRUE(found(parseSearch("demo nobody")).empty());
  SearchQuery none;
  none.text = "no such patient anywhere";
  EXPECT_TRUE(found(none).empty());
  EXPECT_EQ(db_->patientCount(none), 0);
}

TEST_F(Search, ByModality) {
  for (const char* m : {"CT", "PT", "MR"}) {
    SCOPED_TRACE(m);
    EXPECT_EQ(found(parseSearch(m)), expected([&](const Tags& t) { return t.modality == m; }));
  }
  EXPECT_TRUE(found(parseSearch("MR")).empty());
  EXPECT_EQ(found(parseSearch("pt")).size(), 2u);  // the demo PET and pet_ct's PT
}

TEST_F(Search, ByDateAndCombined) {
  for (const auto& [uid, t] : tags_) {
    SCOPED_TRACE(t.studyDate);
    ASSERT_EQ(t.studyDate.size(), 8u);
    EXPECT_EQ(found(parseSearch(q(t.studyDate))), expected([&](const Tags& o) { return o.studyDate == t.studyDate; }));
    const std::string dashed = t.studyDate.substr(0, 4) + "-" + t.studyDate.substr(4, 2) + "-" + t.studyDate.substr(6);
    EXPECT_EQ(found(parseSearch(q(dashed + ".."))), expected([&](const Tags& o) { return o.studyDate >= t.studyDate; }));
    EXPECT_EQ(found(parseSearch(q(".." + dashed))), expected([&](const Tags& o) { return o.studyDate <= t.studyDate; }));
    const std::string both = t.studyDate + " " + t.modality;
    EXPECT_EQ(found(parseSearch(q(both))),
              expected([&](const Tags& o) { return o.studyDate == t.studyDate && o.modality == t.modality; }));
  }
}

}  // namespace
}  // namespace cvx::test
