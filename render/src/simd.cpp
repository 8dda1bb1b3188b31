// SPDX-License-Identifier: MIT
#include <cvx/render/simd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace cvx::render {
namespace {

Simd supported() {
#if CVX_AVX2_KERNELS
  if (__builtin_cpu_supports("avx2")) return Simd::Avx2;
#endif
  return Simd::Sse2;
}

Simd initial() {
  const char* env = std::getenv("CVX_SIMD");
  if (env && std::strcmp(env, "sse2") == 0) return Simd::Sse2;
  return supported();
}

std::atomic<int>& level() {
  static std::atomic<int> l{static_cast<int>(initial())};
  return l;
}

}  // namespace

Simd simdLevel() { return static_cast<Simd>(level().load(std::memory_order_relaxed)); }

Simd setSimdLevel(Simd s) {
  const Simd use = static_cast<int>(s) <= static_cast<int>(supported()) ? s : supported();
  level().store(static_cast<int>(use), std::memory_order_relaxed);
  return use;
}

const char* toString(Simd s) { return s == Simd::Avx2 ? "avx2" : "sse2"; }

}  // namespace cvx::render
