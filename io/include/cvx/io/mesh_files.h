// SPDX-License-Identifier: MIT
// Mesh files for surgical planning and 3D printing: binary STL and Wavefront OBJ (+ MTL) of
// cvx::Mesh (cvx/core/mesh.h), coordinates in patient space (LPS, millimetres), stated in each
// file's header. Plain C++ (no VTK in io); written to a temp file and renamed, so a failed write
// never leaves a partial file over the user's. Conventions: docs/segmentation.md, "Surfaces and
// meshes".
#pragma once
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/mesh.h>

namespace cvx::io {

// The 80-byte header of a CineVox STL: "CineVox segment <name>, LPS mm" (several meshes:
// "CineVox segments <a>, <b>, ..., LPS mm"), names shortened with "..." so that ", LPS mm"
// always fits; padded with spaces. Never starts with "solid" (an ASCII STL's first word).
std::string stlHeader(const std::vector<Mesh>& meshes);

// Binary STL: the meshes' triangles in one file, in order (STL has no objects: one file with all
// of them; write one call per segment for one file per segment). Facet normal = the unit
// right-hand normal of the triangle's points (outward: triangles are counter-clockwise seen from
// outside), attribute byte count 0. Errors: mesh.bad_mesh (an index out of range, normals not
// one per point, more than 2^32 - 1 triangles), io.write_failed.
Status writeStl(const std::vector<Mesh>& meshes, const std::string& path);
Status writeStl(const Mesh& mesh, const std::string& path);

struct ObjOptions {
  // Writes <path without .obj>.mtl beside it, one material per mesh ("Kd" = its rgb / 255), and
  // names it in the OBJ (mtllib / usemtl).
  bool writeMtl = true;
};

// Wavefront OBJ (text): "# CineVox ..." comment lines stating "coordinates: LPS, millimetres",
// then per mesh "o <name>" (whitespace replaced by '_'; empty names become segment_<i>),
// "v x y z", "vn x y z" (when the mesh has normals) and "f a//a b//b c//c" (or "f a b c"), indices
// 1-based over the whole file. Floats are written with 9 significant digits: they read back
// exactly. Errors: mesh.bad_mesh, io.write_failed (either file; the OBJ is written last).
Status writeObj(const std::vector<Mesh>& meshes, const std::string& path, const ObjOptions& options = {});

}  // namespace cvx::io
