// Values that are invalid and replaced are never silent: each replacement becomes a warning of the
// series, with its own code, the value read and the value used instead (docs/errors.md).
#include <cstdio>
#include <map>
#include <set>

#include "plan/internal.h"

namespace cvx::io::detail {
namespace {

constexpr double kMaxSpacingMm = 1e4;  // 10 m: anything larger is not a pixel

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

template <size_t N>
std::string list(const std::array<double, N>& a) {
  std::string s;
  for (double v : a) s += (s.empty() ? "" : "\\") + num(v);
  return s;
}

bool knownPhotometric(const std::string& p) {
  static const std::set<std::string> kKnown = {"MONOCHROME1", "MONOCHROME2", "RGB",          "PALETTE COLOR",
                                               "YBR_FULL",    "YBR_FULL_422", "YBR_PARTIAL_422", "YBR_PARTIAL_420",
                                               "YBR_ICT",     "YBR_RCT"};
  return kKnown.count(p) > 0;
}

// One warning per code: the first image's message, and how many images share the problem.
class Notes {
 public:
  void add(const std::string& code, const std::string& message) {
    auto [it, fresh] = byCode_.try_emplace(code, message, 0);
    if (fresh) order_.push_back(code);
    ++it->second.second;
  }
  void addTo(std::vector<Diagnostic>& out) const {
    for (const auto& code : order_) {
      const auto& [message, count] = byCode_.at(code);
      out.push_back({code, count > 1 ? message + " (" + std::to_string(count) + " images)" : message});
    }
  }

 private:
  std::map<std::string, std::pair<std::string, size_t>> byCode_;
  std::vector<std::string> order_;
};

}  // namespace

bool validSpacing(double mm) { return mm > 0 && mm <= kMaxSpacingMm; }

void noteInvalidValues(const std::vector<std::vector<Candidate>>& groups, SeriesPlan& plan) {
  Notes notes;
  std::set<const FileHeader*> files;
  bool spacingKnown = true;
  for (const auto& g : groups)
    for (const Candidate& c : g) {
      const FrameHeader& f = *c.fh;
      if (files.insert(c.header).second)
        for (const Diagnostic& w : c.header->warnings) notes.add(w.code, w.message);
      if (!f.pixelSpacing || !validSpacing((*f.pixelSpacing)[0]) || !validSpacing((*f.pixelSpacing)[1]))
        spacingKnown = false;  // missing (no warning: nothing was claimed) or invalid
      if (f.pixelSpacing && (!validSpacing((*f.pixelSpacing)[0]) || !validSpacing((*f.pixelSpacing)[1])))
        notes.add("geometry.invalid_spacing", "PixelSpacing " + list(*f.pixelSpacing) +
                                                  " is invalid (each must be > 0 and at most 10000 mm); 1 x 1 mm "
                                                  "used (spacing unknown: measure in pixels)");
      if (f.sliceThickness < 0 || f.sliceThickness > kMaxSpacingMm)
        notes.add("geometry.invalid_thickness", "SliceThickness " + num(f.sliceThickness) +
                                                    " is invalid; ignored (slice spacing from positions; 1 mm for a "
                                                    "single slice)");
      if (f.rescaleSlope == 0)
        notes.add("pixel.invalid_rescale",
                  "RescaleSlope 0 is invalid (every value would be the intercept); slope 1 used");
      if (f.position && f.orientation && !c.hasGeometry)
        notes.add("geometry.invalid_orientation",
                  "ImageOrientationPatient " + list(*f.orientation) +
                      " has a zero-length or parallel row/column cosine; the image has no orientation (placed at "
                      "the origin, apart from the stack)");
    }
  if (!knownPhotometric(plan.pixel.photometric))
    notes.add("pixel.unknown_photometric",
              "PhotometricInterpretation '" + plan.pixel.photometric + "' is unknown; " +
                  (plan.pixel.samplesPerPixel == 1 ? "read as MONOCHROME2 (grey, higher is brighter)"
                                                   : "its colour samples cannot be converted (the load refuses them)"));
  notes.addTo(plan.warnings);
  plan.geometry.spacingKnown = spacingKnown;
}

}  // namespace cvx::io::detail
