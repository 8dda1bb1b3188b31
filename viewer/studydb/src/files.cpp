// SPDX-License-Identifier: MIT
// Which imported files are gone. One series on demand (every file stat'ed), or everything cheaply:
// one stat per folder, and the files of a folder only when its modification time changed (deleting,
// moving or adding a file changes it), so that 10,000 series cost a few thousand stats, not millions.
#include <QFileInfo>
#include <QSet>

#include <filesystem>

#include "internal.h"

namespace cvx::studydb {

using namespace detail;

namespace {

bool fileExists(const QString& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path(path.toStdString()), ec);
}

// Recounts the missing files of the series and sets their state; the keys whose state changed.
QStringList updateSeriesState(QSqlDatabase db, const QSet<qint64>& ids) {
  QStringList changed;
  QSqlQuery before(db), update(db);
  before.prepare(QStringLiteral("SELECT skey, state FROM series WHERE id = :id"));
  update.prepare(QStringLiteral(
      "UPDATE series SET missing_count = (SELECT count(*) FROM instances i WHERE i.series_ref = series.id AND i.missing),"
      " state = CASE WHEN file_count = 0 THEN 0"
      " WHEN (SELECT count(*) FROM instances i WHERE i.series_ref = series.id AND i.missing) = 0 THEN 1"
      " WHEN (SELECT count(*) FROM instances i WHERE i.series_ref = series.id AND i.missing) < file_count THEN 2"
      " ELSE 3 END WHERE id = :id RETURNING state"));
  for (qint64 id : ids) {
    before.bindValue(QStringLiteral(":id"), id);
    if (!before.exec() || !before.next()) continue;
    const QString key = before.value(0).toString();
    const int old = before.value(1).toInt();
    before.finish();
    update.bindValue(QStringLiteral(":id"), id);
    if (update.exec() && update.next() && update.value(0).toInt() != old) changed << key;
    update.finish();
  }
  return changed;
}

}  // namespace

Result<SeriesFiles> StudyDatabase::seriesFiles(const QString& seriesKey) {
  QSqlDatabase db = d_->db();
  QSqlQuery q(db);
  q.prepare(QStringLiteral("SELECT r.id, i.path FROM series r JOIN instances i ON i.series_ref = r.id"
                           " WHERE r.skey = :key ORDER BY i.ord"));
  q.bindValue(QStringLiteral(":key"), seriesKey);
  CVX_TRY(exec(q, "series files"));
  SeriesFiles out;
  out.key = seriesKey;
  qint64 id = -1;
  while (q.next()) {
    id = q.value(0).toLongLong();
    out.files << q.value(1).toString();
  }
  q.finish();
  if (id < 0) return makeError("studydb.not_found", "no series with this key in the database", seriesKey.toStdString());
  QSqlQuery mark(db);
  mark.prepare(QStringLiteral("UPDATE instances SET missing = :missing WHERE series_ref = :id AND path = :path"));
  db.transaction();
  for (const QString& f : out.files) {
    const bool gone = !fileExists(f);
    if (gone) out.missing << f;
    mark.bindValue(QStringLiteral(":missing"), gone ? 1 : 0);
    mark.bindValue(QStringLiteral(":id"), id);
    mark.bindValue(QStringLiteral(":path"), f);
    mark.exec();
  }
  updateSeriesState(db, {id});
  db.commit();
  return out;
}

QStringList StudyDatabase::checkFiles(const std::atomic<bool>* cancel) {
  QSqlDatabase db = d_->db();
  struct Folder {
    qint64 id, mtime;
    QString path;
  };
  std::vector<Folder> folders;
  {
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT id, mtime, path FROM folders"))) return {};
    while (q.next()) folders.push_back({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString()});
  }
  QSet<qint64> touched;
  QSqlQuery files(db), mark(db), setTime(db), all(db);
  files.prepare(QStringLiteral("SELECT series_ref, path FROM instances WHERE folder_ref = :f"));
  mark.prepare(QStringLiteral("UPDATE instances SET missing = :m WHERE series_ref = :s AND path = :p"));
  setTime.prepare(QStringLiteral("UPDATE folders SET mtime = :t WHERE id = :f"));
  for (const Folder& f : folders) {
    if (cancel && cancel->load()) break;
    const qint64 now = mtimeNs(f.path);
    if (now == f.mtime) continue;  // nothing added, removed or renamed in this folder
    db.transaction();
    files.bindValue(QStringLiteral(":f"), f.id);
    if (files.exec()) {
      std::vector<std::pair<qint64, QString>> rows;
      while (files.next()) rows.emplace_back(files.value(0).toLongLong(), files.value(1).toString());
      files.finish();
      for (const auto& [series, path] : rows) {
        mark.bindValue(QStringLiteral(":m"), now == kGone || !fileExists(path) ? 1 : 0);
        mark.bindValue(QStringLiteral(":s"), series);
        mark.bindValue(QStringLiteral(":p"), path);
        mark.exec();
        touched.insert(series);
      }
    }
    setTime.bindValue(QStringLiteral(":t"), now);
    setTime.bindValue(QStringLiteral(":f"), f.id);
    setTime.exec();
    db.commit();
  }
  db.transaction();
  const QStringList changed = updateSeriesState(db, touched);
  db.commit();
  return changed;
}

}  // namespace cvx::studydb
