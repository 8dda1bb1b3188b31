// SPDX-License-Identifier: MIT
// Input series for bench_ingest and bench_mpr, built once under /tmp and cached by stamp files.
#pragma once
#include <memory>
#include <string>

#include <cvx/core/error.h>
#include <cvx/core/volume.h>

namespace cvx::bench {

// Cache folder: $CVX_BENCH_DIR, else /tmp/cvx_bench.
std::string benchRoot();

// ct/ decompressed with DCMTK's `dcmdjpeg` (Debian's dcmtk package) into <root>/ct_raw.
Result<std::string> decompressedSeries(const std::string& source, const std::string& root, unsigned threads);

// `count` slices made from the slices of `raw`, cycled in slice order, each with a new
// SOPInstanceUID, InstanceNumber, ImagePositionPatient stepped along the slice normal by the
// source spacing, and SliceLocation, in <root>/ct<count> (raw must be Explicit VR Little Endian,
// as decompressedSeries writes it). Reused while its stamp and file count match.
Result<std::string> replicatedSeries(const std::string& raw, int count, const std::string& root,
                                     unsigned threads);

// ct/'s slices cycled into a `count`-slice series (decompressedSeries, then replicatedSeries, under
// benchRoot()) and loaded by cvx::io: the big input of bench_render and bench_segment.
Result<std::shared_ptr<Volume>> loadReplicatedCt(const std::string& ct, int count, unsigned threads);

}  // namespace cvx::bench
