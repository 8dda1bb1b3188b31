// SPDX-License-Identifier: MIT
// CVX_FLATTEN: a host loop whose callees are all inlined into it ([[gnu::flatten]]), where speed
// matters: the CPU ray caster's tiles and the reslicer's rows. Sanitizer builds (CVX_NO_FLATTEN, set
// with CVX_SANITIZE) leave inlining to the compiler: flattened, the ray caster's instantiations took
// g++ 18 minutes under ASan and UBSan (the longest step of CI), 52 s without. Inlining changes no
// value: the AVX2 loops stay bit for bit the scalar ones (no FMA contraction either way).
#pragma once
#if defined(CVX_NO_FLATTEN)
#define CVX_FLATTEN
#else
#define CVX_FLATTEN [[gnu::flatten]]
#endif
