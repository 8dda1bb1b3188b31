#include <cvx/core/volume.h>
#include <cvx/core/voxel_memory.h>

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>


namespace cvx {

const char* toString(PixelType t) {
  switch (t) {
    case PixelType::UInt8: return "uint8";
    case PixelType::Int16: return "int16";
    case PixelType::UInt16: return "uint16";
    case PixelType::Float32: return "float32";
    case PixelType::RGB8: return "rgb8";
    case PixelType::RGB16: return "rgb16";
    case PixelType::RGB32: return "rgb32";
  }
  return "?";
}

size_t bytesPerVoxel(PixelType t) {
  switch (t) {
    case PixelType::UInt8: return 1;
    case PixelType::Int16:
    case PixelType::UInt16: return 2;
    case PixelType::Float32: return 4;
    case PixelType::RGB8: return 3;
    case PixelType::RGB16: return 6;
    case PixelType::RGB32: return 12;
  }
  return 1;
}

void detail::VoxelFree::operator()(std::byte* p) const {
  if (!borrowed) detail::releaseVoxels({p, bytes, mapped, false});
}

namespace {

// The byte count of a volume of these dims (t <= 0 becomes 1), checked: each dim in 1..2^20,
// no overflow, at most 1 TiB.
Result<uint64_t> checkedBytes(PixelType type, std::array<int64_t, 4>& dims) {
  if (dims[3] <= 0) dims[3] = 1;
  uint64_t count = 1;
  for (int64_t d : dims) {
    if (d <= 0 || d > (int64_t{1} << 20)) return makeError("volume.bad_dims", "dimension out of range");
    if (count > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
      return makeError("volume.too_large", "voxel count overflows");
    count *= static_cast<uint64_t>(d);
  }
  const uint64_t bytes = count * bytesPerVoxel(type);
  if (bytes / bytesPerVoxel(type) != count || bytes > (uint64_t{1} << 40))
    return makeError("volume.too_large", "volume exceeds 1 TiB");
  return bytes;
}

}  // namespace

Volume::Volume() {
  static std::atomic<uint64_t> next{1};
  serial_ = next.fetch_add(1, std::memory_order_relaxed);
}

Result<std::shared_ptr<Volume>> Volume::borrow(PixelType type, std::array<int64_t, 4> dims, void* data) {
  if (!data) return makeError("volume.bad_dims", "no voxel buffer to borrow");
  const auto checked = checkedBytes(type, dims);
  if (!checked.ok()) return checked.error();
  std::shared_ptr<Volume> v(new Volume());
  v->type_ = type;
  v->dims_ = dims;
  const size_t bytes = static_cast<size_t>(checked.value());
  v->data_ = std::unique_ptr<std::byte[], detail::VoxelFree>(static_cast<std::byte*>(data),
                                                             detail::VoxelFree{bytes, false, true});
  const int64_t slices = dims[2] * dims[3];
  v->ready_ = std::make_unique<std::atomic<uint8_t>[]>(static_cast<size_t>(slices));
  v->sources.resize(static_cast<size_t>(slices));
  for (int64_t i = 0; i < slices; ++i) v->markSliceReady(i);
  return v;
}

Result<std::shared_ptr<Volume>> Volume::create(PixelType type, std::array<int64_t, 4> dims, VoxelInit init) {
  const auto checked = checkedBytes(type, dims);
  if (!checked.ok()) return checked.error();
  const uint64_t bytes = checked.value();
  const detail::VoxelBlock block = detail::acquireVoxels(static_cast<size_t>(bytes));
  if (!block.data) return makeError("volume.out_of_memory", "cannot allocate " + std::to_string(bytes) + " bytes");
  // A recycled buffer holds an earlier volume's voxels: clear it unless the caller writes every voxel.
  if (block.recycled && init == VoxelInit::Zero) std::memset(block.data, 0, static_cast<size_t>(bytes));
  std::shared_ptr<Volume> v(new Volume());
  v->type_ = type;
  v->dims_ = dims;
  v->data_ = std::unique_ptr<std::byte[], detail::VoxelFree>(block.data, detail::VoxelFree{block.bytes, block.mapped});
  const int64_t slices = dims[2] * dims[3];
  v->ready_ = std::make_unique<std::atomic<uint8_t>[]>(static_cast<size_t>(slices));
  v->sources.resize(static_cast<size_t>(slices));
  return v;
}

double Volume::valueAt(int64_t x, int64_t y, int64_t z, int64_t t) const {
  const int64_t i = ((t * dims_[2] + z) * dims_[1] + y) * dims_[0] + x;
  switch (type_) {
    case PixelType::UInt8: return as<uint8_t>()[i];
    case PixelType::Int16: return as<int16_t>()[i];
    case PixelType::UInt16: return as<uint16_t>()[i];
    case PixelType::Float32: return as<float>()[i];
    case PixelType::RGB8: {
      const uint8_t* p = as<uint8_t>() + 3 * i;
      return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    }
    case PixelType::RGB16: {
      const uint16_t* p = as<uint16_t>() + 3 * i;
      return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    }
    case PixelType::RGB32: {
      const uint32_t* p = as<uint32_t>() + 3 * i;
      return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    }
  }
  return 0;
}

void Volume::markSliceReady(int64_t index) {
  if (index < 0 || index >= dims_[2] * dims_[3]) return;
  if (ready_[static_cast<size_t>(index)].exchange(1, std::memory_order_acq_rel) == 0)
    readyCount_.fetch_add(1, std::memory_order_acq_rel);
}

bool Volume::sliceReady(int64_t index) const {
  if (index < 0 || index >= dims_[2] * dims_[3]) return false;
  return ready_[static_cast<size_t>(index)].load(std::memory_order_acquire) != 0;
}

}  // namespace cvx
