// SPDX-License-Identifier: MIT
#include "series_combo.h"

#include <QComboBox>
#include <QSignalBlocker>

#include <algorithm>
#include <string>

#include <cvx/viewstate/overlay.h>

namespace cvx::viewer {

bool listSeries(QComboBox* combo, const view::ViewerState& state, const std::vector<int>& layers,
                std::vector<uint64_t>& listed) {
  const auto& all = state.layers();
  std::vector<uint64_t> serials;
  std::vector<std::string> modalities;
  for (int i : layers) {
    const auto& v = all[static_cast<size_t>(i)].volume;
    serials.push_back(v->serial());
    modalities.push_back(v->info.modality.empty() ? "series" : v->info.modality);
  }
  if (serials == listed) return false;
  listed = serials;
  const qulonglong was = chosenSerial(combo);
  const QSignalBlocker quiet(combo);
  combo->clear();
  for (size_t k = 0; k < layers.size(); ++k) {
    std::string label = modalities[k];
    const SeriesInfo& info = all[static_cast<size_t>(layers[k])].volume->info;
    if (std::count(modalities.begin(), modalities.end(), label) > 1) label += " " + std::to_string(info.seriesNumber);
    // Another study's series (a prior PET beside the reference's): its date tells the two apart.
    if (info.studyInstanceUid != all.front().volume->info.studyInstanceUid && !info.studyDate.empty())
      label += " (" + view::formatDicomDate(info.studyDate) + ")";
    combo->addItem(QString::fromStdString(label), QVariant::fromValue<qulonglong>(serials[k]));
  }
  combo->setCurrentIndex(std::max(0, combo->findData(QVariant::fromValue(was))));
  return true;
}

uint64_t chosenSerial(const QComboBox* combo) {
  return combo->currentIndex() >= 0 ? combo->currentData().toULongLong() : 0;
}

}  // namespace cvx::viewer
