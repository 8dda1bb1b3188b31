// SPDX-License-Identifier: MIT
#include "seg_run.h"

#include <cvx/viewstate/seg_terms.h>

#include "seg_editing.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

namespace cvx::viewer {
namespace {

// What a "segment" plugin did, for the new segment's name: "dilated 2 mm", "largest island".
std::string operationName(const plugin::Manifest& m, const plugin::ParamValues& values) {
  static const std::map<std::string, std::string> kDone = {
      {"dilate", "dilated"}, {"erode", "eroded"}, {"open", "opened"}, {"close", "closed"},
      {"fill_holes", "holes filled"}, {"keep_largest", "largest island"}, {"remove_small", "small islands removed"},
      {"hollow", "hollowed"}, {"smooth", "smoothed"}};
  std::string op;
  for (const auto& v : values)
    if (v.name == "operation") op = v.text;
  const auto it = kDone.find(op);
  std::string name = op.empty() ? m.name : (it == kDone.end() ? op : it->second);
  for (size_t i = 0; i < m.params.size() && i < values.size(); ++i) {
    const std::string& unit = m.params[i].unit;
    if ((unit == "mm" && op != "fill_holes") || (unit == "mL" && op == "remove_small")) {
      char buf[64];
      std::snprintf(buf, sizeof buf, " %g %s", values[i].number, unit.c_str());
      name += unit == "mL" ? std::string(" (<") + (buf + 1) + ")" : std::string(buf);
    }
  }
  return name;
}

}  // namespace

SegRunPanel::SegRunPanel(view::ViewerState& state, SegEditing& editing, QWidget* parent)
    : QWidget(parent), state_(state), editing_(editing) {
  setObjectName("segRunPanel");
  host_.discover(plugin::defaultSearchPath());
  for (const plugin::Manifest& m : host_.plugins())
    if (m.kind == plugin::Kind::Segmenter) segmenters_.push_back(&m);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  plugins_ = new QComboBox(this);
  plugins_->setObjectName("segPlugin");
  for (const plugin::Manifest* m : segmenters_) plugins_->addItem(QString::fromStdString(m->name));
  layout->addWidget(plugins_);
  auto* on = new QHBoxLayout;
  inputLabel_ = new QLabel(tr("on"), this);
  input_ = new QComboBox(this);
  input_->setObjectName("segInput");
  input_->setToolTip(tr("The series the plugin reads; its result is a segment on that series' grid"));
  on->addWidget(inputLabel_);
  on->addWidget(input_, 1);
  layout->addLayout(on);
  form_ = new QWidget(this);
  formLayout_ = new QFormLayout(form_);
  formLayout_->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(form_);
  auto* row = new QHBoxLayout;
  preview_ = new QCheckBox(tr("Preview"), this);
  preview_->setObjectName("segPreview");
  run_ = new QPushButton(tr("Run"), this);
  run_->setObjectName("segRun");
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName("segCancel");
  cancel_->setEnabled(false);
  row->addWidget(preview_);
  row->addStretch();
  row->addWidget(run_);
  row->addWidget(cancel_);
  layout->addLayout(row);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setVisible(false);
  layout->addWidget(progress_);
  message_ = new QLabel(this);
  message_->setObjectName("segRunMessage");
  message_->setWordWrap(true);
  layout->addWidget(message_);
  for (const Diagnostic& d : host_.problems()) message_->setText(message_->text() + QString::fromStdString(d.str()) + "\n");
  if (segmenters_.empty()) message_->setText(tr("No segmentation plugin found (cinevox plugins lists the search path)"));
  timer_ = new QTimer(this);
  timer_->setInterval(50);
  connect(timer_, &QTimer::timeout, this, &SegRunPanel::poll);
  connect(plugins_, &QComboBox::currentIndexChanged, this, [this] {
    listInputs();
    if (formPlugin_ != chosen()) buildForm();
  });
  connect(input_, &QComboBox::currentIndexChanged, this, [this] { buildForm(); });
  connect(preview_, &QCheckBox::toggled, this, [this] { updatePreview(); });
  connect(run_, &QPushButton::clicked, this, &SegRunPanel::run);
  connect(cancel_, &QPushButton::clicked, this, [this] {
    if (jobProgress_) jobProgress_->cancel();
  });
  subscription_ = state_.subscribe([this](const view::ChangeEvent& e) {
    if (e.what & view::kLayers) listInputs();
    if ((e.what & view::kSegmentation) && formSerial_ != inputSerial()) buildForm();  // a segment plugin's layer
    if (e.what & (view::kSegmentation | view::kLayers)) updateRunState();
  });
  listInputs();
  buildForm();
}

SegRunPanel::~SegRunPanel() {
  if (jobProgress_) jobProgress_->cancel();
  if (job_.valid()) job_.wait();  // the host (and its libraries) outlive the run
  if (state_.thresholdPreview().on) state_.setThresholdPreview({});
}

QString SegRunPanel::message() const { return message_->text(); }

const plugin::Manifest* SegRunPanel::chosen() const {
  const int i = plugins_->currentIndex();
  return i < 0 || i >= static_cast<int>(segmenters_.size()) ? nullptr : segmenters_[static_cast<size_t>(i)];
}

void SegRunPanel::updateRunState() {
  const plugin::Manifest* m = chosen();
  QString why;
  if (m && m->input != plugin::PluginInput::Image && state_.activeSegment().first < 0)
    why = m->input == plugin::PluginInput::Segment
              ? tr("%1 works on a segment: choose one in the list above").arg(QString::fromStdString(m->name))
              : tr("%1 takes its seeds from the segments: add or choose a segmentation").arg(QString::fromStdString(m->name));
  run_->setToolTip(why);
  run_->setEnabled(!job_.valid() && why.isEmpty());
}

Result<std::shared_ptr<Volume>> SegRunPanel::maskInput(const plugin::Manifest& m) {
  const auto [index, segment] = state_.activeSegment();
  if (index < 0) return makeError("seg.no_active", "choose a segment first");
  const Segmentation& seg = *state_.segmentations()[static_cast<size_t>(index)].segmentation;
  if (m.input == plugin::PluginInput::Segment && (segment < 0 || segment >= static_cast<int>(seg.segments().size())))
    return makeError("seg.no_active", "choose a segment first");
  const auto& d = seg.dims();
  auto mask = Volume::create(PixelType::UInt8, {d[0], d[1], d[2], 1});
  if (!mask.ok()) return mask.error();
  uint8_t* out = (*mask)->as<uint8_t>();
  jobSegmentation_ = index;
  jobSegments_.clear();
  if (m.input == plugin::PluginInput::Segment) {
    const std::vector<uint8_t> in = seg.mask(static_cast<size_t>(segment));
    std::copy(in.begin(), in.end(), out);
    jobSegments_.push_back(static_cast<size_t>(segment));
    jobSegmentationRef_ = state_.segmentations()[static_cast<size_t>(index)].segmentation;
    jobSegmentNumber_ = seg.segments()[static_cast<size_t>(segment)].number;
    jobRemovals_ = editing_.removalsOf(index);
    return mask;
  }
  if (seg.segments().empty() || seg.segments().size() > 255)
    return makeError("plugin.bad_input", "seeds need 1 to 255 segments, this segmentation has " +
                                             std::to_string(seg.segments().size()));
  for (size_t k = 0; k < seg.segments().size(); ++k) {  // class k + 1; an earlier segment keeps a shared voxel
    const std::vector<uint8_t> in = seg.mask(k);
    for (size_t i = 0; i < in.size(); ++i)
      if (in[i] && !out[i]) out[i] = static_cast<uint8_t>(k + 1);
    jobSegments_.push_back(k);
  }
  return mask;
}

void SegRunPanel::run() {
  if (job_.valid() || state_.layers().empty() || !state_.layers().front().volume) return;
  auto params = values();
  seedAt_.reset();  // one run's
  if (!params.ok()) {
    message_->setText(QString::fromStdString(params.error().str()));
    return;
  }
  const plugin::Manifest& m = *segmenters_[static_cast<size_t>(plugins_->currentIndex())];
  jobName_ = m.name;
  jobMask_.reset();
  plugin::RunOptions options;
  options.backend = "auto";  // CUDA when the plugin has it and a device works; the CPU otherwise, said in the message
  jobReport_ = std::make_shared<plugin::RunReport>();
  options.report = jobReport_.get();
  if (m.input != plugin::PluginInput::Image) {
    auto mask = maskInput(m);
    if (!mask.ok()) {
      message_->setText(QString::fromStdString(mask.error().str()));
      return;
    }
    jobMask_ = *mask;
    options.mask = jobMask_.get();
    if (m.input == plugin::PluginInput::Segment) {
      const auto& seg = *state_.segmentations()[static_cast<size_t>(jobSegmentation_)].segmentation;
      jobName_ = seg.segments()[jobSegments_.front()].name;  // replaced in place, or a new "Liver dilated 2 mm"
      if (!m.replacesInput) jobName_ += " " + operationName(m, *params);
    }
  }
  // An image plugin reads the series chosen in "on"; the others the layer of the segments they take.
  const int layer = m.input == plugin::PluginInput::Image
                        ? inputLayer()
                        : state_.segmentations()[static_cast<size_t>(jobSegmentation_)].layer;
  const auto& input = state_.layers()[static_cast<size_t>(layer)].volume;
  jobInput_ = input->serial();
  jobManifest_ = &m;
  options.phase = static_cast<int>(state_.phaseOf(*input));  // the phase the views show of it
  jobProgress_ = std::make_shared<Progress>();
  job_ = host_.segmentAsync(m.id, input, *params, jobProgress_, options);
  plugins_->setEnabled(false);  // the form stays the job's until it ends
  input_->setEnabled(false);
  run_->setEnabled(false);
  cancel_->setEnabled(true);
  progress_->setValue(0);
  progress_->setVisible(true);
  message_->setText(tr("Running %1...").arg(QString::fromStdString(m.name)));
  timer_->start();
}

void SegRunPanel::poll() {
  if (!job_.valid()) return;
  progress_->setValue(static_cast<int>(1000 * jobProgress_->fraction()));
  if (job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  timer_->stop();
  done(job_.get());
}

// " (CUDA)" after a CUDA run, and each warning of the run (a CUDA fault that sent it to the CPU).
QString SegRunPanel::reportNote() const {
  if (!jobReport_) return {};
  QString note = jobReport_->backend == "cuda" ? tr(" (CUDA)") : QString();
  for (const auto& w : jobReport_->warnings) note += "\n" + tr("warning ") + QString::fromStdString(w.str());
  return note;
}

void SegRunPanel::done(Result<std::shared_ptr<Volume>> labels) {
  cancel_->setEnabled(false);
  plugins_->setEnabled(true);
  input_->setEnabled(true);
  progress_->setVisible(false);
  jobProgress_.reset();
  const std::shared_ptr<Volume> input = std::move(jobMask_);  // what the run read (replacesInput's merge)
  updateRunState();
  if (!labels.ok()) {
    message_->setText(QString::fromStdString(labels.error().str()) + reportNote());
    emit finished(false);
    return;
  }
  const plugin::Manifest& m = *jobManifest_;
  if (m.input == plugin::PluginInput::Seeds) {  // label k + 1 -> segment jobSegments_[k], one undo step
    const Status ok = editing_.replaceSegments(jobSegmentation_, jobSegments_, (*labels)->as<uint8_t>());
    message_->setText(ok.ok() ? tr("%1: %2 segments updated").arg(QString::fromStdString(m.name)).arg(jobSegments_.size()) + reportNote()
                              : QString::fromStdString(ok.error().str()));
    emit finished(ok.ok());
    return;
  }
  if (m.input == plugin::PluginInput::Segment && m.replacesInput) {  // the input segment, in place
    applyInPlace(m, input, *labels);
    return;
  }
  Segment meta;
  meta.algorithm = SegmentAlgorithm::Automatic;
  meta.algorithmName = m.id;
  meta.algorithmVersion = m.version;
  // Undoable and journaled, into a segmentation over the layer read (SegEditing::addSegment).
  const int layer = state_.layerOfSerial(jobInput_);
  if (layer < 0) {
    message_->setText(QString::fromStdString(
        makeError("viewer.series_closed", m.name + ": the series it read was closed during the run").str()));
    emit finished(false);
    return;
  }
  const int target = editing_.targetFor(layer);  // the new segment's number and colour in its segmentation
  const std::vector<Segment> none;
  const auto& segments = target < 0 ? none : state_.segmentations()[static_cast<size_t>(target)].segmentation->segments();
  const size_t count = segments.size();
  const std::string base = m.resultName.empty() ? jobName_ : m.resultName;
  // "Lesion 3" after "Lesion 1" and "Lesion 2" of this segmentation, whatever else it holds.
  int64_t next = 1;
  for (const Segment& g : segments) {
    if (g.name.size() <= base.size() + 1 || g.name.compare(0, base.size() + 1, base + " ") != 0) continue;
    int64_t n = 0;
    const char* to = g.name.data() + g.name.size();
    const auto [end, ec] = std::from_chars(g.name.data() + base.size() + 1, to, n);
    if (ec == std::errc() && end == to && n >= 0 && n < 1000000) next = std::max(next, n + 1);
  }
  meta.name = m.input == plugin::PluginInput::Segment ? jobName_ : base + " " + std::to_string(next);
  meta.rgb = view::newSegmentColour(count);
  meta = view::withSegmentTermCode(meta, m.resultType);  // "Lesion 1", a Neoplasm, in its term's colour
  if (m.input != plugin::PluginInput::Segment && !m.resultName.empty())
    meta.rgb = view::numberedColour(meta.rgb, next);  // "Lesion 2" apart from "Lesion 1"
  auto r = editing_.addSegment(meta, (*labels)->as<uint8_t>(), layer);
  if (!r.ok()) {
    message_->setText(QString::fromStdString(r.error().str()));
    emit finished(false);
    return;
  }
  const auto& seg = *state_.segmentations()[static_cast<size_t>(r->first)].segmentation;
  message_->setText(tr("%1: %2 mL").arg(QString::fromStdString(meta.name)).arg(seg.volumeMl(static_cast<size_t>(r->second)), 0, 'f', 1) +
                    reportNote());
  emit finished(true);
}

// A replacesInput run's result onto the segment it read, as it is now (SegEditing::applyRunResult).
// A brush stroke still open (the mouse held when the run ended) is waited out: the result goes in
// once it ends, not dropped.
void SegRunPanel::applyInPlace(const plugin::Manifest& m, std::shared_ptr<Volume> input, std::shared_ptr<Volume> labels) {
  if (editing_.inStroke()) {
    QTimer::singleShot(50, this, [this, &m, input, labels] { applyInPlace(m, input, labels); });
    return;
  }
  const std::shared_ptr<Segmentation> seg = jobSegmentationRef_.lock();
  const Status ok = !input || !seg
                        ? makeError("seg.segment_gone", "the segmentation the run read was closed during the run")
                        : editing_.applyRunResult(*seg, jobSegmentNumber_, jobRemovals_, *input, *labels);
  const QString done = tr("%1: %2 updated").arg(QString::fromStdString(m.name), QString::fromStdString(jobName_));
  message_->setText(ok.ok() ? done + reportNote() : QString::fromStdString(ok.error().str()));
  emit finished(ok.ok());
}

}  // namespace cvx::viewer
