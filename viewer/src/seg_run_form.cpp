// SPDX-License-Identifier: MIT
// SegRunPanel's form (seg_run.h): the series a plugin reads, the fields from the parameter specs in
// that series' display units, their values for a run, and the threshold preview.
#include "seg_run.h"

#include "seg_editing.h"
#include "series_combo.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>

#include <algorithm>
#include <cmath>
#include <map>

#include <cvx/viewstate/probe.h>

namespace cvx::viewer {
namespace {

int specIndex(const plugin::Manifest& m, const std::string& name) {
  for (size_t i = 0; i < m.params.size(); ++i)
    if (m.params[i].name == name && m.params[i].type == plugin::ParamType::Float) return static_cast<int>(i);
  return -1;
}

}  // namespace

void SegRunPanel::listInputs() {
  const plugin::Manifest* m = chosen();
  // The reference's frame first, then every other series open (a prior study: its PET's lesions).
  std::vector<int> list = state_.layersOfFrame(0);
  for (int l = 0; l < static_cast<int>(state_.layers().size()); ++l)
    if (std::find(list.begin(), list.end(), l) == list.end() && state_.layers()[static_cast<size_t>(l)].volume) list.push_back(l);
  const bool show = list.size() > 1 && m && m->input == plugin::PluginInput::Image;
  input_->setVisible(show);
  inputLabel_->setVisible(show);
  listSeries(input_, state_, list, inputsListed_);
  if (formSerial_ != inputSerial()) buildForm();  // the units may have changed
  updatePreview();  // its layer index may have moved
}

int SegRunPanel::inputLayer() const {
  const plugin::Manifest* m = chosen();
  if (m && m->input != plugin::PluginInput::Image) {  // the layer of the segments it takes
    const int active = state_.activeSegment().first;
    return active >= 0 ? state_.segmentations()[static_cast<size_t>(active)].layer : 0;
  }
  // "on" hidden (one series): the reference layer.
  const int chosen = input_->isHidden() ? -1 : state_.layerOfSerial(chosenSerial(input_));
  return chosen >= 0 ? chosen : 0;
}

uint64_t SegRunPanel::inputSerial() const {
  const int l = inputLayer();
  const auto& layers = state_.layers();
  return l < static_cast<int>(layers.size()) && layers[static_cast<size_t>(l)].volume ? layers[static_cast<size_t>(l)].volume->serial() : 0;
}

double SegRunPanel::unitScale() const {
  const auto& layers = state_.layers();
  const int l = inputLayer();
  return l < static_cast<int>(layers.size()) ? layers[static_cast<size_t>(l)].mapping.shownPerValue() : 1.0;
}

bool SegRunPanel::chooseInput(const std::string& modality) {
  const int i = input_->findText(QString::fromStdString(modality), Qt::MatchStartsWith);  // "PT 3 (2025-04-02)"
  if (i < 0) return false;
  input_->setCurrentIndex(i);
  return true;
}

bool SegRunPanel::chooseLayer(int layer) {
  const auto& layers = state_.layers();
  if (layer < 0 || layer >= static_cast<int>(layers.size()) || !layers[static_cast<size_t>(layer)].volume) return false;
  const int i = input_->findData(QVariant::fromValue<qulonglong>(layers[static_cast<size_t>(layer)].volume->serial()));
  if (i < 0) return false;
  input_->setCurrentIndex(i);
  return true;
}

void SegRunPanel::buildForm() {
  // The same plugin's fields keep what was typed; "series" ones (HU, Bq/ml) only while the series stays,
  // or as shown where another series shows the same units (SUVbw on a follow-up PET beside its baseline).
  std::map<std::string, double> typed, shown;
  for (QWidget* w : fields_)
    if (auto* s = qobject_cast<QDoubleSpinBox*>(w))
      typed[w->objectName().toStdString()] = s->value() / s->property("scale").toDouble(),
      shown[w->objectName().toStdString()] = s->value();
    else if (auto* c = qobject_cast<QComboBox*>(w)) typed[w->objectName().toStdString()] = c->currentIndex();
    else if (auto* b = qobject_cast<QCheckBox*>(w)) typed[w->objectName().toStdString()] = b->isChecked();
  const plugin::Manifest* was = formPlugin_;
  const bool sameSeries = formSerial_ == inputSerial();
  while (formLayout_->rowCount() > 0) formLayout_->removeRow(0);
  fields_.clear();
  formPlugin_ = chosen();
  formSerial_ = inputSerial();
  if (!formPlugin_) return;
  const plugin::Manifest& m = *formPlugin_;
  if (was != formPlugin_) typed.clear();
  const int layer = inputLayer();
  const std::string units =
      layer < static_cast<int>(state_.layers().size()) ? state_.layers()[static_cast<size_t>(layer)].mapping.units : std::string();
  const double scale = unitScale();  // "series" fields show the series' values in its display units
  const bool sameUnits = !units.empty() && units == formUnits_ && was == formPlugin_;
  formUnits_ = units;
  auto start = [&](const plugin::ParamSpec& p) {  // a value of other units starts again
    if (p.unit == "series" && !sameSeries) {
      const auto it = shown.find("param_" + p.name);
      return sameUnits && it != shown.end() && scale > 0 ? it->second / scale : p.defaultValue;
    }
    const auto it = typed.find("param_" + p.name);
    return it == typed.end() ? p.defaultValue : it->second;
  };
  for (const plugin::ParamSpec& p : m.params) {
    QWidget* w = nullptr;
    switch (p.type) {
      case plugin::ParamType::Bool: {
        auto* c = new QCheckBox(form_);
        c->setChecked(start(p) != 0);
        w = c;
        break;
      }
      case plugin::ParamType::Enum: {
        auto* c = new QComboBox(form_);
        for (const auto& v : p.enumValues) c->addItem(QString::fromStdString(v));
        c->setCurrentIndex(static_cast<int>(start(p)));
        w = c;
        break;
      }
      case plugin::ParamType::Seeds: w = new QLabel(tr("the cursor"), form_); break;
      default: {
        auto* s = new QDoubleSpinBox(form_);
        s->setDecimals(p.type == plugin::ParamType::Int ? 0 : 2);
        const double f = p.unit == "series" ? scale : 1.0;
        s->setRange(p.hasMin ? p.minValue * f : -1e9, p.hasMax ? p.maxValue * f : 1e9);
        s->setValue(start(p) * f);
        s->setProperty("scale", f);  // shown = value x scale
        const std::string unit = p.unit == "series" ? units : p.unit;
        if (!unit.empty()) s->setSuffix(QString::fromStdString(" " + unit));
        connect(s, &QDoubleSpinBox::valueChanged, this, [this] { updatePreview(); });
        w = s;
      }
    }
    w->setObjectName(QString::fromStdString("param_" + p.name));
    w->setToolTip(QString::fromStdString(p.description));
    formLayout_->addRow(QString::fromStdString(p.label.empty() ? p.name : p.label), w);
    fields_.push_back(w);
  }
  preview_->setEnabled(specIndex(m, "lower") >= 0 && specIndex(m, "upper") >= 0);
  if (!preview_->isEnabled()) preview_->setChecked(false);
  updatePreview();
  updateRunState();
}

bool SegRunPanel::choose(const std::string& id) {
  for (size_t i = 0; i < segmenters_.size(); ++i)
    if (segmenters_[i]->id == id) {
      plugins_->setCurrentIndex(static_cast<int>(i));
      return true;
    }
  return false;
}

void SegRunPanel::setField(const std::string& name, double value) {
  for (QWidget* w : fields_)
    if (w->objectName().toStdString() == "param_" + name)
      if (auto* s = qobject_cast<QDoubleSpinBox*>(w)) s->setValue(value);
}

Result<plugin::ParamValues> SegRunPanel::values() const {
  if (!formPlugin_) return makeError("plugin.not_found", "no plugin chosen");
  const plugin::Manifest& m = *formPlugin_;  // the plugin fields_ were built for
  plugin::ParamValues given;
  for (size_t k = 0; k < m.params.size() && k < fields_.size(); ++k) {
    const plugin::ParamSpec& p = m.params[k];
    plugin::ParamValue v;
    v.name = p.name;
    v.type = p.type;
    if (auto* s = qobject_cast<QDoubleSpinBox*>(fields_[k])) v.number = s->value() / s->property("scale").toDouble();
    else if (auto* c = qobject_cast<QCheckBox*>(fields_[k])) v.number = c->isChecked();
    else if (auto* e = qobject_cast<QComboBox*>(fields_[k])) v.number = e->currentIndex(), v.text = e->currentText().toStdString();
    else if (p.type == plugin::ParamType::Seeds && !state_.layers().empty()) {  // the cursor's voxel in the input
      // The cursor as the input's frame sees it: a prior study's own cursor (probe.h).
      const Volume& in = *state_.layers()[static_cast<size_t>(inputLayer())].volume;
      const auto at = seedAt_ ? seedAt_ : view::cursorInFrameOf(state_, inputLayer(), activeView_ ? activeView_() : -1);
      if (!at)
        return makeError("viewer.seed_no_view", "no view shows the " + in.info.modality +
                                                    " series' frame of reference: drop it into a view and click the seed there");
      const Vec3 c = in.geometry.voxelFromWorld().applyPoint(*at);
      const auto& d = in.dims();
      if (!(c.x >= -0.5 && c.y >= -0.5 && c.z >= -0.5 && c.x < d[0] - 0.5 && c.y < d[1] - 0.5 && c.z < d[2] - 0.5))
        return makeError("viewer.seed_outside", "the cursor (the seed) lies outside the " + in.info.modality +
                                                    " series; move it onto that series");
      v.points = {{std::round(c.x), std::round(c.y), std::round(c.z)}};
    }
    given.push_back(v);
  }
  return plugin::checkParams(m.params, given);
}

void SegRunPanel::updatePreview() {
  view::ThresholdPreview t;
  if (preview_->isChecked() && preview_->isEnabled() && formPlugin_) {
    const auto* lo = qobject_cast<QDoubleSpinBox*>(fields_[static_cast<size_t>(specIndex(*formPlugin_, "lower"))]);
    const auto* hi = qobject_cast<QDoubleSpinBox*>(fields_[static_cast<size_t>(specIndex(*formPlugin_, "upper"))]);
    if (lo && hi)  // in the series' values, as the run gets them (values())
      t.on = true, t.layer = inputLayer(), t.lo = lo->value() / lo->property("scale").toDouble(),
      t.hi = hi->value() / hi->property("scale").toDouble();
  }
  const view::ThresholdPreview& now = state_.thresholdPreview();
  if (t.on != now.on || (t.on && (t.lo != now.lo || t.hi != now.hi || t.layer != now.layer))) state_.setThresholdPreview(t);
}

}  // namespace cvx::viewer
