// Writing DICOM SEG on the real CT (../shared/data/ct): a bone threshold (HU > 300, done here) and
// an overlapping box. The file passes dciodvfy (dicom3tools) with 0 errors, pydicom decodes every
// frame to the mask of the slice its own position names, and io's reader gets the same masks and
// references back. Label maps (NIfTI, NRRD) read back voxel-identical with the same geometry.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <cvx/io/dicom.h>
#include <cvx/io/formats.h>
#include <cvx/io/seg.h>

#include "seg_test_util.h"
#include "temp_dir.h"
#include "test_data.h"

namespace cvx::io {
namespace {

struct Fixture {
  std::shared_ptr<Volume> ct;
  Segmentation seg;
  std::vector<uint8_t> bone, box;
};

const Fixture& fixture() {
  static Fixture f = [] {
    Fixture x;
    auto v = loadPath(test::dataPath("ct"));
    if (!v) return x;
    x.ct = *v;
    const Volume& ct = *x.ct;
    const auto& d = ct.dims();
    const int64_t n = ct.voxelsPerPhase();
    x.bone.assign(static_cast<size_t>(n), 0);
    x.box.assign(static_cast<size_t>(n), 0);
    const double slope = ct.info.rescaleApplied ? 1.0 : ct.info.rescaleSlope;
    const double icpt = ct.info.rescaleApplied ? 0.0 : ct.info.rescaleIntercept;
    for (int64_t z = 0; z < d[2]; ++z)
      for (int64_t y = 0; y < d[1]; ++y)
        for (int64_t xx = 0; xx < d[0]; ++xx) {
          const size_t i = static_cast<size_t>((z * d[1] + y) * d[0] + xx);
          x.bone[i] = ct.valueAt(xx, y, z) * slope + icpt > 300 ? 1 : 0;
          x.box[i] = (xx >= 150 && xx < 350 && y >= 200 && y < 330 && z >= 40 && z < 80) ? 1 : 0;
        }
    x.seg = Segmentation::onGridOf(ct);
    Segment bone;
    bone.name = "Bone";
    bone.rgb = {241, 214, 145};
    bone.category = {"85756007", "SCT", "Tissue"};
    bone.type = {"272673000", "SCT", "Bone"};
    bone.algorithm = SegmentAlgorithm::Automatic;
    bone.algorithmName = "Threshold HU>300";
    bone.algorithmVersion = "1.2.3";
    bone.algorithmFamily = {"123105", "DCM", "Histogram Analysis"};
    Segment box;
    box.name = "Box";
    box.rgb = {0, 151, 206};
    box.algorithm = SegmentAlgorithm::Manual;
    if (!x.seg.addSegment(bone, x.bone.data()).ok() || !x.seg.addSegment(box, x.box.data()).ok())
      x.ct.reset();
    return x;
  }();
  return f;
}

#define NEED_CT()                              \
  CVX_REQUIRE_FOLDER("ct");                    \
  const Fixture& fx = fixture();               \
  ASSERT_TRUE(fx.ct) << "the CT did not load"; \
  ASSERT_EQ(fx.seg.layers().size(), 2u) << "bone and box overlap: two layers"

TEST(SegWrite, PassesDciodvfyAndReloadsVoxelIdenticalWithItsReferences) {
  NEED_CT();
  test::TempDir tmp("cvx_segw");
  const std::string out = tmp.file("seg.dcm");
  ASSERT_TRUE(writeSeg(fx.seg, *fx.ct, out).ok());

  // dciodvfy: no "Error" line (warnings printed).
  std::string log;
  const int rc = test::runCommand("dciodvfy " + out, log);
  ASSERT_NE(rc, 127) << "dciodvfy not installed (dicom3tools)";
  std::istringstream lines(log);
  int errors = 0;
  for (std::string l; std::getline(lines, l);) {
    if (l.find("Error") != std::string::npos) {
      ++errors;
      ADD_FAILURE() << l;
    } else if (l.find("Warning") != std::string::npos) {
      std::printf("dciodvfy: %s\n", l.c_str());
    }
  }
  EXPECT_EQ(errors, 0);

  // Read back onto the CT's grid, and on its own grid.
  auto back = readSeg(out, fx.ct.get());
  ASSERT_TRUE(back.ok()) << back.error().str();
  const Segmentation& s = back->segmentation;
  ASSERT_EQ(s.segments().size(), 2u);
  EXPECT_TRUE(s.mask(0) == fx.bone);
  EXPECT_TRUE(s.mask(1) == fx.box);
  EXPECT_EQ(s.segments()[0].name, "Bone");
  EXPECT_EQ(s.segments()[0].algorithm, SegmentAlgorithm::Automatic);
  EXPECT_EQ(s.segments()[0].algorithmName, "Threshold HU>300");
  EXPECT_EQ(s.segments()[0].algorithmVersion, "1.2.3");
  EXPECT_EQ(s.segments()[0].type, (CodedTerm{"272673000", "SCT", "Bone"}));
  EXPECT_EQ(s.segments()[1].algorithm, SegmentAlgorithm::Manual);
  for (int c = 0; c < 3; ++c) {  // through CIELab and back
    EXPECT_NEAR(s.segments()[0].rgb[c], fx.seg.segments()[0].rgb[c], 1);
    EXPECT_NEAR(s.segments()[1].rgb[c], fx.seg.segments()[1].rgb[c], 1);
  }
  auto own = readSeg(out);
  ASSERT_TRUE(own.ok()) << own.error().str();
  const Segmentation& o = own->segmentation;
  EXPECT_EQ(o.reference.seriesInstanceUid, fx.ct->info.seriesInstanceUid);
  EXPECT_EQ(o.reference.studyInstanceUid, fx.ct->info.studyInstanceUid);
  EXPECT_EQ(o.reference.frameOfReferenceUid, fx.ct->info.frameOfReferenceUid);
  // On its own grid (bone reaches from the first slice to the last), every slice that has a
  // frame names the CT's instance at that position.
  ASSERT_EQ(o.dims(), s.dims());
  int named = 0;
  for (int64_t z = 0; z < o.dims()[2]; ++z) {
    const Vec3 p = o.geometry().worldAt(0, 0, static_cast<double>(z));
    const auto k = static_cast<size_t>(std::lround(fx.ct->geometry.voxelFromWorld().applyPoint(p).z));
    const std::string& uid = o.reference.sopInstanceUids[static_cast<size_t>(z)];
    if (uid.empty()) continue;
    ++named;
    EXPECT_EQ(uid, fx.ct->sources[k].sopInstanceUid) << z;
  }
  EXPECT_GT(named, 100);
  EXPECT_EQ(test::countDifferences(
                *s.layers()[0], [](double) { return false; }, std::vector<uint8_t>(o.voxelsPerLayer()),
                o.geometry(), o.dims()),
            0);  // the two grids are the same points
  EXPECT_TRUE(o.mask(0) == s.mask(0));
}

TEST(SegWrite, PydicomDecodesEveryFrameToTheSameLabels) {
  NEED_CT();
  test::TempDir tmp("cvx_segp");
  const std::string out = tmp.file("seg.dcm");
  ASSERT_TRUE(writeSeg(fx.seg, *fx.ct, out).ok());
  const std::string script = tmp.file("frames.py");
  std::ofstream(script) << R"(import sys, pydicom, numpy as np
ds = pydicom.dcmread(sys.argv[1])
px = ds.pixel_array.reshape(int(ds.NumberOfFrames), ds.Rows, ds.Columns)  # 1-bit unpacked to 0/1
with open(sys.argv[2], 'wb') as raw, open(sys.argv[3], 'w') as idx:
    for f, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
        seg = int(item.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        pos = [float(v) for v in item.PlanePositionSequence[0].ImagePositionPatient]
        ref = item.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
        raw.write(np.ascontiguousarray(px[f], dtype=np.uint8).tobytes())
        idx.write('%d %r %r %r %s\n' % (seg, pos[0], pos[1], pos[2], ref))
)";
  std::string log;
  const int rc = test::runCommand(
      "/usr/bin/python3 " + script + " " + out + " " + tmp.file("frames.raw") + " " + tmp.file("frames.txt"),
      log);
  ASSERT_EQ(rc, 0) << log;
  std::ifstream raw(tmp.file("frames.raw"), std::ios::binary);
  std::ifstream idx(tmp.file("frames.txt"));
  const auto& d = fx.ct->dims();
  const size_t frameSize = static_cast<size_t>(d[0] * d[1]);
  std::vector<uint8_t> frame(frameSize);
  std::vector<int> seen(static_cast<size_t>(2 * d[2]), 0);
  int frames = 0;
  int seg = 0;
  double x = 0, y = 0, z = 0;
  std::string ref;
  while (idx >> seg >> x >> y >> z >> ref) {
    ASSERT_TRUE(raw.read(reinterpret_cast<char*>(frame.data()), static_cast<std::streamsize>(frameSize)));
    ASSERT_TRUE(seg == 1 || seg == 2) << seg;
    const Vec3 v = fx.ct->geometry.voxelFromWorld().applyPoint({x, y, z});
    ASSERT_NEAR(v.x, 0, 1e-3);
    ASSERT_NEAR(v.y, 0, 1e-3);
    const auto k = static_cast<int64_t>(std::lround(v.z));
    ASSERT_NEAR(v.z, static_cast<double>(k), 1e-3);
    ASSERT_TRUE(k >= 0 && k < d[2]);
    EXPECT_EQ(ref, fx.ct->sources[static_cast<size_t>(k)].sopInstanceUid);
    const std::vector<uint8_t>& m = seg == 1 ? fx.bone : fx.box;
    EXPECT_EQ(std::memcmp(frame.data(), m.data() + static_cast<size_t>(k) * frameSize, frameSize), 0)
        << "segment " << seg << " slice " << k;
    ++seen[static_cast<size_t>((seg - 1) * d[2] + k)];
    ++frames;
  }
  // One frame for every slice that holds the segment, and none for the others.
  for (int s = 0; s < 2; ++s)
    for (int64_t k = 0; k < d[2]; ++k) {
      const std::vector<uint8_t>& m = s == 0 ? fx.bone : fx.box;
      const uint8_t* sl = m.data() + static_cast<size_t>(k) * frameSize;
      const bool any = std::any_of(sl, sl + frameSize, [](uint8_t b) { return b != 0; });
      EXPECT_EQ(seen[static_cast<size_t>(s * d[2] + k)], any ? 1 : 0) << s << " " << k;
    }
  EXPECT_GT(frames, 40);
}

// A segment without a voxel (a New segment never painted) is left out with a warning, so the rest
// still saves (DCMTK refuses a segment without a frame); a segment without terms is written as
// Tissue / Tissue (SCT 85756007, in CID 7150 and in CID 7151).
TEST(SegWrite, AnEmptySegmentIsLeftOutWithAWarningAndTermlessOnesAreTissue) {
  NEED_CT();
  Segmentation sg = fx.seg;  // shares the layers: only its own segment table changes
  std::vector<uint8_t> none(static_cast<size_t>(sg.voxelsPerLayer()), 0);
  Segment empty;
  empty.name = "Not painted yet";
  ASSERT_TRUE(sg.addSegment(empty, none.data()).ok());
  ASSERT_EQ(sg.segments().size(), 3u);
  test::TempDir tmp("cvx_sege");
  const std::string out = tmp.file("seg.dcm");
  std::vector<Diagnostic> warnings;
  SegWriteOptions o;
  o.warnings = &warnings;
  const Status st = writeSeg(sg, *fx.ct, out, o);
  ASSERT_TRUE(st.ok()) << st.error().str();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].code, "seg.empty_segment");
  EXPECT_NE(warnings[0].message.find("Not painted yet"), std::string::npos) << warnings[0].message;
  std::string log;
  ASSERT_NE(test::runCommand("dciodvfy " + out, log), 127);
  EXPECT_EQ(log.find("Error"), std::string::npos) << log;
  auto back = readSeg(out, fx.ct.get());
  ASSERT_TRUE(back.ok()) << back.error().str();
  const auto& segs = back->segmentation.segments();
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].name, "Bone");
  EXPECT_EQ(segs[1].name, "Box");
  EXPECT_EQ(segs[1].category, (CodedTerm{"85756007", "SCT", "Tissue"}));
  EXPECT_EQ(segs[1].type, (CodedTerm{"85756007", "SCT", "Tissue"}));
  EXPECT_TRUE(back->segmentation.mask(1) == fx.box);
}

// A gantry-tilt CT (../shared/data/tilt, loaded by io as a sheared grid): the SEG keeps each
// frame's exact position, passes dciodvfy, and reads back on its own grid as the same sheared grid
// with the same voxels; its volume in mL uses the sheared voxel.
TEST(SegWrite, AGantryTiltSeriesRoundTripsOnItsShearedGrid) {
  CVX_REQUIRE_FOLDER("tilt");
  auto ct = loadPath(test::dataPath("tilt"));
  ASSERT_TRUE(ct.ok()) << ct.error().str();
  const Volume& v = **ct;
  ASSERT_TRUE(v.geometry.sheared);
  Segmentation sg = Segmentation::onGridOf(v);
  const auto& d = sg.dims();
  std::vector<uint8_t> m(static_cast<size_t>(sg.voxelsPerLayer()), 0);
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 100 + 10 * z; y < 300; ++y)
      for (int64_t x = 120; x < 380 - 5 * z; ++x) m[static_cast<size_t>((z * d[1] + y) * d[0] + x)] = 1;
  Segment s;
  s.name = "Tilted box";
  ASSERT_TRUE(sg.addSegment(s, m.data()).ok());
  test::TempDir tmp("cvx_segt");
  const std::string out = tmp.file("tilt_seg.dcm");
  auto w = writeSeg(sg, v, out);
  ASSERT_TRUE(w.ok()) << w.error().str();
  std::string log;
  ASSERT_NE(test::runCommand("dciodvfy " + out, log), 127);
  EXPECT_EQ(log.find("Error"), std::string::npos) << log;
  auto back = readSeg(out);
  ASSERT_TRUE(back.ok()) << back.error().str();
  const Segmentation& b = back->segmentation;
  EXPECT_TRUE(b.geometry().sheared);
  ASSERT_EQ(b.dims(), d);
  for (int64_t z = 0; z < d[2]; ++z)  // the same voxel centres, slice by slice
    EXPECT_LT(norm(b.geometry().worldAt(7, 9, static_cast<double>(z)) -
                   v.geometry.worldAt(7, 9, static_cast<double>(z))),
              1e-3)
        << z;
  EXPECT_TRUE(b.mask(0) == m);
  // mL: voxels x |det| of the sheared voxel = in-plane area x the distance between slice planes.
  const Vec3 n = normalized(cross(v.geometry.direction[0], v.geometry.direction[1]));
  const double between = std::fabs(dot(v.geometry.worldAt(0, 0, 1) - v.geometry.worldAt(0, 0, 0), n));
  const double expected = static_cast<double>(sg.voxelCount(0)) * v.geometry.spacingMm.x *
                          v.geometry.spacingMm.y * between / 1000;
  EXPECT_NEAR(b.volumeMl(0), expected, 1e-6 * expected);
}

// The fractional (PROBABILITY, maximum 200) and the deflated (1.2.840.10008.1.2.1.99) variants:
// 0 dciodvfy errors, and they read back to the same masks.
TEST(SegWrite, FractionalAndDeflatedVariantsPassDciodvfyAndReadBack) {
  NEED_CT();
  test::TempDir tmp("cvx_segv");
  for (int variant = 0; variant < 2; ++variant) {
    SegWriteOptions o;
    o.fractional = variant == 0;
    o.maxFractionalValue = 200;
    o.deflate = variant == 1;
    const std::string out = tmp.file("v" + std::to_string(variant) + ".dcm");
    auto w = writeSeg(fx.seg, *fx.ct, out, o);
    ASSERT_TRUE(w.ok()) << w.error().str();
    // dciodvfy does not inflate: the deflated file is validated after DCMTK's dcmconv inflates it.
    std::string log, checked = out;
    if (o.deflate) {
      checked = out + ".ele";
      ASSERT_EQ(test::runCommand("dcmconv +te " + out + " " + checked, log), 0) << log;
    }
    ASSERT_NE(test::runCommand("dciodvfy " + checked, log), 127);
    EXPECT_EQ(log.find("Error"), std::string::npos) << log;
    auto h = readHeader(out);
    ASSERT_TRUE(h.ok()) << h.error().str();
    EXPECT_EQ(h->transferSyntaxUid, o.deflate ? "1.2.840.10008.1.2.1.99" : "1.2.840.10008.1.2.1");
    EXPECT_EQ(h->pixel.bitsAllocated, o.fractional ? 8 : 1);
    auto back = readSeg(out, fx.ct.get());
    ASSERT_TRUE(back.ok()) << back.error().str();
    EXPECT_EQ(back->segmentationType, o.fractional ? "FRACTIONAL" : "BINARY");
    EXPECT_EQ(back->maxFractionalValue, o.fractional ? 200 : 0);
    ASSERT_EQ(back->segmentation.segments().size(), 2u);
    EXPECT_TRUE(back->segmentation.mask(0) == fx.bone) << variant;
    EXPECT_TRUE(back->segmentation.mask(1) == fx.box) << variant;
  }
}

TEST(SegWrite, RefusesTheSourceFolderAnotherGridAndAnEmptySegmentation) {
  NEED_CT();
  auto r = writeSeg(fx.seg, *fx.ct, test::dataPath("ct/cinevox_seg.dcm"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "io.into_source");
  EXPECT_FALSE(std::filesystem::exists(test::dataPath("ct/cinevox_seg.dcm")));
  test::TempDir tmp("cvx_sege");
  Segmentation moved = fx.seg;
  moved.geometry().originMm.x += 0.5;  // not on the source's grid any more
  auto g = writeSeg(moved, *fx.ct, tmp.file("moved.dcm"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "seg.bad_geometry");
  Segmentation empty = Segmentation::onGridOf(*fx.ct);
  auto e = writeSeg(empty, *fx.ct, tmp.file("empty.dcm"));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "seg.empty");
}

TEST(SegWrite, LabelMapsReadBackVoxelIdenticalWithTheSameGeometry) {
  NEED_CT();
  test::TempDir tmp("cvx_segl");
  for (const char* name : {"layer0.nii.gz", "layer1.nrrd"}) {
    const size_t layer = name[5] - '0';
    const std::string p = tmp.file(name);
    ASSERT_TRUE(writeLabelMap(fx.seg, layer, p).ok()) << name;
    auto back = readImage(p);
    ASSERT_TRUE(back.ok()) << back.error().str();
    const Volume& v = **back;
    ASSERT_EQ(v.type(), PixelType::UInt8);
    const Volume& src = *fx.seg.layers()[layer];
    ASSERT_EQ(v.dims(), src.dims());
    EXPECT_EQ(std::memcmp(v.data(), src.data(), src.byteSize()), 0) << name;
    const Geometry& a = v.geometry;
    const Geometry& b = fx.seg.geometry();
    EXPECT_LT(norm(a.originMm - b.originMm), 1e-3) << name;
    EXPECT_LT(norm(a.spacingMm - b.spacingMm), 1e-5) << name;
    for (int c = 0; c < 3; ++c) EXPECT_LT(norm(a.direction[c] - b.direction[c]), 1e-5) << name;
  }
  EXPECT_FALSE(writeLabelMap(fx.seg, 5, tmp.file("x.nrrd")).ok());
}

}  // namespace
}  // namespace cvx::io
