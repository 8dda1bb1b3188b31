// SPDX-License-Identifier: MIT
// Private plumbing of the study database: connections, the schema, the roots side file.
#pragma once
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <limits>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/studydb/database.h>

namespace cvx::studydb {

struct StudyDatabase::Impl {
  QString dataDir, file, conn;
  std::vector<Diagnostic> messages;
  QStringList reimport;
  QSqlDatabase db() const { return QSqlDatabase::database(conn, false); }
};

namespace detail {

inline const char* kDbName = "studies.db";
inline const char* kRootsName = "roots.json";

// A unique connection name (Qt SQL connections are per thread and named).
QString newConnectionName();
// Adds and opens a QSQLITE connection with the busy timeout; no checks, no schema.
Result<QSqlDatabase> openConnection(const QString& file, const QString& name, int busyTimeoutMs);
// Closes and removes a connection (no QSqlQuery on it may be alive).
void closeConnection(const QString& name);
// WAL, foreign keys; then the tables when the file is new.
Status prepareConnection(QSqlDatabase& db);
Status createSchema(QSqlDatabase& db);

// Runs one statement; studydb.query_failed with the SQL error on failure.
Status exec(QSqlQuery& q, const char* what);
Status exec(QSqlDatabase& db, const QString& sql);
Error sqlError(const QSqlError& e, const QString& what);

// roots.json: the imported roots, most recent first (the list a rebuild imports again).
QStringList readRoots(const QString& dataDir, Diagnostic* problem = nullptr);
void addRoot(const QString& dataDir, const QString& root);

// A filesystem modification time in ns (of libstdc++'s file clock, whose epoch makes today's times
// negative: compare them, never test their sign), kGone when the path does not exist.
inline constexpr qint64 kGone = std::numeric_limits<qint64>::min();
qint64 mtimeNs(const QString& path);

// SQL filters of a search, for each level (aliases p: patients, s: studies, r: series).
QString patientFilter(const SearchQuery& q);
QString studyFilter(const SearchQuery& q);
QString seriesFilter(const SearchQuery& q);
void bindSearch(QSqlQuery& query, const SearchQuery& q);

}  // namespace detail
}  // namespace cvx::studydb
