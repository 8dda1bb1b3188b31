// SPDX-License-Identifier: MIT
// Browsing the database one level at a time: each level is one indexed query, so a tree over
// 10,000 series reads only what is expanded.
#include <QDateTime>

#include "internal.h"

namespace cvx::studydb {

using namespace detail;

namespace {

const char* kSeriesColumns =
    "SELECT r.id, r.study_ref, r.skey, r.series_uid, r.modality, r.description, r.root, r.number, r.image_count,"
    " r.file_count, r.missing_count, r.state, s.date FROM series r JOIN studies s ON s.id = r.study_ref";

SeriesRow seriesRow(const QSqlQuery& q) {
  SeriesRow r;
  r.id = q.value(0).toLongLong();
  r.studyRef = q.value(1).toLongLong();
  r.key = q.value(2).toString();
  r.seriesUid = q.value(3).toString();
  r.modality = q.value(4).toString();
  r.description = q.value(5).toString();
  r.root = q.value(6).toString();
  r.number = q.value(7).toInt();
  r.imageCount = q.value(8).toInt();
  r.fileCount = q.value(9).toInt();
  r.missingCount = q.value(10).toInt();
  r.state = static_cast<FilesState>(q.value(11).toInt());
  r.studyDate = q.value(12).toString();
  return r;
}

const char* kStudyColumns =
    "SELECT s.id, s.patient_ref, s.study_uid, s.date, s.time, s.description, s.accession,"
    " (SELECT count(*) FROM series r WHERE r.study_ref = s.id), (SELECT p.name FROM patients p WHERE p.id = s.patient_ref),"
    " (SELECT group_concat(m, ' ') FROM (SELECT DISTINCT r.modality AS m FROM series r WHERE r.study_ref = s.id ORDER BY m)),"
    " (SELECT total(r.image_count) FROM series r WHERE r.study_ref = s.id), s.opened_series FROM studies s";

StudyRow studyRow(const QSqlQuery& q) {
  StudyRow s;
  s.id = q.value(0).toLongLong();
  s.patientRef = q.value(1).toLongLong();
  s.studyUid = q.value(2).toString();
  s.date = q.value(3).toString();
  s.time = q.value(4).toString();
  s.description = q.value(5).toString();
  s.accession = q.value(6).toString();
  s.seriesCount = q.value(7).toInt();
  s.patientName = q.value(8).toString();
  s.modalities = q.value(9).toString();
  s.imageCount = q.value(10).toInt();
  s.openedSeries = q.value(11).toString();
  return s;
}

}  // namespace

std::vector<PatientRow> StudyDatabase::patients(const SearchQuery& sq, int offset, int limit) const {
  QSqlQuery q(d_->db());
  q.prepare(QStringLiteral("SELECT p.id, p.name, p.patient_id, p.birth_date,"
                           " (SELECT count(*) FROM studies s WHERE s.patient_ref = p.id) FROM patients p WHERE 1") +
            patientFilter(sq) + QStringLiteral(" ORDER BY p.name COLLATE NOCASE, p.id LIMIT %1 OFFSET %2").arg(limit).arg(offset));
  bindSearch(q, sq);
  std::vector<PatientRow> rows;
  if (!q.exec()) return rows;
  while (q.next())
    rows.push_back({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                    q.value(4).toInt()});
  return rows;
}

std::optional<PatientRow> StudyDatabase::patient(qint64 id) const {
  QSqlQuery q(d_->db());
  q.prepare(QStringLiteral("SELECT p.id, p.name, p.patient_id, p.birth_date,"
                           " (SELECT count(*) FROM studies s WHERE s.patient_ref = p.id) FROM patients p WHERE p.id = :id"));
  q.bindValue(QStringLiteral(":id"), id);
  if (q.exec() && q.next())
    return PatientRow{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                      q.value(4).toInt()};
  return std::nullopt;
}

int StudyDatabase::patientCount(const SearchQuery& sq) const {
  QSqlQuery q(d_->db());
  q.prepare(QStringLiteral("SELECT count(*) FROM patients p WHERE 1") + patientFilter(sq));
  bindSearch(q, sq);
  return q.exec() && q.next() ? q.value(0).toInt() : 0;
}

std::vector<StudyRow> StudyDatabase::studies(qint64 patientRef, const SearchQuery& sq) const {
  QSqlQuery q(d_->db());
  q.prepare(QString::fromUtf8(kStudyColumns) + " WHERE s.patient_ref = :patient" + studyFilter(sq) +
            " ORDER BY s.date DESC, s.time DESC, s.id");
  q.bindValue(QStringLiteral(":patient"), patientRef);
  bindSearch(q, sq);
  std::vector<StudyRow> rows;
  if (q.exec())
    while (q.next()) rows.push_back(studyRow(q));
  return rows;
}

std::vector<SeriesRow> StudyDatabase::series(qint64 studyRef, const SearchQuery& sq) const {
  QSqlQuery q(d_->db());
  q.prepare(QString::fromUtf8(kSeriesColumns) + " WHERE r.study_ref = :study" + seriesFilter(sq) +
            " ORDER BY r.number, r.skey");
  q.bindValue(QStringLiteral(":study"), studyRef);
  bindSearch(q, sq);
  std::vector<SeriesRow> rows;
  if (q.exec())
    while (q.next()) rows.push_back(seriesRow(q));
  return rows;
}

std::optional<SeriesRow> StudyDatabase::seriesByKey(const QString& key) const {
  QSqlQuery q(d_->db());
  q.prepare(QString::fromUtf8(kSeriesColumns) + " WHERE r.skey = :key");
  q.bindValue(QStringLiteral(":key"), key);
  if (q.exec() && q.next()) return seriesRow(q);
  return std::nullopt;
}

std::optional<StudyRow> StudyDatabase::studyOf(const QString& seriesKey) const {
  QSqlQuery q(d_->db());
  q.prepare(QString::fromUtf8(kStudyColumns) + " WHERE s.id = (SELECT study_ref FROM series WHERE skey = :key)");
  q.bindValue(QStringLiteral(":key"), seriesKey);
  if (q.exec() && q.next()) return studyRow(q);
  return std::nullopt;
}

int StudyDatabase::seriesCount() const {
  QSqlQuery q(d_->db());
  return q.exec(QStringLiteral("SELECT count(*) FROM series")) && q.next() ? q.value(0).toInt() : 0;
}

QByteArray StudyDatabase::thumbnailPng(const QString& seriesKey) const {
  QSqlQuery q(d_->db());
  q.prepare(QStringLiteral("SELECT t.png FROM thumbnails t JOIN series r ON r.id = t.series_ref WHERE r.skey = :key"));
  q.bindValue(QStringLiteral(":key"), seriesKey);
  return q.exec() && q.next() ? q.value(0).toByteArray() : QByteArray();
}

void StudyDatabase::markOpened(const QString& seriesKey) {
  QSqlQuery q(d_->db());
  q.prepare(QStringLiteral("UPDATE studies SET opened_at = :now, opened_series = :opened WHERE id = (SELECT study_ref FROM series WHERE skey = :key)"));
  q.bindValue(QStringLiteral(":opened"), seriesKey);
  q.bindValue(QStringLiteral(":now"), QDateTime::currentMSecsSinceEpoch());
  q.bindValue(QStringLiteral(":key"), seriesKey);
  q.exec();
}

std::vector<StudyRow> StudyDatabase::recentStudies(int limit) const {
  QSqlQuery q(d_->db());
  q.prepare(QString::fromUtf8(kStudyColumns) +
            QStringLiteral(" WHERE s.opened_at IS NOT NULL ORDER BY s.opened_at DESC, s.id DESC LIMIT %1").arg(limit));
  std::vector<StudyRow> rows;
  if (q.exec())
    while (q.next()) rows.push_back(studyRow(q));
  return rows;
}

}  // namespace cvx::studydb
