// SPDX-License-Identifier: MIT
// Users' files are sacred: nothing CineVox writes lands in a folder a series was read from (a
// DICOM folder that a PACS, a CD or another viewer owns, and where a rescan would take the new file
// for part of the series). writeImage (`cinevox convert`) and writeSeg check their path here
// themselves; a writer of a file that holds no source volume (writeLabelMap, writeStl/Obj, the CSV
// exports) is checked by its caller: `cinevox segment` and `export-mesh`, and the viewer's
// refuseSourceFolders over every open series (viewer/src/seg_panel.h).
#pragma once
#include <string>

#include <cvx/core/error.h>
#include <cvx/core/volume.h>

namespace cvx::io {

// Whether path's folder (the current folder for a bare name) is the folder of one of source's
// files, both made canonical (links and "..", a path not yet there included). A volume without
// source files (read from NIfTI, say, or computed) has no such folder.
bool inSourceFolder(const Volume& source, const std::string& path);
// inSourceFolder as an error: io.into_source.
Status refuseSourceFolder(const Volume& source, const std::string& path);

}  // namespace cvx::io
