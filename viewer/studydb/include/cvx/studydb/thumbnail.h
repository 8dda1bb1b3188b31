// SPDX-License-Identifier: MIT
// A series thumbnail: its middle slice (phase 0) drawn small by the viewer state's own renderer
// (ViewerState + ViewRenderer, window from view::initialMapping: the one window rule), as PNG.
#pragma once
#include <QByteArray>

#include <cvx/core/error.h>
#include <cvx/io/dicom.h>

namespace cvx::studydb {

// Loads only the middle slice of the plan (a one-slice plan) and draws it in the series' own
// orientation (the slice normal's nearest axis) at size x size. Errors from the load or the draw.
Result<QByteArray> renderThumbnailPng(const io::ScanResult& scan, const io::SeriesPlan& plan, int size = 96);

}  // namespace cvx::studydb
