// SPDX-License-Identifier: MIT
// Binary STL and Wavefront OBJ/MTL writers over cvx::Mesh (cvx/io/mesh_files.h).
#include <cvx/io/mesh_files.h>

#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "internal.h"

namespace cvx::io {
namespace {

constexpr size_t kStlHeaderBytes = 80;

Status checkMesh(const Mesh& m, size_t i) {
  const std::string which = "mesh " + std::to_string(i) + (m.name.empty() ? "" : " (" + m.name + ")");
  if (!m.normals.empty() && m.normals.size() != m.points.size())
    return makeError("mesh.bad_mesh", which + ": " + std::to_string(m.normals.size()) + " normals for " +
                                          std::to_string(m.points.size()) + " points");
  for (const auto& t : m.triangles)
    for (uint32_t v : t)
      if (v >= m.points.size())
        return makeError("mesh.bad_mesh", which + ": a triangle names point " + std::to_string(v) + " of " +
                                              std::to_string(m.points.size()));
  return {};
}

Status checkMeshes(const std::vector<Mesh>& meshes) {
  uint64_t n = 0;
  for (size_t i = 0; i < meshes.size(); ++i) {
    CVX_TRY(checkMesh(meshes[i], i));
    n += meshes[i].triangles.size();
  }
  if (n > std::numeric_limits<uint32_t>::max())
    return makeError("mesh.bad_mesh", "more than 2^32 - 1 triangles: " + std::to_string(n));
  return {};
}

void putU32(std::vector<std::byte>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xffu));
}
void putF32(std::vector<std::byte>& out, float f) {
  static_assert(sizeof(float) == 4 && std::numeric_limits<float>::is_iec559);
  uint32_t v;
  std::memcpy(&v, &f, 4);
  putU32(out, v);  // little endian whatever the host
}

std::array<float, 3> faceNormal(const std::array<float, 3>& a, const std::array<float, 3>& b,
                                const std::array<float, 3>& c) {
  const double u[3] = {double(b[0]) - a[0], double(b[1]) - a[1], double(b[2]) - a[2]};
  const double v[3] = {double(c[0]) - a[0], double(c[1]) - a[1], double(c[2]) - a[2]};
  const double n[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
  const double len = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
  if (!(len > 0)) return {0, 0, 0};  // a degenerate triangle
  return {static_cast<float>(n[0] / len), static_cast<float>(n[1] / len), static_cast<float>(n[2] / len)};
}

// An OBJ/MTL name: one token, printable ASCII.
std::string token(const std::string& name, size_t i) {
  std::string s;
  for (unsigned char c : name) s += (std::isgraph(c) ? static_cast<char>(c) : '_');
  return s.empty() ? "segment_" + std::to_string(i + 1) : s;
}

void appendf(std::string& out, const char* fmt, double a, double b, double c) {
  char buf[128];
  const int n = std::snprintf(buf, sizeof buf, fmt, a, b, c);
  out.append(buf, static_cast<size_t>(n));
}

std::span<const std::byte> bytesOf(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

std::string baseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string stlHeader(const std::vector<Mesh>& meshes) {
  const std::string tail = ", LPS mm";
  std::string names;
  for (size_t i = 0; i < meshes.size(); ++i) {
    if (i) names += ", ";
    names += meshes[i].name.empty() ? "segment " + std::to_string(i + 1) : meshes[i].name;
  }
  std::string head = meshes.size() == 1 ? "CineVox segment " : "CineVox segments ";
  const size_t room = kStlHeaderBytes - head.size() - tail.size();
  for (char& c : names)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (names.size() > room) names = names.substr(0, room - 3) + "...";
  head += names + tail;
  head.resize(kStlHeaderBytes, ' ');
  return head;
}

Status writeStl(const std::vector<Mesh>& meshes, const std::string& path) {
  CVX_TRY(checkMeshes(meshes));
  uint64_t n = 0;
  for (const Mesh& m : meshes) n += m.triangles.size();
  std::vector<std::byte> out;
  out.reserve(kStlHeaderBytes + 4 + 50 * n);
  const std::string header = stlHeader(meshes);
  for (char c : header) out.push_back(static_cast<std::byte>(c));
  putU32(out, static_cast<uint32_t>(n));
  for (const Mesh& m : meshes)
    for (const auto& t : m.triangles) {
      const auto &a = m.points[t[0]], &b = m.points[t[1]], &c = m.points[t[2]];
      for (float f : faceNormal(a, b, c)) putF32(out, f);
      for (const auto* p : {&a, &b, &c})
        for (float f : *p) putF32(out, f);
      out.push_back(std::byte{0});
      out.push_back(std::byte{0});
    }
  return fmt::writeFileAtomic(path, {}, out);
}

Status writeStl(const Mesh& mesh, const std::string& path) { return writeStl(std::vector<Mesh>{mesh}, path); }

Status writeObj(const std::vector<Mesh>& meshes, const std::string& path, const ObjOptions& options) {
  CVX_TRY(checkMeshes(meshes));
  std::string obj;
  obj += "# CineVox segment surfaces\n";
  obj += "# coordinates: LPS, millimetres (DICOM patient space)\n";
  obj += "# normals point out of each segment; faces are counter-clockwise seen from outside\n";
  if (options.writeMtl) {
    std::string mtlPath = path;
    if (mtlPath.size() >= 4 && mtlPath.compare(mtlPath.size() - 4, 4, ".obj") == 0)
      mtlPath.resize(mtlPath.size() - 4);
    mtlPath += ".mtl";
    std::string mtl = "# CineVox segment colours (Kd: the segment's display colour)\n";
    for (size_t i = 0; i < meshes.size(); ++i) {
      mtl += "newmtl " + token(meshes[i].name, i) + "\n";
      appendf(mtl, "Kd %.6g %.6g %.6g\n", meshes[i].rgb[0] / 255.0, meshes[i].rgb[1] / 255.0,
              meshes[i].rgb[2] / 255.0);
    }
    CVX_TRY(fmt::writeFileAtomic(mtlPath, {}, bytesOf(mtl)));
    obj += "mtllib " + baseName(mtlPath) + "\n";
  }
  uint64_t base = 1, normalBase = 1;  // v and vn are numbered separately
  for (size_t i = 0; i < meshes.size(); ++i) {
    const Mesh& m = meshes[i];
    const std::string name = token(m.name, i);
    obj += "o " + name + "\n";
    if (options.writeMtl) obj += "usemtl " + name + "\n";
    for (const auto& p : m.points) appendf(obj, "v %.9g %.9g %.9g\n", p[0], p[1], p[2]);
    for (const auto& q : m.normals) appendf(obj, "vn %.9g %.9g %.9g\n", q[0], q[1], q[2]);
    const bool withNormals = !m.normals.empty();
    for (const auto& t : m.triangles) {
      obj += 'f';
      for (uint32_t v : t) {
        obj += ' ' + std::to_string(base + v);
        if (withNormals) obj += "//" + std::to_string(normalBase + v);
      }
      obj += '\n';
    }
    base += m.points.size();
    normalBase += m.normals.size();
  }
  return fmt::writeFileAtomic(path, {}, bytesOf(obj));
}

}  // namespace cvx::io
