// SPDX-License-Identifier: MIT
// SUVbw factor from a PET header (rules in suv.h and docs/suv.md).
#include <cvx/viewstate/suv.h>

#include <cvx/core/dicom_time.h>

#include <cctype>
#include <cmath>
#include <cstdio>

namespace cvx::view {
namespace {

constexpr double kDay = 86400.0;

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (std::isspace(static_cast<unsigned char>(s[b])) || s[b] == '\0')) ++b;
  while (e > b && (std::isspace(static_cast<unsigned char>(s[e - 1])) || s[e - 1] == '\0')) --e;
  return s.substr(b, e - b);
}

// True when the backslash-separated list holds the item.
bool listHas(const std::string& list, const std::string& item) {
  size_t b = 0;
  while (b <= list.size()) {
    size_t e = list.find('\\', b);
    if (e == std::string::npos) e = list.size();
    if (trim(list.substr(b, e - b)) == item) return true;
    b = e + 1;
  }
  return false;
}

std::string clock(double s) {
  const long t = std::lround(s);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", (t / 3600) % 24, (t / 60) % 60, t % 60);
  return buf;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// A DICOM DT "YYYYMMDD[HHMMSS[.frac]][&ZZXX]": its date (days) and, if it has one, its time of day.
// The UTC offset is ignored: the scan times it is compared with carry none.
struct DateTime {
  std::optional<long> day;
  std::optional<double> time;
  bool ok = false;
};

DateTime parseDateTime(const std::string& dtIn) {
  DateTime out;
  std::string dt = trim(dtIn);
  if (const size_t z = dt.find_first_of("&+-", 8); z != std::string::npos) dt = dt.substr(0, z);
  if (dt.size() < 8) return out;
  out.day = dicomDateDays(dt.substr(0, 8));
  if (!out.day) return out;
  if (dt.size() > 8) {
    out.time = dicomTimeOfDay(dt.substr(8));
    if (!out.time) return out;
  }
  out.ok = true;
  return out;
}

Error fail(const std::string& code, const std::string& message, const SeriesInfo& info) {
  return makeError(code, message, info.seriesInstanceUid);
}

}  // namespace

Result<SuvFactor> suvBodyWeight(const SeriesInfo& info) {
  const PetDose& p = info.pet;
  std::vector<std::string> missing;
  const std::string units = trim(p.units.empty() ? info.units : p.units);
  if (units.empty())
    missing.push_back("Units (0054,1001)");
  else if (units != "BQML")
    return fail("suv.not_bqml", "Units are " + units + ", not BQML: no SUV", info);
  const std::string decay = trim(p.decayCorrection);
  if (decay.empty()) {
    missing.push_back("DecayCorrection (0054,1102)");
  } else if (decay == "NONE") {
    return fail("suv.not_decay_corrected",
                "DecayCorrection NONE: each frame would need its own decay (not in the QIBA vendor-neutral method)", info);
  } else if (decay != "START" && decay != "ADMIN") {
    return fail("suv.unknown_decay_correction", "DecayCorrection " + decay + " (START or ADMIN expected)", info);
  }
  if (const std::string ci = trim(p.correctedImage); !ci.empty() && !listHas(ci, "DECY"))
    return fail("suv.not_decay_corrected", "CorrectedImage " + ci + " has no DECY", info);
  if (!p.patientWeightKg || !(*p.patientWeightKg > 0)) missing.push_back("PatientWeight (0010,1030)");
  if (!p.injectedDoseBq || !(*p.injectedDoseBq > 0)) missing.push_back("RadionuclideTotalDose (0018,1074)");
  const bool admin = decay == "ADMIN";
  const bool halfLifeOk = p.halfLifeS && *p.halfLifeS > 0;
  const std::string injDt = trim(p.injectionDateTime), injTm = trim(p.injectionTime);
  const std::string serTm = trim(p.seriesTime), acqTm = trim(p.acquisitionTime);
  if (!admin) {
    if (!halfLifeOk) missing.push_back("RadionuclideHalfLife (0018,1075)");
    if (injDt.empty() && injTm.empty()) missing.push_back("RadiopharmaceuticalStartTime (0018,1072)");
    if (serTm.empty() && acqTm.empty()) missing.push_back("SeriesTime (0008,0031)");
  }
  if (!missing.empty()) {
    std::string m = "missing";
    for (size_t i = 0; i < missing.size(); ++i) m += (i ? ", " : " ") + missing[i];
    return fail("suv.missing_input", m, info);
  }

  SuvFactor f;
  f.weightKg = *p.patientWeightKg;
  f.injectedDoseBq = *p.injectedDoseBq;
  f.halfLifeS = halfLifeOk ? *p.halfLifeS : 0;
  std::string when;
  if (admin) {
    f.referenceTime = "administration";
    f.decaySeconds = 0;
    f.decayedDoseBq = f.injectedDoseBq;
    when = "ADMIN: decay corrected to the administration, no decay";
  } else {
    // Injection: the DateTime's time (and date), else the Time.
    std::optional<double> inj;
    std::optional<long> injDay;
    std::string injName = "RadiopharmaceuticalStartTime";
    if (!injDt.empty()) {
      const DateTime dt = parseDateTime(injDt);
      if (!dt.ok) return fail("suv.bad_times", "RadiopharmaceuticalStartDateTime \"" + injDt + "\" does not parse", info);
      injDay = dt.day;
      inj = dt.time;
      if (inj) injName = "RadiopharmaceuticalStartDateTime";
    }
    if (!inj) {
      if (injTm.empty()) return fail("suv.missing_input", "missing RadiopharmaceuticalStartTime (0018,1072)", info);
      inj = dicomTimeOfDay(injTm);
      if (!inj) return fail("suv.bad_times", "RadiopharmaceuticalStartTime \"" + injTm + "\" does not parse", info);
    }
    // Reference: SeriesTime, else AcquisitionTime.
    std::optional<double> ref;
    std::string refName;
    if (!serTm.empty()) {
      ref = dicomTimeOfDay(serTm);
      refName = "SeriesTime";
      f.referenceTime = "series";
      if (!ref) return fail("suv.bad_times", "SeriesTime \"" + serTm + "\" does not parse", info);
      const auto acq = dicomTimeOfDay(acqTm);
      if (acq && *ref > *acq && *ref - *acq < kDay / 2)
        f.warnings.emplace_back("suv.series_after_acquisition",
                                "SeriesTime " + clock(*ref) + " is later than AcquisitionTime " + clock(*acq) +
                                    " (a re-reconstruction?); SeriesTime used",
                                info.seriesInstanceUid);
    } else {
      ref = dicomTimeOfDay(acqTm);
      refName = "AcquisitionTime";
      f.referenceTime = "acquisition";
      if (!ref) return fail("suv.bad_times", "AcquisitionTime \"" + acqTm + "\" does not parse", info);
      f.warnings.emplace_back("suv.acquisition_time", "no SeriesTime: decay to AcquisitionTime " + clock(*ref),
                              info.seriesInstanceUid);
    }
    double d = *ref - *inj;
    const auto refDay = dicomDateDays(info.studyDate);
    if (injDay && refDay) {
      const long days = *refDay - *injDay;
      d += static_cast<double>(days) * kDay;
      if (d < 0 && days == 0) d += kDay;  // the series after midnight of the study date
    } else if (d < 0) {
      d += kDay;  // times of day only: the series is the day after the injection
    }
    if (d < 0 || d > kDay)
      return fail("suv.bad_times",
                  "decay time " + num(d) + " s from " + injName + " to " + refName + " (0 to 24 h expected)", info);
    f.decaySeconds = d;
    f.decayedDoseBq = f.injectedDoseBq * std::exp2(-d / f.halfLifeS);
    when = "START: decay " + num(d) + " s from " + injName + " " + clock(*inj) + " to " + refName + " " + clock(*ref);
  }
  f.factor = f.weightKg * 1000.0 / f.decayedDoseBq;
  f.rule = "SUVbw = Bq/ml x " + num(f.weightKg * 1000.0) + " g / (" + num(f.injectedDoseBq) + " Bq";
  if (!admin) f.rule += " x 2^(-" + num(f.decaySeconds) + " s / " + num(f.halfLifeS) + " s)";
  f.rule += ") = Bq/ml x " + num(f.factor) + "; " + when;
  return f;
}

Result<SulFactor> suvLeanBodyMass(const SeriesInfo& info) {
  auto bw = suvBodyWeight(info);
  if (!bw) return bw.error();
  return suvLeanBodyMass(info, *bw);
}

Result<SulFactor> suvLeanBodyMass(const SeriesInfo& info, const SuvFactor& bw) {
  const std::string sex = trim(info.patientSex);
  const std::optional<double>& h = info.pet.patientHeightM;
  std::vector<std::string> missing;
  if (!h || !(*h > 0)) missing.push_back("PatientSize (0010,1020)");
  if (sex != "M" && sex != "F")
    missing.push_back("PatientSex (0010,0040) M or F" + (sex.empty() ? std::string() : " (it is " + sex + ")"));
  if (!missing.empty()) {
    std::string m = "no SUL: missing";
    for (size_t i = 0; i < missing.size(); ++i) m += (i ? ", " : " ") + missing[i];
    return fail("suv.sul_missing_input", m, info);
  }
  constexpr double kMinHeightM = 0.5, kMaxHeightM = 2.6;
  if (!(*h >= kMinHeightM && *h <= kMaxHeightM))
    return fail("suv.bad_height", "PatientSize " + num(*h) + " is not a height in metres (0.5 to 2.6 m): no SUL", info);
  SulFactor f;
  f.bw = bw;
  f.heightM = *h;
  f.sex = sex[0];
  const double w = f.bw.weightKg;
  f.bmi = w / (f.heightM * f.heightM);
  const bool male = f.sex == 'M';
  f.leanKg = 9270.0 * w / ((male ? 6680.0 : 8780.0) + (male ? 216.0 : 244.0) * f.bmi);
  f.factor = f.bw.factor * f.leanKg / w;
  f.rule = "SUL = SUVbw x LBM / weight = SUVbw x " + num(f.leanKg) + " kg / " + num(w) + " kg; LBM = 9270 x " +
           num(w) + " / (" + (male ? "6680 + 216" : "8780 + 244") + " x BMI " + num(f.bmi) + ") (Janmahasatian, " +
           (male ? "male" : "female") + ", PatientSize " + num(f.heightM) + " m)";
  return f;
}

}  // namespace cvx::view
