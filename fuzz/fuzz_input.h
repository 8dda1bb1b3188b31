// SPDX-License-Identifier: MIT
// Fuzz input as a file: readHeader and decodeFrames take paths, so each input is written to a
// per-process file in /dev/shm (RAM) and overwritten by the next one.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace cvx::fuzz {

// Writes the bytes and returns the path, or an empty string if the file cannot be written.
std::string writeInput(const uint8_t* data, size_t size);

}  // namespace cvx::fuzz
