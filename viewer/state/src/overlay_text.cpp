// SPDX-License-Identifier: MIT
#include <cvx/viewstate/overlay.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include <cvx/viewstate/suv.h>

namespace cvx::view {
namespace {

constexpr double kAligned = 1e-6;  // |voxel-index change| below which an axis counts as unchanged

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char buf[256];
  va_list args;
  va_start(args, f);
  std::vsnprintf(buf, sizeof buf, f, args);
  va_end(args);
  return buf;
}

void add(std::vector<std::string>& lines, std::string s) {
  if (!s.empty()) lines.push_back(std::move(s));
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<std::string> splitValues(const std::string& s) {  // a multi-valued DICOM string
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t end = s.find('\\', start);
    const std::string v = trim(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (!v.empty()) out.push_back(v);
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::string joined(const std::vector<std::string>& parts, const char* sep) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : sep) + p;
  return s;
}

// TM HHMMSS.frac as HH:MM (a reader wants the minute, not the fraction).
std::string formatTime(const std::string& tm) {
  const std::string t = trim(tm);
  if (t.size() >= 4 && std::all_of(t.begin(), t.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
    return t.substr(0, 2) + ":" + t.substr(2, 2);
  return t;
}

// LossyImageCompressionMethod (0028,2114) defined terms, as a reader knows them.
std::string methodName(const std::string& m) {
  if (m == "ISO_10918_1") return "JPEG";
  if (m == "ISO_14495_1") return "JPEG-LS";
  if (m == "ISO_15444_1" || m == "ISO_15444_15") return "JPEG 2000";
  if (m == "ISO_13818_2") return "MPEG-2";
  if (m == "ISO_14496_10") return "H.264";
  if (m == "ISO_23008_2") return "HEVC";
  return m;
}

std::string lossyLine(const SeriesInfo& info) {
  if (!info.lossyCompressed) return {};
  std::vector<std::string> ratios;
  for (const auto& r : splitValues(info.lossyRatio)) ratios.push_back(r + ":1");
  std::vector<std::string> methods;
  for (const auto& m : splitValues(info.lossyMethod)) methods.push_back(methodName(m));
  std::string s = "LOSSY";
  if (!ratios.empty()) s += " " + joined(ratios, ", ");
  if (!methods.empty()) s += " " + joined(methods, ", ");
  return s;
}

// A volume loaded at reduced resolution never passes for the original: "REDUCED 1/2", or each
// factor when they differ.
std::string reducedLine(const SeriesInfo& info) {
  if (info.reducedInPlane <= 1 && info.reducedSlices <= 1) return {};
  if (info.reducedInPlane == info.reducedSlices) return fmt("REDUCED 1/%d", info.reducedInPlane);
  return fmt("REDUCED 1/%d in-plane, 1/%d slices", info.reducedInPlane, info.reducedSlices);
}

std::string signedNoZero(double v, int decimals) {  // no "-0.0"
  const double unit = std::pow(10.0, -decimals) / 2;
  return fmt("%.*f", decimals, std::abs(v) < unit ? 0.0 : v);
}

// "S 12.5 mm": the patient direction of the sign and the distance, as GE and Siemens annotate.
std::string position(const View& v, Vec3 cursor) {
  static const char* pos[3] = {"L", "P", "S"};
  static const char* neg[3] = {"R", "A", "I"};
  int axis = -1;
  switch (v.orientation) {
    case Orientation::Axial: axis = 2; break;
    case Orientation::Coronal: axis = 1; break;
    case Orientation::Sagittal: axis = 0; break;
    case Orientation::Oblique: break;
  }
  std::string letter;
  double d = 0;
  if (axis >= 0) {
    d = cursor[axis];
    letter = std::abs(d) < 0.05 || d > 0 ? pos[axis] : neg[axis];
  } else {
    Vec3 n = v.plane.normal();
    int big = 0;  // flip the normal towards L, P or S along its largest component
    for (int a = 1; a < 3; ++a)
      if (std::abs(n[a]) > std::abs(n[big])) big = a;
    if (n[big] < 0) n = n * -1.0;
    d = dot(cursor, n);
    letter = directionLabel(std::abs(d) < 0.05 || d > 0 ? n : n * -1.0);
  }
  return std::string(toString(v.orientation)) + "  " + letter + " " + signedNoZero(std::abs(d), 1) + " mm";
}

// "slice k/n" when the plane is one of constant grid index along some axis of `vol`.
std::string sliceIndex(const View& v, Vec3 cursor, const Volume& vol) {
  const Mat4 m = vol.geometry.voxelFromWorld();
  const Vec3 r = m.applyVector(v.plane.right), d = m.applyVector(v.plane.down);
  for (int a = 0; a < 3; ++a) {
    if (std::abs(r[a]) >= kAligned || std::abs(d[a]) >= kAligned) continue;
    const double k = std::round(m.applyPoint(cursor)[a]);
    const auto n = vol.dims()[static_cast<size_t>(a)];
    if (k < 0 || k >= static_cast<double>(n)) return {};
    return fmt("slice %lld/%lld", static_cast<long long>(k) + 1, static_cast<long long>(n));
  }
  return {};
}

const char* slabName(SlabMode m) {
  switch (m) {
    case SlabMode::Mip: return "MIP";
    case SlabMode::MinIp: return "MinIP";
    case SlabMode::Mean: return "mean";
  }
  return "";
}

std::string windowLine(const DisplayMapping& m) {
  const double s = m.shownPerValue();
  std::string line = fmt("W %.5g  L %.5g", m.width * s, m.center * s + 0.0);
  if (s != 1.0 && !m.units.empty()) line += " " + m.units;
  return line;
}

}  // namespace

std::string formatPersonName(const std::string& pn) {
  const std::string first = pn.substr(0, pn.find('='));  // the alphabetic group only
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t end = first.find('^', start);
    parts.push_back(trim(first.substr(start, end == std::string::npos ? std::string::npos : end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  parts.resize(5);
  std::vector<std::string> g;  // given and middle names; prefix and suffix are left out
  for (const auto& p : {parts[1], parts[2]})
    if (!p.empty()) g.push_back(p);
  const std::string given = joined(g, " ");
  if (parts[0].empty()) return given;
  return given.empty() ? parts[0] : parts[0] + ", " + given;
}

std::string formatDicomDate(const std::string& da) {
  const std::string d = trim(da);
  if (d.size() == 8 && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
  return d;
}

CornerText cornerText(const ViewerState& state, int view, const OverlayOptions& options, const SeriesInfo* info) {
  CornerText t;
  if (view < 0 || view >= state.viewCount() || state.layers().empty()) return t;
  const Layer& layer = state.layers()[static_cast<size_t>(state.viewLayer(view))];
  const Volume& vol = *layer.volume;
  const SeriesInfo& s = info ? *info : vol.info;
  const View& v = state.view(view);
  const Vec3 cursor = state.viewCursor(view);

  auto& tl = t.corners[static_cast<size_t>(Corner::TopLeft)];
  if (!options.hidePhi) {
    add(tl, formatPersonName(s.patientName));
    if (!trim(s.patientId).empty()) add(tl, "ID " + trim(s.patientId));
  }
  std::vector<std::string> birth;
  if (!options.hidePhi && !trim(s.patientBirthDate).empty()) birth.push_back(formatDicomDate(s.patientBirthDate));
  if (!trim(s.patientSex).empty()) birth.push_back(trim(s.patientSex));
  add(tl, joined(birth, "  "));

  auto& tr = t.corners[static_cast<size_t>(Corner::TopRight)];
  add(tr, trim(s.studyDescription));
  std::vector<std::string> when;
  const std::string date = joined({formatDicomDate(s.studyDate), formatTime(s.studyTime)}, " ");
  if (!trim(date).empty()) when.push_back(trim(date));
  if (!options.hidePhi && !trim(s.accessionNumber).empty()) when.push_back("Acc " + trim(s.accessionNumber));
  add(tr, joined(when, "  "));
  std::string series = s.seriesNumber != 0 ? fmt("Se %d", s.seriesNumber) : std::string();
  if (!trim(s.seriesDescription).empty()) series += (series.empty() ? "" : "  ") + trim(s.seriesDescription);
  add(tr, series);
  add(tr, trim(s.modality));

  auto& bl = t.corners[static_cast<size_t>(Corner::BottomLeft)];
  add(bl, position(v, cursor));
  add(bl, sliceIndex(v, cursor, vol));
  if (v.slabMm > 0) add(bl, fmt("slab %.1f mm %s", v.slabMm, slabName(v.slabMode)));
  add(bl, fmt("zoom %.3g", v.zoom));
  add(bl, phaseLine(state));
  if (state.linkOf(view) == LinkKind::Unlinked) add(bl, "NOT LINKED (other frame of reference)");
  if (state.linkOf(view) == LinkKind::ManualOffset) add(bl, "linked by manual offset");

  auto& br = t.corners[static_cast<size_t>(Corner::BottomRight)];
  add(br, windowLine(layer.mapping));
  add(br, lossyLine(s));
  add(br, reducedLine(s));
  if (!vol.geometry.spacingKnown) add(br, "spacing unknown: lengths in px");
  return t;
}

std::string phaseLine(const ViewerState& state) {
  if (state.phaseCount() <= 1 || state.layers().empty()) return {};
  std::string p = fmt("phase %d/%d", state.phase() + 1, state.phaseCount());
  const auto& times = state.layers().front().volume->timesMs;  // the reference's
  if (static_cast<size_t>(state.phase()) < times.size()) p += fmt("  %.0f ms", times[static_cast<size_t>(state.phase())]);
  return p;
}

std::vector<std::string> valueText(const SeriesInfo& info, double value) {
  std::vector<std::string> lines;
  if (std::isnan(value)) return lines;
  if (info.modality != "PT") {
    add(lines, trim(fmt("%.1f %s", value, info.units.c_str())));
    return lines;
  }
  // PET: SUVbw from the header (docs/suv.md), the factor's inputs on a second line.
  const auto suv = suvBodyWeight(info);
  if (!suv) {
    add(lines, fmt("%.1f %s  no SUV: %s", value, info.units.c_str(), suv.error().code.c_str()));
    return lines;
  }
  // SUL (PERCIST's lean body mass normalisation) beside it where the height and sex allow.
  const auto sul = suvLeanBodyMass(info, *suv);
  add(lines, fmt("SUVbw %.2f (Bq/ml %.1f)", value * suv->factor, value) +
                 (sul ? fmt("  SUL %.2f", value * sul->factor) : std::string()));
  std::string inputs = fmt("%.1f kg  %.1f MBq", suv->weightKg, suv->injectedDoseBq / 1e6);
  if (suv->halfLifeS > 0) inputs += fmt("  T1/2 %.1f min", suv->halfLifeS / 60);
  inputs += fmt("  decay %.1f min (%s)", suv->decaySeconds / 60, suv->referenceTime.c_str());
  for (const auto& w : suv->warnings) inputs += "  " + w.code;
  add(lines, inputs);
  if (sul) add(lines, fmt("LBM %.1f kg (%.2f m, %c)", sul->leanKg, sul->heightM, sul->sex));  // else the dock says why
  return lines;
}

}  // namespace cvx::view
