// SPDX-License-Identifier: MIT
// MetaImage reading (.mha with LOCAL data, .mhd with a data file). TransformMatrix is stored as
// ITK's MetaImageIO writes it: value [a * NDims + r] is component r of axis a's direction.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "formats/internal.h"

namespace cvx::io::fmt {

namespace {

constexpr size_t kMaxHeader = size_t{1} << 20;

struct MetaHeader {
  std::map<std::string, std::string> fields;  // lower-case key -> value
  size_t dataOffset = 0;
};

Result<MetaHeader> parseMetaHeader(const Bytes& bytes, const std::string& ctx) {
  const char* text = reinterpret_cast<const char*>(bytes.data());
  const size_t n = std::min(bytes.size(), kMaxHeader);
  MetaHeader h;
  size_t pos = 0;
  while (pos < n) {
    const char* nl = static_cast<const char*>(std::memchr(text + pos, '\n', n - pos));
    const size_t end = nl ? static_cast<size_t>(nl - text) : n;
    const std::string_view line = trim(std::string_view(text + pos, end - pos));
    pos = nl ? end + 1 : n;
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos)
      return makeError("format.bad_header", "MetaImage line without '=' (" + std::string(line.substr(0, 40)) + ")", ctx);
    const std::string key = lower(trim(line.substr(0, eq)));
    h.fields[key] = std::string(trim(line.substr(eq + 1)));
    if (key == "elementdatafile") {
      h.dataOffset = pos;
      return h;
    }
  }
  return makeError(bytes.size() > kMaxHeader ? "format.bad_header" : "format.truncated",
                   "MetaImage header has no ElementDataFile", ctx);
}

std::string field(const MetaHeader& h, const char* key) {
  auto it = h.fields.find(key);
  return it == h.fields.end() ? std::string() : it->second;
}

bool isTrue(const std::string& s) { return lower(s) == "true" || s == "1"; }

bool metaType(const std::string& name, FileType& out) {
  static const std::pair<const char*, FileType> table[] = {
      {"MET_UCHAR", FileType::U8}, {"MET_CHAR", FileType::I8},   {"MET_SHORT", FileType::I16},
      {"MET_USHORT", FileType::U16}, {"MET_INT", FileType::I32}, {"MET_UINT", FileType::U32},
      {"MET_LONG", FileType::I32},  {"MET_ULONG", FileType::U32}, {"MET_FLOAT", FileType::F32},
      {"MET_DOUBLE", FileType::F64}};
  for (const auto& [key, type] : table)
    if (name == key) {
      out = type;
      return true;
    }
  return false;
}

Status metaGeometry(const MetaHeader& h, int nd, Geometry& g, double& t0, double& dt, bool& badSpacing,
                    const std::string& ctx) {
  std::vector<double> sp, off, tm;
  std::string spText = field(h, "elementspacing");
  if (spText.empty()) spText = field(h, "elementsize");
  std::string offText = field(h, "offset");
  if (offText.empty()) offText = field(h, "position");
  if (offText.empty()) offText = field(h, "origin");
  std::string tmText = field(h, "transformmatrix");
  if (tmText.empty()) tmText = field(h, "rotation");
  if (tmText.empty()) tmText = field(h, "orientation");
  if ((!spText.empty() && (!parseDoubles(spText, sp) || static_cast<int>(sp.size()) != nd)) ||
      (!offText.empty() && (!parseDoubles(offText, off) || static_cast<int>(off.size()) != nd)) ||
      (!tmText.empty() && (!parseDoubles(tmText, tm) || static_cast<int>(tm.size()) != nd * nd)))
    return makeError("format.bad_header", "MetaImage spacing/offset/matrix does not match NDims", ctx);
  auto finite = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
  };
  if (!finite(off) || !finite(tm)) return makeError("format.bad_header", "MetaImage offset or matrix not finite", ctx);
  const int ns = std::min(nd, 3);
  for (int a = 0; a < ns; ++a) {
    if (!sp.empty() && sp[a] > 0 && std::isfinite(sp[a])) g.spacingMm[a] = sp[a];
    else if (!sp.empty()) badSpacing = true;
    if (!off.empty()) g.originMm[a] = off[a];
    if (!tm.empty())
      for (int r = 0; r < ns; ++r) g.direction[a][r] = tm[a * nd + r];
  }
  if (ns == 2) g.direction[2] = cross(g.direction[0], g.direction[1]);
  for (const Vec3& d : g.direction)
    if (norm(d) == 0) return makeError("format.bad_header", "MetaImage TransformMatrix has a zero axis", ctx);
  if (nd == 4) {
    dt = sp.empty() ? 0.0 : sp[3];
    t0 = off.empty() ? 0.0 : off[3];
  }
  return {};
}

// The voxel bytes: after the header (LOCAL), or in the named data file (readDetached).
Status metaData(const MetaHeader& h, const std::string& path, const Bytes& file, uint64_t need, bool gz,
                DataSpan& out) {
  const std::string name = field(h, "elementdatafile");
  const std::string l = lower(name);
  if (l == "local") {
    out.p = file.data() + h.dataOffset;
    out.n = file.size() - h.dataOffset;
    return {};
  }
  if (l == "list" || l.rfind("list ", 0) == 0 || name.find('%') != std::string::npos)
    return makeError("format.unsupported", "MetaImage multi-file data", path);
  const std::string dataPath = joinPath(dirOf(path), name);
  auto parsedSkip = parseByteSkip(field(h, "headersize"), "MetaImage HeaderSize", path);
  if (!parsedSkip) return parsedSkip.error();
  const int64_t skip = *parsedSkip;  // -1: the data ends the file
  if (gz && skip != 0) return makeError("format.unsupported", "MetaImage HeaderSize with compressed data", path);
  return readDetached(dataPath, skip, need, gz, out);
}

}  // namespace

Result<std::shared_ptr<Volume>> readMeta(const std::string& path, ImageReadNotes& notes) {
  auto file = readWholeFile(path);
  if (!file) return file.error();
  auto hdr = parseMetaHeader(*file, path);
  if (!hdr) return hdr.error();
  const MetaHeader& h = *hdr;
  const std::string obj = field(h, "objecttype");
  if (!obj.empty() && lower(obj) != "image")
    return makeError("format.unsupported", "MetaImage ObjectType '" + obj + "'", path);
  std::vector<int64_t> nd, ds, ch;
  if (!parseInt64s(field(h, "ndims"), nd) || nd.size() != 1 || nd[0] < 2 || nd[0] > 4)
    return makeError("format.bad_header", "MetaImage NDims missing or not 2..4", path);
  if (!parseInt64s(field(h, "dimsize"), ds) || static_cast<int64_t>(ds.size()) != nd[0])
    return makeError("format.bad_header", "MetaImage DimSize does not match NDims", path);
  FileType type;
  if (!metaType(field(h, "elementtype"), type))
    return makeError("format.unsupported", "MetaImage ElementType '" + field(h, "elementtype") + "'", path);
  const std::string chText = field(h, "elementnumberofchannels");
  if (!chText.empty() && (!parseInt64s(chText, ch) || ch.size() != 1))
    return makeError("format.bad_header", "MetaImage ElementNumberOfChannels malformed", path);
  if (!ch.empty() && ch[0] != 1) {
    if (ch[0] != 3 || type != FileType::U8)
      return makeError("format.unsupported", "MetaImage channels: only 1, or 3 x MET_UCHAR", path);
    type = FileType::RGB24;
  }
  std::array<int64_t, 4> dims{1, 1, 1, 1};
  for (size_t a = 0; a < ds.size(); ++a) dims[a] = ds[a];
  Geometry g;
  double t0 = 0, dt = 0;
  bool badSpacing = false;
  CVX_TRY(metaGeometry(h, static_cast<int>(nd[0]), g, t0, dt, badSpacing, path));
  if (badSpacing)
    notes.warnings.push_back({"format.bad_spacing", "MetaImage ElementSpacing zero, negative or not finite; 1 mm assumed"});
  const bool gz = isTrue(field(h, "compresseddata"));
  std::string msb = field(h, "binarydatabyteordermsb");
  if (msb.empty()) msb = field(h, "elementbyteordermsb");
  auto need = voxelBytes(type, dims, path);
  if (!need) return need.error();
  DataSpan data;
  CVX_TRY(metaData(h, path, *file, *need, gz, data));
  // Compressed data is inflated before allocating: the stream says how many bytes there are.
  const std::byte* src = data.p;
  uint64_t avail = data.n;
  Bytes inflated;
  if (gz) {
    auto z = inflateExact(data.p, data.n, *need, path);
    if (!z) return z.error();
    inflated = std::move(*z);
    src = inflated.data();
    avail = inflated.size();
  }
  auto vol = allocate(type, dims, avail, path);
  if (!vol) return vol.error();
  Volume& v = **vol;
  decodeVoxels(src, type, isTrue(msb), v);
  g.sheared = isSheared(g);
  g.spacingKnown = !badSpacing;
  v.geometry = g;
  if (dims[3] > 1) setEvenTimes(v, t0, dt);
  notes.format = "metaimage";
  noteType(type, notes);
  markAllReady(v);
  return vol;
}

}  // namespace cvx::io::fmt
