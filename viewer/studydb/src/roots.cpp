// SPDX-License-Identifier: MIT
// roots.json: the folders (and files, DICOMDIRs) ever imported, most recent first. It lives beside
// the database so that a lost database can be rebuilt by importing them again.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <filesystem>
#include <mutex>

#include "internal.h"

namespace cvx::studydb::detail {
namespace {
std::mutex& rootsMutex() {
  static std::mutex m;  // importers on several threads of this process
  return m;
}
QString rootsFile(const QString& dataDir) { return QDir(dataDir).filePath(QString::fromUtf8(kRootsName)); }
}  // namespace

QStringList readRoots(const QString& dataDir, Diagnostic* problem) {
  std::lock_guard lock(rootsMutex());
  QFile f(rootsFile(dataDir));
  if (!f.exists()) return {};
  QJsonParseError err{};
  const QJsonDocument doc = f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll(), &err) : QJsonDocument();
  if (!doc.isObject() || !doc.object().value("roots").isArray()) {
    if (problem)
      *problem = makeError("studydb.roots_unreadable",
                           "the list of imported folders cannot be read (" + err.errorString().toStdString() +
                               "); import them again by hand",
                           f.fileName().toStdString());
    return {};
  }
  QStringList roots;
  for (const QJsonValue& v : doc.object().value("roots").toArray())
    if (v.isObject() && !v.toObject().value("path").toString().isEmpty()) roots << v.toObject().value("path").toString();
  return roots;
}

void addRoot(const QString& dataDir, const QString& root) {
  QStringList roots = readRoots(dataDir);
  roots.removeAll(root);
  roots.prepend(root);
  std::lock_guard lock(rootsMutex());
  QJsonArray arr;
  for (const QString& r : roots) arr.append(QJsonObject{{"path", r}});
  QSaveFile f(rootsFile(dataDir));  // temp + rename: a crash never leaves half a list
  if (!f.open(QIODevice::WriteOnly)) return;
  f.write(QJsonDocument(QJsonObject{{"version", 1}, {"roots", arr}}).toJson());
  f.commit();
}

qint64 mtimeNs(const QString& path) {
  std::error_code ec;
  const auto t = std::filesystem::last_write_time(std::filesystem::path(path.toStdString()), ec);
  if (ec) return kGone;
  return static_cast<qint64>(std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

}  // namespace cvx::studydb::detail
