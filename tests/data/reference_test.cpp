// Geometry and voxels against reference NIfTIs made by other tools (dcm2niix, dicom2nifti).
// A reference may store the grid in another axis order or direction (dcm2niix flips rows,
// dicom2nifti reorients), so the test finds the signed permutation that maps reference voxel
// indices to ours, then requires every reference voxel centre to be within 1e-3 mm of ours and
// every voxel value to be equal.
#include <cmath>

#include <cvx/io/formats.h>

#include "data_util.h"
#include "dcmtk_oracle.h"

namespace {

struct Mapping {
  int axis[3];   // our axis for each reference axis
  int sign[3];
  int64_t offset[3];
};

// ours.voxelFromWorld * ref.worldFromVoxel must be a signed permutation with integer offsets.
bool findMapping(const cvx::Geometry& ours, const cvx::Geometry& ref, Mapping& m, std::string& why) {
  const cvx::Mat4 t = ours.voxelFromWorld() * ref.worldFromVoxel();
  for (int c = 0; c < 3; ++c) {
    int found = -1;
    for (int r = 0; r < 3; ++r) {
      if (std::fabs(std::fabs(t.m[r][c]) - 1.0) < 1e-3) {
        found = r;
      } else if (std::fabs(t.m[r][c]) > 1e-3) {
        why = "reference axis " + std::to_string(c) + " is not one of our axes (entry " + std::to_string(t.m[r][c]) + ")";
        return false;
      }
    }
    if (found < 0) {
      why = "reference axis " + std::to_string(c) + " maps to no axis";
      return false;
    }
    m.axis[c] = found;
    m.sign[c] = t.m[found][c] > 0 ? 1 : -1;
  }
  for (int r = 0; r < 3; ++r) {
    m.offset[r] = std::llround(t.m[r][3]);
    if (std::fabs(t.m[r][3] - static_cast<double>(m.offset[r])) > 1e-2) {
      why = "reference grid is shifted by a fraction of a voxel: " + std::to_string(t.m[r][3]);
      return false;
    }
  }
  return true;
}

std::array<int64_t, 3> mapIndex(const Mapping& m, int64_t i, int64_t j, int64_t k) {
  const int64_t in[3] = {i, j, k};
  std::array<int64_t, 3> out{};
  for (int c = 0; c < 3; ++c) out[static_cast<size_t>(m.axis[c])] += m.sign[c] * in[c];
  for (int r = 0; r < 3; ++r) out[static_cast<size_t>(r)] += m.offset[r];
  return out;
}

// The series whose grid matches the reference: same dims, else same voxel count per phase.
std::shared_ptr<cvx::Volume> loadMatching(const cvx::test::Planned& p, const cvx::Volume& r) {
  const cvx::io::SeriesPlan* best = nullptr;
  for (const auto& s : p.groups.series) {
    if (s.dims[3] != r.dims()[3]) continue;
    if (s.dims[0] == r.dims()[0] && s.dims[1] == r.dims()[1] && s.dims[2] == r.dims()[2]) {
      best = &s;
      break;
    }
    if (!best && s.dims[0] * s.dims[1] * s.dims[2] == r.voxelsPerPhase()) best = &s;
  }
  if (!best) return nullptr;
  auto v = cvx::io::loadSeries(p.scan, *best);
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().str());
  return v.ok() ? v.value() : nullptr;
}

enum class Values {
  Modality,  // ours * RescaleSlope + Intercept against ref * scl_slope + scl_inter (float refs)
  Stored,    // raw stored values (pCASL: its reference carries dcm2niix's Philips float scaling)
};

double modality(const cvx::Volume& v, double raw) {
  return v.info.rescaleApplied ? raw : raw * v.info.rescaleSlope + v.info.rescaleIntercept;
}

// Compares a series of `folder` (the one whose dims match the reference) with the reference.
// mmTolerance is 1e-3 unless a reference is known to be off (stated where used).
void compareWithReference(const std::string& folder, const std::string& refRel, Values mode = Values::Modality,
                          double mmTolerance = 1e-3) {
  auto ref = cvx::io::readImage(cvx::test::dataPath(refRel));
  ASSERT_TRUE(ref.ok()) << ref.error().str();
  const auto& r = **ref;
  auto p = cvx::test::plan(folder);
  auto ours = loadMatching(p, r);
  ASSERT_TRUE(ours) << folder << ": no series matches the reference grid " << r.dims()[0] << "x" << r.dims()[1] << "x"
                    << r.dims()[2] << "x" << r.dims()[3];
  Mapping m{};
  std::string why;
  ASSERT_TRUE(findMapping(ours->geometry, r.geometry, m, why)) << folder << ": " << why;
  // Voxel centres to 1e-3 mm, at the 8 corners of the reference grid.
  for (int c = 0; c < 8; ++c) {
    const int64_t i = (c & 1) ? r.dims()[0] - 1 : 0, j = (c & 2) ? r.dims()[1] - 1 : 0, k = (c & 4) ? r.dims()[2] - 1 : 0;
    const auto o = mapIndex(m, i, j, k);
    const cvx::Vec3 a = r.geometry.worldAt(static_cast<double>(i), static_cast<double>(j), static_cast<double>(k));
    const cvx::Vec3 b = ours->geometry.worldAt(static_cast<double>(o[0]), static_cast<double>(o[1]), static_cast<double>(o[2]));
    EXPECT_LT(cvx::norm(a - b), mmTolerance) << folder << " corner " << c;
  }
  int64_t outside = 0, different = 0, total = 0;
  double sumAbs = 0;
  for (int64_t t = 0; t < r.dims()[3]; ++t)
    for (int64_t k = 0; k < r.dims()[2]; ++k)
      for (int64_t j = 0; j < r.dims()[1]; ++j)
        for (int64_t i = 0; i < r.dims()[0]; ++i) {
          const auto o = mapIndex(m, i, j, k);
          if (o[0] < 0 || o[1] < 0 || o[2] < 0 || o[0] >= ours->dims()[0] || o[1] >= ours->dims()[1] ||
              o[2] >= ours->dims()[2]) {
            ++outside;
            continue;
          }
          const double rv = r.valueAt(i, j, k, t), ov = ours->valueAt(o[0], o[1], o[2], t);
          const double d = mode == Values::Stored ? std::fabs(rv - ov) : std::fabs(modality(r, rv) - modality(*ours, ov));
          const double tol = mode == Values::Stored ? 0 : 1e-5 * std::fabs(modality(r, rv)) + 1e-6;
          different += d > tol;
          sumAbs += d;
          ++total;
        }
  EXPECT_EQ(outside, 0) << folder;
  EXPECT_EQ(different, 0) << folder << ": mean |diff| " << sumAbs / static_cast<double>(std::max<int64_t>(total, 1));
  EXPECT_EQ(total, r.voxelCount()) << folder;
}

}  // namespace

#define REFERENCE_TEST(name, folder, ref, ...) \
  TEST(Reference, name) {                        \
    CVX_REQUIRE_FOLDER(folder);                  \
    compareWithReference(folder, ref, ##__VA_ARGS__); \
  }

// dcm2niix (these T1 refs) derives the slice step from the first two positions, whose DS strings
// carry 3 and 4 decimals (-100.424 then -98.4239): its grid drifts 0.0100 mm over 95 slices at the
// far end. Our grid meets the first AND last ImagePositionPatient exactly (SliceOriginsMatchFiles
// checks every slice to 1e-3 mm), so these two comparisons allow 0.011 mm.
constexpr double kT1RefDrift = 0.011;

REFERENCE_TEST(TransferSyntaxExplicitLE, "transfer_syntax_matrix/explicit_le.dcm", "transfer_syntax_matrix/ref/1.nii")
REFERENCE_TEST(SagittalT1, "sagittal_t1", "t1_jpeg_lossless_fragmented/ref/anat-T1w_acq-tfl_5001.nii", Values::Modality, kT1RefDrift)
REFERENCE_TEST(FragmentedJpegLosslessT1, "t1_jpeg_lossless_fragmented", "t1_jpeg_lossless_fragmented/ref/anat-T1w_acq-tfl_5001.nii", Values::Modality, kT1RefDrift)
REFERENCE_TEST(PcaslClassicStoredValues, "pcasl/classic", "pcasl/ref/201_pCASL_classic.nii", Values::Stored)
REFERENCE_TEST(PcaslEnhancedStoredValues, "pcasl/enhanced", "pcasl/ref/201_pCASL_enhanced_real.nii", Values::Stored)
REFERENCE_TEST(SiemensMosaic4D, "4d/siemens_mosaic", "4d/siemens_mosaic/ref/EPI_PE=AP_3.nii")
REFERENCE_TEST(SiemensXA10Enhanced4D, "4d/siemens_xa10_enhanced_fmri", "4d/siemens_xa10_enhanced_fmri/ref/Siemens_REST1_w_SMS_PF7-8_6.nii")
REFERENCE_TEST(PhilipsClassic4D, "4d/philips_classic_fmri", "4d/philips_classic_fmri/ref/001_ground_truth.nii.gz")
REFERENCE_TEST(PhilipsEnhanced4D, "4d/philips_enhanced_fmri", "4d/philips_enhanced_fmri/ref/001_ground_truth.nii.gz")
REFERENCE_TEST(SliceCount, "slicecount", "slicecount/ref/001_ground_truth.nii.gz")

// Every slice's first voxel lies at its own file's ImagePositionPatient, read by DCMTK: to 1e-3 mm,
// except the PET/CT pair, whose scanner positions step 3.27/3.27005/3.26995/.../3.29 mm (dcmdump):
// a regular grid meets them to 0.05 mm, which is below the 2% step tolerance of the planner.
TEST(Reference, SliceOriginsMatchFiles) {
  for (const char* folder : {"sagittal_t1", "tilt", "pet_ct", "two_orientations", "slicecount"}) {
    const double tol = std::string(folder) == "pet_ct" ? 0.05 : 1e-3;
    CVX_REQUIRE_FOLDER(folder);
    auto p = cvx::test::plan(folder);
    for (const auto& s : p.groups.series) {
      for (int64_t z = 0; z < s.dims[2]; ++z) {
        const auto& ref = s.slices[static_cast<size_t>(z)];
        const auto ipp = cvx::test::dcmtkPosition(p.scan.files[ref.file].path);
        ASSERT_TRUE(ipp.has_value());
        const cvx::Vec3 w = s.geometry.worldAt(0, 0, static_cast<double>(z));
        EXPECT_LT(cvx::norm(w - *ipp), tol) << folder << " slice " << z;
      }
    }
  }
}

// dicom2nifti also ships a reoriented copy of the same reference (another axis order and sign).
REFERENCE_TEST(SliceCountReoriented, "slicecount", "slicecount/ref/001_ground_truth_reoriented.nii.gz")
