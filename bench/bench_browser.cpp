// SPDX-License-Identifier: MIT
// bench_browser: the study database and the browser's tree with 10,000 series (2,500 synthetic
// patients x 2 studies x 2 series, 20 instance paths each, a 96x96 PNG thumbnail each), written
// through the importer's own upserts (studydb::writeSeries) into a temp data folder. Measured
// (median of N runs, warm page cache): opening the database (all checks, quick_check included), the
// search queries (name substring, modality, date range), the tree model's first page and expanding
// 50 patients and their studies, and the cheap missing-file check.
// Peer: the non-lazy way, i.e. reading every patient/study/series row into memory in one joined
// query (what a model that fills itself up front does) and then a plain linear scan of those
// in-memory records for the same searches.
// Usage: bench_browser [runs=5]. Last line: RESULT ...
#include <QBuffer>
#include <QCoreApplication>
#include <QImage>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <cvx/studydb/database.h>
#include <cvx/studydb/importer.h>
#include <cvx/studydb/tree_model.h>

using Clock = std::chrono::steady_clock;
namespace db = cvx::studydb;

namespace {

constexpr int kPatients = 2500, kStudies = 2, kSeries = 2, kFiles = 20;
const char* kModalities[] = {"CT", "MR", "PT", "US"};

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

template <class F>
double medianMs(int runs, F&& f) {
  std::vector<double> v;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    f();
    v.push_back(msSince(t0));
  }
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

QByteArray thumbnail(int seed) {
  QImage img(96, 96, QImage::Format_RGB888);
  for (int y = 0; y < 96; ++y)
    for (int x = 0; x < 96; ++x) img.setPixel(x, y, qRgb((x * seed) & 255, (y + seed) & 255, (x ^ y) & 255));
  QByteArray png;
  QBuffer b(&png);
  b.open(QIODevice::WriteOnly);
  img.save(&b, "PNG");
  return png;
}

// One patient's series (2 studies x 2 series), as io would plan them.
void makePatient(int p, cvx::io::ScanResult& scan, std::vector<cvx::io::SeriesPlan>& plans) {
  for (int s = 0; s < kStudies; ++s)
    for (int r = 0; r < kSeries; ++r) {
      cvx::io::SeriesPlan plan;
      const std::string tag = std::to_string(p) + "." + std::to_string(s) + "." + std::to_string(r);
      plan.id = "1.2.826.0.1.3680043.9999." + tag;
      auto& in = plan.info;
      char name[64];
      std::snprintf(name, sizeof name, "Patient%04d^Given%d", p, p % 7);
      in.patientName = name;
      in.patientId = "ID" + std::to_string(100000 + p);
      in.patientBirthDate = "19600101";
      in.studyInstanceUid = "1.2.826.0.1.3680043.9998." + std::to_string(p) + "." + std::to_string(s);
      char date[16];
      std::snprintf(date, sizeof date, "%04d%02d%02d", 2010 + (p + s) % 15, 1 + (p * 7 + s) % 12, 1 + (p * 13) % 28);
      in.studyDate = date;
      in.studyDescription = "Study " + std::to_string(s);
      in.seriesInstanceUid = plan.id;
      in.modality = kModalities[(p + s * 2 + r) % 4];
      in.seriesNumber = r + 1;
      in.seriesDescription = "Series " + std::to_string(r);
      plan.dims = {512, 512, kFiles, 1};
      for (int f = 0; f < kFiles; ++f) {
        cvx::io::FileHeader h;
        h.path = "/nonexistent/bench/p" + std::to_string(p) + "/s" + std::to_string(s) + "/r" + std::to_string(r) +
                 "/" + std::to_string(f) + ".dcm";
        cvx::io::SliceRef ref;
        ref.file = static_cast<uint32_t>(scan.files.size());
        scan.files.push_back(std::move(h));
        plan.slices.push_back(ref);
      }
      plans.push_back(std::move(plan));
    }
}

struct Flat {  // the peer's in-memory record
  QString name, id, date, modality;
};

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  QTemporaryDir tmp;
  const QString dir = tmp.path();
  {
    auto opened = db::StudyDatabase::open({dir});
    if (!opened) return std::fprintf(stderr, "error %s\n", opened.error().str().c_str()), 1;
  }
  const auto tFill = Clock::now();
  for (int p0 = 0; p0 < kPatients; p0 += 100) {  // 100 patients (400 series) per transaction
    cvx::io::ScanResult scan;
    std::vector<cvx::io::SeriesPlan> plans;
    for (int p = p0; p < std::min(kPatients, p0 + 100); ++p) makePatient(p, scan, plans);
    std::vector<QByteArray> thumbs(plans.size(), thumbnail(p0 / 100 + 1));
    if (auto st = db::writeSeries(dir, scan, plans, "/nonexistent/bench", thumbs); !st)
      return std::fprintf(stderr, "error %s\n", st.error().str().c_str()), 1;
  }
  const double fillS = msSince(tFill) / 1000;

  std::unique_ptr<db::StudyDatabase> base;
  const double openMs = medianMs(runs, [&] {
    base.reset();
    base = std::move(db::StudyDatabase::open({dir}).value());
  });
  const int series = base->seriesCount();
  const db::SearchQuery byName = db::parseSearch("patient12"), byModality = db::parseSearch("PT"),
                        byDate = db::parseSearch("2014-01-01..2014-06-30");
  auto lazyHits = [&](const db::SearchQuery& q) {  // what the tree shows at once: the first page
    return base->patients(q, 0, db::StudyTreeModel::kPageSize).size() + static_cast<size_t>(base->patientCount(q));
  };
  size_t sink = 0;
  const double nameMs = medianMs(runs, [&] { sink += lazyHits(byName); });
  const double modalityMs = medianMs(runs, [&] { sink += lazyHits(byModality); });
  const double dateMs = medianMs(runs, [&] { sink += lazyHits(byDate); });

  const double firstPageMs = medianMs(runs, [&] {
    db::StudyTreeModel m(base.get());
    m.fetchMore({});
    sink += static_cast<size_t>(m.rowCount());
  });
  const double expandMs = medianMs(runs, [&] {
    db::StudyTreeModel m(base.get());
    m.fetchMore({});
    for (int i = 0; i < 50; ++i) {
      const QModelIndex p = m.index(i, 0);
      m.fetchMore(p);
      for (int s = 0; s < m.rowCount(p); ++s) m.fetchMore(m.index(s, 0, p));
    }
    sink += static_cast<size_t>(m.rowCount(m.index(0, 0)));
  });
  const double checkMs = medianMs(runs, [&] { sink += static_cast<size_t>(base->checkFiles().size()); });

  // The peer: every row into memory, then a linear scan per search.
  std::vector<Flat> flat;
  const double loadAllMs = medianMs(runs, [&] {
    flat.clear();
    QSqlQuery q(QSqlDatabase::database(base->connectionName()));
    q.exec("SELECT p.name, p.patient_id, s.date, r.modality FROM series r JOIN studies s ON s.id = r.study_ref"
           " JOIN patients p ON p.id = s.patient_ref");
    while (q.next()) flat.push_back({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString()});
  });
  const double scanMs = medianMs(runs, [&] {
    for (const Flat& f : flat) {
      sink += f.name.contains(byName.text, Qt::CaseInsensitive) || f.id.contains(byName.text, Qt::CaseInsensitive);
      sink += f.modality.compare(byModality.modality, Qt::CaseInsensitive) == 0;
      sink += f.date >= byDate.dateFrom && f.date <= byDate.dateTo;
    }
  });

  std::printf("series=%d (fill %.1f s, %zu flat rows)\n", series, fillS, flat.size());
  std::printf("open (checks, quick_check): %.1f ms\n", openMs);
  std::printf("search first page + count: name %.2f ms, modality %.2f ms, date %.2f ms\n", nameMs, modalityMs, dateMs);
  std::printf("tree: first page %.2f ms, expand 50 patients + studies %.2f ms\n", firstPageMs, expandMs);
  std::printf("missing-file check (folder stats): %.1f ms\n", checkMs);
  std::printf("peer: load all rows %.1f ms, linear scan of 3 searches %.2f ms (sink %zu)\n", loadAllMs, scanMs, sink);
  std::printf("RESULT series=%d open_ms=%.1f search_name_ms=%.2f search_modality_ms=%.2f search_date_ms=%.2f "
              "tree_first_page_ms=%.2f tree_expand50_ms=%.2f check_files_ms=%.1f peer_load_all_ms=%.1f "
              "peer_scan_ms=%.2f\n",
              series, openMs, nameMs, modalityMs, dateMs, firstPageMs, expandMs, checkMs, loadAllMs, scanMs);
  return series == kPatients * kStudies * kSeries ? 0 : 1;
}
