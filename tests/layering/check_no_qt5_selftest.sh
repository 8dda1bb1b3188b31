#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Proves check_no_qt5.sh can fail: a fake binary whose "ldd" output lists libQt5Core must be
# rejected, and one without it accepted. ldd is replaced by a stub on PATH.
set -u
checker=$1
tmp=$(mktemp -d /tmp/cvx-qt5.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cat > "$tmp/bin/ldd" <<'STUB'
#!/bin/sh
echo "	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x0)"
case "$1" in *with_qt5*) echo "	libQt5Core.so.5 => /usr/lib/x86_64-linux-gnu/libQt5Core.so.5 (0x0)";; esac
STUB
chmod +x "$tmp/bin/ldd"
touch "$tmp/with_qt5" "$tmp/clean"
status=0
PATH="$tmp/bin:$PATH" "$checker" "$tmp/with_qt5" && { echo "FAIL: Qt 5 not detected"; status=1; }
PATH="$tmp/bin:$PATH" "$checker" "$tmp/clean" || { echo "FAIL: clean binary rejected"; status=1; }
"$checker" "$tmp/missing" && { echo "FAIL: missing binary accepted"; status=1; }
exit $status
