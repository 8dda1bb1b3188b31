// SPDX-License-Identifier: MIT
// importPath: scan, plan, thumbnail and write, in batches (one transaction each) so that the
// browser fills while a big folder is still being imported.
#include <cvx/studydb/importer.h>

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <cvx/io/dicom.h>
#include <cvx/studydb/database.h>
#include <cvx/studydb/thumbnail.h>

#include "internal.h"

namespace cvx::studydb {

using namespace detail;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// Upserts of one import, prepared once.
class Writer {
 public:
  explicit Writer(QSqlDatabase db)
      : db_(db), patient_(db), study_(db), series_(db), clear_(db), folder_(db), instance_(db), thumb_(db) {
    patient_.prepare(QStringLiteral(
        "INSERT INTO patients(pkey, name, patient_id, birth_date) VALUES(:k, :n, :i, :b)"
        " ON CONFLICT(pkey) DO UPDATE SET name = excluded.name RETURNING id"));
    study_.prepare(QStringLiteral(
        "INSERT INTO studies(study_uid, patient_ref, date, time, description, accession) VALUES(:u, :p, :d, :t, :x, :a)"
        " ON CONFLICT(study_uid) DO UPDATE SET patient_ref = excluded.patient_ref, date = excluded.date,"
        " time = excluded.time, description = excluded.description, accession = excluded.accession RETURNING id"));
    series_.prepare(QStringLiteral(
        "INSERT INTO series(skey, study_ref, series_uid, number, modality, description, image_count, file_count,"
        " missing_count, state, root, imported_at) VALUES(:k, :s, :u, :n, :m, :x, :i, :f, 0, 1, :r, :t)"
        " ON CONFLICT(skey) DO UPDATE SET study_ref = excluded.study_ref, series_uid = excluded.series_uid,"
        " number = excluded.number, modality = excluded.modality, description = excluded.description,"
        " image_count = excluded.image_count, file_count = excluded.file_count, missing_count = 0, state = 1,"
        " root = excluded.root, imported_at = excluded.imported_at RETURNING id"));
    clear_.prepare(QStringLiteral("DELETE FROM instances WHERE series_ref = :s"));
    folder_.prepare(QStringLiteral("INSERT INTO folders(path, mtime) VALUES(:p, :t)"
                                   " ON CONFLICT(path) DO UPDATE SET mtime = excluded.mtime RETURNING id"));
    instance_.prepare(QStringLiteral("INSERT OR IGNORE INTO instances(series_ref, path, folder_ref, ord, missing)"
                                     " VALUES(:s, :p, :f, :o, 0)"));
    thumb_.prepare(QStringLiteral("INSERT OR REPLACE INTO thumbnails(series_ref, png) VALUES(:s, :png)"));
  }

  Status write(const io::ScanResult& scan, const io::SeriesPlan& plan, const QString& root, const QByteArray& png) {
    const SeriesInfo& in = plan.info;
    const QStringList files = filesOf(scan, plan);
    bind(patient_, {{":k", qs(in.patientId + '\x1f' + in.patientName + '\x1f' + in.patientBirthDate)},
                    {":n", qs(in.patientName)}, {":i", qs(in.patientId)}, {":b", qs(in.patientBirthDate)}});
    CVX_TRY(returning(patient_, "patient"));
    bind(study_, {{":u", qs(in.studyInstanceUid)}, {":p", id_}, {":d", qs(in.studyDate)}, {":t", qs(in.studyTime)},
                  {":x", qs(in.studyDescription)}, {":a", qs(in.accessionNumber)}});
    CVX_TRY(returning(study_, "study"));
    bind(series_, {{":k", qs(plan.id)}, {":s", id_}, {":u", qs(in.seriesInstanceUid)}, {":n", in.seriesNumber},
                   {":m", qs(in.modality)}, {":x", qs(in.seriesDescription)},
                   {":i", static_cast<qlonglong>(plan.dims[2] * plan.dims[3])}, {":f", static_cast<int>(files.size())},
                   {":r", root}, {":t", QDateTime::currentMSecsSinceEpoch()}});
    CVX_TRY(returning(series_, "series"));
    const QVariant series = id_;
    bind(clear_, {{":s", series}});
    CVX_TRY(exec(clear_, "clear instances"));
    for (int i = 0; i < files.size(); ++i) {
      bind(instance_, {{":s", series}, {":p", files[i]}, {":f", folderId(files[i])}, {":o", i}});
      CVX_TRY(exec(instance_, "instance"));
    }
    if (!png.isEmpty()) {
      bind(thumb_, {{":s", series}, {":png", png}});
      CVX_TRY(exec(thumb_, "thumbnail"));
    }
    return {};
  }

 private:
  static QStringList filesOf(const io::ScanResult& scan, const io::SeriesPlan& plan) {
    QStringList files;
    QSet<uint32_t> seen;
    for (const io::SliceRef& s : plan.slices)
      if (!seen.contains(s.file) && s.file < scan.files.size()) {
        seen.insert(s.file);
        files << QDir::cleanPath(QFileInfo(qs(scan.files[s.file].path)).absoluteFilePath());
      }
    return files;
  }
  static void bind(QSqlQuery& q, std::initializer_list<std::pair<const char*, QVariant>> values) {
    for (const auto& [name, v] : values) q.bindValue(QLatin1String(name), v);
  }
  Status returning(QSqlQuery& q, const char* what) {
    CVX_TRY(exec(q, what));
    if (!q.next()) return makeError("studydb.query_failed", std::string(what) + ": no row id returned");
    id_ = q.value(0);
    q.finish();
    return {};
  }
  QVariant folderId(const QString& file) {
    const QString dir = QFileInfo(file).absolutePath();
    auto it = folders_.find(dir);
    if (it != folders_.end()) return *it;
    bind(folder_, {{":p", dir}, {":t", mtimeNs(dir)}});
    if (!returning(folder_, "folder")) return {};
    folders_.insert(dir, id_);
    return id_;
  }

  QSqlDatabase db_;
  QSqlQuery patient_, study_, series_, clear_, folder_, instance_, thumb_;
  QVariant id_;
  QHash<QString, QVariant> folders_;
};

Status commitBatch(QSqlDatabase& db, Writer& w, const io::ScanResult& scan, const std::vector<io::SeriesPlan>& plans,
                   size_t begin, size_t end, const QString& root, const ImportOptions& opt, ImportSummary& sum,
                   QStringList& keys) {
  std::vector<QByteArray> thumbs(end - begin);
  for (size_t i = begin; i < end; ++i) {  // outside the transaction: the database stays free
    if (opt.thumbnailSize <= 0) continue;
    auto png = renderThumbnailPng(scan, plans[i], opt.thumbnailSize);
    if (png) thumbs[i - begin] = *png;
    else sum.warnings.push_back(png.error());
  }
  if (!db.transaction()) return sqlError(db.lastError(), "begin import");
  for (size_t i = begin; i < end; ++i) {
    if (auto st = w.write(scan, plans[i], root, thumbs[i - begin]); !st) {
      db.rollback();
      return st;
    }
    keys << qs(plans[i].id);
  }
  if (!db.commit()) return sqlError(db.lastError(), "commit import");
  return {};
}

}  // namespace

Status writeSeries(const QString& dataDir, const io::ScanResult& scan, const std::vector<io::SeriesPlan>& plans,
                   const QString& root, const std::vector<QByteArray>& thumbnails) {
  auto conn = StudyDatabase::attach(dataDir);
  if (!conn) return conn.error();
  QSqlDatabase db = QSqlDatabase::database((*conn)->connectionName(), false);
  Writer writer(db);
  if (!db.transaction()) return sqlError(db.lastError(), "begin write");
  for (size_t i = 0; i < plans.size(); ++i) {
    if (auto st = writer.write(scan, plans[i], root, i < thumbnails.size() ? thumbnails[i] : QByteArray()); !st) {
      db.rollback();
      return st;
    }
  }
  if (!db.commit()) return sqlError(db.lastError(), "commit write");
  return {};
}

Result<ImportSummary> importPath(const QString& dataDir, const QString& path, const ImportOptions& opt) {
  const QFileInfo fi(path);
  if (!fi.exists()) return makeError("io.not_found", "nothing to import here", path.toStdString());
  ImportSummary sum;
  sum.root = QDir::cleanPath(fi.absoluteFilePath());
  addRoot(dataDir, sum.root);  // first: a crash mid-import still leaves it to rebuild from
  auto conn = StudyDatabase::attach(dataDir);
  if (!conn) return conn.error();
  Progress local;
  Progress& prog = opt.progress ? *opt.progress : local;
  auto scanned = io::scan(sum.root.toStdString(), {}, &prog);
  if (prog.cancelled()) return makeError("studydb.cancelled", "import cancelled while scanning", path.toStdString());
  if (!scanned) return scanned.error();
  const io::GroupResult groups = io::planSeries(*scanned);
  sum.files = static_cast<int>(scanned->files.size());
  sum.skipped = scanned->skipped;
  sum.skipped.insert(sum.skipped.end(), groups.skipped.begin(), groups.skipped.end());
  sum.warnings = scanned->warnings;
  prog.setTotal(prog.done() + static_cast<int64_t>(groups.series.size()));

  QSqlDatabase db = QSqlDatabase::database((*conn)->connectionName(), false);
  Writer writer(db);
  const size_t batch = static_cast<size_t>(std::max(1, opt.batchSeries));
  for (size_t begin = 0; begin < groups.series.size(); begin += batch) {
    if (prog.cancelled())
      return makeError("studydb.cancelled", "import cancelled after " + std::to_string(sum.series) + " series",
                       path.toStdString());
    const size_t end = std::min(groups.series.size(), begin + batch);
    QStringList keys;
    CVX_TRY(commitBatch(db, writer, *scanned, groups.series, begin, end, sum.root, opt, sum, keys));
    sum.series += static_cast<int>(keys.size());
    prog.add(static_cast<int64_t>(end - begin));
    if (opt.onBatch) opt.onBatch(keys);
  }
  // A study or patient whose last series moved elsewhere on re-import goes.
  for (const char* sql : {"DELETE FROM studies WHERE NOT EXISTS (SELECT 1 FROM series r WHERE r.study_ref = studies.id)",
                          "DELETE FROM patients WHERE NOT EXISTS (SELECT 1 FROM studies s WHERE s.patient_ref = patients.id)"})
    if (auto st = exec(db, QString::fromUtf8(sql)); !st) sum.warnings.push_back(st.error());
  return sum;
}

}  // namespace cvx::studydb
