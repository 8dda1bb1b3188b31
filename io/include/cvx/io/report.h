// What a scan found, as JSON (the `cinevox info --json` contract) or as text.
#pragma once
#include <string>

#include <cvx/io/dicom.h>

namespace cvx::io {

// {"series":[{"studyInstanceUid","seriesInstanceUid","id","modality","description","dims":[x,y,z,t],
//   "spacingMm":[x,y,z],"originMm":[x,y,z],"direction":[row cosine, column cosine, slice normal],
//   "timesMs":[...],"timeRule","frameOfReferenceUid","splitReason","pixelType","rescale":{...},
//   "warnings":[{"code","message"}]}], "skipped":[{"path","code","reason"}], "warnings":[...]}
std::string infoJson(const ScanResult& scan, const GroupResult& groups);
std::string infoText(const ScanResult& scan, const GroupResult& groups);

}  // namespace cvx::io
