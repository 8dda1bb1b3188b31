#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Layering check (STYLE.md item 2): which module may include what. Usage: check_layering.sh [root]
# Prints one line per violation (file:line: rule: include) and exits 1 if there is any.
#   1. <dcmtk/...> only in io/ (and tests/io, tests/data, tests/itk, tests/common, tests/studydb: DCMTK as a
#      reference oracle);
#      not in demo/, which writes DICOM through io's DicomWriter.
#   2. Qt (<Q...>, <QtCore/...>) only in viewer/ and app/ (and their tests: tests/gui, viewer, app), including
#      the study database viewer/studydb/ (Qt Core/Sql/Gui), tests/studydb/ and bench/bench_browser.cpp; never in the Qt-free viewer
#      state (viewer/state/, tests/viewstate/).
#   3. core/: the C++ standard library, libc/POSIX headers, <cvx/core/...> and local "..." files;
#      the plugin host's sources (core/plugin/, its own target, not in cvx::core) also nlohmann-json.
#   4. cuda/ and every .cu/.cuh file: the same plus <cvx/cuda/...> and CUDA toolkit headers; the
#      OpenGL interop target cuda/gl/ also <GL/gl.h>.
#   5. __CUDACC__ is tested only in core/include/cvx/core/hd/config.h (STYLE.md item 3).
#   6. io/src stages (docs/ingest.md): a stage folder includes its own private headers and those of
#      the folders below it, never one above: scan -> dicom; plan -> (none); load -> decode, dicom;
#      decode -> dicom, codec; write -> dicom; dicom -> codec; formats -> codec; codec -> (none);
#      seg (DICOM SEG/RTSTRUCT files, docs/segmentation.md) -> decode, dicom.
#      Nothing is loose at io/src's top.
set -u
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
cd "$root" || exit 2
fail=0
report() { echo "$1:$2: $3: $4"; fail=1; }

posix='assert|complex|ctype|errno|fenv|float|inttypes|limits|locale|math|setjmp|signal|stdarg|stdbool|stddef|stdint|stdio|stdlib|string|strings|time|wchar|wctype|unistd|fcntl|pthread|dirent|dlfcn|poll|sched|termios|sys/[a-z_/]+'
std_re="^<([a-z_0-9]+|($posix)\.h)>$"
core_re='^<cvx/core/[A-Za-z0-9_/.]+>$'
cuda_re='^<(cvx/cuda/[A-Za-z0-9_/.]+|cuda[A-Za-z0-9_]*\.h|cuda/[A-Za-z0-9_/.]+|cub/[A-Za-z0-9_/.]+|thrust/[A-Za-z0-9_/.]+|nv/[A-Za-z0-9_/.]+|device_[a-z_]+\.h|vector_types\.h|curand[a-z_]*\.h|surface_[a-z_]+\.h|texture_[a-z_]+\.h)>$'

files=$(find . \( -path ./build -o -path ./third_party_local -o -path ./.git -o -path ./out \) -prune -o \
  -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.cpp' -o -name '*.cc' -o -name '*.cu' -o -name '*.cuh' -o -name '*.inl' \) \
  -print | sed 's|^\./||' | sort)

# A quoted include is "local" when it names a file beside the including file.
is_local() { [[ $2 == \"*\" ]] && [ -f "$(dirname "$1")/${2//\"/}" ]; }

check_whitelist() {  # file line include rule regex...
  local f=$1 n=$2 inc=$3 rule=$4; shift 4
  is_local "$f" "$inc" && return 0
  for re in "$@"; do [[ $inc =~ $re ]] && return 0; done
  report "$f" "$n" "$rule" "$inc"
}

for f in $files; do
  while IFS=: read -r n inc; do
    inc=${inc%%[[:space:]]*}
    case $f in io/*|tests/io/*|tests/data/*|tests/itk/*|tests/common/*|tests/studydb/*) ;; *)
      [[ $inc =~ ^[\<\"]dcmtk/ ]] && report "$f" "$n" "dcmtk outside io" "$inc" ;;
    esac
    case $f in viewer/state/*|tests/viewstate/*) qt=no ;; viewer/*|app/*|tests/gui/*|tests/viewer/*|tests/app/*|tests/studydb/*|bench/bench_browser.cpp) qt=yes ;; *) qt=no ;; esac
    if [ $qt = no ] && [[ $inc =~ ^[\<\"]Q[A-Za-z]+(/|[\>\"]) ]]; then
      report "$f" "$n" "Qt outside viewer/app (or in the Qt-free viewer/state)" "$inc"
    fi
    case $f in
      core/plugin/*) check_whitelist "$f" "$n" "$inc" "core/plugin: standard library and nlohmann-json only" \
                       "$std_re" "$core_re" '^<nlohmann/json\.hpp>$' ;;
      core/*) check_whitelist "$f" "$n" "$inc" "core: standard library only" "$std_re" "$core_re" ;;
      cuda/gl/*) check_whitelist "$f" "$n" "$inc" "cuda/gl: core, CUDA and OpenGL's gl.h only" "$std_re" "$core_re" \
                   "$cuda_re" '^<GL/gl\.h>$' ;;
      cuda/*|*.cu|*.cuh) check_whitelist "$f" "$n" "$inc" "cuda: core and CUDA only" "$std_re" "$core_re" "$cuda_re" ;;
    esac
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$f" |
           sed -E 's/^([0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*/\1:/')
  if [[ $f =~ ^io/src/([a-z]+)/ ]]; then
    stage=${BASH_REMATCH[1]}
    case $stage in
      scan) below='dicom' ;; plan) below='' ;; load) below='decode dicom' ;;
      decode) below='dicom codec' ;; write) below='dicom' ;; dicom|formats) below='codec' ;;
      codec) below='' ;; seg) below='decode dicom' ;;
      *) report "$f" 1 "io/src: unknown stage folder" "$stage"; below='' ;;
    esac
    while IFS=: read -r n inc; do
      to=${inc%%/*}
      [ "$to" = "$stage" ] && continue
      [[ " $below " == *" $to "* ]] || report "$f" "$n" "io stage $stage reaches $to" "\"$inc\""
    done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z]+/' "$f" |
             sed -E 's/^([0-9]+):[^"]*"([^"]+)".*/\1:\2/')
  elif [[ $f =~ ^io/src/[^/]+$ ]]; then
    report "$f" 1 "io/src: file outside a stage folder" "$f"
  fi
  if [ "$f" != core/include/cvx/core/hd/config.h ] && grep -qn '__CUDACC__' "$f"; then
    report "$f" "$(grep -n '__CUDACC__' "$f" | head -1 | cut -d: -f1)" "__CUDACC__ outside hd/config.h" "__CUDACC__"
  fi
done
[ $fail -eq 0 ] && echo "layering: OK ($(echo "$files" | wc -l) files)"
exit $fail
