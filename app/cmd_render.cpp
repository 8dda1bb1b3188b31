// render: one slice of a series drawn headless through the Qt-free viewer state (the GUI's
// ViewerState and ViewRenderer: same plane, fit, window and radiological convention) to a PNG.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <cvx/io/dicom.h>
#include <cvx/io/png.h>

#include <cvx/viewstate/render_view.h>
#include <cvx/viewstate/state.h>

#include "commands.h"
#include "render_3d.h"

namespace cvx::app {
namespace {

constexpr const char* kUsage =
    "usage: cinevox render PATH [--series ID] --view axial|coronal|sagittal (--slice N | --mm X)\n"
    "                      [--slab MM [--mode mip|minip|mean]] [--wl C,W] [--neurological] [--phase N]\n"
    "                      [--seg FILE] --size WxH --out FILE.png\n"
    "       cinevox render PATH [--series ID] --view 3d --preset NAME [--azimuth DEG] [--elevation DEG]\n"
    "                      [--projection perspective|parallel] [--zoom Z] [--fuse SERIES [--fuse-preset "
    "NAME]]\n"
    "                      [--clip X,Y,Z,NX,NY,NZ]... [--cut-surfaces] [--show-slice "
    "axial|coronal|sagittal]...\n"
    "                      [--at X,Y,Z]\n"
    "                      [--seg FILE [--surface-opacity A] [--keep-segment NAME]... [--remove-segment "
    "NAME]...]\n"
    "                      [--phase N] --size WxH --out FILE.png\n"
    "  --seg: a DICOM SEG, RTSTRUCT or label map of the series, drawn as the viewer draws it: filled over\n"
    "  2D slices, as segment surfaces in 3D (translucent below --surface-opacity 1, its default).\n"
    "  --keep-segment, --remove-segment: the volume rendering keeps only the voxels of the segments kept\n"
    "  (together), and leaves out those removed (the viewer's 3D menu, Punch); NAME: a name or a number from 1.\n"
    "  --clip: keep what lies on the side of the plane through point (X, Y, Z) that its normal\n"
    "  (NX, NY, NZ) points to (patient LPS mm, as the viewer's clip planes); up to 6. They cut the\n"
    "  volume alone unless --cut-surfaces is given: then they cut the --seg surfaces (capped in their\n"
    "  colour) and the --show-slice slices too, as the viewer's \"Cut segment surfaces and slices too\".\n"
    "  --show-slice: draw that MPR slice on its plane, as the viewer's \"Slices in 3D\" (its default\n"
    "  window), through the voxel centre nearest the point --at (LPS mm, inside the volume; by default\n"
    "  the volume's centre).\n"
    "  --phase: the phase of a 4D series, 0 .. phases - 1 (the viewer's phase N + 1); 0 by default.\n"
    "  --fuse: a second series drawn in the same pass (PET on CT): a series ID or UID in PATH, or a\n"
    "  folder or file of its own; it must share PATH's series' frame of reference. Its preset defaults\n"
    "  to its modality's.\n";

struct Request {
  std::string path, series, view, out;
  std::optional<long> slice, phase;
  std::optional<double> mm, slabMm;
  std::string mode;
  std::optional<double> wlCenter, wlWidth;
  int width = 0, height = 0;
  bool neurological = false;
  // --view 3d
  std::string preset, projection;
  double azimuth = 0, elevation = 0, zoom = 1;
  std::string fuse, fusePreset;  // the fused series (an ID in PATH, or a path) and its preset
  std::vector<view::ClipPlane3D> clips;
  bool cutSurfaces = false;              // --cut-surfaces: the clips cut the surfaces and slices too
  std::vector<view::Orientation> shown;  // --show-slice
  std::optional<Vec3> at;
  std::string seg;  // a segmentation of the series (io::readAnySegmentation)
  double surfaceOpacity = 1;
  std::vector<std::pair<std::string, bool>> punches;  // --keep-segment (true) / --remove-segment NAME
};

bool parseDouble(const std::string& s, double& v) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(v);
}

template <class T>
bool parseInt(const std::string& s, T& v) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

// "A<sep>B" into two parts (exactly one separator).
bool splitPair(const std::string& s, char sep, std::string& a, std::string& b) {
  const size_t at = s.find(sep);
  if (at == std::string::npos || s.find(sep, at + 1) != std::string::npos) return false;
  a = s.substr(0, at);
  b = s.substr(at + 1);
  return true;
}

// Exactly `count` finite numbers separated by commas.
bool parseNumbers(const std::string& s, double* v, int count) {
  size_t from = 0;
  for (int i = 0; i < count; ++i) {
    const size_t comma = s.find(',', from);
    if ((i < count - 1) == (comma == std::string::npos)) return false;
    if (!parseDouble(s.substr(from, i < count - 1 ? comma - from : std::string::npos), v[i])) return false;
    from = comma + 1;
  }
  return true;
}

// "X,Y,Z,NX,NY,NZ" into a free clip plane (a finite point, a non-zero normal).
bool parseClip(const std::string& s, view::ClipPlane3D& c) {
  double v[6];
  if (!parseNumbers(s, v, 6)) return false;
  c.point = {v[0], v[1], v[2]};
  c.normal = {v[3], v[4], v[5]};
  return norm(c.normal) > 0;
}

// Parses the arguments strictly; the error text on failure.
std::optional<std::string> parse(const std::vector<std::string>& args, Request& r) {
  constexpr int kValued = 19;
  bool seen[kValued] = {};
  const char* valued[kValued] = {"--series", "--view",       "--slice",   "--mm",         "--slab", "--mode", "--wl",
                                 "--size",   "--out",        "--preset",  "--azimuth",    "--elevation", "--projection",
                                 "--zoom",   "--fuse",       "--fuse-preset", "--phase", "--seg", "--surface-opacity"};
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--neurological" || a == "--cut-surfaces") {
      (a == "--neurological" ? r.neurological : r.cutSurfaces) = true;
      continue;
    }
    if (a == "--keep-segment" || a == "--remove-segment") {
      if (i + 1 >= args.size()) return a + " needs a segment's name or number";
      r.punches.emplace_back(args[++i], a == "--keep-segment");
      continue;
    }
    if (a == "--clip") {
      view::ClipPlane3D c;
      if (i + 1 >= args.size() || !parseClip(args[i + 1], c))
        return "--clip needs X,Y,Z,NX,NY,NZ: a point and a non-zero normal (LPS mm)";
      r.clips.push_back(c);
      if (const Status st = view::checkClipPlanes(r.clips, 0); !st.ok()) return "--clip: " + st.error().message;
      ++i;
      continue;
    }
    if (a == "--show-slice") {
      const auto o = i + 1 < args.size() ? view::orientationFromString(args[i + 1]) : std::nullopt;
      if (!o || *o == view::Orientation::Oblique) return "--show-slice needs axial, coronal or sagittal";
      if (std::find(r.shown.begin(), r.shown.end(), *o) != r.shown.end()) return "--show-slice " + args[i + 1] + " given twice";
      r.shown.push_back(*o);
      ++i;
      continue;
    }
    if (a == "--at") {
      double v[3];
      if (r.at) return "option --at given twice";
      if (i + 1 >= args.size() || !parseNumbers(args[i + 1], v, 3)) return "--at needs X,Y,Z (LPS mm)";
      r.at = Vec3{v[0], v[1], v[2]};
      ++i;
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      if (!r.path.empty()) return "unexpected argument " + a;
      r.path = a;
      continue;
    }
    int k = -1;
    for (int j = 0; j < kValued; ++j)
      if (a == valued[j]) k = j;
    if (k < 0) return "unknown option " + a;
    if (seen[k]) return "option " + a + " given twice";
    seen[k] = true;
    if (i + 1 >= args.size()) return "option " + a + " needs a value";
    const std::string& v = args[++i];
    std::string p, q;
    double d = 0;
    long n = 0;
    switch (k) {
      case 0: r.series = v; break;
      case 1: r.view = v; break;
      case 2:
        if (!parseInt(v, n)) return "--slice " + v + ": not an integer";
        r.slice = n;
        break;
      case 3:
        if (!parseDouble(v, d)) return "--mm " + v + ": not a number";
        r.mm = d;
        break;
      case 4:
        if (!parseDouble(v, d) || d <= 0) return "--slab " + v + ": not a thickness > 0 (mm)";
        r.slabMm = d;
        break;
      case 5: r.mode = v; break;
      case 6: {
        double c = 0, w = 0;
        if (!splitPair(v, ',', p, q) || !parseDouble(p, c) || !parseDouble(q, w) || w <= 0)
          return "--wl " + v + ": not CENTER,WIDTH with a width > 0";
        r.wlCenter = c;
        r.wlWidth = w;
        break;
      }
      case 7:
        if (!splitPair(v, 'x', p, q) || !parseInt(p, r.width) || !parseInt(q, r.height) || r.width < 1 ||
            r.height < 1 || r.width > 16384 || r.height > 16384)
          return "--size " + v + ": not WIDTHxHEIGHT, each 1..16384";
        break;
      case 8: r.out = v; break;
      case 9: r.preset = v; break;
      case 10:
      case 11:
        if (!parseDouble(v, d)) return a + " " + v + ": not a number (degrees)";
        (k == 10 ? r.azimuth : r.elevation) = d;
        break;
      case 12: r.projection = v; break;
      case 14: r.fuse = v; break;
      case 15: r.fusePreset = v; break;
      case 13:
        if (!parseDouble(v, d) || d <= 0) return "--zoom " + v + ": not a number > 0";
        r.zoom = d;
        break;
      case 16:
        if (!parseInt(v, n)) return "--phase " + v + ": not an integer";
        r.phase = n;
        break;
      case 17: r.seg = v; break;
      case 18:
        if (!parseDouble(v, d) || d < 0 || d > 1) return "--surface-opacity " + v + ": not a number in 0..1";
        r.surfaceOpacity = d;
        break;
    }
  }
  if (r.path.empty()) return "no PATH";
  if (r.view.empty()) return "--view is required";
  const bool is3d = r.view == "3d";
  const bool any3d =
      seen[9] || seen[10] || seen[11] || seen[12] || seen[13] || seen[14] || seen[15] || !r.clips.empty() ||
      !r.shown.empty() || r.at || r.cutSurfaces;
  if (!is3d && any3d)
    return "--preset, --azimuth, --elevation, --projection, --zoom, --fuse, --clip, --cut-surfaces, --show-slice and "
           "--at need --view 3d";
  if (r.at && r.shown.empty()) return "--at needs --show-slice";
  if (r.cutSurfaces && r.clips.empty()) return "--cut-surfaces needs --clip";
  if (r.cutSurfaces && r.seg.empty() && r.shown.empty()) return "--cut-surfaces needs --seg or --show-slice";
  if (seen[15] && !seen[14]) return "--fuse-preset needs --fuse";
  if (seen[18] && !seen[17]) return "--surface-opacity needs --seg";
  if (seen[18] && !is3d) return "--surface-opacity needs --view 3d";
  if (!r.punches.empty() && (!seen[17] || !is3d))
    return "--keep-segment and --remove-segment need --seg and --view 3d";
  if (is3d) {
    if (seen[2] || seen[3] || seen[4] || seen[5] || seen[6] || r.neurological)
      return "--slice, --mm, --slab, --mode, --wl and --neurological are for 2D views";
    if (r.preset.empty()) return "--view 3d needs --preset NAME";
    if (!r.projection.empty() && r.projection != "perspective" && r.projection != "parallel")
      return "--projection " + r.projection + ": not perspective or parallel";
  }
  if (r.view != "axial" && r.view != "coronal" && r.view != "sagittal" && !is3d)
    return "--view " + r.view + ": not axial, coronal, sagittal or 3d";
  if (!is3d && r.slice.has_value() == r.mm.has_value()) return "give exactly one of --slice N and --mm X";
  if (!r.mode.empty() && !r.slabMm) return "--mode needs --slab";
  if (!r.mode.empty() && r.mode != "mip" && r.mode != "minip" && r.mode != "mean")
    return "--mode " + r.mode + ": not mip, minip or mean";
  if (r.width == 0) return "--size is required";
  if (r.out.empty()) return "--out is required";
  const std::string ext = r.out.size() >= 4 ? r.out.substr(r.out.size() - 4) : "";
  if (ext != ".png" && ext != ".PNG") return "--out " + r.out + ": not a .png file";
  return std::nullopt;
}

// Draws the request's slice of `vol` (the ViewerState and ViewRenderer of the GUI) and writes it.
Status renderVolume(const Request& r, std::shared_ptr<const Volume> vol) {
  using namespace cvx::view;
  const Orientation o = *orientationFromString(r.view);
  ViewerState state({o});
  state.addLayer(vol);  // the cursor at the voxel centre nearest the volume's centre
  CVX_TRY(addSegmentation(state, r.seg, 1));
  if (r.neurological) state.setConvention(Convention::Neurological);
  // Slices count along the radiological normal (axial: feet to head, coronal: front to back,
  // sagittal: patient left to right), so --slice N is the same slice under --neurological.
  const Vec3 n = standardPlane(o, Convention::Radiological, {}).normal();
  const int axis = o == Orientation::Axial ? 2 : o == Orientation::Coronal ? 1 : 0;
  const Extent centres = gridExtent(*vol, n, GridPoints::Centres);
  Vec3 unit;
  unit[axis] = 1;
  const Extent edges = gridExtent(*vol, unit, GridPoints::Edges);  // along x, y or z (--mm)
  const double lo = centres.lo, hi = centres.hi, edgeLo = edges.lo, edgeHi = edges.hi;
  const double step = state.sliceStepMm(0);
  const long count = static_cast<long>(std::floor((hi - lo) / step + 1e-6)) + 1;
  Vec3 cursor = state.cursor();
  if (r.slice) {
    if (*r.slice < 0 || *r.slice >= count)
      return makeError("render.out_of_range", "--slice " + std::to_string(*r.slice) + " outside 0.." +
                                                  std::to_string(count - 1) + " (" + std::to_string(count) +
                                                  " slices of " + std::to_string(step) + " mm)", r.path);
    cursor = cursor + n * (lo + static_cast<double>(*r.slice) * step - dot(cursor, n));
  } else {
    if (*r.mm < edgeLo - 1e-6 || *r.mm > edgeHi + 1e-6) {
      char range[96];
      std::snprintf(range, sizeof range, "%.6g .. %.6g", edgeLo, edgeHi);
      return makeError("render.out_of_range", "--mm " + std::to_string(*r.mm) + " outside the volume (" + range +
                                                  " mm along " + "xyz"[axis] + ")", r.path);
    }
    cursor[axis] = *r.mm;
  }
  state.setCursor(cursor);
  if (r.phase) state.setPhase(static_cast<int>(*r.phase));
  if (r.wlCenter) {
    DisplayMapping m = state.layers().front().mapping;
    m.center = *r.wlCenter;
    m.width = *r.wlWidth;
    m.source = "user";
    state.setMapping(0, m);
  }
  if (r.slabMm) {
    const SlabMode mode = r.mode == "minip" ? SlabMode::MinIp : r.mode == "mean" ? SlabMode::Mean : SlabMode::Mip;
    state.setSlab(0, *r.slabMm, mode);
  }
  ViewRenderer renderer;
  auto image = renderer.draw(state, 0, r.width, r.height);
  if (!image) return image.error();
  return writeImage(r.out, **image);
}

// The series --fuse names: a folder or file of its own (its first series), else an ID or UID among
// PATH's; it must share `first`'s frame of reference (render.fusion_frame otherwise).
Result<std::shared_ptr<const Volume>> loadFused(const std::string& fuse, const io::ScanResult& scanned,
                                                const io::GroupResult& groups, const Volume& first) {
  std::error_code ec;
  Result<std::shared_ptr<Volume>> vol = makeError("series.not_found", "no series " + fuse);
  if (std::filesystem::exists(fuse, ec)) {
    vol = io::loadPath(fuse, "");
  } else if (const io::SeriesPlan* plan = io::findSeries(groups, fuse)) {
    vol = io::loadSeries(scanned, *plan);
  }
  if (!vol) return vol.error();
  const std::string& a = first.info.frameOfReferenceUid;
  const std::string& b = (*vol)->info.frameOfReferenceUid;
  if (a.empty() || a != b)
    return makeError("render.fusion_frame",
                     "the fused series is not in the rendered series' frame of reference (FrameOfReferenceUID " +
                         (b.empty() ? std::string("missing") : b) + " against " + (a.empty() ? "missing" : a) +
                         "): placed by patient coordinates it would be in the wrong place",
                     fuse);
  return std::shared_ptr<const Volume>(std::move(*vol));
}

}  // namespace

int runRender(const std::vector<std::string>& args) {
  Request r;
  if (auto why = parse(args, r)) {
    std::fprintf(stderr, "error render.bad_args: %s\n%s", why->c_str(), kUsage);
    return kExitUsage;
  }
  auto scanned = io::scan(r.path);
  if (!scanned) return fail(scanned.error());
  const io::GroupResult groups = io::planSeries(*scanned);
  if (groups.series.empty()) return fail(makeError("series.none", "no image series to render", r.path));
  const io::SeriesPlan* plan = io::findSeries(groups, r.series);
  if (!plan) return fail(makeError("series.not_found", "no series " + r.series, r.path));
  if (r.series.empty() && groups.series.size() > 1)
    std::fprintf(stderr, "note: %zu series found; rendering %s (choose with --series)\n", groups.series.size(),
                 plan->id.c_str());
  auto vol = io::loadSeries(*scanned, *plan);
  if (!vol) return fail(vol.error());
  const long phases = static_cast<long>((*vol)->dims()[3]);
  if (r.phase && (*r.phase < 0 || *r.phase >= phases))
    return fail(makeError("render.out_of_range", "--phase " + std::to_string(*r.phase) + " outside 0.." +
                                                     std::to_string(phases - 1) + " (" + std::to_string(phases) +
                                                     (phases == 1 ? " phase)" : " phases)"),
                          r.path));
  if (r.view == "3d") {
    View3dRequest q;
    q.phase = static_cast<int>(r.phase.value_or(0));
    q.preset = r.preset, q.perspective = r.projection != "parallel";
    q.azimuth = r.azimuth, q.elevation = r.elevation, q.zoom = r.zoom;
    q.width = r.width, q.height = r.height, q.out = r.out;
    q.clips = r.clips;
    q.cutSurfaces = r.cutSurfaces;
    q.slices = r.shown, q.at = r.at;
    q.seg = r.seg, q.surfaceOpacity = r.surfaceOpacity, q.punches = r.punches;
    if (!r.fuse.empty()) {
      auto fused = loadFused(r.fuse, *scanned, groups, **vol);
      if (!fused) return fail(fused.error());
      q.fused = std::move(*fused);
      q.fusedPreset = r.fusePreset;
    }
    if (auto st = render3d(q, *vol); !st) return fail(st.error());
    return kExitOk;
  }
  if (auto st = renderVolume(r, *vol); !st) return fail(st.error());
  return kExitOk;
}

}  // namespace cvx::app
