// SPDX-License-Identifier: MIT
// cinevox segment PATH [--series ID] --plugin ID [--param k=v ...] [--name NAME] --out FILE [--table CSV]: one
// segmentation plugin run headless over a series, for batch use over many studies. FILE by its
// extension: .dcm (a DICOM SEG referencing the series), .nrrd / .nii.gz / .nii / .mha (a label map),
// .stl / .obj (the segment's surface in LPS mm, cvx::mesh's defaults; only where cvx::mesh is built).
// --mask FILE [--mask-segment N]: the mask of a plugin whose manifest input is "segment" (or the
// seed map of a "seeds" plugin): segment number N (default 1) of a SEG .dcm, or the voxels of
// label N of a label map on the series' grid. --table FILE.csv: the segment's row of the Segments
// dock's table (view::segmentReport: volume, statistics in the series' display units, and on a PET
// with SUV inputs its uptake, which is also printed).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <cvx/core/plugin/host.h>
#include <cvx/core/segmentation.h>
#include <cvx/io/dicom.h>
#include <cvx/io/formats.h>
#include <cvx/io/seg.h>
#include <cvx/io/source_folder.h>
#include <cvx/viewstate/seg_report.h>
#include <cvx/viewstate/seg_terms.h>
#ifdef CVX_HAVE_MESH
#include <cvx/io/mesh_files.h>
#include <cvx/mesh/surface.h>
#endif

#include "commands.h"

namespace cvx::app {
namespace {

void usage() {
  std::fputs("usage: cinevox segment PATH [--series ID] --plugin ID [--param KEY=VALUE ...] [--name NAME] --out FILE\n"
             "       [--table FILE.csv]\n"
             "       FILE: .dcm (DICOM SEG), .nrrd, .nii.gz, .nii or .mha (label map), .stl or .obj (surface, LPS mm);\n"
             "       `cinevox plugins` lists IDs\n"
             "       --mask FILE [--mask-segment N]: for plugins whose input is a segment: segment N (default 1)\n"
             "       of a SEG .dcm, or label N of a label map on the series' grid; seeds: --param seeds=i,j,k;i,j,k\n"
             "       --backend cpu|cuda|auto (default auto: CUDA when the plugin has it and a device works)\n"
             "       --table FILE.csv: the segments' volume, statistics and (on a PET) uptake, as the Segments dock exports\n",
             stderr);
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

// --mask FILE with --mask-segment N as a UInt8 mask (1 in) on the grid of `volume`; for a "seeds"
// plugin (seeds true) the whole seed map instead: a label map's values as they are (0..255), or a
// SEG's segments in their order as classes 1..n (a voxel in two segments keeps the first).
Result<std::shared_ptr<Volume>> loadMask(const std::string& file, int n, const Volume& volume, bool seeds) {
  const auto& d = volume.dims();
  auto mask = Volume::create(PixelType::UInt8, {d[0], d[1], d[2], 1});
  if (!mask.ok()) return mask.error();
  uint8_t* out = (*mask)->as<uint8_t>();
  int64_t count = 0;
  if (endsWith(file, ".dcm")) {
    auto seg = io::readSeg(file, &volume);
    if (!seg.ok()) return seg.error();
    if (seeds) {
      const auto& segs = seg->segmentation.segments();
      if (segs.empty() || segs.size() > 255) return makeError("seg.bad_mask", "seeds need 1 to 255 segments", file);
      for (size_t c = 0; c < segs.size(); ++c) {
        const std::vector<uint8_t> m = seg->segmentation.mask(c);
        for (size_t k = 0; k < m.size(); ++k)
          if (m[k] && !out[k]) out[k] = static_cast<uint8_t>(c + 1), ++count;
      }
      if (count == 0) return makeError("seg.bad_mask", "the seed map is empty", file);
      return mask;
    }
    const int64_t i = seg->segmentation.findByNumber(static_cast<uint16_t>(n));
    if (i < 0) return makeError("seg.bad_mask", "the SEG has no segment number " + std::to_string(n), file);
    const std::vector<uint8_t> m = seg->segmentation.mask(static_cast<size_t>(i));
    for (size_t k = 0; k < m.size(); ++k) count += out[k] = m[k] ? 1 : 0;
  } else {
    auto labels = io::readImage(file);
    if (!labels.ok()) return labels.error();
    if (!io::sameGrid(**labels, volume)) return makeError("seg.bad_mask", "the label map is not on the series' grid", file);
    for (int64_t z = 0, k = 0; z < d[2]; ++z)
      for (int64_t y = 0; y < d[1]; ++y)
        for (int64_t x = 0; x < d[0]; ++x, ++k) {
          const double v = (*labels)->valueAt(x, y, z);
          if (seeds && (v < 0 || v > 255 || v != std::floor(v)))
            return makeError("seg.bad_mask", "a seed map holds whole labels 0..255", file);
          count += (out[k] = seeds ? static_cast<uint8_t>(v) : (v == n ? 1 : 0)) != 0;
        }
  }
  if (count == 0) return makeError("seg.bad_mask", "segment " + std::to_string(n) + " of the mask is empty", file);
  return mask;
}

// --table: the segments of s over the series as the Segments dock's table; a PET's uptake printed.
Status writeTable(const std::shared_ptr<const Volume>& volume, const Segmentation& s, const std::string& out,
                  const std::string& table) {
  view::ViewerState state;
  state.addLayer(volume);  // its initial mapping: SUVbw for a PET with SUV inputs
  auto added = state.addSegmentation(std::make_shared<Segmentation>(s), 0, out.substr(out.find_last_of('/') + 1));
  if (!added.ok()) return added.error();
  const auto rows = view::segmentReport(state);
  for (const auto& r : rows)
    if (r.pet)
      std::printf("%s: PET SUVmax %.2f, SUVpeak %.2f, SUVmean %.2f; MTV %.1f mL, TLG %.1f\n", r.meta.name.c_str(),
                  r.pet->suvMax, r.pet->suvPeak, r.pet->suvMean, r.pet->mtvMl, r.pet->tlg);
  return view::exportSegmentReportCsv(table, rows);
}

}  // namespace

int runSegment(const std::vector<std::string>& args) {
  std::string path, series, id, out, name, maskFile, table, backend = "auto";
  int maskSegment = 1;
  std::vector<std::pair<std::string, std::string>> params;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool valued = a == "--series" || a == "--plugin" || a == "--param" || a == "--out" || a == "--name" ||
                        a == "--mask" || a == "--mask-segment" || a == "--backend" || a == "--table";
    if (valued && i + 1 >= args.size()) {
      std::fprintf(stderr, "segment: %s needs a value\n", a.c_str());
      usage();
      return kExitUsage;
    }
    if (a == "--series") series = args[++i];
    else if (a == "--plugin") id = args[++i];
    else if (a == "--out") out = args[++i];
    else if (a == "--name") name = args[++i];
    else if (a == "--mask") maskFile = args[++i];
    else if (a == "--table") table = args[++i];
    else if (a == "--backend") {
      backend = args[++i];
      if (backend != "cpu" && backend != "cuda" && backend != "auto") {
        std::fprintf(stderr, "segment: --backend is cpu, cuda or auto, not %s\n", backend.c_str());
        return kExitUsage;
      }
    }
    else if (a == "--mask-segment") {
      const std::string v = args[++i];
      char* end = nullptr;
      const long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 1 || n > 65535) {
        std::fprintf(stderr, "segment: --mask-segment needs a segment number 1..65535, not %s\n", v.c_str());
        return kExitUsage;
      }
      maskSegment = static_cast<int>(n);
    }
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
  if ((m->input == plugin::PluginInput::Image) != maskFile.empty()) {
    std::fprintf(stderr, "segment: plugin %s takes input \"%s\": %s\n", id.c_str(), plugin::toString(m->input),
                 maskFile.empty() ? "give --mask FILE" : "it takes no --mask");
    return kExitUsage;
  }
  auto volume = io::loadPath(path, series);
  if (!volume.ok()) return fail(volume.error());
  for (const std::string& file : {out, table})  // refused before the plugin runs, not after
    if (const Status st = io::refuseSourceFolder(**volume, file); !file.empty() && !st.ok()) return fail(st.error());
  plugin::RunOptions options;
  options.backend = backend;
  plugin::RunReport report;
  options.report = &report;
  std::shared_ptr<Volume> mask;
  if (!maskFile.empty()) {
    auto loaded = loadMask(maskFile, maskSegment, **volume, m->input == plugin::PluginInput::Seeds);
    if (!loaded.ok()) return fail(loaded.error());
    mask = *loaded;
    options.mask = mask.get();
  }
  auto labels = host.segment(id, **volume, *values, nullptr, options);
  for (const auto& w : report.warnings) std::fprintf(stderr, "warning %s\n", w.str().c_str());
  if (!labels.ok()) return fail(labels.error());
  std::fprintf(stderr, "%s ran on the %s\n", id.c_str(), report.backend == "cuda" ? "GPU (CUDA)" : "CPU");
  Segmentation s = Segmentation::onGridOf(**volume);
  Segment meta;
  meta.name = !name.empty() ? name : !m->resultName.empty() ? m->resultName : m->name;
  meta.algorithm = SegmentAlgorithm::Automatic;
  meta.algorithmName = m->id;
  meta.algorithmVersion = m->version;
  meta.rgb = {241, 214, 145};
  meta = view::withSegmentTermCode(meta, m->resultType);  // the SEG's SegmentedPropertyType (a lesion: Neoplasm)
  auto added = s.addSegment(meta, (*labels)->as<uint8_t>());
  if (!added.ok()) return fail(added.error());
  if (m->input == plugin::PluginInput::Seeds) {  // one segment per class 1..n, in layer 0 with labels 1..n
    s = Segmentation::onGridOf(**volume);
    const uint8_t* l = (*labels)->as<uint8_t>();
    const int64_t n = (*labels)->voxelsPerPhase();
    const uint8_t classes = n ? *std::max_element(l, l + n) : 0;
    std::vector<uint8_t> one(static_cast<size_t>(n));
    for (int c = 1; c <= classes; ++c) {
      for (int64_t i = 0; i < n; ++i) one[static_cast<size_t>(i)] = l[i] == c;
      Segment mc = meta;
      mc.name = meta.name + " class " + std::to_string(c);
      added = s.addSegment(mc, one.data());
      if (!added.ok()) return fail(added.error());
    }
    if (classes == 0) return fail(makeError("plugin.failed", "the seed plugin labelled nothing", id));
    added = size_t{0};
  }
  const Status written = stl || obj ? writeSurface(s, *added, out, stl)
                         : seg      ? io::writeSeg(s, **volume, out)
                                    : io::writeLabelMap(s, 0, out);
  if (!written.ok()) return fail(written.error());
  std::printf("%s: %lld voxels, %.3f mL -> %s\n", meta.name.c_str(), static_cast<long long>(s.voxelCount(*added)),
              s.volumeMl(*added), out.c_str());
  if (!table.empty())
    if (const Status t = writeTable(*volume, s, out, table); !t.ok()) return fail(t.error());
  return kExitOk;
}

}  // namespace cvx::app
