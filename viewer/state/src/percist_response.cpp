// SPDX-License-Identifier: MIT
#include <cvx/viewstate/percist_response.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include <cvx/core/dicom_time.h>
#include <cvx/viewstate/overlay.h>
#include <cvx/viewstate/state.h>

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

// The radius (mm) of a sphere of the row's volume.
double equivalentRadiusMm(const SegmentReportRow& r) {
  return std::cbrt(3.0 * std::max(0.0, r.volumeMl) * 1000.0 / (4.0 * std::numbers::pi));
}

// The follow-up's new lesions (percist_response.h's rule), where both PETs' frames are in `frames`.
void findNewLesions(const std::vector<SegmentReportRow>& rows, const PercistFrames& frames, PercistResponse& r) {
  const auto fb = frames.find(r.baseline.petSerial), ff = frames.find(r.followUp.petSerial);
  if (fb == frames.end() || ff == frames.end()) return;
  r.lesionsMatched = true;
  struct Judged {
    Vec3 centre;  // SULpeak's centre in the reference frame
    double radiusMm;
  };
  std::vector<Judged> baseline;  // the baseline's judged lesions, measurable or not
  for (const SegmentReportRow& o : rows) {
    bool m = false;
    if (o.petSerial == r.baseline.petSerial && percistMeasurable(rows, o, m))
      baseline.push_back({o.pet->peakAt + fb->second, equivalentRadiusMm(o)});
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const SegmentReportRow& l = rows[i];
    bool measurable = false;
    if (l.petSerial != r.followUp.petSerial || !percistMeasurable(rows, l, measurable) || !measurable) continue;
    const Vec3 p = l.pet->peakAt + ff->second;
    const double radius = equivalentRadiusMm(l);
    double nearest = -1;
    bool matched = false;
    for (const Judged& o : baseline) {
      const double d = norm(p - o.centre);
      nearest = nearest < 0 ? d : std::min(nearest, d);
      matched = matched || d <= kPercistMatchMm + radius + o.radiusMm;
    }
    if (!matched) r.newLesions.push_back({static_cast<int>(i), nearest});
  }
  auto sulPeak = [&](const PercistResponse::NewLesion& n) {
    const SegmentReportRow& row = rows[static_cast<size_t>(n.row)];
    return row.pet->suvPeak * row.sulPerSuv;
  };
  std::stable_sort(r.newLesions.begin(), r.newLesions.end(),
                   [&](const auto& a, const auto& b) { return sulPeak(a) > sulPeak(b); });
}

// What the text says of new lesions.
std::string newLesionText(const PercistResponse& r, const std::vector<SegmentReportRow>& rows, bool framesGiven) {
  if (!r.lesionsMatched)
    return std::string("new lesions (progression whatever the target does) are judged by eye") +
           (framesGiven ? ": the studies' frames of reference are not linked (link them to match lesions)" : "");
  if (r.newLesions.empty())
    return "no measurable follow-up lesion is new (each lies within " + fixed(kPercistMatchMm, 0) +
           " mm beyond both sizes of a segmented baseline lesion); lesions not segmented are judged by eye";
  std::string t = r.newLesions.size() == 1 ? "new lesion: " : "new lesions: ";
  for (size_t n = 0; n < r.newLesions.size(); ++n) {
    const PercistResponse::NewLesion& nl = r.newLesions[n];
    const size_t i = static_cast<size_t>(nl.row);
    if (i >= rows.size()) continue;
    const SegmentReportRow& l = rows[i];
    t += (n ? "; " : "") + l.meta.name + " (SULpeak " + fixed(l.pet->suvPeak * l.sulPerSuv, 2) +
         (nl.nearestMm >= 0 ? ", " + fixed(nl.nearestMm, 0) + " mm from the nearest segmented baseline lesion" : "") +
         ")";
  }
  return t + ": PMD; confirm that the baseline shows no lesion there (one not segmented would match) and that it is "
             "typical of cancer (not inflammation or a treatment effect); lesions not segmented are judged by eye";
}

}  // namespace

PercistFrames percistFrames(const ViewerState& state) {
  PercistFrames out;
  const std::string ref = state.frameOf(0);
  for (size_t i = 0; i < state.layers().size(); ++i) {
    const Layer& l = state.layers()[i];
    if (!l.volume) continue;
    // As the views link them (ViewerState::linkOf), save that a series without a FrameOfReferenceUID
    // (anonymised data) is never taken as another's frame: its coordinates are its own.
    const std::string f = state.frameOf(static_cast<int>(i));
    if (i == 0 || (!f.empty() && f == ref)) out[l.volume->serial()] = Vec3{};
    else if (const auto o = f.empty() ? std::nullopt : state.frameOffset(f)) out[l.volume->serial()] = *o * -1.0;
  }
  return out;
}

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

std::optional<PercistResponse> percistResponse(const std::vector<SegmentReportRow>& rows, const PercistFrames* frames) {
  const std::vector<PercistScan> scans = percistScans(rows);
  if (scans.size() < 2) return std::nullopt;
  PercistResponse r;
  r.baseline = scans.front();
  r.followUp = scans.back();
  r.scans = static_cast<int>(scans.size());
  r.framesGiven = frames != nullptr;
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
  if (frames) findNewLesions(rows, *frames, r);
  if (!r.newLesions.empty()) r.category = "PMD";
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
      t += "\n" + newLesionText(r, rows, r.framesGiven);
  }
  for (const Diagnostic& w : r.warnings) t += "\n" + w.code + ": " + w.message;
  return t;
}

}  // namespace cvx::view
