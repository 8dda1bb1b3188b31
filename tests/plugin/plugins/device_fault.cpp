// A test plugin with both back ends whose CUDA back end always fails with CVX_STATUS_DEVICE_FAULT
// (the message names cuda.fault, or cuda.no_device when "why" is "no_device"), and whose CPU back
// end labels every voxel 1: the host's fall-back to the CPU is seen in its labels and its report.
#include <cstring>

#include <cvx/core/plugin/plugin.h>

namespace {

int segment(const CvxSegmentRequest* r) {
  return cvx::plugin::guardedSegment(r, [](cvx::plugin::SegmentRun& run) {
    if (run.onCuda()) {
      const char* why = run.param("why").text;
      const bool noDevice = why && std::strcmp(why, "no_device") == 0;
      throw cvx::plugin::Failure(CVX_STATUS_DEVICE_FAULT, noDevice ? "cuda.no_device: no usable CUDA device"
                                                                   : "cuda.fault: deliberate (test.device_fault)");
    }
    std::memset(run.labels(), 1, static_cast<size_t>(run.voxelCount()));
  });
}

const char* const kWhy[] = {"fault", "no_device"};
const CvxParamSpec kParams[] = {
    {"why", "Why", CVX_PARAM_ENUM, 0, 0, 0, 0, "", kWhy, 2, "What the CUDA back end reports."},
};

}  // namespace

CVX_PLUGIN_ENTRY {
  static const CvxPluginApi api = {CVX_PLUGIN_API_VERSION, sizeof(CvxPluginApi), "test.device_fault", "test", "0.1",
                                   CVX_KIND_SEGMENTER, CVX_BACKEND_CPU | CVX_BACKEND_CUDA, kParams, 1, segment,
                                   nullptr, {}};
  return &api;
}
