// SPDX-License-Identifier: MIT
// Fuzz input as a file: readHeader and decodeFrames take paths, so each input is written to a
// per-process file in /dev/shm (RAM) and overwritten by the next one.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <cvx/core/error.h>
#include <cvx/core/volume.h>

namespace cvx::fuzz {

// Writes the bytes and returns the path, or an empty string if the file cannot be written. The
// suffix picks the reader (readImage dispatches on the extension).
std::string writeInput(const uint8_t* data, size_t size, const std::string& suffix = ".dcm");

// Reads every voxel byte and the geometry of what a reader returned, so that a volume whose
// buffer is shorter than its dims shows up under ASan.
void touchImage(const Result<std::shared_ptr<Volume>>& image);

}  // namespace cvx::fuzz
