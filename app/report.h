// The CLI's report (app/, not io): what a scan found, as JSON (the `cinevox info --json` contract) or as text.
#pragma once
#include <string>

#include <cvx/io/dicom.h>

namespace cvx::app {

// {"series":[{"studyInstanceUid","seriesInstanceUid","id","modality","description","dims":[x,y,z,t],
//   "spacingMm":[x,y,z],"originMm":[x,y,z],"direction":[row cosine, column cosine, slice normal],
//   "timesMs":[...],"timeRule","frameOfReferenceUid","splitReason","pixelType","rescale":{...},
//   "warnings":[{"code","message","path"?}]}], "skipped":[{"path","code","reason"}], "warnings":[...]}
std::string infoJson(const io::ScanResult& scan, const io::GroupResult& groups);
std::string infoText(const io::ScanResult& scan, const io::GroupResult& groups);

}  // namespace cvx::app
