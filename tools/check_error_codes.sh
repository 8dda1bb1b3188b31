#!/usr/bin/env bash
# Fails when an error/warning code literal in the sources is not documented in docs/errors.md.
set -euo pipefail
root="${1:-$(dirname "$0")/..}"
areas='io|thread|dicom|dicomdir|split|geometry|pixel|series|volume|format|jpeg|j2k|deflate|backend|cuda|demo|viewer|app|render|suv|protocol|measure|studydb|tf|plugin|seg|rtstruct|mesh|percist'
missing=0
for code in $(grep -rhoE "\"($areas)\.[a-z][a-z0-9_]*\"" "$root"/core "$root"/io "$root"/app "$root"/viewer "$root"/cuda "$root"/demo "$root"/render "$root"/plugins 2>/dev/null \
              --include='*.cpp' --include='*.h' --include='*.cu' | tr -d '"' | sort -u); do
  case "$code" in *.h|*.cpp) continue ;; esac
  if ! grep -q "\`$code\`" "$root/docs/errors.md"; then
    echo "undocumented code: $code"
    missing=1
  fi
done
exit $missing
