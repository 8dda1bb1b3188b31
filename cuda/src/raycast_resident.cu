// SPDX-License-Identifier: MIT
// The phases a CUDA back end keeps on the device between frames (raycast_resident.h).
#include <cvx/core/log.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "raycast_resident.h"

namespace cvx::cuda::detail {

DeviceCopy* ResidentPhases::find(const Volume& v, int64_t phase, uint64_t revision) {
  for (size_t i = 0; i < copies.size(); ++i) {
    if (!copies[i]->holds(&v, phase, revision)) continue;
    std::shared_ptr<DeviceCopy> hit = std::move(copies[i]);
    copies.erase(copies.begin() + static_cast<std::ptrdiff_t>(i));
    hit->speculative = false;  // drawn now
    copies.push_back(std::move(hit));
    return copies.back().get();
  }
  return nullptr;
}

bool ResidentPhases::holdsNewer(const Volume& v, uint64_t revision) const {
  return std::any_of(copies.begin(), copies.end(), [&](const auto& c) {
    return c->volume == &v && c->serial == v.serial() && c->revision > revision;
  });
}

DeviceCopy* frameCopy(ResidentCache& cache, const Volume& v, int64_t phase, uint64_t revision) {
  cache.phases.dropOtherRevisions(v, revision);
  return cache.phases.find(v, phase, revision);
}

bool ResidentPhases::holds(const Volume& v, int64_t phase, uint64_t revision) const {
  return std::any_of(copies.begin(), copies.end(), [&](const auto& c) { return c->holds(&v, phase, revision); });
}

void ResidentPhases::drop(const DeviceCopy* c) {
  std::erase_if(copies, [&](const std::shared_ptr<DeviceCopy>& k) { return k.get() == c; });
}

void ResidentPhases::dropOtherRevisions(const Volume& v, uint64_t revision) {
  std::erase_if(copies, [&](const std::shared_ptr<DeviceCopy>& c) {
    return c->volume == &v && c->serial == v.serial() && c->revision != revision;
  });
}

void ResidentPhases::makeRoom(size_t more, size_t budget) {
  // The most recently drawn go first (view::PhaseBricks' rule): in a loop longer than the budget
  // holds, the least recently drawn would be the next one needed every time.
  for (size_t i = 0; i < copies.size() && bytes() + more > budget;)
    if (copies[i]->speculative) copies.erase(copies.begin() + static_cast<std::ptrdiff_t>(i));
    else ++i;
  while (!copies.empty() && bytes() + more > budget) copies.pop_back();
}

size_t ResidentPhases::bytes() const {
  size_t n = 0;
  for (const auto& c : copies) n += c->bytes;
  return n;
}

size_t residentBudgetBytes() {
  if (const char* mb = std::getenv("CVX_CUDA_RESIDENT_MB")) {
    const long long n = std::atoll(mb);
    if (n >= 0 && std::string(mb).find_first_not_of("0123456789") == std::string::npos)
      return static_cast<size_t>(n) << 20;
    log::warn("cuda: CVX_CUDA_RESIDENT_MB=" + std::string(mb) + " is not a number of MiB; ignored");
  }
  size_t freeBytes = 0, total = 0;
  if (cudaMemGetInfo(&freeBytes, &total) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  return total / 5 * 2;
}

}  // namespace cvx::cuda::detail
