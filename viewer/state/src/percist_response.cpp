// SPDX-License-Identifier: MIT
#include <cvx/viewstate/percist_response.h>

#include <algorithm>
#include <cmath>

#include <cvx/core/dicom_time.h>
#include <cvx/viewstate/overlay.h>

#include "fixed.h"

namespace cvx::view {

namespace {

using detail::fixed;

// A scan's time as days and seconds (StudyDate, SeriesTime), none without a date that parses; the
// time -1 where it does not (enough to order scans of different dates).
std::optional<std::pair<long, double>> timeOf(const PetScan& s) {
  const auto day = dicomDateDays(s.studyDate);
  if (!day) return std::nullopt;
  return std::pair{*day, dicomTimeOfDay(s.seriesTime).value_or(-1.0)};
}

// A change in words with enough decimals that it never reads as the edge it missed ("-30 %" for
// -29.97 %), and no "-0".
std::string change(double v, double edge, int digits, const char* unit) {
  while (digits < 6 && std::abs(v) != edge && fixed(std::abs(v), digits) == fixed(edge, digits)) ++digits;
  const bool zero = std::abs(v) < 0.5 * std::pow(10.0, -digits);
  return (zero ? fixed(0.0, digits) : fixed(v, digits, true)) + unit;
}

// Whether scan a comes before scan b: by date, then time; an undated scan after every dated one.
bool before(const PetScan& a, const PetScan& b) {
  const auto ta = timeOf(a), tb = timeOf(b);
  if (ta.has_value() != tb.has_value()) return ta.has_value();
  return ta && *ta < *tb;
}

std::string dateOf(const PetScan& s) { return s.studyDate.empty() ? "undated" : formatDicomDate(s.studyDate); }

}  // namespace

std::vector<PercistScan> percistScans(const std::vector<SegmentReportRow>& rows) {
  std::vector<PercistScan> scans;
  for (const SegmentReportRow& r : rows) {
    if (r.petSerial == 0 || std::any_of(scans.begin(), scans.end(), [&](const PercistScan& s) { return s.petSerial == r.petSerial; }))
      continue;
    const auto ref = percistReference(rows, r.petSerial);
    if (!ref) continue;
    PercistScan s;
    s.petSerial = r.petSerial;
    s.info = r.petScan;
    s.reference = *ref;
    for (size_t i = 0; i < rows.size(); ++i) {
      const SegmentReportRow& l = rows[i];
      bool measurable = false;
      if (l.petSerial != r.petSerial || !percistMeasurable(rows, l, measurable)) continue;
      ++s.lesions;
      s.measurable += measurable;
      const double peak = l.pet->suvPeak * l.sulPerSuv;
      // The hottest measurable lesion; the hottest of all while none is measurable.
      const bool better = s.target < 0 || (measurable && !s.targetMeasurable) ||
                          (measurable == s.targetMeasurable && peak > s.targetSulPeak);
      if (better) s.target = static_cast<int>(i), s.targetSulPeak = peak, s.targetMeasurable = measurable;
    }
    scans.push_back(s);
  }
  std::stable_sort(scans.begin(), scans.end(), [](const PercistScan& a, const PercistScan& b) { return before(a.info, b.info); });
  return scans;
}

std::optional<PercistResponse> percistResponse(const std::vector<SegmentReportRow>& rows) {
  const std::vector<PercistScan> scans = percistScans(rows);
  if (scans.size() < 2) return std::nullopt;
  PercistResponse r;
  r.baseline = scans.front();
  r.followUp = scans.back();
  r.scans = static_cast<int>(scans.size());
  const PercistScan &b = r.baseline, &f = r.followUp;

  // The same reference on both (the liver's, or the blood pool's), within 20 % and 0.3 SUL.
  const double lb = b.reference.sulMean, lf = f.reference.sulMean;
  const std::string organ = b.reference.organ();
  if (b.reference.bloodPool != f.reference.bloodPool)
    r.warnings.push_back(Diagnostic("percist.reference_differs",
                                    std::string("the baseline is read against its ") + b.reference.organ() +
                                        ", the follow-up against its " + f.reference.organ() +
                                        ": PERCIST compares scans against the same reference"));
  else if (std::abs(lf - lb) > 0.2 * lb || std::abs(lf - lb) >= 0.3)
    r.warnings.push_back(Diagnostic(b.reference.bloodPool ? "percist.blood_pool_changed" : "percist.liver_changed",
                                    "the " + organ + " reference's SULmean went from " + fixed(lb, 2) + " to " +
                                        fixed(lf, 2) + ": PERCIST compares scans whose " + organ +
                                        " is within 20 % and 0.3 SUL"));
  if (b.info.uptakeS < 0 || f.info.uptakeS < 0)
    r.warnings.push_back(Diagnostic("percist.uptake_time_unknown",
                                     "the injection-to-scan time of a scan is unknown: PERCIST compares scans taken within "
                                     "15 minutes of the same uptake time"));
  else if (std::abs(f.info.uptakeS - b.info.uptakeS) > 15 * 60)
    r.warnings.push_back(Diagnostic("percist.uptake_time_differs",
                                     "uptake times " + fixed(b.info.uptakeS / 60, 0) + " and " +
                                         fixed(f.info.uptakeS / 60, 0) +
                                         " min: PERCIST compares scans within 15 minutes of the same uptake time"));

  // Which scan came first decides PMR from PMD: never guessed (anonymised data often has no date).
  const auto tb = timeOf(b.info), tf = timeOf(f.info);
  const bool sameDay = tb && tf && tb->first == tf->first;
  if (!tb || !tf || (sameDay && (tb->second < 0 || tf->second < 0 || tb->second == tf->second))) {
    r.category = "NA";
    r.notAssessable = Diagnostic("percist.scan_order_unknown",
                                 !tb || !tf ? "a PET has no study date (or one that does not parse): which is the "
                                              "baseline is unknown"
                                            : "both PETs are of the same day, and their series times are the same or "
                                              "unknown: which is the baseline is unknown");
    return r;
  }
  if (b.target < 0 || !b.targetMeasurable) {
    r.category = "NA";
    r.notAssessable = Diagnostic("percist.no_baseline_target",
                                "the baseline has no measurable lesion (SULpeak >= its threshold " +
                                    fixed(b.reference.threshold(), 2) + "): PERCIST cannot judge a response");
    return r;
  }
  if (f.target < 0) {
    r.category = "NA";
    r.notAssessable = Diagnostic("percist.no_follow_up_lesion",
                                "the follow-up has no lesion segment: delineate its hottest lesion (or the baseline "
                                "target's region) to judge the response");
    return r;
  }
  r.changeSul = f.targetSulPeak - b.targetSulPeak;
  r.change = b.targetSulPeak > 0 ? r.changeSul / b.targetSulPeak : 0;  // (a target reaches a threshold > 0)
  if (f.targetSulPeak <= lf) r.category = "CMR";
  else if (r.change <= -0.3 && r.changeSul <= -0.8) r.category = "PMR";
  else if (r.change >= 0.3 && r.changeSul >= 0.8) r.category = "PMD";
  else r.category = "SMD";
  return r;
}

std::string percistResponseText(const PercistResponse& r, const std::vector<SegmentReportRow>& rows) {
  static const std::pair<const char*, const char*> names[] = {{"CMR", "complete metabolic response"},
                                                              {"PMR", "partial metabolic response"},
                                                              {"SMD", "stable metabolic disease"},
                                                              {"PMD", "progressive metabolic disease"},
                                                              {"NA", "not assessable"}};
  std::string words;
  for (const auto& [c, w] : names)
    if (r.category == c) words = w;
  std::string t = "PERCIST response " + dateOf(r.followUp.info) + " vs " + dateOf(r.baseline.info);
  if (r.scans > 2) t += " (the last of " + std::to_string(r.scans) + " scans against the first)";
  t += ": " + r.category + " (" + words + ")";
  auto targetName = [&](const PercistScan& s) {
    return s.target >= 0 && static_cast<size_t>(s.target) < rows.size() ? rows[static_cast<size_t>(s.target)].meta.name
                                                                          : std::string();
  };
  if (r.category == "NA") {
    t += "\n" + r.notAssessable.code + ": " + r.notAssessable.message;
  } else {
    t += "\ntarget SULpeak " + fixed(r.baseline.targetSulPeak, 2) + " (" + targetName(r.baseline) + ") -> " +
         fixed(r.followUp.targetSulPeak, 2) + " (" + targetName(r.followUp) + "): " + change(100 * r.change, 30, 0, " %") +
         ", " + change(r.changeSul, 0.8, 2, " SUL");
    if (!r.followUp.targetMeasurable) t += "; no follow-up lesion is measurable";
    if (r.category == "CMR")
      t += "\nat or below the " + std::string(r.followUp.reference.organ()) + "'s SULmean " + fixed(r.followUp.reference.sulMean, 2) +
           ": check by eye that it is indistinguishable from the blood pool";
    else
      t += "\nnew lesions (progression whatever the target does) are judged by eye";
  }
  for (const Diagnostic& w : r.warnings) t += "\n" + w.code + ": " + w.message;
  return t;
}

}  // namespace cvx::view
