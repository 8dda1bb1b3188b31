#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails when a binary pulls any Qt 5 library (Debian's VTK 9.1 drags Qt 5 in; STACK.md).
# Usage: check_no_qt5.sh <executable>
set -u
bin=${1:?usage: check_no_qt5.sh <executable>}
[ -f "$bin" ] || { echo "no such file: $bin"; exit 1; }
deps=$(ldd "$bin" 2>&1) || { echo "ldd failed on $bin:"; echo "$deps"; exit 1; }
qt5=$(grep -E 'libQt5[A-Za-z0-9]*\.so' <<<"$deps")
if [ -n "$qt5" ]; then
  echo "$bin links Qt 5:"
  echo "$qt5"
  exit 1
fi
echo "no Qt 5 in $bin ($(grep -c '=>' <<<"$deps") shared libraries; Qt 6: $(grep -c 'libQt6' <<<"$deps"))"
