// SPDX-License-Identifier: MIT
// Opening the study database: checks (locked, not a database, schema version, quick_check) and,
// when one fails, moving the bad file aside and starting an empty one to rebuild from roots.json.
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <atomic>

#include "internal.h"

namespace cvx::studydb {
namespace detail {

QString newConnectionName() {
  static std::atomic<int> next{0};
  return QStringLiteral("cvx_studydb_%1").arg(next.fetch_add(1));
}

Result<QSqlDatabase> openConnection(const QString& file, const QString& name, int busyTimeoutMs) {
  if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
    return makeError("studydb.no_driver", "Qt's SQLite driver is not installed (Debian: libqt6sql6-sqlite)");
  QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
  db.setDatabaseName(file);
  // Qt's driver waits 5 s on a lock by default; the caller decides.
  db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs));
  if (!db.open()) {
    const QSqlError e = db.lastError();
    db = QSqlDatabase();
    closeConnection(name);
    return sqlError(e, "open " + file);
  }
  return db;
}

void closeConnection(const QString& name) {
  {
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (db.isOpen()) db.close();
  }
  QSqlDatabase::removeDatabase(name);
}

Error sqlError(const QSqlError& e, const QString& what) {
  // The native code is SQLite's result code: 5 busy, 11 corrupt, 26 not a database.
  const QString native = e.nativeErrorCode();
  const char* code = native == "5" || native == "6" ? "studydb.locked"
                     : native == "11" || native == "26" ? "studydb.corrupt"
                                                        : "studydb.query_failed";
  return makeError(code, (what + ": " + e.text()).toStdString());
}

Status exec(QSqlQuery& q, const char* what) {
  if (!q.exec()) return sqlError(q.lastError(), QString::fromUtf8(what));
  return {};
}

Status exec(QSqlDatabase& db, const QString& sql) {
  QSqlQuery q(db);
  if (!q.exec(sql)) return sqlError(q.lastError(), sql.left(60));
  return {};
}

Status prepareConnection(QSqlDatabase& db) {
  // WAL: the UI thread reads while an importer writes on its own connection.
  CVX_TRY(exec(db, QStringLiteral("PRAGMA journal_mode=WAL")));
  CVX_TRY(exec(db, QStringLiteral("PRAGMA foreign_keys=ON")));
  return exec(db, QStringLiteral("PRAGMA synchronous=NORMAL"));
}

Status createSchema(QSqlDatabase& db) {
  static const char* kSchema[] = {
      "CREATE TABLE patients(id INTEGER PRIMARY KEY, pkey TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
      " patient_id TEXT NOT NULL, birth_date TEXT NOT NULL)",
      "CREATE INDEX patients_name ON patients(name COLLATE NOCASE)",
      "CREATE TABLE studies(id INTEGER PRIMARY KEY, study_uid TEXT NOT NULL UNIQUE,"
      " patient_ref INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE, date TEXT NOT NULL,"
      " time TEXT NOT NULL, description TEXT NOT NULL, accession TEXT NOT NULL, opened_at INTEGER, opened_series TEXT)",
      "CREATE INDEX studies_patient ON studies(patient_ref, date)",
      "CREATE INDEX studies_date ON studies(date)",
      "CREATE INDEX studies_opened ON studies(opened_at)",
      "CREATE TABLE series(id INTEGER PRIMARY KEY, skey TEXT NOT NULL UNIQUE,"
      " study_ref INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE, series_uid TEXT NOT NULL,"
      " number INTEGER NOT NULL, modality TEXT NOT NULL, description TEXT NOT NULL, image_count INTEGER NOT NULL,"
      " file_count INTEGER NOT NULL, missing_count INTEGER NOT NULL DEFAULT 0, state INTEGER NOT NULL DEFAULT 0,"
      " root TEXT NOT NULL, imported_at INTEGER NOT NULL)",
      "CREATE INDEX series_study ON series(study_ref, number)",
      "CREATE INDEX series_modality ON series(modality COLLATE NOCASE, study_ref)",
      "CREATE TABLE thumbnails(series_ref INTEGER PRIMARY KEY REFERENCES series(id) ON DELETE CASCADE, png BLOB)",
      "CREATE TABLE folders(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, mtime INTEGER NOT NULL)",
      "CREATE TABLE instances(series_ref INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,"
      " path TEXT NOT NULL, folder_ref INTEGER NOT NULL REFERENCES folders(id), ord INTEGER NOT NULL,"
      " missing INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(series_ref, path)) WITHOUT ROWID",
      "CREATE INDEX instances_folder ON instances(folder_ref)",
  };
  if (!db.transaction()) return sqlError(db.lastError(), "begin schema");
  for (const char* sql : kSchema) {
    if (auto st = exec(db, QString::fromUtf8(sql)); !st) {
      db.rollback();
      return st;
    }
  }
  CVX_TRY(exec(db, QStringLiteral("PRAGMA user_version=%1").arg(kSchemaVersion)));
  if (!db.commit()) return sqlError(db.lastError(), "commit schema");
  return {};
}

}  // namespace detail

namespace {

using namespace detail;

// Why an existing file cannot be used (code and message), or nothing when it is fine. `fresh` is
// set for a file without tables (a new database).
std::optional<Error> check(QSqlDatabase& db, bool& fresh) {
  QSqlQuery q(db);
  if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) return sqlError(q.lastError(), "read the schema version");
  const int version = q.value(0).toInt();
  q.finish();
  if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !q.next())
    return sqlError(q.lastError(), "read the tables");
  const int tables = q.value(0).toInt();
  q.finish();
  fresh = version == 0 && tables == 0;
  if (fresh) return std::nullopt;
  if (version != kSchemaVersion)
    return makeError("studydb.wrong_version",
                     "schema version " + std::to_string(version) + ", expected " + std::to_string(kSchemaVersion));
  if (!q.exec(QStringLiteral("PRAGMA quick_check")) || !q.next()) return sqlError(q.lastError(), "quick_check");
  const QString verdict = q.value(0).toString();
  q.finish();
  if (verdict != QLatin1String("ok")) return makeError("studydb.corrupt", "quick_check: " + verdict.toStdString());
  // A writer holding the file beyond the timeout: the same verdict as a bad file (it is a cache).
  if (!q.exec(QStringLiteral("BEGIN IMMEDIATE"))) return sqlError(q.lastError(), "lock the database");
  q.exec(QStringLiteral("ROLLBACK"));
  return std::nullopt;
}

// Renames the file (and its -wal/-shm) to <file>.<code suffix>-<UTC timestamp>; the new name.
QString moveAside(const QString& file, const std::string& code) {
  const QString suffix = QString::fromStdString(code.substr(code.find('.') + 1));
  const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmsszzz"));
  QString aside = file + "." + suffix + "-" + stamp;
  for (int n = 1; QFile::exists(aside); ++n) aside = file + "." + suffix + "-" + stamp + "-" + QString::number(n);
  QFile::rename(file, aside);
  for (const char* ext : {"-wal", "-shm"})
    if (QFile::exists(file + ext)) QFile::rename(file + ext, aside + ext);
  return aside;
}

}  // namespace

StudyDatabase::StudyDatabase(std::unique_ptr<Impl> impl) : d_(std::move(impl)) {}
StudyDatabase::~StudyDatabase() { closeConnection(d_->conn); }

QString StudyDatabase::dataDir() const { return d_->dataDir; }
QString StudyDatabase::filePath() const { return d_->file; }
QString StudyDatabase::connectionName() const { return d_->conn; }
const std::vector<Diagnostic>& StudyDatabase::messages() const { return d_->messages; }
QStringList StudyDatabase::rootsToReimport() const { return d_->reimport; }
QStringList StudyDatabase::importedRoots() const { return readRoots(d_->dataDir); }

Result<std::unique_ptr<StudyDatabase>> StudyDatabase::open(const OpenOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->dataDir = options.dataDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                            : options.dataDir;
  if (impl->dataDir.isEmpty() || !QDir().mkpath(impl->dataDir))
    return makeError("studydb.open_failed", "cannot create the data folder", impl->dataDir.toStdString());
  impl->file = QDir(impl->dataDir).filePath(QString::fromUtf8(kDbName));
  const bool existed = QFileInfo::exists(impl->file);
  Diagnostic rootsProblem;
  const QStringList roots = readRoots(impl->dataDir, &rootsProblem);
  if (!rootsProblem.code.empty()) impl->messages.push_back(rootsProblem);

  for (int attempt = 0; attempt < 2; ++attempt) {
    impl->conn = newConnectionName();
    auto db = openConnection(impl->file, impl->conn, options.lockTimeoutMs);
    if (!db) {
      if (db.error().code == "studydb.no_driver" || attempt == 1) return db.error();
      impl->messages.push_back(makeError("studydb.corrupt", db.error().message + "; moved aside to " +
                                                                moveAside(impl->file, "studydb.corrupt").toStdString(),
                                         impl->file.toStdString()));
      continue;
    }
    bool fresh = false;
    std::optional<Error> bad = check(*db, fresh);
    if (!bad && fresh) {
      if (auto st = createSchema(*db); !st) bad = st.error();
    }
    if (!bad) {
      if (auto st = prepareConnection(*db); !st) bad = st.error();
    }
    if (!bad) {
      if (fresh && !roots.isEmpty()) {
        impl->reimport = roots;
        if (!existed && impl->messages.empty())
          impl->messages.push_back(makeError("studydb.missing", "the database file was missing; importing " +
                                                                    std::to_string(roots.size()) + " folders again",
                                             impl->file.toStdString()));
      }
      return std::unique_ptr<StudyDatabase>(new StudyDatabase(std::move(impl)));
    }
    *db = QSqlDatabase();
    closeConnection(impl->conn);
    if (attempt == 1) return makeError("studydb.open_failed", "a new database failed too: " + bad->str(), impl->file.toStdString());
    const QString aside = moveAside(impl->file, bad->code);
    impl->messages.push_back(makeError(bad->code, bad->message + "; moved aside to " + aside.toStdString() +
                                                      " and rebuilt from " + std::to_string(roots.size()) + " imported folders",
                                       impl->file.toStdString()));
  }
  return makeError("studydb.open_failed", "cannot open the database", impl->file.toStdString());
}

Result<std::unique_ptr<StudyDatabase>> StudyDatabase::attach(const QString& dataDir, int lockTimeoutMs) {
  auto impl = std::make_unique<Impl>();
  impl->dataDir = dataDir;
  impl->file = QDir(dataDir).filePath(QString::fromUtf8(kDbName));
  impl->conn = newConnectionName();
  auto db = openConnection(impl->file, impl->conn, lockTimeoutMs);
  if (!db) return db.error();
  if (auto st = prepareConnection(*db); !st) {
    *db = QSqlDatabase();
    closeConnection(impl->conn);
    return st.error();
  }
  return std::unique_ptr<StudyDatabase>(new StudyDatabase(std::move(impl)));
}

}  // namespace cvx::studydb
