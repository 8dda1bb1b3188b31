// A 3D/4D image in DICOM patient space. Voxels are contiguous, x fastest, then y, z, t,
// 64-byte aligned: ready for a single GPU upload (one 3D texture per phase).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <array>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/core/metadata.h>

namespace cvx {

// RGB16: 16 bits per channel, interleaved (colour ultrasound, 16-bit secondary captures).
// RGB32: 32 bits per channel (uint32), interleaved: 32-bit colour kept at full precision.
enum class PixelType : uint8_t { UInt8, Int16, UInt16, Float32, RGB8, RGB16, RGB32 };
const char* toString(PixelType t);
size_t bytesPerVoxel(PixelType t);

namespace detail {
struct VoxelFree {
  size_t bytes = 0;
  bool mapped = false;
  bool borrowed = false;  // Volume::borrow: the memory is the caller's, never freed here
  void operator()(std::byte* p) const;
};
}  // namespace detail

// Where one (z, t) slice came from.
struct SliceSource {
  std::string file;
  uint32_t frame = 0;  // frame number in a multi-frame file (0-based)
  std::string sopInstanceUid;
};

enum class VoxelInit { Zero, Uninitialized };

class Volume {
 public:
  // Allocates the voxel buffer, zero-filled unless init is Uninitialized (for a caller that writes
  // every voxel, e.g. the loader); fails with "volume.bad_dims", "volume.too_large" or
  // "volume.out_of_memory".
  static Result<std::shared_ptr<Volume>> create(PixelType type, std::array<int64_t, 4> dims,
                                                VoxelInit init = VoxelInit::Zero);
  // A non-owning view of voxels that live elsewhere (a plugin's input, a caller's buffer), so that
  // code written for a Volume runs on them without a copy: the Volume never frees `data`, and the
  // CALLER KEEPS THAT MEMORY ALIVE (and unmoved) for as long as the Volume or any copy of its
  // shared_ptr exists. data: voxels of `type`, x fastest then y, z, t, contiguous (no alignment is
  // required, unlike create's 64 bytes). Geometry, info and sources start as a new Volume's; every
  // slice is marked ready. Errors: volume.bad_dims (also for a null data), volume.too_large.
  static Result<std::shared_ptr<Volume>> borrow(PixelType type, std::array<int64_t, 4> dims, void* data);

  PixelType type() const { return type_; }
  const std::array<int64_t, 4>& dims() const { return dims_; }  // x, y, z, t
  int64_t voxelsPerSlice() const { return dims_[0] * dims_[1]; }
  int64_t voxelsPerPhase() const { return dims_[0] * dims_[1] * dims_[2]; }
  int64_t voxelCount() const { return voxelsPerPhase() * dims_[3]; }
  size_t sliceBytes() const { return static_cast<size_t>(voxelsPerSlice()) * bytesPerVoxel(type_); }
  size_t byteSize() const { return static_cast<size_t>(voxelCount()) * bytesPerVoxel(type_); }

  std::byte* data() { return data_.get(); }
  const std::byte* data() const { return data_.get(); }
  template <class T> T* as() { return reinterpret_cast<T*>(data_.get()); }
  template <class T> const T* as() const { return reinterpret_cast<const T*>(data_.get()); }
  std::byte* slice(int64_t z, int64_t t = 0) {
    return data_.get() + static_cast<size_t>((t * dims_[2] + z) * voxelsPerSlice()) * bytesPerVoxel(type_);
  }
  const std::byte* slice(int64_t z, int64_t t = 0) const {
    return const_cast<Volume*>(this)->slice(z, t);
  }
  // Value of voxel as double (stored value; RGB gives luminance).
  double valueAt(int64_t x, int64_t y, int64_t z, int64_t t = 0) const;

  Geometry geometry;
  std::vector<double> timesMs;        // one per phase (dims[3]); empty for 3D
  std::vector<SliceSource> sources;   // index z + t * dims[2]
  SeriesInfo info;                    // patient/study/series metadata

  // Per-slice readiness for progressive loading: the first slice can be drawn before the rest.
  void markSliceReady(int64_t index);
  bool sliceReady(int64_t index) const;
  int64_t slicesReady() const { return readyCount_.load(std::memory_order_acquire); }

  // This volume's number in the process: never another's, even one made later at the same address
  // (a back end's copies of a freed volume must not pass for a new one's: CUDA's resident phases).
  uint64_t serial() const { return serial_; }

 private:
  Volume();
  PixelType type_ = PixelType::Int16;
  std::array<int64_t, 4> dims_{0, 0, 0, 1};
  std::unique_ptr<std::byte[], detail::VoxelFree> data_;
  std::unique_ptr<std::atomic<uint8_t>[]> ready_;
  std::atomic<int64_t> readyCount_{0};
  uint64_t serial_ = 0;
};

}  // namespace cvx
