#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run here (not on the GPU machine, which cannot fetch): downloads Debian's GLVND, EGL and OpenGL
# runtime and development packages into .gpu/gl/, which the device call carries (carry: [".gpu"]) and
# tools/gpu_run.sh unpacks, so that cvx::cuda_gl builds and tests/cuda_gl runs in a headless EGL
# context on the NVIDIA driver there. Nothing is committed: .gpu/ is ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .gpu/gl /tmp/cvx-gl-apt/partial
o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/cvx-gl-apt)
apt-get "${o[@]}" update -qq
(cd .gpu/gl && apt-get "${o[@]}" download libglvnd0 libegl1 libopengl0 libgl1 libglx0 libgles2 \
  libegl-dev libgl-dev libopengl-dev libglx-dev libgles-dev libglvnd-core-dev libglvnd-dev)
ls -l .gpu/gl
