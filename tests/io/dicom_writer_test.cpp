// SPDX-License-Identifier: MIT
// DicomWriter (io/src/write/dicom_writer.cpp): what it writes is read back with DCMTK directly, an
// independent reader, and every value compared; mistakes come back as coded errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <cvx/io/dicom_writer.h>

#include "temp_dir.h"

namespace cvx::test {
namespace {

constexpr const char* kCtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

std::string str(DcmItem& d, const DcmTagKey& tag) {
  OFString v;
  return d.findAndGetOFStringArray(tag, v).good() ? std::string(v.c_str()) : std::string("<missing>");
}

// The error's context (a keyword or a path), as Error::str() prints it after the message.
std::string whereOf(const Error& e) {
  const std::string all = e.str(), head = e.code + ": " + e.message;
  return all.size() > head.size() + 3 ? all.substr(head.size() + 2, all.size() - head.size() - 3) : "";
}

std::string vrOf(DcmItem& d, const DcmTagKey& tag) {
  DcmElement* e = nullptr;
  return d.findAndGetElement(tag, e).good() && e ? std::string(DcmVR(e->getVR()).getVRName()) : "<missing>";
}

// A small CT-like data set with every kind of value the writer takes.
io::DicomWriter sample(const std::string& sopUid, const std::vector<uint16_t>& px) {
  io::DicomWriter w;
  w.set("SOPClassUID", kCtImageStorage).set("SOPInstanceUID", sopUid);
  w.set("PatientName", "Writer^Test").set("PatientID", "W-1").set("ReferringPhysicianName", "");
  w.set("StudyDate", "20250102").set("StudyTime", "090000.5");
  w.set("ImageType", "DERIVED\\SECONDARY");
  w.set("ImagePositionPatient", "-12.5\\3\\1e-3").set("SliceThickness", "2.5");
  w.set("InstanceNumber", "7");
  w.set("0008,0070", "CineVox");  // Manufacturer by tag
  w.setU16("Rows", 2).setU16("Columns", 3).setU16("BitsAllocated", 16).setU16("BitsStored", 16);
  w.setU16("HighBit", 15).setU16("PixelRepresentation", 0).setU16("SamplesPerPixel", 1);
  w.set("PhotometricInterpretation", "MONOCHROME2");
  io::DicomItemWriter code = w.item("AnatomicRegionSequence", 0);
  code.set("CodeValue", "T-D3000").set("CodingSchemeDesignator", "SRT").set("CodeMeaning", "Chest");
  code.item("AnatomicRegionModifierSequence", 1).set("CodeValue", "G-A101");
  w.setPixels16(px);
  return w;
}

TEST(DicomWriter, WritesWhatDcmtkReadsBack) {
  const TempDir tmp("cvx_dicom_writer");
  ASSERT_TRUE(tmp.ok());
  const std::string uid = io::newDicomUid();
  const std::vector<uint16_t> px{0, 1, 4095, 32768, 65535, 7};
  const std::string path = tmp.file("a.dcm");
  const Status st = sample(uid, px).save(path);
  ASSERT_TRUE(st.ok()) << st.error().str();

  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(path.c_str()).good());
  DcmMetaInfo& meta = *ff.getMetaInfo();
  EXPECT_EQ(str(meta, DCM_TransferSyntaxUID), UID_LittleEndianExplicitTransferSyntax);
  EXPECT_EQ(str(meta, DCM_MediaStorageSOPClassUID), kCtImageStorage);
  EXPECT_EQ(str(meta, DCM_MediaStorageSOPInstanceUID), uid);
  EXPECT_EQ(ff.getDataset()->getOriginalXfer(), EXS_LittleEndianExplicit);

  DcmDataset& d = *ff.getDataset();
  EXPECT_EQ(str(d, DCM_SOPClassUID), kCtImageStorage);
  EXPECT_EQ(str(d, DCM_SOPInstanceUID), uid);
  EXPECT_EQ(str(d, DCM_PatientName), "Writer^Test");
  EXPECT_EQ(str(d, DCM_PatientID), "W-1");
  EXPECT_EQ(str(d, DCM_ReferringPhysicianName), "");  // present, empty (type 2)
  EXPECT_EQ(str(d, DCM_StudyDate), "20250102");
  EXPECT_EQ(str(d, DCM_StudyTime), "090000.5");
  EXPECT_EQ(str(d, DCM_ImageType), "DERIVED\\SECONDARY");
  EXPECT_EQ(str(d, DCM_ImagePositionPatient), "-12.5\\3\\1e-3");
  EXPECT_EQ(str(d, DCM_SliceThickness), "2.5");
  EXPECT_EQ(str(d, DCM_InstanceNumber), "7");
  EXPECT_EQ(str(d, DCM_Manufacturer), "CineVox");
  EXPECT_EQ(str(d, DCM_PhotometricInterpretation), "MONOCHROME2");
  // The dictionary's VRs, as the file carries them.
  EXPECT_EQ(vrOf(d, DCM_PatientName), "PN");
  EXPECT_EQ(vrOf(d, DCM_ImagePositionPatient), "DS");
  EXPECT_EQ(vrOf(d, DCM_InstanceNumber), "IS");
  EXPECT_EQ(vrOf(d, DCM_Rows), "US");
  EXPECT_EQ(vrOf(d, DCM_PixelData), "OW");
  Float64 x = 0;
  ASSERT_TRUE(d.findAndGetFloat64(DCM_ImagePositionPatient, x, 2).good());
  EXPECT_DOUBLE_EQ(x, 1e-3);

  for (const auto& [tag, want] : {std::pair{DCM_Rows, 2}, std::pair{DCM_Columns, 3}, std::pair{DCM_BitsAllocated, 16},
                                  std::pair{DCM_BitsStored, 16}, std::pair{DCM_HighBit, 15},
                                  std::pair{DCM_PixelRepresentation, 0}, std::pair{DCM_SamplesPerPixel, 1}}) {
    Uint16 v = 9999;
    EXPECT_TRUE(d.findAndGetUint16(tag, v).good()) << DcmTag(tag).getTagName();
    EXPECT_EQ(v, want) << DcmTag(tag).getTagName();
  }

  DcmItem* code = nullptr;
  ASSERT_TRUE(d.findAndGetSequenceItem(DCM_AnatomicRegionSequence, code, 0).good());
  EXPECT_EQ(str(*code, DCM_CodeValue), "T-D3000");
  EXPECT_EQ(str(*code, DCM_CodingSchemeDesignator), "SRT");
  EXPECT_EQ(str(*code, DCM_CodeMeaning), "Chest");
  DcmSequenceOfItems* mods = nullptr;
  ASSERT_TRUE(code->findAndGetSequence(DCM_AnatomicRegionModifierSequence, mods).good());
  ASSERT_EQ(mods->card(), 2u);  // item 1 asked for: item 0 created empty before it
  EXPECT_EQ(mods->getItem(0)->card(), 0u);
  EXPECT_EQ(str(*mods->getItem(1), DCM_CodeValue), "G-A101");

  const Uint16* got = nullptr;
  unsigned long count = 0;
  ASSERT_TRUE(d.findAndGetUint16Array(DCM_PixelData, got, &count).good());
  ASSERT_EQ(count, px.size());
  for (size_t i = 0; i < px.size(); ++i) EXPECT_EQ(got[i], px[i]) << i;
}

TEST(DicomWriter, AnItemHandleWritesIntoTheSameItem) {
  const TempDir tmp("cvx_dicom_writer");
  ASSERT_TRUE(tmp.ok());
  io::DicomWriter w;
  w.set("SOPClassUID", kCtImageStorage).set("SOPInstanceUID", io::newDicomUid());
  w.item("AnatomicRegionSequence").set("CodeValue", "A");
  w.item("AnatomicRegionSequence").set("CodeMeaning", "B");   // same item 0
  w.item("AnatomicRegionSequence").set("CodeValue", "C");     // replaces A
  ASSERT_TRUE(w.save(tmp.file("b.dcm")).ok());
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(tmp.file("b.dcm").c_str()).good());
  DcmSequenceOfItems* seq = nullptr;
  ASSERT_TRUE(ff.getDataset()->findAndGetSequence(DCM_AnatomicRegionSequence, seq).good());
  ASSERT_EQ(seq->card(), 1u);
  EXPECT_EQ(str(*seq->getItem(0), DCM_CodeValue), "C");
  EXPECT_EQ(str(*seq->getItem(0), DCM_CodeMeaning), "B");
}

Status saveWith(const std::string& dir, void (*mistake)(io::DicomWriter&)) {
  io::DicomWriter w;
  w.set("SOPClassUID", kCtImageStorage).set("SOPInstanceUID", io::newDicomUid());
  mistake(w);
  return w.save(dir + "/x.dcm");
}

TEST(DicomWriter, MistakesGiveTheBadAttributeCodeAndNoFile) {
  const TempDir tmp("cvx_dicom_writer");
  ASSERT_TRUE(tmp.ok());
  struct Case {
    const char* what;
    void (*mistake)(io::DicomWriter&);
    const char* context;
  };
  const Case cases[] = {
      {"unknown keyword", [](io::DicomWriter& w) { w.set("PatientNme", "x"); }, "PatientNme"},
      {"unknown tag", [](io::DicomWriter& w) { w.set("0009,1001", "x"); }, "0009,1001"},
      {"empty keyword", [](io::DicomWriter& w) { w.set("", "x"); }, ""},
      {"DS not a number", [](io::DicomWriter& w) { w.set("SliceThickness", "thick"); }, "SliceThickness"},
      {"UI with letters", [](io::DicomWriter& w) { w.set("StudyInstanceUID", "1.2.abc"); }, "StudyInstanceUID"},
      {"US from text not a number", [](io::DicomWriter& w) { w.set("Rows", "many"); }, "Rows"},
      {"setU16 on a string VR", [](io::DicomWriter& w) { w.setU16("PatientName", 1); }, "PatientName"},
      {"set on a sequence", [](io::DicomWriter& w) { w.set("AnatomicRegionSequence", "x"); }, "AnatomicRegionSequence"},
      {"item of a non-sequence", [](io::DicomWriter& w) { w.item("PatientName").set("CodeValue", "x"); }, "PatientName"},
      {"unknown keyword in an item",
       [](io::DicomWriter& w) { w.item("AnatomicRegionSequence").set("CodeValu", "x"); }, "CodeValu"},
      {"no SOPInstanceUID", [](io::DicomWriter& w) { w.set("SOPInstanceUID", ""); }, "SOPInstanceUID"},
  };
  for (const Case& c : cases) {
    const Status st = saveWith(tmp.path(), c.mistake);
    ASSERT_FALSE(st.ok()) << c.what;
    EXPECT_EQ(st.error().code, "dicom.write_bad_attribute") << c.what;
    EXPECT_EQ(whereOf(st.error()), c.context) << c.what;
    EXPECT_FALSE(std::filesystem::exists(tmp.file("x.dcm"))) << c.what;
  }
}

TEST(DicomWriter, TheFirstMistakeIsReportedWithACountOfTheRest) {
  io::DicomWriter w;
  w.set("Nope1", "a").set("PatientName", "ok").set("Nope2", "b").setU16("Nope3", 1);
  const Status st = w.save("/nonexistent/never.dcm");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "dicom.write_bad_attribute");
  EXPECT_EQ(whereOf(st.error()), "Nope1");
  EXPECT_NE(st.error().message.find("(and 2 more)"), std::string::npos) << st.error().message;
}

std::vector<std::string> namesIn(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

TEST(DicomWriter, SavingIntoAMissingFolderFailsWithACode) {
  const TempDir tmp("cvx_dicom_writer");
  ASSERT_TRUE(tmp.ok());
  const Status st = sample(io::newDicomUid(), {1, 2, 3, 4, 5, 6}).save(tmp.file("missing/sub/a.dcm"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "dicom.write_failed");
  EXPECT_EQ(whereOf(st.error()), tmp.file("missing/sub/a.dcm"));
  EXPECT_TRUE(namesIn(tmp.path()).empty());
}

std::string bytesOf(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

TEST(DicomWriter, ReplacesAnExistingFileOnlyWhenAsked) {
  const TempDir tmp("cvx_dicom_writer");
  ASSERT_TRUE(tmp.ok());
  const std::string path = tmp.file("a.dcm");
  std::ofstream(path) << "user data";
  const io::DicomWriter w = sample(io::newDicomUid(), {1, 2, 3, 4, 5, 6});
  const Status refused = w.save(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "dicom.write_exists");
  EXPECT_EQ(bytesOf(path), "user data");
  EXPECT_EQ(namesIn(tmp.path()), std::vector<std::string>{"a.dcm"});  // no temp file left

  ASSERT_TRUE(w.save(path, io::Overwrite::Yes).ok());
  EXPECT_EQ(bytesOf(path).substr(128, 4), "DICM");
  EXPECT_EQ(namesIn(tmp.path()), std::vector<std::string>{"a.dcm"});
}

TEST(DicomWriter, SavesTwiceTheSameBytes) {
  const TempDir tmp("cvx_dicom_writer");
  ASSERT_TRUE(tmp.ok());
  const io::DicomWriter w = sample("1.2.3.4", {9, 8, 7, 6, 5, 4});
  ASSERT_TRUE(w.save(tmp.file("1.dcm")).ok());
  ASSERT_TRUE(w.save(tmp.file("2.dcm")).ok());
  EXPECT_EQ(bytesOf(tmp.file("1.dcm")), bytesOf(tmp.file("2.dcm")));
}

TEST(DicomWriter, NewUidsAreValidAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string uid = io::newDicomUid();
    EXPECT_LE(uid.size(), 64u);
    EXPECT_EQ(uid.find_first_not_of("0123456789."), std::string::npos) << uid;
    EXPECT_EQ(uid.rfind(SITE_INSTANCE_UID_ROOT, 0), 0u) << uid;
    seen.insert(uid);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace cvx::test
