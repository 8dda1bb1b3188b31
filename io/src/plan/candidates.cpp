// Candidates: every frame of every file, with mosaics expanded into tiles.
#include <cmath>

#include "plan/internal.h"

namespace cvx::io::detail {
namespace {

void setGeometry(const FrameHeader& f, Candidate& c) {
  c.hasGeometry = f.position.has_value() && f.orientation.has_value();
  if (f.pixelSpacing) {
    c.spacingY = (*f.pixelSpacing)[0];
    c.spacingX = (*f.pixelSpacing)[1];
  }
  if (!validSpacing(c.spacingX) || !validSpacing(c.spacingY)) c.spacingX = c.spacingY = 1;  // warned by the plan
  if (!c.hasGeometry) return;
  const auto& o = *f.orientation;
  c.row = normalized(Vec3{o[0], o[1], o[2]});
  c.col = normalized(Vec3{o[3], o[4], o[5]});
  c.normal = normalized(cross(c.row, c.col));
  if (norm(cross(c.row, c.col)) < 0.5) c.hasGeometry = false;  // degenerate orientation
  c.position = *f.position;
}

// A Siemens mosaic packs N slices as tiles; the file's position is that of the whole mosaic.
void expandMosaic(const FileHeader& h, uint32_t fi, const FrameHeader& f, std::vector<Candidate>& out) {
  const uint32_t n = h.mosaicImages;
  const auto perRow = static_cast<uint32_t>(std::ceil(std::sqrt(static_cast<double>(n))));
  Candidate base;
  base.file = fi;
  base.header = &h;
  base.fh = &f;
  setGeometry(f, base);
  base.rows = static_cast<uint16_t>(h.pixel.rows / perRow);
  base.cols = static_cast<uint16_t>(h.pixel.cols / perRow);
  Vec3 normal = base.normal;
  if (h.mosaicNormal && norm(*h.mosaicNormal) > 0.5) normal = normalized(*h.mosaicNormal);
  const Vec3 origin = base.position + base.row * (base.spacingX * (h.pixel.cols - base.cols) / 2.0) +
                      base.col * (base.spacingY * (h.pixel.rows - base.rows) / 2.0);
  double step = f.sliceThickness;
  // SpacingBetweenSlices is not in FrameHeader; mosaics carry it at top level, so use the CSA normal
  // spacing hint below when available.
  if (h.mosaicSpacing > 0) step = h.mosaicSpacing;
  for (uint32_t k = 0; k < n; ++k) {
    Candidate c = base;
    c.tile = static_cast<int32_t>(k);
    c.normal = normal;
    c.position = origin + normal * (step * k);
    out.push_back(c);
  }
}

}  // namespace

std::vector<Candidate> makeCandidates(const ScanResult& scan) {
  std::vector<Candidate> out;
  for (uint32_t fi = 0; fi < scan.files.size(); ++fi) {
    const FileHeader& h = scan.files[fi];
    for (const FrameHeader& f : h.frames) {
      if (h.mosaicImages > 1 && h.frames.size() == 1) {
        expandMosaic(h, fi, f, out);
        continue;
      }
      Candidate c;
      c.file = fi;
      c.frame = f.frame;
      c.header = &h;
      c.fh = &f;
      c.rows = h.pixel.rows;
      c.cols = h.pixel.cols;
      setGeometry(f, c);
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace cvx::io::detail
