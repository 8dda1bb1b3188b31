// SPDX-License-Identifier: MIT
// The Segments dock's files (seg_panel.h): opening a segmentation onto the layer it fits, and a
// segment's surface as STL or OBJ.
#include "seg_panel.h"

#include <optional>

#include <cvx/core/log.h>
#include <cvx/io/seg.h>
#ifdef CVX_HAVE_MESH
#include <cvx/io/mesh_files.h>
#include <cvx/mesh/surface.h>
#endif

namespace cvx::viewer {

Status openSegmentation(view::ViewerState& state, const std::string& path, std::vector<Diagnostic>* warnings) {
  std::vector<Diagnostic> own;
  std::vector<Diagnostic>& warned = warnings ? *warnings : own;
  if (state.layers().empty() || !state.layers().front().volume)
    return makeError("seg.no_reference", "open a series before its segmentation");
  // The reference first, then the other layers: a PET lesion's SEG references the PET.
  std::optional<Error> first;
  for (int l = 0; l < static_cast<int>(state.layers().size()); ++l) {
    if (!state.layers()[static_cast<size_t>(l)].volume) continue;
    std::vector<Diagnostic> these;
    auto seg = io::readAnySegmentation(path, *state.layers()[static_cast<size_t>(l)].volume, &these);
    if (!seg.ok()) {
      if (!first) first = seg.error();
      continue;
    }
    for (const Diagnostic& w : these) log::warn(w.code + ": " + w.message);
    warned.insert(warned.end(), these.begin(), these.end());
    auto added = state.addSegmentation(std::make_shared<Segmentation>(std::move(*seg)), l,
                                       path.substr(path.find_last_of('/') + 1));
    if (!added.ok()) return added.error();
    return {};
  }
  return *first;  // the reference's reader's error
}

Status exportSegmentMesh(const Segmentation& s, size_t segment, const std::string& path) {
  const auto endsWith = [&](const char* e) {
    const std::string x(e);
    return path.size() >= x.size() && path.compare(path.size() - x.size(), x.size(), x) == 0;
  };
  const bool stl = endsWith(".stl"), obj = endsWith(".obj");
  if (!stl && !obj) return makeError("viewer.bad_mesh_path", "a mesh file ends in .stl or .obj", path);
#ifdef CVX_HAVE_MESH
  if (stl) {
    auto m = mesh::segmentSurface(s, segment);
    if (!m.ok()) return m.error();
    return io::writeStl(*m, path);
  }
  auto all = mesh::segmentSurfaces(s);
  if (!all.ok()) return all.error();
  return io::writeObj(*all, path);
#else
  (void)s, (void)segment;
  return makeError("viewer.no_mesh", "this CineVox was built without VTK: no surfaces", path);
#endif
}

}  // namespace cvx::viewer
