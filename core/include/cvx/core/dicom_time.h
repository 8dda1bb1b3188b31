// SPDX-License-Identifier: MIT
// DICOM TM and DA values as numbers: the one parser of times and dates (io's time axis, SUV decay).
#pragma once
#include <optional>
#include <string>

namespace cvx {

// A DICOM TM ("HHMMSS.frac", "HHMM", "HH", or ACR-NEMA "HH:MM:SS") as seconds of the day;
// surrounding spaces and NULs are ignored; nullopt for anything else.
std::optional<double> dicomTimeOfDay(const std::string& tm);

// A DICOM DA ("YYYYMMDD", or ACR-NEMA "YYYY.MM.DD") as days since 1970-01-01.
std::optional<long> dicomDateDays(const std::string& da);

}  // namespace cvx
