// SPDX-License-Identifier: MIT
// The display mapping's per-pixel loop (private to viewstate): modality values -> window/level ->
// inversion -> colour map -> blended over what lies below. Every pixel equals the scalar rule,
// displayLevel() and the layer's colour map, at every SIMD level (render::simdLevel()).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include <cvx/viewstate/mapping.h>

namespace cvx::view::detail {

// Pixels [i0, i1) of one layer over `pixels`. bottom: nothing lies below (the first layer drawn),
// so pixels[i0, i1) are written whatever they held: opaque black where the value is NaN.
void mapPixels(const float* values, const DisplayMapping& m, uint32_t* pixels, size_t i0, size_t i1,
               bool bottom);

}  // namespace cvx::view::detail
