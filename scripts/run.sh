#!/usr/bin/env bash
# Installs what is missing, builds, writes the demo study into the user's data folder (once) and
# opens the viewer on it. Pass a DICOM folder to open that instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset default
cmake --build --preset default -j "$(nproc)" --target cinevox
data="${XDG_DATA_HOME:-$HOME/.local/share}/CineVox"
if [[ $# -gt 0 ]]; then
  exec build/default/app/cinevox view "$@"
fi
if [[ ! -f "$data/demo/.complete" ]]; then
  rm -rf "$data/demo.tmp"
  build/default/app/cinevox demo "$data/demo.tmp"
  touch "$data/demo.tmp/.complete"
  rm -rf "$data/demo" && mv "$data/demo.tmp" "$data/demo"
fi
exec build/default/app/cinevox view "$data/demo"
