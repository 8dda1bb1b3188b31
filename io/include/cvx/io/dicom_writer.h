// SPDX-License-Identifier: MIT
// A small DICOM writer: attributes by keyword, one 16-bit Pixel Data, Part 10 files (no DCMTK here).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <cvx/core/error.h>

namespace cvx::io {

// A new globally unique UID under DCMTK's site root (a new value on every call).
std::string newDicomUid();

// Writes into one data set or sequence item. Attributes are named by their DICOM keyword
// ("PatientName", "ImagePositionPatient") or as "gggg,eeee"; the VR is the dictionary's. Setting an
// attribute again replaces it. Mistakes do not throw: the first problem (unknown keyword, wrong
// VR for the setter, a value the VR does not allow) is recorded and returned by DicomWriter::save
// as `dicom.write_bad_attribute`. A handle shares its data set with the writer it came from.
class DicomItemWriter {
 public:
  // A string or number VR (AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT, and US SS UL SL FL
  // FD AT from text); values of a multi-valued attribute are separated by '\'. "" writes an
  // empty (type 2) attribute.
  DicomItemWriter& set(std::string_view keyword, std::string_view value);
  // A US attribute (Rows, BitsStored, ...).
  DicomItemWriter& setU16(std::string_view keyword, uint16_t value);
  // Pixel Data (7FE0,0010) as OW, copied; the caller sets Rows, Columns, BitsAllocated 16, ...
  DicomItemWriter& setPixels16(std::span<const uint16_t> pixels);
  // Item `index` of the sequence `sequenceKeyword` (an SQ attribute), created on first use with
  // any missing items before it.
  DicomItemWriter item(std::string_view sequenceKeyword, size_t index = 0);

 protected:
  struct State;
  DicomItemWriter(std::shared_ptr<State> state, size_t node) : state_(std::move(state)), node_(node) {}
  std::shared_ptr<State> state_;
  size_t node_ = 0;  // which data set or item of state_ this handle writes
};

enum class Overwrite : uint8_t { No, Yes };

// One DICOM file being built. save() writes a Part 10 file: preamble, File Meta Information
// (MediaStorageSOPClassUID / MediaStorageSOPInstanceUID from SOPClassUID / SOPInstanceUID, which
// must be set), the data set in Explicit VR Little Endian. The file is written beside its target
// and renamed into place, so a failed save leaves no partial file. By default save refuses to
// replace an existing file (`dicom.write_exists`): exports must not clobber a user's files.
// Errors: dicom.write_bad_attribute, dicom.write_exists, dicom.write_failed.
class DicomWriter : public DicomItemWriter {
 public:
  DicomWriter();
  DicomWriter(DicomWriter&&) noexcept = default;
  DicomWriter& operator=(DicomWriter&&) noexcept = default;
  DicomWriter(const DicomWriter&) = delete;
  DicomWriter& operator=(const DicomWriter&) = delete;
  ~DicomWriter();

  Status save(const std::string& path, Overwrite overwrite = Overwrite::No) const;
};

}  // namespace cvx::io
