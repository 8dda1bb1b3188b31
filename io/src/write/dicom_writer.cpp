// SPDX-License-Identifier: MIT
// The small DICOM writer (cvx/io/dicom_writer.h) over DCMTK's data set: attributes by keyword with
// the dictionary's VR, values checked by DCMTK, Part 10 files written beside the target and moved
// into place (link for no-clobber, rename to replace).
#include <cvx/io/dicom_writer.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

namespace cvx::io {

namespace {

constexpr size_t kNoNode = static_cast<size_t>(-1);
constexpr const char* kNotInDictionary = "no such keyword or tag in the DICOM dictionary";

// Keyword -> tag, cached: DCMTK's name lookup walks the whole dictionary.
bool lookUpTag(std::string_view keyword, DcmTag& tag) {
  static std::mutex mutex;
  static std::map<std::string, DcmTagKey, std::less<>> cache;
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (const auto it = cache.find(keyword); it != cache.end()) {
      tag = DcmTag(it->second);
      return true;
    }
  }
  const std::string name(keyword);
  if (name.empty() || DcmTag::findTagFromName(name.c_str(), tag).bad()) return false;
  if (tag.getEVR() == EVR_UN || tag.getEVR() == EVR_UNKNOWN) return false;  // "gggg,eeee" not in the dictionary
  const std::lock_guard<std::mutex> lock(mutex);
  cache.emplace(name, DcmTagKey(tag));
  return true;
}

// VRs whose value DCMTK takes from text: the string VRs and the binary numbers.
bool takesText(DcmEVR vr) {
  switch (vr) {
    case EVR_US: case EVR_SS: case EVR_UL: case EVR_SL: case EVR_FL: case EVR_FD: case EVR_AT:
      return true;
    case EVR_SQ: case EVR_UN:
      return false;
    default:
      return DcmVR(vr).isaString();
  }
}

}  // namespace

struct DicomItemWriter::State {
  DcmFileFormat file;
  std::vector<DcmItem*> nodes;  // [0] the data set, then sequence items as handed out
  std::optional<Error> firstError;
  size_t errorCount = 0;

  State() { nodes.push_back(file.getDataset()); }
  DcmItem* node(size_t n) { return n < nodes.size() ? nodes[n] : nullptr; }
  void fail(std::string_view keyword, const std::string& why) {
    if (errorCount++ == 0)
      firstError = makeError("dicom.write_bad_attribute", why, std::string(keyword));
  }
};

std::string newDicomUid() {
  char buf[100];
  dcmGenerateUniqueIdentifier(buf, SITE_INSTANCE_UID_ROOT);
  return buf;
}

DicomItemWriter& DicomItemWriter::set(std::string_view keyword, std::string_view value) {
  DcmItem* item = state_ ? state_->node(node_) : nullptr;
  if (!item) return *this;
  DcmTag tag;
  if (!lookUpTag(keyword, tag)) {
    state_->fail(keyword, kNotInDictionary);
    return *this;
  }
  if (!takesText(tag.getEVR())) {
    state_->fail(keyword, std::string("VR ") + tag.getVRName() + " is not set from text");
    return *this;
  }
  const std::string text(value);
  OFCondition c = item->putAndInsertString(tag, text.c_str());
  DcmElement* element = nullptr;
  if (c.good() && item->findAndGetElement(tag, element).good() && element)
    c = element->checkValue("1-n");
  if (c.bad()) {
    item->findAndDeleteElement(tag);
    state_->fail(keyword, "value '" + text + "' not valid for VR " + tag.getVRName() + ": " + c.text());
  }
  return *this;
}

DicomItemWriter& DicomItemWriter::setU16(std::string_view keyword, uint16_t value) {
  DcmItem* item = state_ ? state_->node(node_) : nullptr;
  if (!item) return *this;
  DcmTag tag;
  if (!lookUpTag(keyword, tag)) {
    state_->fail(keyword, kNotInDictionary);
    return *this;
  }
  if (tag.getEVR() == EVR_xs) tag.setVR(DcmVR(EVR_US));  // US or SS: unsigned here
  if (tag.getEVR() != EVR_US) {
    state_->fail(keyword, std::string("VR ") + tag.getVRName() + " is not US");
    return *this;
  }
  const OFCondition c = item->putAndInsertUint16(tag, value);
  if (c.bad()) state_->fail(keyword, std::string("DCMTK refused the value: ") + c.text());
  return *this;
}

DicomItemWriter& DicomItemWriter::setPixels16(std::span<const uint16_t> pixels) {
  DcmItem* item = state_ ? state_->node(node_) : nullptr;
  if (!item) return *this;
  const OFCondition c = item->putAndInsertUint16Array(DCM_PixelData, pixels.data(),
                                                      static_cast<unsigned long>(pixels.size()));
  if (c.bad()) state_->fail("PixelData", std::string("DCMTK refused the pixels: ") + c.text());
  return *this;
}

DicomItemWriter DicomItemWriter::item(std::string_view sequenceKeyword, size_t index) {
  DcmItem* parent = state_ ? state_->node(node_) : nullptr;
  if (!parent) return {state_, kNoNode};
  DcmTag tag;
  if (!lookUpTag(sequenceKeyword, tag)) {
    state_->fail(sequenceKeyword, kNotInDictionary);
    return {state_, kNoNode};
  }
  if (tag.getEVR() != EVR_SQ) {
    state_->fail(sequenceKeyword, std::string("VR ") + tag.getVRName() + " is not a sequence");
    return {state_, kNoNode};
  }
  DcmItem* child = nullptr;
  const OFCondition c = parent->findOrCreateSequenceItem(tag, child, static_cast<signed long>(index));
  if (c.bad() || !child) {
    state_->fail(sequenceKeyword, std::string("cannot create the sequence item: ") + c.text());
    return {state_, kNoNode};
  }
  for (size_t n = 0; n < state_->nodes.size(); ++n)
    if (state_->nodes[n] == child) return {state_, n};
  state_->nodes.push_back(child);
  return {state_, state_->nodes.size() - 1};
}

DicomWriter::DicomWriter() : DicomItemWriter(std::make_shared<State>(), 0) {}
DicomWriter::~DicomWriter() = default;

namespace {

Status checkSop(DcmDataset& ds) {
  for (const auto& [key, name] : {std::pair{DCM_SOPClassUID, "SOPClassUID"},
                                  std::pair{DCM_SOPInstanceUID, "SOPInstanceUID"}}) {
    OFString v;
    if (ds.findAndGetOFString(key, v).bad() || v.empty())
      return makeError("dicom.write_bad_attribute", "required for the File Meta Information", name);
  }
  return {};
}

// Moves the finished temp file to path: link() refuses an existing target atomically.
Status moveIntoPlace(const std::string& tmp, const std::string& path, Overwrite overwrite) {
  if (overwrite == Overwrite::Yes) {
    if (std::rename(tmp.c_str(), path.c_str()) == 0) return {};
  } else if (::link(tmp.c_str(), path.c_str()) == 0) {
    std::remove(tmp.c_str());
    return {};
  }
  const int err = errno;
  std::remove(tmp.c_str());
  if (err == EEXIST) return makeError("dicom.write_exists", "the file exists and replacing it was not asked for", path);
  return makeError("dicom.write_failed", std::string("cannot move the written file into place: ") + std::strerror(err), path);
}

}  // namespace

Status DicomWriter::save(const std::string& path, Overwrite overwrite) const {
  if (!state_) return makeError("dicom.write_failed", "a moved-from writer", path);
  if (state_->firstError) {
    Error e = *state_->firstError;
    if (state_->errorCount > 1) e.message += " (and " + std::to_string(state_->errorCount - 1) + " more)";
    return e;
  }
  DcmDataset& ds = *state_->file.getDataset();
  CVX_TRY(checkSop(ds));
  std::error_code ec;
  if (overwrite == Overwrite::No && std::filesystem::exists(std::filesystem::symlink_status(path, ec)))
    return makeError("dicom.write_exists", "the file exists and replacing it was not asked for", path);
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  const OFCondition c = state_->file.saveFile(tmp.c_str(), EXS_LittleEndianExplicit);
  if (c.bad()) {
    std::remove(tmp.c_str());
    return makeError("dicom.write_failed", std::string("cannot write the DICOM file: ") + c.text(), path);
  }
  return moveIntoPlace(tmp, path, overwrite);
}

}  // namespace cvx::io
