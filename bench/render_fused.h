// SPDX-License-Identifier: MIT
// bench_render's fused case: the PET/CT pair of ../shared/data/pet_ct in one pass (raycast.h's
// Fusion) with the 3D view's presets (ct-bone on the CT, pet-hot-iron on the PET in Bq/ml), timed
// without skipping and with the pair's brick map (cvx::fusedRanges), frames alternating.
#pragma once
#include <string>

#include "render_orbit.h"

namespace cvx::bench {

struct FusedResult {
  Timing plain, skip;        // skip.setupMs: the CT's bricks, the PET's values in them and the pair's map
  double maxDiff = 0;        // skipping against plain, largest |difference| of a channel
  double emptyBricks = 0;    // fraction of the CT's bricks empty for both
  std::string error;         // set when the pair or the presets could not be loaded
};

// s's orbit and size; the CT's half smallest spacing as the step (the 3D view's rule).
FusedResult runFused(const std::string& dataDir, const RenderSetup& s);

}  // namespace cvx::bench
