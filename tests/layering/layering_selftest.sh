#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Proves that check_layering.sh can fail: a synthetic tree in a temp dir with one violation per
# rule (each must be reported) and allowed includes (none may be reported).
set -u
checker=$1
tmp=$(mktemp -d /tmp/cvx-layering.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mk() { mkdir -p "$tmp/$(dirname "$1")"; printf '%b\n' "$2" > "$tmp/$1"; }

mk io/src/dicom/ok.cpp  '#include <dcmtk/dcmdata/dctk.h>\n#include <vector>\n#include "codec/inflate.h"\n#include "dicom/fill.h"'
mk io/src/load/ok.cpp   '#include "decode/decode.h"\n#include "dicom/number.h"\n#include "load/internal.h"'
mk io/src/write/ok.cpp  '#include <dcmtk/dcmdata/dcfilefo.h>\n#include "dicom/fill.h"\n#include "write/x.h"'
mk demo/src/ok.cpp      '#include <cvx/io/dicom_writer.h>\n#include "internal.h"'
mk viewer/ok.cpp        '#include <QWidget>\n#include <QtCore/QString>'
mk core/src/ok.cpp      '#include <cvx/core/volume.h>\n#include <vector>\n#include <sys/mman.h>\n#include <unistd.h>\n#include "local.h"'
mk core/src/local.h     '#pragma once'
mk core/plugin/ok.cpp   '#include <nlohmann/json.hpp>\n#include <dlfcn.h>\n#include <cvx/core/plugin/host.h>'
mk cuda/src/ok.cu       '#include <cuda_runtime.h>\n#include <cvx/core/hd/window.h>\n#include <cvx/cuda/device.h>\n#include <cstdint>'
mk core/include/cvx/core/hd/config.h '#if defined(__CUDACC__)\n#endif'

mk render/bad_dcmtk.cpp '#include <dcmtk/dcmdata/dctk.h>'
mk render/bad_qt.cpp    '#include <QImage>'
mk viewer/state/src/bad_qt.cpp '#include <QObject>'
mk core/src/bad_lib.cpp '#include <nlohmann/json.hpp>'
mk core/src/bad_io.h    '#include <cvx/io/dicom.h>'
mk cuda/src/bad_itk.cu  '#include <itkImage.h>'
mk plugins/x/bad.cu     '#include <cvx/render/cpu.h>'
mk render/bad_macro.h   '#ifdef __CUDACC__\n#endif'
mk io/src/decode/bad_up.cpp '#include "scan/internal.h"'
mk io/src/dicom/bad_up.cpp  '#include "decode/decode.h"'
mk io/src/bad_loose.cpp     '#include <vector>'
mk io/src/demo_loose.cpp    '#include <vector>'
mk io/src/write/bad_up.cpp  '#include "decode/decode.h"'
mk io/src/write/bad_codec.cpp '#include "codec/inflate.h"'
mk demo/src/bad_dcmtk.cpp   '#include <dcmtk/dcmdata/dcfilefo.h>'

out=$("$checker" "$tmp")
rc=$?
echo "$out"
status=0
[ $rc -ne 0 ] || { echo "FAIL: checker returned 0 on a bad tree"; status=1; }
for bad in render/bad_dcmtk.cpp render/bad_qt.cpp viewer/state/src/bad_qt.cpp core/src/bad_lib.cpp core/src/bad_io.h \
           cuda/src/bad_itk.cu plugins/x/bad.cu render/bad_macro.h io/src/decode/bad_up.cpp \
           io/src/dicom/bad_up.cpp io/src/bad_loose.cpp io/src/demo_loose.cpp io/src/write/bad_up.cpp \
           io/src/write/bad_codec.cpp demo/src/bad_dcmtk.cpp; do
  grep -q "^$bad:" <<<"$out" || { echo "FAIL: $bad not reported"; status=1; }
done
if grep -qE '^(io/src/dicom/ok|io/src/load/ok|io/src/write/ok|demo/src/ok|viewer/ok|core/src/ok|core/src/local|cuda/src/ok|core/include)' <<<"$out"; then echo "FAIL: an allowed include was reported"; status=1; fi
exit $status
