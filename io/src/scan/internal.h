// Private stages of the header scan.
#pragma once
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <cvx/io/dicom.h>

namespace cvx::io::detail {

// Patient/study/series/PET metadata and the image type.
void readSeriesInfo(DcmItem& ds, FileHeader& h);
// Per-frame geometry, rescale and time candidates: classic, enhanced (functional groups), mosaic.
void readFrames(DcmItem& ds, FileHeader& h);
// Siemens CSA header: number of mosaic tiles and the slice normal (bounded parse).
void readSiemensCsa(DcmItem& ds, FileHeader& h);

}  // namespace cvx::io::detail
