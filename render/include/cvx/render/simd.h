// SPDX-License-Identifier: MIT
// Which vector instructions the CPU back end's loops use. Every level gives the same bits (the same
// float operations per pixel, no fused multiply-add); a wider level is only faster. AVX2 is chosen
// at run time where the CPU has it (x86-64's baseline is SSE2), so one build runs everywhere.
#pragma once

// The AVX2 kernels are written with GCC's vector extensions and target attributes; clang 14's back
// end cannot compile them (a fatal error), so a clang build (the fuzz preset) has SSE2 only.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CVX_AVX2_KERNELS 1
#else
#define CVX_AVX2_KERNELS 0
#endif

namespace cvx::render {

enum class Simd : int { Sse2 = 0, Avx2 = 1 };

// The level in use: the widest the CPU supports, or SSE2 when CVX_SIMD=sse2 is set at start.
Simd simdLevel();
// For tests and benchmarks: use `s`, or the widest supported level below it. Returns the level set.
Simd setSimdLevel(Simd s);
const char* toString(Simd s);

}  // namespace cvx::render
