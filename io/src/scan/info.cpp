// Patient, study, series and PET dose metadata from a DCMTK dataset (shared fill, scan_fill.h).
#include "dicom/dcm_util.h"
#include "dicom/fill.h"
#include "scan/internal.h"

namespace cvx::io::detail {

void readSeriesInfo(DcmItem& ds, FileHeader& h) {
  dcm::DcmAccess a{&ds};
  fillSeriesInfo(a, h);
  if (h.info.windows.empty()) {
    // Enhanced objects keep their windows in the shared Frame VOI LUT macro.
    if (auto shared = a.item(DCM_SharedFunctionalGroupsSequence))
      if (auto voi = shared->item(DCM_FrameVOILUTSequence)) fillWindows(*voi, h.info);
  }
}

}  // namespace cvx::io::detail
