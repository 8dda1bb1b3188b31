// The fast header parser must agree with DCMTK (the reference reader) on every real file it accepts,
// and must accept the common case (classic little-endian files).
#include <filesystem>

#include "data_util.h"
#include "dicom/fast_header.h"

namespace fs = std::filesystem;
using cvx::io::FileHeader;

namespace {

std::vector<uint8_t> headBytes(const std::string& path, size_t max) {
  std::vector<uint8_t> b(max);
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {};
  b.resize(std::fread(b.data(), 1, b.size(), f));
  std::fclose(f);
  return b;
}

template <class T>
void eqOpt(const std::optional<T>& a, const std::optional<T>& b, const char* what, const std::string& path) {
  ASSERT_EQ(a.has_value(), b.has_value()) << what << " " << path;
  if (a) {
    EXPECT_EQ(*a, *b) << what << " " << path;
  }
}

void expectSame(const FileHeader& f, const FileHeader& d) {
  const std::string& p = d.path;
  EXPECT_EQ(f.sopClassUid, d.sopClassUid) << p;
  EXPECT_EQ(f.sopInstanceUid, d.sopInstanceUid) << p;
  EXPECT_EQ(f.transferSyntaxUid, d.transferSyntaxUid) << p;
  EXPECT_EQ(f.imageType, d.imageType) << p;
  EXPECT_EQ(f.numberOfFrames, d.numberOfFrames) << p;
  const auto &fp = f.pixel, &dp = d.pixel;
  EXPECT_EQ(std::tie(fp.rows, fp.cols, fp.samplesPerPixel, fp.bitsAllocated, fp.bitsStored, fp.highBit, fp.isSigned,
                     fp.planarConfiguration, fp.photometric),
            std::tie(dp.rows, dp.cols, dp.samplesPerPixel, dp.bitsAllocated, dp.bitsStored, dp.highBit, dp.isSigned,
                     dp.planarConfiguration, dp.photometric)) << p;
  const auto &fi = f.info, &di = d.info;
  EXPECT_EQ(std::tie(fi.patientName, fi.patientId, fi.studyInstanceUid, fi.seriesInstanceUid, fi.seriesDescription,
                     fi.modality, fi.frameOfReferenceUid, fi.seriesNumber, fi.units, fi.rescaleType, fi.lossyRatio),
            std::tie(di.patientName, di.patientId, di.studyInstanceUid, di.seriesInstanceUid, di.seriesDescription,
                     di.modality, di.frameOfReferenceUid, di.seriesNumber, di.units, di.rescaleType, di.lossyRatio)) << p;
  ASSERT_EQ(fi.windows.size(), di.windows.size()) << p;
  for (size_t i = 0; i < fi.windows.size(); ++i) {
    EXPECT_EQ(fi.windows[i].center, di.windows[i].center) << p;
    EXPECT_EQ(fi.windows[i].width, di.windows[i].width) << p;
    EXPECT_EQ(fi.windows[i].name, di.windows[i].name) << p;
  }
  eqOpt(fi.pet.injectedDoseBq, di.pet.injectedDoseBq, "dose", p);
  eqOpt(fi.pet.halfLifeS, di.pet.halfLifeS, "half-life", p);
  eqOpt(fi.pet.patientWeightKg, di.pet.patientWeightKg, "weight", p);
  EXPECT_EQ(fi.pet.injectionTime, di.pet.injectionTime) << p;
  ASSERT_EQ(f.frames.size(), d.frames.size()) << p;
  const auto &ff = f.frames[0], &df = d.frames[0];
  eqOpt(ff.position ? std::optional<double>(ff.position->x + 7 * ff.position->y + 13 * ff.position->z) : std::nullopt,
        df.position ? std::optional<double>(df.position->x + 7 * df.position->y + 13 * df.position->z) : std::nullopt,
        "position", p);
  eqOpt(ff.orientation, df.orientation, "orientation", p);
  eqOpt(ff.pixelSpacing, df.pixelSpacing, "spacing", p);
  EXPECT_EQ(ff.sliceThickness, df.sliceThickness) << p;
  EXPECT_EQ(ff.rescaleSlope, df.rescaleSlope) << p;
  EXPECT_EQ(ff.rescaleIntercept, df.rescaleIntercept) << p;
  eqOpt(ff.temporalPositionId, df.temporalPositionId, "tpi", p);
  eqOpt(ff.triggerTimeMs, df.triggerTimeMs, "trigger", p);
  eqOpt(ff.acquisitionNumber, df.acquisitionNumber, "acqnum", p);
  eqOpt(ff.acquisitionTimeS, df.acquisitionTimeS, "acqtime", p);
  eqOpt(ff.contentTimeS, df.contentTimeS, "contenttime", p);
  eqOpt(ff.echoTimeMs, df.echoTimeMs, "echo", p);
  EXPECT_EQ(ff.instanceNumber, df.instanceNumber) << p;
  if (d.pixelDataOffset >= 0) {
    EXPECT_EQ(f.pixelDataOffset, d.pixelDataOffset) << p;
  }
}

}  // namespace

TEST(FastHeader, AgreesWithDcmtkOnEveryFileItAccepts) {
  CVX_REQUIRE_FOLDER("tilt");
  size_t accepted = 0, declined = 0;
  for (const auto& e : fs::recursive_directory_iterator(cvx::test::dataPath(""))) {
    if (!e.is_regular_file()) continue;
    const std::string path = e.path().string();
    const auto ref = cvx::io::detail::readHeaderDcmtk(path);
    const auto bytes = headBytes(path, 1024 * 1024);
    const auto fast = cvx::io::detail::parseHeaderFast(path, bytes.data(), bytes.size(), e.file_size());
    if (!fast) {
      declined += ref.ok();
      if (ref.ok() && std::getenv("CVX_TEST_VERBOSE")) std::printf("declined %s\n", path.c_str());
      continue;
    }
    ++accepted;
    ASSERT_TRUE(ref.ok()) << path << ": fast parser accepted a file DCMTK rejects: " << ref.error().str();
    expectSame(*fast, *ref);
  }
  // The common case must take the fast path: most readable files of the corpus are classic LE files.
  EXPECT_GT(accepted, 3 * declined);
  std::printf("fast parser accepted %zu files, declined %zu readable ones\n", accepted, declined);
}

TEST(FastHeader, MalformedFilesAreDeclinedOrBounded) {
  CVX_REQUIRE_FOLDER("malformed");
  for (const auto& e : fs::directory_iterator(cvx::test::dataPath("malformed"))) {
    const std::string path = e.path().string();
    const auto bytes = headBytes(path, 64 * 1024);
    const auto fast = cvx::io::detail::parseHeaderFast(path, bytes.data(), bytes.size(), e.file_size());
    if (path.find("good.dcm") != std::string::npos) {
      EXPECT_TRUE(fast.has_value());
    } else if (path.find("trunc") != std::string::npos || path.find("wrong_length") != std::string::npos) {
      EXPECT_FALSE(fast.has_value()) << path;  // DCMTK reports the precise error
    }
  }
}
