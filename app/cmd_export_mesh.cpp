// SPDX-License-Identifier: MIT
// cinevox export-mesh SEG.dcm [--series PATH [--series-id ID]] [--segment N] --out FILE.stl|.obj:
// the surfaces of a DICOM SEG's segments (cvx::mesh's defaults, LPS mm). .stl: segment number N
// (default 1); .obj: every segment, one object each (N is ignored). With --series the SEG is read
// onto that series' grid (as `segment` wrote it); without, onto the grid of its own frames.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/segmentation.h>
#include <cvx/io/dicom.h>
#include <cvx/io/seg.h>
#include <cvx/io/source_folder.h>
#ifdef CVX_HAVE_MESH
#include <cvx/io/mesh_files.h>
#include <cvx/mesh/surface.h>
#endif

#include "commands.h"

namespace cvx::app {
namespace {

void usage() {
  std::fputs(
      "usage: cinevox export-mesh SEG.dcm [--series PATH [--series-id ID]] [--segment N] --out "
      "FILE.stl|.obj\n"
      "       .stl: segment number N (default 1); .obj: every segment, one object each (LPS mm)\n",
      stderr);
}

}  // namespace

int runExportMesh(const std::vector<std::string>& args) {
  std::string segPath, series, seriesId, out;
  long number = 1;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool valued = a == "--series" || a == "--series-id" || a == "--segment" || a == "--out";
    if (valued && i + 1 >= args.size()) {
      std::fprintf(stderr, "export-mesh: %s needs a value\n", a.c_str());
      usage();
      return kExitUsage;
    }
    if (a == "--series")
      series = args[++i];
    else if (a == "--series-id")
      seriesId = args[++i];
    else if (a == "--out")
      out = args[++i];
    else if (a == "--segment") {
      const std::string v = args[++i];
      char* end = nullptr;
      number = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || number < 1 || number > 65535) {
        std::fprintf(stderr, "export-mesh: --segment needs a segment number 1..65535, not %s\n", v.c_str());
        return kExitUsage;
      }
    } else if (segPath.empty() && a.rfind("--", 0) != 0) {
      segPath = a;
    } else {
      std::fprintf(stderr, "export-mesh: unexpected argument %s\n", a.c_str());
      usage();
      return kExitUsage;
    }
  }
  const bool stl = endsWith(out, ".stl"), obj = endsWith(out, ".obj");
  if (segPath.empty() || (!stl && !obj)) {
    usage();
    return kExitUsage;
  }
#ifdef CVX_HAVE_MESH
  std::shared_ptr<Volume> volume;
  if (!series.empty()) {
    auto v = io::loadPath(series, seriesId);
    if (!v.ok()) return fail(v.error());
    volume = *v;
    if (const Status st = io::refuseSourceFolder(*volume, out); !st.ok()) return fail(st.error());
  }
  auto seg = io::readSeg(segPath, volume.get());
  if (!seg.ok()) return fail(seg.error());
  const Segmentation& s = seg->segmentation;
  Status written;
  if (stl) {
    const int64_t i = s.findByNumber(static_cast<uint16_t>(number));
    if (i < 0)
      return fail(
          makeError("app.no_segment", "the SEG has no segment number " + std::to_string(number), segPath));
    auto m = mesh::segmentSurface(s, static_cast<size_t>(i));
    if (!m.ok()) return fail(m.error());
    std::printf("%s: %zu triangles -> %s\n", m->name.c_str(), m->triangles.size(), out.c_str());
    written = io::writeStl(*m, out);
  } else {
    auto all = mesh::segmentSurfaces(s);
    if (!all.ok()) return fail(all.error());
    for (const Mesh& m : *all) std::printf("%s: %zu triangles\n", m.name.c_str(), m.triangles.size());
    written = io::writeObj(*all, out);
  }
  if (!written.ok()) return fail(written.error());
  return kExitOk;
#else
  return fail(makeError("app.no_mesh", "this cinevox was built without VTK: no surfaces", out));
#endif
}

}  // namespace cvx::app
