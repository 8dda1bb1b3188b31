// SPDX-License-Identifier: MIT
// Otsu's choice from a histogram, shared by the CPU (cvx::seg::otsu, multiOtsu) and the GPU
// (cvx::cuda::otsu, which counts on the device and chooses here): one of each, so both give the
// same thresholds from the same counts. Host only (std::vector).
#pragma once
#include <cstdint>
#include <vector>

#include <cvx/core/hd/segment.h>

namespace cvx {

// The split of bins.count bins (counts[b] voxels in bin b, bin b standing for hd::binCentre) into
// `classes` classes of contiguous bins that maximises sum over classes of S_c^2 / N_c (N_c voxels,
// S_c the sum of their bin centres), which is the between-class variance up to constants; found
// exactly by dynamic programming ((classes - 2) * bins^2 / 2 steps; 2 classes: one sweep). Ties:
// the lowest bins. Returns the last bin of each class but the top one (classes - 1, increasing);
// the thresholds are hd::binEdge(bins, last + 1). Needs 2 <= classes <= bins.count.
inline std::vector<int> otsuSplit(const int64_t* counts, const hd::Bins& bins, int classes) {
  const int B = bins.count;
  std::vector<double> N(B + 1, 0), S(B + 1, 0);
  for (int b = 0; b < B; ++b) {
    N[b + 1] = N[b] + static_cast<double>(counts[b]);
    S[b + 1] = S[b] + static_cast<double>(counts[b]) * hd::binCentre(bins, b);
  }
  auto f = [&](int a, int b) {  // the score of one class made of bins a..b
    const double n = N[b + 1] - N[a];
    if (n <= 0) return 0.0;
    const double s = S[b + 1] - S[a];
    return s * s / n;
  };
  // F[m][j]: the best score of bins 0..j in m + 1 classes; from[m][j]: the last bin of class m - 1.
  std::vector<std::vector<double>> F(classes, std::vector<double>(B, -1));
  std::vector<std::vector<int>> from(classes, std::vector<int>(B, -1));
  for (int j = 0; j < B; ++j) F[0][j] = f(0, j);
  for (int m = 1; m < classes; ++m) {
    const int jlo = m, jhi = m == classes - 1 ? B - 1 : B - 1 - (classes - 1 - m);
    for (int j = m == classes - 1 ? B - 1 : jlo; j <= jhi; ++j) {
      double best = -1;
      int arg = -1;
      for (int i = m - 1; i < j; ++i) {
        const double v = F[m - 1][i] + f(i + 1, j);
        if (v > best) best = v, arg = i;
      }
      F[m][j] = best;
      from[m][j] = arg;
    }
  }
  std::vector<int> last(classes - 1);
  int j = B - 1;
  for (int m = classes - 1; m >= 1; --m) {
    j = from[m][j];
    last[m - 1] = j;
  }
  return last;
}

}  // namespace cvx
