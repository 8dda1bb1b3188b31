// SPDX-License-Identifier: MIT
// The Segments dock's "Save label map..." (issue 12) on the real CT: a threshold segment made by the
// plugin from the dock is saved through the button's file dialog as NIfTI (.nii.gz) and as NRRD; a
// box added over it (overlapping: a second label layer) makes two files, one per layer. Every file is
// read back by an independent reader, python3 (nibabel for NIfTI; NRRD's header parsed and its gzip
// body inflated with Python's own gzip), never by io's readers: its voxels equal the dock's layer byte
// for byte and the test's own masks (the CT's HU range counted here, the box), and its dims, spacing,
// origin and direction are the series' (its worldFromVoxel). Failures (no segment, a folder that does
// not exist) show their codes in the dock's message.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <QAction>
#include <QPushButton>
#include <QTableWidget>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_editing.h"
#include "../../viewer/src/seg_panel.h"
#include "../../viewer/src/seg_run.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "temp_dir.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;
namespace fs = std::filesystem;

namespace {

// Reads a label map without CineVox: dims, the LPS worldFromVoxel rows (3 x 4) to argv[3], the
// voxels (uint8, x fastest) to argv[2].
constexpr const char* kReader = R"(import sys, re, gzip, numpy as np
path, raw, txt = sys.argv[1:4]
if path.endswith('.nrrd'):
    data = open(path, 'rb').read()
    end = data.index(b'\n\n')
    f = {}
    for line in data[:end].decode('ascii').split('\n')[1:]:
        if line.startswith('#') or ':=' in line: continue
        k, v = line.split(':', 1)
        f[k.strip()] = v.strip()
    assert f['type'] in ('uint8', 'uchar', 'unsigned char'), f['type']
    dims = [int(x) for x in f['sizes'].split()]
    cols = [[float(c) for c in g.split(',')] for g in re.findall(r'\(([^)]*)\)', f['space directions'])]
    origin = [float(c) for c in re.findall(r'\(([^)]*)\)', f['space origin'])[0].split(',')]
    lps = f['space'] in ('left-posterior-superior', 'LPS')
    sign = np.array([1.0, 1.0, 1.0]) if lps else np.array([-1.0, -1.0, 1.0])
    m = np.column_stack([np.array(cols).T, origin]) * sign[:, None]
    body = data[end + 2:]
    vox = gzip.decompress(body) if f['encoding'] in ('gzip', 'gz') else body
else:
    import nibabel as nib
    img = nib.load(path)
    a = np.asanyarray(img.dataobj)
    assert a.dtype == np.uint8, a.dtype
    dims = list(a.shape)
    m = (np.diag([-1.0, -1.0, 1.0]) @ img.affine[:3])  # RAS to LPS
    vox = a.tobytes(order='F')
open(raw, 'wb').write(vox)
with open(txt, 'w') as out:
    print(*dims, file=out)
    for r in range(3): print(*('%.9f' % x for x in m[r]), file=out)
)";

struct LabelFile {
  std::vector<int64_t> dims;
  double m[3][4] = {};
  std::vector<uint8_t> voxels;
};

// path read by kReader; fails the test when python3 (with numpy and nibabel) cannot read it.
::testing::AssertionResult readIndependently(const test::TempDir& tmp, const std::string& path, LabelFile& out) {
  const std::string py = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const std::string script = tmp.file("read_label_map.py"), raw = tmp.file("voxels.raw"), txt = tmp.file("m.txt");
  std::ofstream(script) << kReader;
  const std::string cmd = py + " " + script + " " + path + " " + raw + " " + txt + " > " + tmp.file("py.log") + " 2>&1";
  if (std::system(cmd.c_str()) != 0) {
    std::ifstream log(tmp.file("py.log"));
    return ::testing::AssertionFailure() << "python3 could not read " << path << ": "
                                         << std::string(std::istreambuf_iterator<char>(log), {});
  }
  std::ifstream in(txt);
  out.dims.assign(3, 0);
  in >> out.dims[0] >> out.dims[1] >> out.dims[2];
  for (auto& row : out.m)
    for (double& x : row) in >> x;
  if (!in) return ::testing::AssertionFailure() << "cannot parse python's output for " << path;
  std::ifstream v(raw, std::ios::binary);
  out.voxels.assign(std::istreambuf_iterator<char>(v), {});
  return ::testing::AssertionSuccess();
}

// The file's grid is the series': dims, and every column of worldFromVoxel (spacing times direction,
// and the first voxel's centre) within 1e-4 mm.
void expectSeriesGrid(const LabelFile& f, const Volume& series, const std::string& what) {
  ASSERT_EQ(f.dims, (std::vector<int64_t>{series.dims()[0], series.dims()[1], series.dims()[2]})) << what;
  const Mat4 w = series.geometry.worldFromVoxel();
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(f.m[r][c], w.m[r][c], 1e-4) << what << " row " << r << " col " << c;
  ASSERT_EQ(f.voxels.size(), static_cast<size_t>(series.voxelsPerPhase())) << what;
}

// Voxels labelled `label` in the file against `in` (1 = should be); the count of those that differ.
int64_t differing(const LabelFile& f, const std::vector<uint8_t>& in, uint8_t label) {
  int64_t wrong = 0;
  for (size_t i = 0; i < in.size(); ++i) wrong += (f.voxels[i] == label) != (in[i] != 0);
  return wrong;
}

// Voxels of another label than 0 and 1.
int64_t aboveOne(const LabelFile& f) {
  int64_t n = 0;
  for (uint8_t v : f.voxels) n += v > 1;
  return n;
}

// The CT's voxels in [lo, hi] HU, counted here.
std::vector<uint8_t> inRange(const Volume& v, double lo, double hi) {
  const auto& d = v.dims();
  std::vector<uint8_t> in(static_cast<size_t>(v.voxelsPerPhase()), 0);
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) {
        const double hu = test::modalityAt(v, x, y, z);
        in[static_cast<size_t>(i)] = hu >= lo && hu <= hi;
      }
  return in;
}

// Every row of the dock unchecked (hidden): saving is the same, and the 3D view builds no surface of
// 1.6 L of bone (15 s on two cores; the window's destructor cancels a build, but the tests need none).
void hideAll(viewer::SegPanel* panel) {
  for (int r = 0; r < panel->table()->rowCount(); ++r) panel->table()->item(r, 0)->setCheckState(Qt::Unchecked);
}

// A threshold segment of [lo, hi] HU run from the dock (shown), hidden; the dock.
viewer::SegPanel* thresholdSegment(MainWindow& w, double lo, double hi) {
  auto* run = w.findChild<viewer::SegRunPanel*>("segRunPanel");
  if (!run || !run->choose("threshold")) return nullptr;
  run->setField("lower", lo);
  run->setField("upper", hi);
  if (!test::runToEnd(run)) return nullptr;
  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  if (panel) hideAll(panel);
  return panel;
}

const Segmentation& activeSegmentation(MainWindow& w) {
  return *w.state().segmentations()[static_cast<size_t>(w.state().activeSegment().first)].segmentation;
}

// The CT open with the Segments dock and its 150..2000 HU threshold segment (hidden): the dock, or null.
viewer::SegPanel* ctWithBone(MainWindow& w) {
  return test::openWithSegments(w, "ct") ? thresholdSegment(w, 150, 2000) : nullptr;
}

}  // namespace

TEST(SegLabelMapGui, AThresholdSegmentSavesAsNiftiAndNrrdOnTheSeriesGrid) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::SegPanel* panel = ctWithBone(w);
  ASSERT_NE(panel, nullptr);
  const Volume& ct = *w.state().layers()[0].volume;
  const Segmentation& seg = activeSegmentation(w);
  ASSERT_EQ(seg.layers().size(), 1u);
  ASSERT_EQ(seg.segments().size(), 1u);
  const std::vector<uint8_t> bone = inRange(ct, 150, 2000);
  ASSERT_GT(seg.voxelCount(0), 100000);

  // The button, its dialog answered with a name without an extension: the NIfTI filter's is added.
  const test::TempDir tmp("cvx_gui_labelmap");
  auto* button = w.findChild<QPushButton*>("segSaveLabelMap");
  ASSERT_NE(button, nullptr);
  EXPECT_TRUE(button->isVisible() && button->isEnabled());
  bool dialog = false;
  test::answerFileDialog(&w, QString::fromStdString(tmp.file("bone")), &dialog);
  button->click();
  EXPECT_TRUE(dialog);
  const std::string nii = tmp.file("bone.nii.gz"), nrrd = tmp.file("bone.nrrd");
  ASSERT_TRUE(fs::exists(nii)) << panel->message().toStdString();
  EXPECT_FALSE(fs::exists(tmp.file("bone-1.nii.gz")));
  const std::string name = seg.segments()[0].name;
  EXPECT_TRUE(panel->message().startsWith("Saved " + QString::fromStdString(nii))) << panel->message().toStdString();
  EXPECT_TRUE(panel->message().contains(QString::fromStdString("label 1 = " + name))) << panel->message().toStdString();
  test::saveTour(&w, "ct_seg_label_map_saved");

  panel->saveLabelMapTo(QString::fromStdString(nrrd));
  ASSERT_TRUE(fs::exists(nrrd)) << panel->message().toStdString();
  for (const std::string& path : {nii, nrrd}) {
    LabelFile f;
    ASSERT_TRUE(readIndependently(tmp, path, f));
    expectSeriesGrid(f, ct, path);
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    EXPECT_EQ(std::memcmp(f.voxels.data(), seg.layers()[0]->data(), f.voxels.size()), 0) << path;
    EXPECT_EQ(differing(f, bone, 1), 0) << path << ": label 1 is the CT's 150..2000 HU";
    EXPECT_EQ(aboveOne(f), 0) << path;
  }
}

TEST(SegLabelMapGui, OverlappingSegmentsSaveOneFilePerLayer) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::SegPanel* panel = ctWithBone(w);
  ASSERT_NE(panel, nullptr);
  const Volume& ct = *w.state().layers()[0].volume;
  const std::vector<uint8_t> bone = inRange(ct, 150, 2000);

  // A box across the spine (it holds bone: the packing rule opens a second layer for it), as a user's
  // painted segment: added through the window's editing, one undo step.
  const auto& d = ct.dims();
  std::vector<uint8_t> box(bone.size(), 0);
  int64_t boxBone = 0;
  for (int64_t z = 50; z < 80; ++z)
    for (int64_t y = 300; y < 420; ++y)
      for (int64_t x = 200; x < 320; ++x) {
        const auto i = static_cast<size_t>((z * d[1] + y) * d[0] + x);
        box[i] = 1;
        boxBone += bone[i];
      }
  ASSERT_GT(boxBone, 1000) << "the box must overlap the bone";
  Segment meta;
  meta.name = "Box";
  ASSERT_TRUE(w.editing()->addSegment(meta, box.data()).ok());
  hideAll(panel);
  const Segmentation& seg = activeSegmentation(w);
  ASSERT_EQ(seg.segments().size(), 2u);
  ASSERT_EQ(seg.layers().size(), 2u);
  ASSERT_EQ(seg.segments()[1].layer, 1u);

  const test::TempDir tmp("cvx_gui_labelmap2");
  panel->saveLabelMapTo(QString::fromStdString(tmp.file("both.nrrd")));
  const QString message = panel->message();
  EXPECT_FALSE(fs::exists(tmp.file("both.nrrd")));
  const std::vector<std::string> files{tmp.file("both-1.nrrd"), tmp.file("both-2.nrrd")};
  EXPECT_TRUE(message.startsWith("Saved 2 label maps")) << message.toStdString();
  for (size_t l = 0; l < 2; ++l) {
    ASSERT_TRUE(fs::exists(files[l])) << message.toStdString();
    EXPECT_TRUE(message.contains(QString::fromStdString(files[l] + ": label 1 = " + seg.segments()[l].name)))
        << message.toStdString();
    LabelFile f;
    ASSERT_TRUE(readIndependently(tmp, files[l], f));
    expectSeriesGrid(f, ct, files[l]);
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    EXPECT_EQ(std::memcmp(f.voxels.data(), seg.layers()[l]->data(), f.voxels.size()), 0) << files[l];
    EXPECT_EQ(differing(f, l == 0 ? bone : box, 1), 0) << files[l] << " holds its own segment as label 1";
    EXPECT_EQ(aboveOne(f), 0) << files[l];
  }
  // The same as NIfTI: <stem>-<n>.nii.gz.
  panel->saveLabelMapTo(QString::fromStdString(tmp.file("both.nii.gz")));
  EXPECT_TRUE(fs::exists(tmp.file("both-1.nii.gz")) && fs::exists(tmp.file("both-2.nii.gz")))
      << panel->message().toStdString();
  LabelFile f;
  ASSERT_TRUE(readIndependently(tmp, tmp.file("both-2.nii.gz"), f));
  expectSeriesGrid(f, ct, "both-2.nii.gz");
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  EXPECT_EQ(differing(f, box, 1), 0);
}

TEST(SegLabelMapGui, FailuresShowTheirCodeInTheMessage) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  auto* panel = test::openWithSegments(w, "ct");
  ASSERT_NE(panel, nullptr);
  auto* button = w.findChild<QPushButton*>("segSaveLabelMap");
  ASSERT_NE(button, nullptr);

  // No segment: no dialog, the code in the message.
  bool dialog = false;
  test::answerFileDialog(&w, {}, &dialog);
  button->click();
  EXPECT_FALSE(dialog);
  EXPECT_TRUE(panel->message().startsWith("seg.no_active")) << panel->message().toStdString();

  // A folder that does not exist: io's write error, nothing written, the window lives on.
  ASSERT_EQ(thresholdSegment(w, 150, 2000), panel);
  const test::TempDir tmp("cvx_gui_labelmap3");
  const std::string missing = tmp.file("no/such/folder/bone.nii.gz");
  panel->saveLabelMapTo(QString::fromStdString(missing));
  EXPECT_TRUE(panel->message().startsWith("io.write_failed")) << panel->message().toStdString();
  EXPECT_TRUE(panel->message().contains(QString::fromStdString(missing))) << panel->message().toStdString();
  EXPECT_FALSE(fs::exists(missing));
  // The series' own folder: refused before anything is written (io.into_source, not a write error).
  const std::string beside = test::dataPath("ct") + "/../ct/bone.nii.gz";
  panel->saveLabelMapTo(QString::fromStdString(beside));
  EXPECT_TRUE(panel->message().startsWith("io.into_source")) << panel->message().toStdString();
  EXPECT_FALSE(fs::exists(beside));
  // A format io does not write: its code.
  panel->saveLabelMapTo(QString::fromStdString(tmp.file("bone.png")));
  EXPECT_TRUE(panel->message().startsWith("format.unsupported")) << panel->message().toStdString();
  EXPECT_TRUE(fs::is_empty(tmp.path()));
  // The dialog cancelled: nothing happens, nothing is said.
  panel->saveLabelMapTo(QString::fromStdString(tmp.file("ok.nrrd")));
  ASSERT_TRUE(fs::exists(tmp.file("ok.nrrd"))) << panel->message().toStdString();
  const QString before = panel->message();
  dialog = false;
  test::answerFileDialog(&w, {}, &dialog);
  button->click();
  EXPECT_TRUE(dialog);
  EXPECT_EQ(panel->message(), before);
}
