#include <cvx/core/segmentation.h>

#include <algorithm>
#include <cmath>

namespace cvx {

const char* toString(SegmentAlgorithm a) {
  switch (a) {
    case SegmentAlgorithm::Manual:
      return "MANUAL";
    case SegmentAlgorithm::Semiautomatic:
      return "SEMIAUTOMATIC";
    case SegmentAlgorithm::Automatic:
      return "AUTOMATIC";
  }
  return "MANUAL";
}

bool parseSegmentAlgorithm(const std::string& s, SegmentAlgorithm& out) {
  if (s == "MANUAL")
    out = SegmentAlgorithm::Manual;
  else if (s == "SEMIAUTOMATIC")
    out = SegmentAlgorithm::Semiautomatic;
  else if (s == "AUTOMATIC")
    out = SegmentAlgorithm::Automatic;
  else
    return false;
  return true;
}

LayerSlot packSegment(const std::vector<const Volume*>& layers, const uint8_t* mask, int64_t n,
                      const std::vector<Segment>* segments) {
  for (size_t l = 0; l < layers.size(); ++l) {
    const Volume* v = layers[l];
    if (!v || v->type() != PixelType::UInt8 || v->voxelCount() < n) continue;
    const uint8_t* p = v->as<uint8_t>();
    uint8_t highest = 0;
    for (size_t k = 0; segments && k < segments->size(); ++k)  // an empty segment's label is taken too
      if ((*segments)[k].layer == l) highest = std::max(highest, (*segments)[k].label);
    bool overlap = false;
    for (int64_t i = 0; i < n; ++i) {
      highest = std::max(highest, p[i]);
      if (mask && mask[i] && p[i]) {
        overlap = true;
        break;
      }
    }
    if (!overlap && highest < 255) return {l, static_cast<uint8_t>(highest + 1), false};
  }
  return {layers.size(), 1, true};
}

double voxelVolumeMm3(const Geometry& g) {
  const Vec3 a = g.direction[0] * g.spacingMm.x, b = g.direction[1] * g.spacingMm.y,
             c = g.direction[2] * g.spacingMm.z;
  return std::fabs(dot(a, cross(b, c)));
}

ReferencedSeries referenceOf(const Volume& source) {
  ReferencedSeries r;
  r.studyInstanceUid = source.info.studyInstanceUid;
  r.seriesInstanceUid = source.info.seriesInstanceUid;
  r.frameOfReferenceUid = source.info.frameOfReferenceUid;
  const int64_t nz = source.dims()[2];
  r.sopInstanceUids.assign(static_cast<size_t>(nz), std::string());
  for (int64_t z = 0; z < nz && z < static_cast<int64_t>(source.sources.size()); ++z)
    r.sopInstanceUids[static_cast<size_t>(z)] = source.sources[static_cast<size_t>(z)].sopInstanceUid;
  return r;
}

Segmentation::Segmentation(std::array<int64_t, 3> dims, const Geometry& geometry)
    : dims_(dims), geometry_(geometry) {}

Segmentation Segmentation::onGridOf(const Volume& source) {
  Segmentation s({source.dims()[0], source.dims()[1], source.dims()[2]}, source.geometry);
  s.reference = referenceOf(source);
  return s;
}

Result<size_t> Segmentation::addLayer() {
  auto v = Volume::create(PixelType::UInt8, {dims_[0], dims_[1], dims_[2], 1});
  if (!v) return v.error();
  (*v)->geometry = geometry_;
  layers_.push_back(std::move(*v));
  return layers_.size() - 1;
}

LayerSlot Segmentation::slotFor(const uint8_t* mask) const {
  std::vector<const Volume*> raw;
  for (const auto& l : layers_) raw.push_back(l.get());
  return packSegment(raw, mask, voxelsPerLayer(), &segments_);
}

Result<size_t> Segmentation::addSegment(Segment meta, const uint8_t* mask) {
  const int64_t n = voxelsPerLayer();
  const LayerSlot slot = slotFor(mask);
  if (slot.newLayer) {
    auto l = addLayer();
    if (!l) return l.error();
  }
  uint8_t* p = layers_[slot.layer]->as<uint8_t>();
  for (int64_t i = 0; mask && i < n; ++i)
    if (mask[i]) p[i] = slot.label;
  meta.layer = static_cast<uint32_t>(slot.layer);
  meta.label = slot.label;
  if (meta.number == 0) {
    uint16_t highest = 0;
    for (const auto& s : segments_) highest = std::max(highest, s.number);
    meta.number = static_cast<uint16_t>(highest + 1);
  }
  segments_.push_back(std::move(meta));
  return segments_.size() - 1;
}

std::vector<uint8_t> Segmentation::mask(size_t i) const {
  const int64_t n = voxelsPerLayer();
  std::vector<uint8_t> m(static_cast<size_t>(n), 0);
  if (i >= segments_.size() || segments_[i].layer >= layers_.size()) return m;
  const uint8_t* p = layers_[segments_[i].layer]->as<uint8_t>();
  const uint8_t label = segments_[i].label;
  for (int64_t k = 0; k < n; ++k) m[static_cast<size_t>(k)] = p[k] == label ? 1 : 0;
  return m;
}

int64_t Segmentation::voxelCount(size_t i) const {
  if (i >= segments_.size() || segments_[i].layer >= layers_.size()) return 0;
  const uint8_t* p = layers_[segments_[i].layer]->as<uint8_t>();
  const uint8_t label = segments_[i].label;
  return std::count(p, p + voxelsPerLayer(), label);
}

Result<Segmentation> Segmentation::copyWithLabels() const {
  Segmentation c = *this;
  for (auto& l : c.layers_) {
    if (!l) continue;
    auto v = Volume::create(l->type(), l->dims(), VoxelInit::Uninitialized);
    if (!v) return v.error();
    (*v)->geometry = l->geometry;
    std::copy_n(l->data(), l->byteSize(), (*v)->data());
    l = std::move(*v);
  }
  return c;
}

int64_t Segmentation::findByNumber(uint16_t number) const {
  for (size_t i = 0; i < segments_.size(); ++i)
    if (segments_[i].number == number) return static_cast<int64_t>(i);
  return -1;
}

}  // namespace cvx
