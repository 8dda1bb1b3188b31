// Private stages of series planning: candidates, splitting, stacking, time rules.
#pragma once
#include <array>
#include <string>
#include <vector>

#include <cvx/io/dicom.h>

namespace cvx::io::detail {

// One 2D image that could become a slice: a file, a frame, or a mosaic tile.
struct Candidate {
  uint32_t file = 0, frame = 0;
  int32_t tile = -1;
  const FileHeader* header = nullptr;
  const FrameHeader* fh = nullptr;
  bool hasGeometry = false;
  Vec3 position;
  Vec3 row{1, 0, 0}, col{0, 1, 0}, normal{0, 0, 1};
  double spacingX = 1, spacingY = 1;  // along a row (PixelSpacing[1]), along a column (PixelSpacing[0])
  uint16_t rows = 0, cols = 0;
};

// All candidates of a scan; mosaics are expanded into their tiles.
std::vector<Candidate> makeCandidates(const ScanResult& scan);

// A group of candidates that should form one volume, with the reason it was split off.
struct Partition {
  std::vector<Candidate> items;
  std::string splitReason;  // empty for the main partition of a series
  std::vector<Diagnostic> warnings;
};

// Groups by study + series, then splits by localizer, geometry presence, orientation, size, pixel
// format, spacing and echo.
std::vector<Partition> partitionSeries(std::vector<Candidate> cands);

// Stacks a partition into one or more plans (4D, or split when same-position slices are not phases).
void planPartition(const ScanResult& scan, Partition part, std::vector<SeriesPlan>& out);

// Time rule engine: orders same-position slices into phases. Returns false if no rule applies.
// groups[z] holds the candidates at position z; on success each group is sorted by phase,
// times gets one value per phase and rule explains the choice.
bool orderPhases(std::vector<std::vector<Candidate>>& groups, std::vector<double>& times, std::string& rule);

// A pixel spacing (mm) that can be used: > 0 and at most 10 m (plan_values.cpp).
bool validSpacing(double mm);
// Warnings for every value that is invalid and replaced (spacing, thickness, rescale, orientation,
// photometric, and the unparseable values the scan recorded) and Geometry::spacingKnown.
void noteInvalidValues(const std::vector<std::vector<Candidate>>& groups, SeriesPlan& plan);

// Slice geometry along the stack: tilt, uneven spacing and missing slices.
void planStackGeometry(const std::vector<Vec3>& positions, const Candidate& first, SeriesPlan& plan);

}  // namespace cvx::io::detail
