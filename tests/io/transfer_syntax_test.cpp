// SPDX-License-Identifier: MIT
// Spec: the transfer-syntax table says what PS3.5 says of each syntax, and agrees with DCMTK's own
// table (DcmXfer) on VR encoding, byte order, encapsulation and lossiness for every UID both know.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dicom/transfer_syntax.h"

namespace {

using namespace cvx::io::detail;

TEST(TransferSyntaxTable, NativeSyntaxesAreWhatPS35Section10Says) {
  const auto* implicitLe = findTransferSyntax("1.2.840.10008.1.2");
  ASSERT_NE(implicitLe, nullptr);
  EXPECT_FALSE(implicitLe->explicitVr);
  EXPECT_FALSE(implicitLe->bigEndian);
  const auto* big = findTransferSyntax("1.2.840.10008.1.2.2");
  ASSERT_NE(big, nullptr);
  EXPECT_TRUE(big->explicitVr);
  EXPECT_TRUE(big->bigEndian);
  EXPECT_TRUE(isNativeSyntax("1.2.840.10008.1.2.2"));
  EXPECT_FALSE(isNativeLittleEndian("1.2.840.10008.1.2.2"));
  EXPECT_TRUE(isNativeLittleEndian("1.2.840.10008.1.2"));
  EXPECT_TRUE(isNativeLittleEndian("1.2.840.10008.1.2.1"));
  // Deflated data set: the pixels are not at a fixed offset of the file.
  EXPECT_FALSE(isNativeSyntax("1.2.840.10008.1.2.1.99"));
  EXPECT_TRUE(findTransferSyntax("1.2.840.10008.1.2.1.99")->deflatedDataset);
}

TEST(TransferSyntaxTable, EncapsulatedSyntaxesAndTheirLossiness) {
  EXPECT_TRUE(findTransferSyntax("1.2.840.10008.1.2.4.50")->lossy);   // JPEG baseline
  EXPECT_FALSE(findTransferSyntax("1.2.840.10008.1.2.4.70")->lossy);  // JPEG lossless SV1
  EXPECT_FALSE(findTransferSyntax("1.2.840.10008.1.2.4.90")->lossy);  // JPEG 2000 lossless only
  EXPECT_TRUE(findTransferSyntax("1.2.840.10008.1.2.4.91")->lossy);   // JPEG 2000 (may be lossy)
  EXPECT_FALSE(findTransferSyntax("1.2.840.10008.1.2.5")->lossy);     // RLE
  EXPECT_TRUE(isEncapsulatedLittleEndian("1.2.840.10008.1.2.5"));
  EXPECT_TRUE(isEncapsulatedLittleEndian("1.2.840.10008.1.2.8.1"));
  EXPECT_TRUE(isEncapsulatedLittleEndian("1.2.840.10008.1.2.4.999"));  // the JPEG family's arc
  EXPECT_FALSE(isEncapsulatedLittleEndian("1.2.840.10008.1.2.1"));
  EXPECT_FALSE(isEncapsulatedLittleEndian("1.2.3.4"));
}

TEST(TransferSyntaxTable, DecodersForTheSyntaxesCineVoxReads) {
  EXPECT_EQ(findTransferSyntax("1.2.840.10008.1.2.4.57")->kind, SyntaxKind::JpegLossless);
  EXPECT_EQ(findTransferSyntax("1.2.840.10008.1.2.4.201")->kind, SyntaxKind::OpenJpeg);
  EXPECT_EQ(findTransferSyntax("1.2.840.10008.1.2.8.1")->kind, SyntaxKind::FrameDeflate);
  EXPECT_EQ(findTransferSyntax("1.2.840.10008.1.2.4.100")->kind, SyntaxKind::None);  // MPEG2 video
  EXPECT_EQ(findTransferSyntax("1.2.3.4"), nullptr);
  EXPECT_NE(findTransferSyntax(std::string("1.2.840.10008.1.2.1") + '\0'), nullptr);  // UI padding
}

TEST(TransferSyntaxTable, AgreesWithDcmtkForEveryUidBothKnow) {
  // Every UID the table might hold: native, RLE, deflate, and the JPEG family's arc.
  std::set<std::string> uids = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99",
                                "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.8.1"};
  for (int i = 50; i <= 203; ++i) uids.insert("1.2.840.10008.1.2.4." + std::to_string(i));
  int compared = 0;
  for (const std::string& uid : uids) {
    const TransferSyntax* t = findTransferSyntax(uid);
    const DcmXfer x(uid.c_str());
    if (!t || x.getXfer() == EXS_Unknown) continue;
    ++compared;
    EXPECT_EQ(t->explicitVr, static_cast<bool>(x.isExplicitVR())) << uid;
    EXPECT_EQ(t->bigEndian, static_cast<bool>(x.isBigEndian())) << uid;
    EXPECT_EQ(t->encapsulated, static_cast<bool>(x.isEncapsulated())) << uid;
    if (t->encapsulated) {
      EXPECT_EQ(t->lossy, static_cast<bool>(x.isLossy())) << uid;
    }
  }
  EXPECT_GE(compared, 20);
}

}  // namespace
