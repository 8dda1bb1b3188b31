// SPDX-License-Identifier: MIT
// Shared pieces of the NIfTI / NRRD / MetaImage readers and writers (io/src/format_*.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/volume.h>
#include <cvx/io/formats.h>

namespace cvx::io::fmt {

using Bytes = std::vector<std::byte>;

// A voxel type as stored in a file; some are converted on reading.
enum class FileType : uint8_t { U8, I8, I16, U16, I32, U32, F32, F64, RGB24 };
size_t fileTypeBytes(FileType t);     // bytes per voxel (3 for RGB24)
size_t fileTypeScalar(FileType t);    // bytes per scalar (1 for RGB24): the byte-swap unit
PixelType volumeTypeFor(FileType t);  // I8, I32, U32, F64 -> Float32
bool isConverted(FileType t);
const char* fileTypeName(FileType t);

// Deflate can expand at most ~1032:1; anything claiming more is a lie or a bomb.
constexpr uint64_t kMaxInflateRatio = 1100;

Result<Bytes> readWholeFile(const std::string& path);
// `length` bytes from `offset` of a file; format.truncated when the file is shorter.
Result<Bytes> readFilePart(const std::string& path, uint64_t offset, uint64_t length);
// The voxel bytes of a text-header format: inline after the header, or a detached data file.
struct DataSpan {
  Bytes detached;  // the bytes read from a detached data file
  const std::byte* p = nullptr;
  uint64_t n = 0;
};
// A detached data file: compressed, the whole file (skip 0); raw, only the `need` voxel bytes
// after `skip` bytes (-1: the data ends the file), checked against the file's size first.
Status readDetached(const std::string& path, int64_t skip, uint64_t need, bool compressed, DataSpan& out);
// A byte-skip field (NRRD "byte skip", MetaImage HeaderSize): empty is 0; one integer >= -1, else
// format.bad_header naming `what`.
Result<int64_t> parseByteSkip(const std::string& text, const std::string& what, const std::string& path);
// Inflates a gzip or zlib stream (auto-detected; concatenated gzip members allowed) into exactly
// `expected` bytes. Fails with format.truncated when the stream ends early, unless allowShort
// (then the bytes decoded so far come back: used to peek at a compressed header).
Result<Bytes> inflateExact(const std::byte* src, size_t n, uint64_t expected, const std::string& ctx,
                           bool allowShort = false);
// gzip (withGzipHeader) or zlib stream of the given bytes.
Result<Bytes> deflateAll(const std::byte* src, size_t n, bool withGzipHeader);
// Writes to "<path>.tmp-<pid>" then renames over path.
Status writeFileAtomic(const std::string& path, std::span<const std::byte> head,
                       std::span<const std::byte> body);

// Bytes of the voxels that dims claim (each dim 1..2^20, no overflow); format.bad_header otherwise.
Result<uint64_t> voxelBytes(FileType t, const std::array<int64_t, 4>& dims, const std::string& ctx);
// Checks dims and that `available` bytes hold the voxels; allocates the volume.
Result<std::shared_ptr<Volume>> allocate(FileType t, std::array<int64_t, 4> dims, uint64_t available,
                                         const std::string& ctx);
// Copies (and converts, byte-swaps) `v.voxelCount()` voxels of file type t into v.
void decodeVoxels(const std::byte* src, FileType t, bool bigEndian, Volume& v);
void markAllReady(Volume& v);
void noteType(FileType t, ImageReadNotes& notes);

// Text helpers for the key/value headers.
std::string_view trim(std::string_view s);
std::string lower(std::string_view s);
bool parseDoubles(std::string_view s, std::vector<double>& out);
bool parseInt64s(std::string_view s, std::vector<int64_t>& out);
std::string fmtDouble(double v);  // shortest round-trip text
std::string dirOf(const std::string& path);
std::string joinPath(const std::string& dir, const std::string& name);

Result<std::shared_ptr<Volume>> readNifti(const std::string& path, ImageReadNotes& notes);
Result<std::shared_ptr<Volume>> readNrrd(const std::string& path, ImageReadNotes& notes);
Result<std::shared_ptr<Volume>> readMeta(const std::string& path, ImageReadNotes& notes);
Status writeNifti(const Volume& v, const std::string& path, bool gz);
Status writeNrrd(const Volume& v, const std::string& path);
Status writeMeta(const Volume& v, const std::string& path);

// True when the direction columns are not orthogonal (a sheared, gantry-tilted grid).
bool isSheared(const Geometry& g);

// Evenly spaced phase times (ms) for a 4D volume, or the spacing when even; 0 when unknown.
double phaseStepMs(const Volume& v);
void setEvenTimes(Volume& v, double startMs, double stepMs);

}  // namespace cvx::io::fmt
