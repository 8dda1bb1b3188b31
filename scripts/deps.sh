#!/usr/bin/env bash
# Installs CineVox's build and test dependencies from Debian 12 (only what is missing).
# Usage: scripts/deps.sh [--tests]
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev libqt6openglwidgets6 libgl-dev
  libdcmtk-dev dcmtk libopenjp2-7-dev libcharls-dev zlib1g-dev
  libinsighttoolkit5-dev
  nlohmann-json3-dev
  libgtest-dev googletest
  xvfb xauth
)
if [[ "${1:-}" == "--tests" ]]; then
  PKGS+=(clang-14 libclang-rt-14-dev)
  # pydicom's own test files and decoders: the reference of tests/data/pydicom_test.cpp
  PKGS+=(python3-pydicom python3-gdcm python3-numpy)
  # nibabel: reads CineVox's NIfTI export back (tests/itk/itk_tilt_export_test.cpp)
  PKGS+=(python3-nibabel)
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "deps: all present"
fi
