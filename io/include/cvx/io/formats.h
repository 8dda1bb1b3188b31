// SPDX-License-Identifier: MIT
// NIfTI-1/2, NRRD and MetaImage (MHA/MHD) reading and writing for cvx::Volume (docs/formats.md).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/core/volume.h>

namespace cvx::io {

enum class ImageFormat { Unknown, Nifti, NiftiGz, Nrrd, Nhdr, Mha, Mhd };

// The format a path names by its extension (case-insensitive).
ImageFormat imageFormatFromPath(const std::string& path);

// What a reader noticed that the Volume itself does not say.
struct ImageReadNotes {
  std::string format;            // "nifti1", "nifti2", "nrrd", "metaimage"
  std::string filePixelType;     // the type in the file, e.g. "int32", "float64"
  bool convertedToFloat32 = false;  // int32/uint32/int8/float64 voxels were converted to float32
  std::vector<Diagnostic> warnings;  // e.g. format.no_orientation (path: the file read)
};

// Reads .nii, .nii.gz, .nrrd, .nhdr (+ data file), .mha, .mhd (+ data file).
// Voxels are kept as stored; a NIfTI scl_slope/scl_inter goes to info.rescaleSlope/Intercept.
Result<std::shared_ptr<Volume>> readImage(const std::string& path);
Result<std::shared_ptr<Volume>> readImage(const std::string& path, ImageReadNotes& notes);

// Writes .nii, .nii.gz, .nrrd (gzip encoding), .mha (zlib-compressed) atomically (temp + rename);
// never into a folder v was read from (io.into_source, source_folder.h).
Status writeImage(const Volume& v, const std::string& path);

// NIfTI's affine (RAS+, mm) of a geometry: LPS worldFromVoxel with the x and y rows negated.
Mat4 niftiRasFromVoxel(const Geometry& g);
// The inverse: a geometry from a NIfTI RAS affine (sform). Spacing = column norms.
Geometry geometryFromNiftiRas(const Mat4& rasFromVoxel);

}  // namespace cvx::io
