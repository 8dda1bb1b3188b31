// SPDX-License-Identifier: MIT
// Demo study: the anatomical body phantom shared by the CT and PET series. Every shape is an
// ellipse (all z) or an ellipsoid in patient space (LPS, mm); docs/demo.md lists them.
#include <cmath>

#include "internal.h"

namespace cvx::demo {
namespace {

// (p - c) scaled by the semi-axes, squared length: <= 1 inside.
double ellipsoid(Vec3 p, Vec3 c, Vec3 semi) {
  const double x = (p.x - c.x) / semi.x, y = (p.y - c.y) / semi.y, z = (p.z - c.z) / semi.z;
  return x * x + y * y + z * z;
}
double ellipse(Vec3 p, double cx, double cy, double ax, double ay) {
  const double x = (p.x - cx) / ax, y = (p.y - cy) / ay;
  return x * x + y * y;
}

// Ribs: an elliptic band posterior of y = -50, 7 mm thick every 20 mm, above z = -30.
bool inRib(Vec3 p) {
  if (p.z < -30.0 || p.y < -50.0) return false;
  if (std::fmod(p.z + 200.0, 20.0) >= 7.0) return false;
  return ellipse(p, 0, 0, 96, 71) <= 1.0 && ellipse(p, 0, 0, 90, 65) > 1.0;
}

Tissue spineOrAorta(Vec3 p) {
  if (ellipse(p, 0, 66, 5, 5) <= 1.0) return Tissue::Canal;
  if (ellipse(p, 0, 45, 16, 16) <= 1.0)
    return ellipse(p, 0, 45, 13, 13) <= 1.0 ? Tissue::Marrow : Tissue::Cortex;
  if (ellipse(p, 15, 22, 11, 11) <= 1.0) return Tissue::Aorta;
  return Tissue::Air;  // none of them
}

Tissue organs(Vec3 p) {
  if (ellipsoid(p, {55, -10, 80}, {5, 5, 5}) <= 1.0) return Tissue::Nodule;
  if (ellipsoid(p, {18, -28, 40}, {40, 32, 30}) <= 1.0) return Tissue::Heart;
  if (ellipsoid(p, {-50, 0, 75}, {38, 55, 60}) <= 1.0) return Tissue::Lung;
  if (ellipsoid(p, {50, 0, 75}, {38, 55, 60}) <= 1.0) return Tissue::Lung;
  if (ellipsoid(p, {-50, -5, 0}, {7.5, 7.5, 7.5}) <= 1.0) return Tissue::Lesion;
  if (ellipsoid(p, {-45, -5, -22}, {50, 55, 38}) <= 1.0) return Tissue::Liver;
  if (ellipsoid(p, {50, -20, -10}, {30, 28, 30}) <= 1.0)
    return p.y < -35.0 ? Tissue::StomachGas : Tissue::Stomach;
  return Tissue::Air;  // none of them
}

}  // namespace

Tissue tissueAt(Vec3 p) {
  if (ellipse(p, 0, 0, 105, 80) > 1.0) return Tissue::Air;
  if (const Tissue t = spineOrAorta(p); t != Tissue::Air) return t;
  if (inRib(p)) return Tissue::Rib;
  if (ellipse(p, 0, 0, 98, 73) > 1.0) return Tissue::Fat;
  if (const Tissue t = organs(p); t != Tissue::Air) return t;
  return Tissue::Soft;
}

double huOf(Tissue t) {
  switch (t) {
    case Tissue::Air: return -1000;
    case Tissue::Fat: return -100;
    case Tissue::Soft: return 40;
    case Tissue::Lung: return -800;
    case Tissue::Liver: return 100;
    case Tissue::Lesion: return 60;
    case Tissue::Nodule: return 30;
    case Tissue::Cortex: return 1200;
    case Tissue::Marrow: return 700;
    case Tissue::Canal: return 15;
    case Tissue::Aorta: return 200;
    case Tissue::Heart: return 50;
    case Tissue::Stomach: return 30;
    case Tissue::StomachGas: return -1000;
    case Tissue::Rib: return 900;
  }
  return 0;
}

double suvOf(Tissue t) {
  switch (t) {
    case Tissue::Air: return 0.0;
    case Tissue::Fat: return 0.4;
    case Tissue::Soft: return 1.0;
    case Tissue::Lung: return 0.3;
    case Tissue::Liver: return 2.0;
    case Tissue::Lesion: return 8.0;
    case Tissue::Nodule: return 4.0;
    case Tissue::Cortex: return 0.8;
    case Tissue::Marrow: return 1.5;
    case Tissue::Canal: return 0.5;
    case Tissue::Aorta: return 1.6;
    case Tissue::Heart: return 3.0;
    case Tissue::Stomach: return 1.2;
    case Tissue::StomachGas: return 0.0;
    case Tissue::Rib: return 0.8;
  }
  return 0;
}

}  // namespace cvx::demo
