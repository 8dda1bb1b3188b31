// DICOM ingest: scan headers, group and split into series, plan geometry, load voxels.
#pragma once
#include <array>
#include <functional>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/core/metadata.h>
#include <cvx/core/progress.h>
#include <cvx/core/volume.h>

namespace cvx::io {

// Warnings, split reasons and skipped files are cvx::Diagnostic (code, message, path), the one
// diagnostic type (core/error.h); every code is in docs/errors.md.

// Image Pixel module of a file (what the decoder needs).
struct PixelFormat {
  uint16_t rows = 0, cols = 0;
  uint16_t samplesPerPixel = 1;
  uint16_t bitsAllocated = 16, bitsStored = 16, highBit = 15;
  bool isSigned = false;        // PixelRepresentation == 1
  uint16_t planarConfiguration = 0;
  std::string photometric = "MONOCHROME2";
  // The volume type that holds the stored values of this format.
  PixelType storedType() const;
};

// One frame (a classic file has one; an enhanced file has NumberOfFrames).
struct FrameHeader {
  uint32_t frame = 0;
  std::optional<Vec3> position;                    // ImagePositionPatient
  std::optional<std::array<double, 6>> orientation; // ImageOrientationPatient
  std::optional<std::array<double, 2>> pixelSpacing; // row spacing (y), column spacing (x)
  double sliceThickness = 0;
  double rescaleSlope = 1, rescaleIntercept = 0;
  // Candidates for the time axis (each optional; the rule engine explains its choice).
  std::optional<double> temporalPositionId;  // (0020,0100) or TemporalPositionIndex (0020,9128)
  std::optional<double> triggerTimeMs;       // (0018,1060) or NominalCardiacTriggerDelayTime
  std::optional<double> acquisitionNumber;   // (0020,0012)
  std::optional<double> acquisitionTimeS;    // (0008,0032) / FrameAcquisitionDateTime, seconds of day
  std::optional<double> contentTimeS;        // (0008,0033), seconds of day
  std::vector<uint32_t> dimensionIndex;      // (0020,9157)
  std::optional<double> echoTimeMs;          // (0018,0081) / EffectiveEchoTime
  std::optional<double> repetitionTimeMs;    // (0018,0080)
  int instanceNumber = 0;
  int stackPosition = 0;                     // InStackPositionNumber (enhanced)
};

struct FileHeader {
  std::string path;
  std::string sopClassUid, sopInstanceUid, transferSyntaxUid;
  SeriesInfo info;
  PixelFormat pixel;
  std::string imageType;        // (0008,0008), backslash-separated
  uint32_t numberOfFrames = 1;
  std::vector<FrameHeader> frames;
  bool enhanced = false;        // per-frame functional groups were read
  std::vector<uint32_t> dimensionIndexPointers;  // (0020,9165) of each DimensionIndexSequence item (tag as group<<16|element)
  // Siemens mosaic: number of tiles (0 = not a mosaic) and the slice normal from the CSA header.
  uint32_t mosaicImages = 0;
  std::optional<Vec3> mosaicNormal;
  double mosaicSpacing = 0;      // SpacingBetweenSlices (else SliceThickness) for mosaic tiles
  int64_t pixelDataOffset = -1;  // byte offset of native Pixel Data value, -1 if unknown/encapsulated
  bool hasPixelData = false;
  // Warnings about this file (values present but not numbers such as PixelSpacing "abc", with the
  // value used instead; a VR mismatch; ...): the planner repeats them on its series, one per code.
  std::vector<Diagnostic> warnings;
};


struct ScanOptions {
  bool recursive = true;
  unsigned threads = 0;  // 0: the global pool
};

struct ScanResult {
  std::vector<FileHeader> files;
  std::vector<Diagnostic> skipped;  // code e.g. dicom.not_dicom, dicom.truncated, dicom.no_pixels
  std::vector<Diagnostic> warnings;  // folder-level (e.g. dicomdir.missing_entries)
};

// Reads one file's header, stopping before Pixel Data.
Result<FileHeader> readHeader(const std::string& path);

// Scans a file, a folder (recursively) or a DICOMDIR; headers only, in parallel.
Result<ScanResult> scan(const std::string& path, const ScanOptions& options = {}, Progress* progress = nullptr);

// Where one slice of a planned volume comes from.
struct SliceRef {
  uint32_t file = 0;   // index into ScanResult::files
  uint32_t frame = 0;  // frame within the file
  int32_t tile = -1;   // mosaic tile, -1 if not a mosaic
  double rescaleSlope = 1, rescaleIntercept = 0;
};

// A series split into one volume: geometry, time axis and slice order decided, no voxels yet.
struct SeriesPlan {
  std::string id;  // SeriesInstanceUID, with ".<n>" appended when a series was split
  SeriesInfo info;
  PixelFormat pixel;
  PixelType type = PixelType::Int16;  // type of the volume's voxels
  std::array<int64_t, 4> dims{0, 0, 0, 1};
  Geometry geometry;
  std::vector<double> timesMs;     // one per phase when dims[3] > 1
  std::string timeRule;            // which rule built the time axis and why
  std::vector<SliceRef> slices;    // index z + t * dims[2]
  std::vector<Diagnostic> warnings;
  std::string splitReason;         // code, when this volume was split off its series
  bool resampled = false;          // uneven spacing: voxels resampled onto a regular grid
  std::vector<double> sourcePositionsMm;  // slice positions along the normal before resampling
};

struct GroupResult {
  std::vector<SeriesPlan> series;
  std::vector<Diagnostic> skipped;  // files that belong to no volume (e.g. a single SC without geometry)
};

// Groups by study and series, splits what is not one volume, sorts and plans geometry and time.
GroupResult planSeries(const ScanResult& scan);

// The plan whose id or SeriesInstanceUID is `id` (the first plan when id is empty); nullptr if none.
const SeriesPlan* findSeries(const GroupResult& groups, const std::string& id);

// Loading at reduced resolution: keep every n-th voxel along x and y (columns, rows) and every n-th
// slice along z, starting at index 0 and in every phase, as a radiologist expects of a preview of a
// very large series. Kept voxels are the original's exactly (no averaging: no new values), and the
// geometry is exact for them: the origin stays the centre of voxel (0, 0, 0), the spacing is n times
// the original, so worldFromVoxel of reduced (i, j, k) is the original's (n i, n j, n k). Dims become
// ceil(d / n). A resampled series (uneven spacing) keeps every n-th slice of its regular grid.
struct Reduction {
  int inPlane = 1;  // >= 1
  int slices = 1;   // >= 1
  bool none() const { return inPlane == 1 && slices == 1; }
};

struct LoadOptions {
  unsigned threads = 0;  // 0: the global pool
  // Called on a worker thread each time a slice (index z + t * dims[2]) is in place.
  std::function<void(int64_t)> onSliceReady;
  // The most bytes the load may hold (loadBytes); 0: defaultMemoryBudget(). A series over it is
  // refused before anything is allocated, with io.over_budget.
  uint64_t memoryBudgetBytes = 0;
  Reduction reduce;  // {1, 1}: full resolution
  // The slice (index z + t * dims[2] of the volume as loaded, after any reduction) a viewer shows
  // first: files are decoded nearest it first, outwards, so that its view is drawn after a few
  // slices instead of half the load. -1: slice order.
  int64_t firstSlice = -1;
};

// The memory a load will hold at its peak: the volume's voxel bytes (after the reduction), plus
// for a resampled series the staged source slices, plus a fixed decode scratch of at most
// kLoadScratchBytes per worker thread (or one frame when a frame is larger). Saturates instead of
// overflowing.
constexpr uint64_t kLoadScratchBytes = uint64_t{16} << 20;
uint64_t loadBytes(const SeriesPlan& plan, const Reduction& reduce = {}, unsigned threads = 0);

// The default budget rule. available = the least of
//   MemAvailable (/proc/meminfo: what can be had without swapping),
//   RLIMIT_AS (soft) minus the address space in use (VmSize), when set,
//   the cgroup limit minus its usage (v2 memory.max - memory.current, the least over the process's
//   cgroup and its ancestors; v1 memory.limit_in_bytes - memory.usage_in_bytes), when set;
// budget = kBudgetFraction x available: a fifth stays for the rest of the session (reslice and
// render buffers, the GPU upload, a second series), so a load never pushes the machine into swap.
constexpr double kBudgetFraction = 0.8;
struct MemoryLimits {
  std::optional<uint64_t> memAvailable, addressSpaceLeft, cgroupLeft;  // bytes; nullopt: no limit
};
struct MemoryBudget {
  uint64_t bytes = 0;
  std::string rule;  // how it was found, with the numbers ("80% of MemAvailable 11.2 GiB")
};
MemoryLimits readMemoryLimits();
MemoryBudget budgetFromLimits(const MemoryLimits& limits);
MemoryBudget defaultMemoryBudget();  // budgetFromLimits(readMemoryLimits())

// The plan as loaded with a reduction (dims, geometry, slices kept); the plan itself for none.
// io.bad_reduction for a factor < 1.
Result<SeriesPlan> reducedPlan(const SeriesPlan& plan, const Reduction& reduce);

// The least uniform reduction (n in x, y and z, n = 1, 2, 3, ...) whose loadBytes fit the budget;
// nullopt when not even n = 64 fits.
std::optional<Reduction> fitReduction(const SeriesPlan& plan, uint64_t budgetBytes, unsigned threads = 0);

// What a load left out. Once a load has ended (done, failed or cancelled), every slice of the
// volume that is not ready is all zero and listed here: never stale memory of another volume.
struct LoadReport {
  std::vector<Diagnostic> warnings;     // one per file that failed to decode: its error code, path and slices
  std::vector<int64_t> blankSlices;  // volume slices (z + t * dims[2]) left zero, ascending
};

// A load running in the background. The volume exists (allocated, geometry set) from the start;
// its slices fill in, in slice order, and Volume::sliceReady tells which are in place.
class LoadJob {
 public:
  virtual ~LoadJob() = default;
  virtual std::shared_ptr<Volume> volume() const = 0;
  virtual Progress& progress() = 0;
  virtual void cancel() = 0;
  virtual bool done() const = 0;
  // Blocks until the load ends; the error if it failed or was cancelled.
  virtual Status wait() = 0;
  // Blocks until the load ends; the per-file failures and the blank slices.
  virtual const LoadReport& report() = 0;
};

// Starts decoding in the background. The job shares ownership of the scan (and copies the plan).
Result<std::shared_ptr<LoadJob>> startLoad(std::shared_ptr<const ScanResult> scan, const SeriesPlan& plan,
                                           const LoadOptions& options = {});

// Decodes a planned series straight into a new volume, in parallel. Slices become ready one by
// one (Volume::sliceReady), so a viewer may draw the first before the last is decoded. A file that
// fails leaves its slices zero and the rest loads; `report` (optional) receives what was left out,
// also when the load fails or is cancelled.
Result<std::shared_ptr<Volume>> loadSeries(const ScanResult& scan, const SeriesPlan& plan,
                                           const LoadOptions& options = {}, Progress* progress = nullptr,
                                           LoadReport* report = nullptr);

// Convenience: scan + plan + load the first (or the given) series of a path.
Result<std::shared_ptr<Volume>> loadPath(const std::string& path, const std::string& seriesId = {});

}  // namespace cvx::io
