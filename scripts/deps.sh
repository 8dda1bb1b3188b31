#!/usr/bin/env bash
# Installs CineVox's build and test dependencies from Debian 12 (only what is missing).
# Usage: scripts/deps.sh [--tests] [--bench]
#   --tests  the fuzz/sanitizer compiler and the Python reference readers of the test suite
#   --bench  VTK, the peer of bench_mpr (benchmarks only: cinevox never links it; CI needs none of it)
#            and, when present, cvx::mesh's segment surfaces (STL/OBJ from `cinevox segment`)
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev libqt6openglwidgets6 libgl-dev
  libqt6sql6-sqlite   # the study database (Qt SQL's SQLite driver)
  fonts-dejavu-core   # the viewer's one font: annotations and screenshot baselines measure the same
  libdcmtk-dev dcmtk libopenjp2-7-dev libcharls-dev zlib1g-dev
  libinsighttoolkit5-dev
  nlohmann-json3-dev
  libgtest-dev googletest
  xvfb xauth
)
for arg in "$@"; do
  case "$arg" in
    --tests)
      PKGS+=(clang-14 libclang-rt-14-dev)
      # pydicom's own test files and decoders: the reference of tests/data/pydicom_test.cpp
      PKGS+=(python3-pydicom python3-gdcm python3-numpy)
      # nibabel: reads CineVox's NIfTI exports back (tests/itk/itk_tilt_export_test.cpp,
      # tests/gui/seg_label_map_gui_test.cpp)
      PKGS+=(python3-nibabel)
      # dciodvfy (dicom3tools) validates the SEGs CineVox writes; plastimatch rasterises RTSTRUCTs:
      # the references of tests/io/seg_write_test.cpp and seg_rtstruct_test.cpp
      PKGS+=(dicom3tools plastimatch)
      ;;
    --bench)
      # Debian ships VTK's headers and CMake package only in libvtk9-dev, whose hard dependencies
      # (JDK, MPI, HDF5, GDAL, Qt 5 runtime: about 200 packages with --no-install-recommends) come
      # with it. bench_mpr links only CommonCore, CommonDataModel, CommonExecutionModel and
      # ImagingCore/ImagingColor, none of which bring MPI or Qt into the binary (docs/dependencies.md).
      # The same package gives cvx::mesh (render/mesh: FiltersCore, segment surfaces) and its tests
      # (IOGeometry's STL/OBJ readers as the oracle); without it they are left out of the build.
      PKGS+=(libvtk9-dev)
      ;;
    *) echo "deps: unknown option $arg (use --tests, --bench)" >&2; exit 2 ;;
  esac
done
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
