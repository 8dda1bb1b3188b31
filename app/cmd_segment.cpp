// SPDX-License-Identifier: MIT
// cinevox segment PATH [--series ID] --plugin ID [--param k=v ...] [--name NAME] --out FILE: one
// segmentation plugin run headless over a series, for batch use over many studies. FILE by its
// extension: .dcm (a DICOM SEG referencing the series), .nrrd / .nii.gz / .nii / .mha (a label map),
// .stl / .obj (the segment's surface in LPS mm, cvx::mesh's defaults; only where cvx::mesh is built).
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <cvx/core/plugin/host.h>
#include <cvx/core/segmentation.h>
#include <cvx/io/dicom.h>
#include <cvx/io/seg.h>
#ifdef CVX_HAVE_MESH
#include <cvx/io/mesh_files.h>
#include <cvx/mesh/surface.h>
#endif

#include "commands.h"

namespace cvx::app {
namespace {

void usage() {
  std::fputs("usage: cinevox segment PATH [--series ID] --plugin ID [--param KEY=VALUE ...] [--name NAME] --out FILE\n"
             "       FILE: .dcm (DICOM SEG), .nrrd, .nii.gz, .nii or .mha (label map), .stl or .obj (surface, LPS mm);\n"
             "       `cinevox plugins` lists IDs\n",
             stderr);
}

bool endsWith(const std::string& s, const std::string& e) {
  return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}

int fail(const Error& e) {
  std::fprintf(stderr, "error %s\n", e.str().c_str());
  return kExitError;
}

// The segment's surface (flying edges, smoothed, decimated, in LPS mm) as STL or OBJ (+ MTL).
Status writeSurface(const Segmentation& s, size_t index, const std::string& out, bool stl) {
#ifdef CVX_HAVE_MESH
  auto surface = mesh::segmentSurface(s, index);
  if (!surface.ok()) return surface.error();
  std::printf("%s: surface of %zu triangles\n", surface->name.c_str(), surface->triangles.size());
  return stl ? io::writeStl(*surface, out) : io::writeObj({*surface}, out);
#else
  (void)s, (void)index, (void)stl;
  return makeError("app.no_mesh", "this cinevox was built without VTK: no surfaces (" + out + ")");
#endif
}

}  // namespace

int runSegment(const std::vector<std::string>& args) {
  std::string path, series, id, out, name;
  std::vector<std::pair<std::string, std::string>> params;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool valued = a == "--series" || a == "--plugin" || a == "--param" || a == "--out" || a == "--name";
    if (valued && i + 1 >= args.size()) {
      std::fprintf(stderr, "segment: %s needs a value\n", a.c_str());
      usage();
      return kExitUsage;
    }
    if (a == "--series") series = args[++i];
    else if (a == "--plugin") id = args[++i];
    else if (a == "--out") out = args[++i];
    else if (a == "--name") name = args[++i];
    else if (a == "--param") {
      auto kv = plugin::parseParamArg(args[++i]);
      if (!kv.ok()) return fail(kv.error());
      params.push_back(*kv);
    } else if (path.empty() && a.rfind("--", 0) != 0) {
      path = a;
    } else {
      std::fprintf(stderr, "segment: unexpected argument %s\n", a.c_str());
      usage();
      return kExitUsage;
    }
  }
  if (path.empty() || id.empty() || out.empty()) {
    usage();
    return kExitUsage;
  }
  const bool seg = endsWith(out, ".dcm");
  const bool stl = endsWith(out, ".stl"), obj = endsWith(out, ".obj");
  if (!seg && !stl && !obj && !endsWith(out, ".nrrd") && !endsWith(out, ".nii.gz") && !endsWith(out, ".nii") &&
      !endsWith(out, ".mha")) {
    std::fprintf(stderr, "segment: --out must end in .dcm, .nrrd, .nii.gz, .nii, .mha, .stl or .obj\n");
    return kExitUsage;
  }
  plugin::PluginHost host;
  host.discover(plugin::defaultSearchPath());
  const plugin::Manifest* m = host.find(id);
  if (!m) return fail(makeError("plugin.not_found", "no plugin " + id + " (cinevox plugins lists them)"));
  auto values = plugin::resolveParams(m->params, params);
  if (!values.ok()) return fail(values.error());
  auto volume = io::loadPath(path, series);
  if (!volume.ok()) return fail(volume.error());
  auto labels = host.segment(id, **volume, *values);
  if (!labels.ok()) return fail(labels.error());
  Segmentation s = Segmentation::onGridOf(**volume);
  Segment meta;
  meta.name = name.empty() ? m->name : name;
  meta.algorithm = SegmentAlgorithm::Automatic;
  meta.algorithmName = m->id;
  meta.algorithmVersion = m->version;
  meta.rgb = {241, 214, 145};
  auto added = s.addSegment(meta, (*labels)->as<uint8_t>());
  if (!added.ok()) return fail(added.error());
  const Status written = stl || obj ? writeSurface(s, *added, out, stl)
                         : seg      ? io::writeSeg(s, **volume, out)
                                    : io::writeLabelMap(s, 0, out);
  if (!written.ok()) return fail(written.error());
  std::printf("%s: %lld voxels, %.3f mL -> %s\n", meta.name.c_str(), static_cast<long long>(s.voxelCount(*added)),
              s.volumeMl(*added), out.c_str());
  return kExitOk;
}

}  // namespace cvx::app
