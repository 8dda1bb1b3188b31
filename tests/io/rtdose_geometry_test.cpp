// SPDX-License-Identifier: MIT
// RT Dose written here with DCMTK (3 frames of 32-bit counts): the loaded volume is float32 in the
// file's DoseUnits, each voxel count x DoseGridScaling, and frame k sits at ImagePositionPatient +
// normal x offset (GridFrameOffsetVector; relative when the first offset is 0, else absolute).
// Expected positions and values are computed here from what was written.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include <cvx/io/dicom.h>

#include "decode_synth_util.h"

namespace cvx::test::dec {
namespace {

struct Dose {
  std::string iop, ipp, offsets;
};

constexpr double kScaling = 0.00125;

uint32_t count(uint32_t frame, uint32_t pixel) { return 1000000u * (frame + 1) + 7919u * pixel; }

void writeDose(const std::string& path, const Dose& d) {
  DcmFileFormat ff;
  DcmDataset* ds = ff.getDataset();
  char uid[100];
  ds->putAndInsertString(DCM_SOPClassUID, UID_RTDoseStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
  ds->putAndInsertString(DCM_StudyInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_STUDY_UID_ROOT));
  ds->putAndInsertString(DCM_SeriesInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_SERIES_UID_ROOT));
  ds->putAndInsertString(DCM_FrameOfReferenceUID, dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
  ds->putAndInsertString(DCM_Modality, "RTDOSE");
  ds->putAndInsertUint16(DCM_Rows, 2);
  ds->putAndInsertUint16(DCM_Columns, 3);
  ds->putAndInsertString(DCM_NumberOfFrames, "3");
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_BitsAllocated, 32);
  ds->putAndInsertUint16(DCM_BitsStored, 32);
  ds->putAndInsertUint16(DCM_HighBit, 31);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  ds->putAndInsertString(DCM_PixelSpacing, "2\\3");
  ds->putAndInsertString(DCM_ImageOrientationPatient, d.iop.c_str());
  ds->putAndInsertString(DCM_ImagePositionPatient, d.ipp.c_str());
  ds->putAndInsertString(DCM_GridFrameOffsetVector, d.offsets.c_str());
  ds->putAndInsertString(DCM_DoseGridScaling, "0.00125");
  ds->putAndInsertString(DCM_DoseUnits, "GY");
  std::vector<uint32_t> px;
  for (uint32_t f = 0; f < 3; ++f)
    for (uint32_t i = 0; i < 6; ++i) px.push_back(count(f, i));
  ds->putAndInsertUint8Array(DCM_PixelData, reinterpret_cast<const Uint8*>(px.data()), px.size() * 4);
  ASSERT_TRUE(ff.saveFile(path.c_str(), EXS_LittleEndianImplicit).good());
}

// Loads the dose and checks slice k against frame frameOf[k] placed at positions[k].
void expectDose(const Dose& d, const std::vector<Vec3>& positions, const std::vector<uint32_t>& frameOf) {
  TempDir tmp;
  writeDose(tmp.file("dose.dcm"), d);
  auto vol = io::loadPath(tmp.file("dose.dcm"));
  ASSERT_TRUE(vol.ok()) << vol.error().str();
  const Volume& v = **vol;
  ASSERT_EQ(v.type(), PixelType::Float32);
  ASSERT_EQ(v.dims(), (std::array<int64_t, 4>{3, 2, 3, 1}));
  EXPECT_TRUE(v.info.rescaleApplied);
  EXPECT_EQ(v.info.units, "GY");
  for (int64_t k = 0; k < 3; ++k) {
    const Vec3 w = v.geometry.worldAt(0, 0, static_cast<double>(k));
    EXPECT_NEAR(w.x, positions[k].x, 1e-6) << "slice " << k;
    EXPECT_NEAR(w.y, positions[k].y, 1e-6) << "slice " << k;
    EXPECT_NEAR(w.z, positions[k].z, 1e-6) << "slice " << k;
    EXPECT_EQ(v.sources[k].frame, frameOf[k]);
    const float* s = reinterpret_cast<const float*>(v.slice(k));
    for (uint32_t i = 0; i < 6; ++i)
      EXPECT_EQ(s[i], static_cast<float>(count(frameOf[k], i) * kScaling)) << "slice " << k << " pixel " << i;
  }
}

TEST(RtDose, RelativeOffsetsRunAlongTheNormalOfASagittalGrid) {
  // Rows along +y, columns along -z: the normal is row x column = (-1, 0, 0).
  expectDose({"0\\1\\0\\0\\0\\-1", "10\\20\\30", "0\\2.5\\5"},
             {{10, 20, 30}, {7.5, 20, 30}, {5, 20, 30}}, {0, 1, 2});
}

TEST(RtDose, AbsoluteOffsetsAreSlicePlanes) {
  expectDose({"1\\0\\0\\0\\1\\0", "-4\\6\\-50", "-50\\-46\\-42"},
             {{-4, 6, -50}, {-4, 6, -46}, {-4, 6, -42}}, {0, 1, 2});
}

TEST(RtDose, DescendingOffsetsAreSortedInSpace) {
  // Frames run towards -z: the volume stacks them by position (frame 2 first), sources say so.
  expectDose({"1\\0\\0\\0\\1\\0", "0\\0\\0", "0\\-3\\-6"},
             {{0, 0, -6}, {0, 0, -3}, {0, 0, 0}}, {2, 1, 0});
}

}  // namespace
}  // namespace cvx::test::dec
