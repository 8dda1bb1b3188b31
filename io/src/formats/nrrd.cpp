// SPDX-License-Identifier: MIT
// NRRD reading (.nrrd with inline data, .nhdr with a detached data file): axes, space, data.
#include <algorithm>
#include <cmath>

#include "formats/nrrd.h"

namespace cvx::io::fmt {

namespace {

struct Layout {
  FileType type = FileType::U8;
  std::array<int64_t, 4> dims{1, 1, 1, 1};
  int timeAxis = -1;
};

std::string field(const NrrdHeader& h, const char* key) {
  auto it = h.fields.find(key);
  return it == h.fields.end() ? std::string() : it->second;
}

// Which way the file's space axes point, as signs to LPS.
bool spaceSigns(const std::string& space, Vec3& sign) {
  const std::string s = lower(space);
  if (s == "left-posterior-superior" || s == "lps") sign = {1, 1, 1};
  else if (s == "right-anterior-superior" || s == "ras") sign = {-1, -1, 1};
  else if (s == "left-anterior-superior" || s == "las") sign = {1, -1, 1};
  else return false;
  return true;
}

Status layoutAxes(const NrrdHeader& h, const std::vector<std::vector<double>>& dirs, Layout& L,
                  Geometry& g, ImageReadNotes& notes, const std::string& ctx) {
  std::vector<int64_t> sizes;
  std::vector<double> spacings;
  if (!parseInt64s(field(h, "sizes"), sizes) || sizes.empty())
    return makeError("format.bad_header", "NRRD sizes missing or malformed", ctx);
  const int n = static_cast<int>(sizes.size());
  std::vector<int64_t> dimension;
  if (!parseInt64s(field(h, "dimension"), dimension) || dimension.size() != 1 || dimension[0] != n)
    return makeError("format.bad_header", "NRRD dimension missing or not the number of sizes", ctx);
  if (!dirs.empty() && static_cast<int>(dirs.size()) != n)
    return makeError("format.bad_header", "space directions do not match the dimension", ctx);
  const std::string kinds = lower(field(h, "kinds"));
  auto spatial = [&](int a) { return dirs.empty() ? true : !dirs[a].empty(); };
  int first = 0, last = n - 1;
  if (n >= 3 && (!spatial(0) || kinds.rfind("rgb-color", 0) == 0)) {
    if (sizes[0] != 3 || L.type != FileType::U8)
      return makeError("format.unsupported", "NRRD non-spatial first axis: only uchar RGB is read", ctx);
    L.type = FileType::RGB24;
    first = 1;
  }
  if (last - first >= 3 && !spatial(last)) L.timeAxis = last--;
  else if (dirs.empty() && last - first == 3) L.timeAxis = last--;  // a fourth axis is time/list
  const int nSpatial = last - first + 1;
  if (nSpatial < 2 || nSpatial > 3)
    return makeError("format.unsupported", "NRRD with " + std::to_string(nSpatial) + " spatial axes", ctx);
  for (int a = first; a <= last; ++a) {
    if (!spatial(a)) return makeError("format.unsupported", "NRRD non-spatial axis in the middle", ctx);
    L.dims[a - first] = sizes[a];
  }
  if (L.timeAxis >= 0) L.dims[3] = sizes[L.timeAxis];
  parseDoubles(field(h, "spacings"), spacings);
  if (dirs.empty()) {
    notes.warnings.push_back({"format.no_orientation", "NRRD has no space directions; axes assumed"});
    for (int a = first; a <= last; ++a)
      if (static_cast<int>(spacings.size()) == n && std::isfinite(spacings[a]) && spacings[a] > 0)
        g.spacingMm[a - first] = spacings[a];
  }
  return {};
}

Status spaceGeometry(const NrrdHeader& h, const std::vector<std::vector<double>>& dirs, Geometry& g,
                     const std::string& ctx) {
  Vec3 sign;
  if (!spaceSigns(field(h, "space"), sign))
    return makeError("format.unsupported", "NRRD space '" + field(h, "space") + "'", ctx);
  int axis = 0;
  for (const auto& d : dirs) {
    if (d.empty()) continue;
    if (d.size() != 3 || axis >= 3) return makeError("format.bad_header", "NRRD space direction not 3D", ctx);
    Vec3 v{d[0] * sign.x, d[1] * sign.y, d[2] * sign.z};
    const double len = norm(v);
    if (!(len > 0) || !std::isfinite(len)) return makeError("format.bad_header", "NRRD zero space direction", ctx);
    g.spacingMm[axis] = len;
    g.direction[axis++] = v * (1.0 / len);
  }
  if (axis == 2) g.direction[2] = cross(g.direction[0], g.direction[1]);
  std::vector<std::vector<double>> o;
  const std::string origin = field(h, "space origin");
  if (!origin.empty()) {
    if (!parseNrrdVectors(origin, o) || o.size() != 1 || o[0].size() != 3 ||
        !std::isfinite(o[0][0]) || !std::isfinite(o[0][1]) || !std::isfinite(o[0][2]))
      return makeError("format.bad_header", "NRRD space origin malformed or not finite", ctx);
    g.originMm = {o[0][0] * sign.x, o[0][1] * sign.y, o[0][2] * sign.z};
  }
  return {};
}

double timeStepMs(const NrrdHeader& h, int axis) {
  std::vector<double> sp;
  if (axis < 0 || !parseDoubles(field(h, "spacings"), sp) || axis >= static_cast<int>(sp.size())) return 0;
  if (!std::isfinite(sp[axis])) return 0;
  std::vector<std::string> units;
  const std::string u = field(h, "units");
  size_t q = 0;  // units are quoted strings: "" "" "" "ms"
  while ((q = u.find('"', q)) != std::string::npos) {
    const size_t e = u.find('"', q + 1);
    if (e == std::string::npos) break;
    units.push_back(u.substr(q + 1, e - q - 1));
    q = e + 1;
  }
  const bool seconds = axis < static_cast<int>(units.size()) && lower(units[axis]) == "s";
  return sp[axis] * (seconds ? 1000.0 : 1.0);
}

// The voxel bytes: after the blank line, or in the detached data file (readDetached).
Status nrrdData(const NrrdHeader& h, const std::string& path, bool detached, const Bytes& file, bool gz,
                uint64_t need, DataSpan& out) {
  std::string dataFile = field(h, "data file");
  if (dataFile.empty()) dataFile = field(h, "datafile");
  if (dataFile.find('%') != std::string::npos || lower(dataFile).rfind("list", 0) == 0)
    return makeError("format.unsupported", "NRRD multi-file data", path);
  auto parsedSkip = parseByteSkip(field(h, "byte skip"), "NRRD byte skip", path);
  if (!parsedSkip) return parsedSkip.error();
  const int64_t skip = *parsedSkip;  // -1: the data ends the file
  if (gz && skip != 0) return makeError("format.unsupported", "NRRD byte skip with gzip", path);
  if (dataFile.empty()) {
    if (detached) return makeError("format.bad_header", "NRRD .nhdr without a data file", path);
    const uint64_t size = file.size() - h.dataOffset;
    uint64_t off = skip == -1 ? (size >= need ? size - need : 0) : static_cast<uint64_t>(skip);
    off = std::min(off, size);
    out.p = file.data() + h.dataOffset + off;
    out.n = size - off;
    return {};
  }
  return readDetached(joinPath(dirOf(path), dataFile), skip, need, gz, out);
}

}  // namespace

Result<std::shared_ptr<Volume>> readNrrd(const std::string& path, ImageReadNotes& notes) {
  auto file = readWholeFile(path);
  if (!file) return file.error();
  const bool detached = imageFormatFromPath(path) == ImageFormat::Nhdr;
  auto hdr = parseNrrdHeader(*file, detached, path);
  if (!hdr) return hdr.error();
  const NrrdHeader& h = *hdr;
  Layout L;
  if (!nrrdType(field(h, "type"), L.type))
    return makeError("format.unsupported", "NRRD type '" + field(h, "type") + "'", path);
  const FileType fileScalar = L.type;
  std::vector<std::vector<double>> dirs;
  const std::string dirText = field(h, "space directions");
  if (!dirText.empty() && !parseNrrdVectors(dirText, dirs))
    return makeError("format.bad_header", "NRRD space directions malformed", path);
  Geometry g;
  CVX_TRY(layoutAxes(h, dirs, L, g, notes, path));
  if (!dirs.empty()) CVX_TRY(spaceGeometry(h, dirs, g, path));
  const std::string enc = lower(field(h, "encoding"));
  const bool gz = enc == "gzip" || enc == "gz";
  if (!gz && enc != "raw") return makeError("format.unsupported", "NRRD encoding '" + enc + "'", path);
  const std::string endian = lower(field(h, "endian"));
  if (fileTypeScalar(fileScalar) > 1 && endian != "little" && endian != "big")
    return makeError("format.bad_header", "NRRD endian missing", path);
  auto need = voxelBytes(L.type, L.dims, path);
  if (!need) return need.error();
  DataSpan data;
  CVX_TRY(nrrdData(h, path, detached, *file, gz, *need, data));
  // Compressed data is inflated before allocating: the stream says how many bytes there are.
  Bytes inflated;
  const std::byte* src = data.p;
  uint64_t avail = data.n;
  if (gz) {
    auto z = inflateExact(data.p, data.n, *need, path);
    if (!z) return z.error();
    inflated = std::move(*z);
    src = inflated.data();
    avail = inflated.size();
  }
  auto vol = allocate(L.type, L.dims, avail, path);
  if (!vol) return vol.error();
  Volume& v = **vol;
  decodeVoxels(src, L.type, endian == "big", v);
  g.sheared = isSheared(g);
  v.geometry = g;
  if (L.dims[3] > 1) setEvenTimes(v, 0.0, timeStepMs(h, L.timeAxis));
  notes.format = "nrrd";
  noteType(L.type, notes);
  markAllReady(v);
  return vol;
}

}  // namespace cvx::io::fmt
