// SPDX-License-Identifier: MIT
// Segmentation files: DICOM SEG (read: binary and fractional; write: binary, through DCMTK's
// dcmseg), RTSTRUCT import (contours rasterised with the even-odd rule) and label maps (NIfTI,
// NRRD). The rules are in docs/segmentation.md ("Files: SEG, RTSTRUCT, label maps").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/segmentation.h>
#include <cvx/core/volume.h>

namespace cvx::io {

// A SEG frame lands on slice k of the grid when its ImagePositionPatient is within this distance
// (mm) of the centre of voxel (0, 0, k), and at most a quarter voxel along each axis.
constexpr double kSegPositionToleranceMm = 0.1;

struct SegReadResult {
  Segmentation segmentation;
  std::string segmentationType;                   // "BINARY" or "FRACTIONAL"
  std::string fractionalType;                     // "PROBABILITY" / "OCCUPANCY" (fractional only)
  int maxFractionalValue = 0;                     // fractional only
  std::string sopInstanceUid, seriesInstanceUid;  // of the SEG itself
  std::vector<Diagnostic> warnings;
};

// Reads a DICOM SEG. With `reference` (the source volume), frames are placed onto its grid by
// their ImagePositionPatient (kSegPositionToleranceMm), the reference's frame of reference must
// agree, and the layers share its geometry; without, the grid is built from the SEG's own
// positions (Plane Orientation, Pixel Measures, the sorted frame positions). Fractional frames
// count as "in" where value * 2 >= MaximumFractionalValue. Overlapping segments go to several
// layers (packSegment). Errors: seg.bad_file, seg.not_seg, seg.unsupported, seg.no_reference,
// seg.bad_geometry, seg.frame_off_grid, and the decoder's dicom.* codes.
Result<SegReadResult> readSeg(const std::string& path, const Volume* reference = nullptr);

struct SegWriteOptions {
  std::string seriesDescription = "Segmentation";
  std::string contentLabel = "SEGMENTATION";   // CS, upper case
  std::string contentCreatorName = "CineVox";  // PN
  std::string manufacturer = "CineVox";
  std::string modelName = "CineVox";
  std::string softwareVersions = "1";
  std::string deviceSerialNumber = "0";
  int seriesNumber = 300;
  // FRACTIONAL (PROBABILITY, 8 bits): a voxel in a segment is written as maxFractionalValue, out 0.
  bool fractional = false;
  uint8_t maxFractionalValue = 255;
  // Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99) instead of Explicit VR LE.
  bool deflate = false;
  // Where warnings go (null: dropped): seg.empty_segment for a segment without a voxel, which is
  // left out (a segment needs a frame).
  std::vector<Diagnostic>* warnings = nullptr;
};

// Writes a DICOM SEG (binary unless options.fractional) of `seg` (on the grid of `source`, dims and
// geometry equal; its segments without a voxel left out, with a warning; a segment without a
// category or type as Tissue, SCT 85756007, of CIDs 7150 and 7151) to path: one frame per slice that holds the segment, each with its Plane Position, Frame Content and
// a DerivationImageSequence naming the source slice's SOP instance; ReferencedSeriesSequence lists the source
// series' instances; Patient/Study/Frame of Reference come from the source's first file (else from
// source.info). Never writes into the source's folder (io/source_folder.h). Errors: seg.write_failed
// (DCMTK's message), io.into_source, seg.bad_geometry, io.write_failed.
Status writeSeg(const Segmentation& seg, const Volume& source, const std::string& path,
                const SegWriteOptions& options = {});

// Imports an RTSTRUCT's ROIs onto the grid of `reference` (a volume of the series the contours
// were drawn on): each closed planar contour is assigned to the slice whose plane it lies in
// (within half a slice spacing) and rasterised with the even-odd rule (pixel centre inside = on),
// so holes and several contours per slice work. One segment per ROI that has contours.
// Errors: rtstruct.bad_file, rtstruct.not_rtstruct, rtstruct.no_reference (frame of reference
// differs), rtstruct.bad_contour (odd coordinate count); warnings: rtstruct.off_grid (a contour on
// no slice of the grid), rtstruct.empty_roi.
Result<Segmentation> readRtStruct(const std::string& path, const Volume& reference,
                                  std::vector<Diagnostic>* warnings = nullptr);

// Writes one label layer of seg as a label map (.nii.gz / .nii / .nrrd / .mha by extension,
// through io's writers), with the segmentation's geometry. Errors: seg.no_layer, format.*.
Status writeLabelMap(const Segmentation& seg, size_t layer, const std::string& path);

// Same x, y, z dims and the first and last voxel centres within 0.01 mm: a and b are on one grid
// (a label map on its series' grid).
bool sameGrid(const Volume& a, const Volume& b);

// Reads a label map (.nii.gz / .nii / .nrrd / .mha, through io's readers) onto the grid of
// `reference`: one segment per label value 1..65535 present, named "Label N" with SegmentNumber N
// (up to 255 labels per layer). A map on the reference's grid (same dims, the first and last voxel
// centres within 0.01 mm) is copied as it is; any other grid (cropped, another spacing or
// orientation) is resampled by nearest neighbour in patient space, with the warning
// seg.label_map_resampled. Errors: format.*, seg.bad_label_map (not one 3D scalar phase, a value
// that is not a whole number 0..65535, no label at all, or no label voxel on the reference's grid).
Result<Segmentation> readLabelMap(const std::string& path, const Volume& reference,
                                  std::vector<Diagnostic>* warnings = nullptr);

// Any segmentation of `reference` a user may open: a label map by its extension, in any case (.nrrd,
// .nhdr, .nii, .nii.gz, .mha, .mhd: readLabelMap), else a DICOM SEG (readSeg, its warnings added to
// *warnings), else an RTSTRUCT (readRtStruct). A missing file, a file neither reader can parse, or a
// DICOM object that is neither has the SEG reader's error; an RTSTRUCT's own faults, its reader's. The viewer's
// Open... and --seg, and `cinevox render --seg`, read through this.
Result<Segmentation> readAnySegmentation(const std::string& path, const Volume& reference,
                                         std::vector<Diagnostic>* warnings = nullptr);

}  // namespace cvx::io
