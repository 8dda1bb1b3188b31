// SPDX-License-Identifier: MIT
// A device back end for the viewer state's tests (no GPU needed): the CPU's ray caster behind the
// interface a device back end shows, recording what the renderer asks of it.
#pragma once
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include <cvx/core/backend.h>
#include <cvx/render/backend.h>

namespace cvx::view::test {

// A device back end as the renderer sees one: its frames stay in its own memory (here a host
// buffer drawn by the CPU's ray caster, as CUDA's equal it within tolerance on a GPU machine), and
// withDeviceFrame hands them to `use`. `useFault`: the CUDA fault returned in place of use's Status.
class DeviceLike : public Backend {
 public:
  std::string name() const override { return "test-device"; }
  BackendCapabilities capabilities() const override {
    BackendCapabilities c;
    c.gpu = true;
    return c;
  }
  Result<VolumeHandle> uploadVolume(const Volume& v) override { return cpu_.uploadVolume(v); }
  Status release(VolumeHandle h) override { return cpu_.release(h); }
  void releaseAll() override { cpu_.releaseAll(); }
  Status raycast(const RaycastJob& job) override { return cpu_.raycast(job); }
  Status withDeviceFrame(const RaycastJob& job, const DeviceFrameUse& use) override {
    ++frames;
    if (useFault) return makeError("cuda.fault", "cudaGraphicsMapResources: cudaErrorIllegalAddress");
    RaycastJob j = job;
    memory.assign(4 * static_cast<size_t>(job.width) * static_cast<size_t>(job.height), -1.0f);
    j.rgba = memory.data();
    j.depth = j.value = nullptr;
    CVX_TRY(cpu_.raycast(j));
    return use(memory.data());
  }
  // Backend::prefetch: noted (phase, revision), nothing copied.
  void prefetch(std::shared_ptr<const Volume> v, int64_t phase, uint64_t revision) override {
    if (v) asked.emplace_back(phase, revision);
  }
  std::vector<float> memory;
  int frames = 0;
  bool useFault = false;
  std::vector<std::pair<int64_t, uint64_t>> asked;  // the prefetches asked for

 private:
  render::CpuBackend cpu_;
};

}  // namespace cvx::view::test
