// SPDX-License-Identifier: MIT
// A label layer as a label map file, through io's image writers (NIfTI, NRRD, MetaImage).
#include <cvx/io/formats.h>
#include <cvx/io/seg.h>

namespace cvx::io {

Status writeLabelMap(const Segmentation& seg, size_t layer, const std::string& path) {
  if (layer >= seg.layers().size())
    return makeError("seg.no_layer",
                     "layer " + std::to_string(layer) + " of " + std::to_string(seg.layers().size()), path);
  Volume& v = *seg.layers()[layer];
  v.geometry = seg.geometry();  // the layer's grid is the segmentation's
  return writeImage(v, path);
}

}  // namespace cvx::io
