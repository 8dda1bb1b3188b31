// The segmentation model: segments (name, colour, coded terms, algorithm) held in uint8 label
// layers that share the source volume's grid, so that overlapping segments survive (a segment goes
// into the first layer where it overlaps nothing: packSegment). Standard library only; the files
// (DICOM SEG, RTSTRUCT, label maps) are io's (cvx/io/seg.h). docs/segmentation.md.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/core/volume.h>

namespace cvx {

// A coded term: (code value, coding scheme designator, code meaning), e.g. ("T-62000", "SRT",
// "Liver") or ("10200004", "SCT", "Liver").
struct CodedTerm {
  std::string value, scheme, meaning;
  bool empty() const { return value.empty() && scheme.empty() && meaning.empty(); }
  bool operator==(const CodedTerm&) const = default;
};

// SegmentAlgorithmType (0062,0008).
enum class SegmentAlgorithm : uint8_t { Manual, Semiautomatic, Automatic };
const char* toString(SegmentAlgorithm a);  // "MANUAL", "SEMIAUTOMATIC", "AUTOMATIC"
bool parseSegmentAlgorithm(const std::string& s, SegmentAlgorithm& out);

struct Segment {
  std::string name;
  std::array<uint8_t, 3> rgb{255, 0, 0};
  CodedTerm category;  // SegmentedPropertyCategoryCodeSequence
  CodedTerm type;      // SegmentedPropertyTypeCodeSequence
  SegmentAlgorithm algorithm = SegmentAlgorithm::Manual;
  std::string algorithmName, algorithmVersion;
  // AlgorithmFamilyCodeSequence (CID 7162, e.g. ("123109", "DCM", "Manual Processing")); a SEG
  // keeps name + version + family in SegmentationAlgorithmIdentificationSequence (0062,0007).
  CodedTerm algorithmFamily;
  uint16_t number = 0;  // SegmentNumber in a SEG (1-based); set by Segmentation::addSegment when 0
  // Where its voxels are: layer index and the label value in that layer (1..255).
  uint32_t layer = 0;
  uint8_t label = 0;
};

// The series a segmentation was drawn on: what a SEG references.
struct ReferencedSeries {
  std::string studyInstanceUid, seriesInstanceUid, frameOfReferenceUid;
  std::string sopClassUid;                   // of the source images, when known
  std::vector<std::string> sopInstanceUids;  // one per slice z (empty strings where unknown)
};

// Where a new segment goes. A layer can take it when none of the segment's voxels is already
// labelled in that layer and the layer has a label left (labels 1..255, each used once); the
// segment goes into the FIRST such layer (lowest index), with label = the layer's highest label
// + 1. When no layer can take it, it opens a new layer (index = layers.size(), label 1).
struct LayerSlot {
  size_t layer = 0;
  uint8_t label = 1;
  bool newLayer = false;
};
// layers: uint8 volumes of n voxels each; mask: n bytes, non-zero = in the segment (null: none).
// segments (optional): the segmentation's segments, whose labels count as used even where they hold
// no voxel (an empty segment keeps its label).
LayerSlot packSegment(const std::vector<const Volume*>& layers, const uint8_t* mask, int64_t n,
                      const std::vector<Segment>* segments = nullptr);

// Volume of one voxel in mm^3: |det| of the voxel-to-world 3x3 (direction columns times spacing),
// exact for sheared (gantry-tilt) grids too.
double voxelVolumeMm3(const Geometry& g);

// Copies identity (UIDs per slice, study/series/frame of reference) from a source volume.
ReferencedSeries referenceOf(const Volume& source);

class Segmentation {
 public:
  Segmentation() = default;
  // An empty segmentation on a 3D grid (dims x, y, z; no layer yet).
  Segmentation(std::array<int64_t, 3> dims, const Geometry& geometry);
  // On the grid of a source volume, referencing it (referenceOf).
  static Segmentation onGridOf(const Volume& source);

  const std::array<int64_t, 3>& dims() const { return dims_; }
  int64_t voxelsPerLayer() const { return dims_[0] * dims_[1] * dims_[2]; }
  const Geometry& geometry() const { return geometry_; }
  Geometry& geometry() { return geometry_; }

  const std::vector<Segment>& segments() const { return segments_; }
  std::vector<Segment>& segments() { return segments_; }
  const std::vector<std::shared_ptr<Volume>>& layers() const { return layers_; }

  ReferencedSeries reference;

  // Adds a segment from a mask (voxelsPerLayer() bytes, non-zero = in; null: an empty segment),
  // placed by packSegment.
  // Returns its index in segments(). Errors: volume.* from Volume::create.
  Result<size_t> addSegment(Segment meta, const uint8_t* mask);
  // Where addSegment puts a segment of this mask (packSegment over the layers and the segments).
  LayerSlot slotFor(const uint8_t* mask) const;
  // Adds an empty layer (for readers that place voxels themselves); returns its index.
  Result<size_t> addLayer();
  // The mask of segment i: voxelsPerLayer() bytes, 1 in, 0 out.
  std::vector<uint8_t> mask(size_t i) const;
  int64_t voxelCount(size_t i) const;
  double volumeMl(size_t i) const { return voxelCount(i) * voxelVolumeMm3(geometry_) / 1000.0; }
  // Index of the segment with SegmentNumber `number`, or -1.
  int64_t findByNumber(uint16_t number) const;
  // A copy whose label layers are its own (the copy constructor shares them): a snapshot another
  // thread reads while this one is edited. Errors: volume.* from Volume::create.
  Result<Segmentation> copyWithLabels() const;

 private:
  std::array<int64_t, 3> dims_{0, 0, 0};
  Geometry geometry_;
  std::vector<Segment> segments_;
  std::vector<std::shared_ptr<Volume>> layers_;
};

}  // namespace cvx
