// SPDX-License-Identifier: MIT
// The browser's search line, and the SQL filter each level of the tree applies for it.
#include <QRegularExpression>

#include "internal.h"

namespace cvx::studydb {
namespace {

// DICOM modality codes (PS3.3 C.7.3.1.1.1, the ones a viewer meets) that a bare term means.
bool isModality(const QString& t) {
  static const QStringList kCodes = {"CT", "MR", "PT", "NM", "US", "CR", "DX", "MG", "XA", "RF", "OT", "SC", "SEG",
                                     "RTSTRUCT", "RTDOSE", "RTPLAN", "SR", "PX", "IO", "ES", "XC", "OP", "OCT", "DR"};
  return kCodes.contains(t.toUpper());
}

// YYYYMMDD from YYYYMMDD or YYYY-MM-DD; empty when it is not a date.
QString normDate(const QString& t) {
  static const QRegularExpression re(QStringLiteral("^(\\d{4})-?(\\d{2})-?(\\d{2})$"));
  const auto m = re.match(t);
  return m.hasMatch() ? m.captured(1) + m.captured(2) + m.captured(3) : QString();
}

// A date or a range: A, A-B (compact dates), A..B, A.., ..B.
bool parseDate(const QString& t, SearchQuery& q) {
  if (QString d = normDate(t); !d.isEmpty()) return q.dateFrom = q.dateTo = d, true;
  static const QRegularExpression range(QStringLiteral("^([0-9-]*)\\.\\.([0-9-]*)$"));
  static const QRegularExpression compact(QStringLiteral("^(\\d{8})-(\\d{8})$"));
  auto m = range.match(t);
  if (!m.hasMatch()) m = compact.match(t);
  if (!m.hasMatch()) return false;
  const QString a = normDate(m.captured(1)), b = normDate(m.captured(2));
  if ((a.isEmpty() && !m.captured(1).isEmpty()) || (b.isEmpty() && !m.captured(2).isEmpty()) || (a.isEmpty() && b.isEmpty()))
    return false;
  q.dateFrom = a;
  q.dateTo = b;
  return true;
}

QString likePattern(const QString& text) {
  QString e = text;
  e.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
  return '%' + e + '%';
}

}  // namespace

SearchQuery parseSearch(const QString& line) {
  SearchQuery q;
  QStringList text;
  for (const QString& term : line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
    const int colon = term.indexOf(':');
    const QString key = colon > 0 ? term.left(colon).toLower() : QString();
    const QString value = colon > 0 ? term.mid(colon + 1) : term;
    if (key == "mod" || key == "modality") q.modality = value.toUpper();
    else if (key == "date") parseDate(value, q);
    else if (key == "name" || key == "id") text << value;
    else if (isModality(term)) q.modality = term.toUpper();
    else if (!parseDate(term, q)) text << term;
  }
  q.text = text.join(' ');
  return q;
}

namespace detail {

QString seriesFilter(const SearchQuery& q) {
  return q.modality.isEmpty() ? QString() : QStringLiteral(" AND r.modality = :modality COLLATE NOCASE");
}

QString studyFilter(const SearchQuery& q) {
  QString f;
  if (!q.dateFrom.isEmpty()) f += QStringLiteral(" AND s.date >= :dateFrom");
  if (!q.dateTo.isEmpty()) f += QStringLiteral(" AND s.date <= :dateTo");
  if (!q.modality.isEmpty())
    f += QStringLiteral(" AND EXISTS (SELECT 1 FROM series r WHERE r.study_ref = s.id") + seriesFilter(q) + ")";
  return f;
}

// Each whitespace-separated word of the text must be in the name or the ID ("john smith" finds
// SMITH^JOHN).
QStringList textTerms(const SearchQuery& q) { return q.text.split(' ', Qt::SkipEmptyParts).mid(0, 8); }

QString patientFilter(const SearchQuery& q) {
  QString f;
  const QStringList terms = textTerms(q);
  for (int i = 0; i < terms.size(); ++i)
    f += QStringLiteral(" AND (p.name LIKE :text%1 ESCAPE '\\' OR p.patient_id LIKE :idtext%1 ESCAPE '\\')").arg(i);
  if (!q.modality.isEmpty() || !q.dateFrom.isEmpty() || !q.dateTo.isEmpty())
    f += QStringLiteral(" AND EXISTS (SELECT 1 FROM studies s WHERE s.patient_ref = p.id") + studyFilter(q) + ")";
  return f;
}

void bindSearch(QSqlQuery& query, const SearchQuery& q) {
  // Only the placeholders the filter used (Qt's SQLite driver rejects unknown names).
  const QString sql = query.lastQuery();
  auto bind = [&](const QString& name, const QVariant& v) {
    if (sql.contains(name)) query.bindValue(name, v);
  };
  const QStringList terms = textTerms(q);
  for (int i = 0; i < terms.size(); ++i) {
    bind(QStringLiteral(":text%1").arg(i), likePattern(terms[i]));
    bind(QStringLiteral(":idtext%1").arg(i), likePattern(terms[i]));
  }
  bind(QStringLiteral(":modality"), q.modality);
  bind(QStringLiteral(":dateFrom"), q.dateFrom);
  bind(QStringLiteral(":dateTo"), q.dateTo);
}

}  // namespace detail
}  // namespace cvx::studydb
