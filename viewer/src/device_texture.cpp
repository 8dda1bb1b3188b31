// SPDX-License-Identifier: MIT
#include <cvx/viewer/device_texture.h>

#include <mutex>

namespace cvx::viewer {
namespace {
std::mutex gMutex;
DeviceTextureFactory gFactory;
}  // namespace

void setDeviceTextureFactory(DeviceTextureFactory factory) {
  std::lock_guard lock(gMutex);
  gFactory = std::move(factory);
}

std::unique_ptr<DeviceTexture> makeDeviceTexture() {
  std::lock_guard lock(gMutex);
  return gFactory ? gFactory() : nullptr;
}

}  // namespace cvx::viewer
