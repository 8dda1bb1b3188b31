// SPDX-License-Identifier: MIT
// The brick maps of a volume's phases (core/bricks.h: the value ranges, and the skip map of the
// transfer function), kept per phase, so that a 4D series played in a loop (the phase slider,
// cine) builds each phase's once: on the 134-slice CT a phase's map costs 120-270 ms on the CPU
// (bench_render's cine lines), more than a frame.
//
// One PhaseBricks may serve several renderers on several threads (the 3D view's preview on the UI
// thread and its full-resolution worker): a phase's map is built once for all of them, and a phase
// that one thread is building is waited for, not built twice. Entries are immutable and handed out
// as shared pointers, so an entry dropped while another thread draws with it stays valid there.
//
// - Keyed by the volume (Volume::serial) and phase; a volume that is gone drops its entries.
// - The skip maps follow the table's opacities (the nodes' sigma over [lo, hi]): a table whose
//   opacities differ gets new skip maps as each phase is next asked for; the ranges are kept. A
//   table that changes colours only keeps them.
// - Budget: max(256 MiB, the volume's bytes) (a map is 16 bytes a brick, half a 4x4x1-bricked CT's
//   voxel bytes, so every phase fits). Past it, other volumes' entries go first, then the most
//   recently used other phase, so that a loop longer than the budget still finds the rest (the
//   least recently used would be the next one needed every time); the phase asked for always stays.
// - prefetch: a background thread builds the phases' maps ahead of a loop (from the one shown, in
//   order), as many as the budget holds without dropping any, so that the first pass of a cine loop
//   does not wait on them.
// - pair: the skip maps of a phase fused with a second volume's (PET on CT: core/bricks.h's
//   fusedRanges and pair brickSkipMap), the last kPairs asked for, shared the same way, so that the
//   3D view's preview finds the map its worker built instead of building it on the UI thread.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include <cvx/core/bricks.h>
#include <cvx/core/transfer.h>
#include <cvx/core/volume.h>

namespace cvx::view {

class PhaseBricks {
 public:
  // budgetBytes 0: the rule above (tests set a small one).
  explicit PhaseBricks(size_t budgetBytes = 0) : budget_(budgetBytes) {}
  ~PhaseBricks();  // stops the prefetch (waits for the map it is building)
  PhaseBricks(const PhaseBricks&) = delete;
  PhaseBricks& operator=(const PhaseBricks&) = delete;

  struct Entry {
    uint64_t volume = 0;  // Volume::serial
    int phase = -1;
    std::shared_ptr<const BrickRanges> ranges;
    std::vector<uint8_t> skip;
    uint64_t stamp = 0;  // hd::BrickMap::stamp of ranges with skip (newBrickMapStamp)
    uint64_t table = 0;  // the opacities skip was made for (their number here)
    size_t bytes() const { return ranges->minMax.size() * sizeof(float) + skip.size(); }
  };
  using Ref = std::shared_ptr<const Entry>;

  // Phase `phase` of v (a valid phase) with its skip map for `table`: kept, built by another thread
  // (waited for), or built now.
  Ref get(const std::shared_ptr<const Volume>& v, int phase, const TransferTable& table);
  // The same when it is kept, else null: never builds, never waits (a renderer that must not).
  Ref find(const std::shared_ptr<const Volume>& v, int phase, const TransferTable& table);
  // Forgets every map (voxels changed in place); maps being built now are not kept.
  void clear();
  // clear() once per revision of the voxels (VolumeRenderer::setVoxelsRevision's count): renderers
  // sharing these maps and that count all call it when they see a new revision, and only the first
  // clears (a second clear would drop the maps the first one rebuilt for the same voxels). A
  // revision at or below one cleared for already clears nothing. Returns whether it cleared.
  bool clearFor(uint64_t revision);
  // Builds v's phases' maps for `table` in the background, from `phase` on in a loop (that one first
  // when it is missing: a renderer that only finds maps shows it), while they fit the budget beside
  // those kept (replaces an earlier request; v is not kept alive by it).
  void prefetch(const std::shared_ptr<const Volume>& v, int phase, const TransferTable& table);
  // Until the prefetch has nothing left to do (tests).
  void waitForPrefetch();

  // The pair's skip map: phase `first` of a volume (an entry got for `table`) fused with phase2 of
  // `second` by f (its table2: the fused layer's rays' table). Kept (the last kPairs asked for),
  // else built now when `build`, else null (never waits: at most the worker builds).
  struct Pair {
    std::vector<uint8_t> skip;
    uint64_t stamp = 0;  // hd::BrickMap::stamp of first's ranges with skip
  };
  using PairRef = std::shared_ptr<const Pair>;
  static constexpr size_t kPairs = 4;
  PairRef pair(const Ref& first, const TransferTable& table, const std::shared_ptr<const Volume>& second, int phase2,
               const hd::Fusion& f, const TransferTable& table2, bool build);

  uint64_t rangeBuilds() const;  // ranges built so far, prefetched included (tests)
  uint64_t skipBuilds() const;   // skip maps built so far, prefetched included (tests)
  uint64_t prefetched() const;   // maps the prefetch built
  size_t phasesKept() const;
  uint64_t pairBuilds() const;  // pair maps built so far (tests)
  // The second volume's ranges over first's bricks (core/bricks.h's fusedRanges) computed so far: the
  // last are kept for the next table2 of the same pair (a threshold preview's slider), so that only
  // its skip map is built again (tests).
  uint64_t fusedRangeBuilds() const;

 private:
  using Key = std::pair<uint64_t, int>;  // volume serial, phase
  struct Kept {
    std::weak_ptr<const Volume> volume;
    Ref entry;
  };
  struct Job {
    std::weak_ptr<const Volume> volume;
    int phase = 0;
    std::shared_ptr<const TransferTable> table;
    uint64_t tableNo = 0;
  };
  uint64_t tableNoLocked(const TransferTable& table);  // the number of table's opacities
  // What a skip map reads of a table (TransferTable::transparent): its nodes' sigma, lo and hi.
  static void opacitiesOf(const TransferTable& table, std::vector<float>& out);
  struct PairKey {
    uint64_t firstStamp = 0, second = 0;  // first's stamp, second's Volume::serial
    int phase2 = 0;
    std::vector<float> fusion, opacities2;  // f's fromFirst, lo, hi; table2's opacitiesOf
    bool operator==(const PairKey&) const = default;
  };
  std::list<Kept>::iterator findLocked(Key key);
  size_t budgetFor(const Volume& v) const;
  size_t keptBytesLocked() const;
  // Builds key's entry (the lock released meanwhile; key marked as being built), keeps it unless
  // clear() came since: at the front (asked for), or at the back (prefetched); then the budget.
  Ref buildLocked(std::unique_lock<std::mutex>& lock, const std::shared_ptr<const Volume>& v, int phase,
                  const TransferTable& table, uint64_t tableNo, bool front);
  void evictLocked(const Volume& v, int phase);
  void prefetchLoop();
  // The next phase the job should build, or nullopt when none is missing or the next does not fit.
  std::optional<int> nextPrefetchLocked(const Volume& v, const Job& job);

  size_t budget_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable built_;  // a build finished (get waits for a phase another thread builds)
  std::condition_variable wake_;   // a prefetch job came, or stop
  std::condition_variable idle_;   // the prefetch has nothing to do
  std::list<Kept> entries_;        // the most recently asked for first; prefetched ones at the back
  std::set<Key> building_;
  uint64_t clears_ = 0;
  uint64_t clearedFor_ = 0;  // the highest revision clearFor cleared for
  std::vector<float> opacities_;   // the last table's node sigmas, lo and hi
  std::vector<float> scratch_;     // tableNoLocked's buffer for the table asked about
  uint64_t tableNo_ = 0;
  std::optional<Job> job_;
  bool prefetchBusy_ = false;
  bool stop_ = false;
  std::thread thread_;
  uint64_t rangeBuilds_ = 0, skipBuilds_ = 0, prefetched_ = 0, pairBuilds_ = 0;
  std::list<std::pair<PairKey, PairRef>> pairs_;  // the most recently asked for first
  // The last fusedRanges, by their PairKey without opacities2 (one kept: two floats per brick).
  PairKey fusedKey_;
  std::shared_ptr<const std::vector<float>> fused_;
  uint64_t fusedRangeBuilds_ = 0;
};

}  // namespace cvx::view
