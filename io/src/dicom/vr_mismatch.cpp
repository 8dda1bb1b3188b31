// SPDX-License-Identifier: MIT
// Opening a Part 10 file whose data set is written with another VR encoding than its meta header
// declares (explicit declared and implicit written, or the reverse): the data set is read as it
// is written, told by its first element the way pydicom and GDCM tell it (fast::explicitVrAt),
// and encapsulated Pixel Data keeps the declared syntax as its representation, so that the
// codecs still know what the fragments hold.
#include <cstdio>
#include <cstring>
#include <vector>

#include <dcmtk/dcmdata/dcistrmf.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dicom/dcm_util.h"
#include "dicom/fast_parse.h"

namespace cvx::io::dcm {
namespace {

constexpr size_t kHead = 8 * 1024;  // the meta header and the first data set element fit (else: as declared)

// putOriginalRepresentation sets the element's length field to 0; encapsulated Pixel Data has an
// undefined length, which the pixel bounds check (and DCMTK's writer) rely on. The field's setter
// is protected in DcmObject: reached through a member pointer named in a derived class.
struct LengthField : DcmPixelData {
  static void setUndefined(DcmPixelData& p) { (p.*(&LengthField::setLengthField))(DCM_UndefinedLength); }
};

// The written encoding when it differs from the declared one; EXS_Unknown otherwise.
E_TransferSyntax mismatchedEncoding(const std::string& path, E_TransferSyntax& declared, size_t& datasetStart) {
  std::vector<uint8_t> head(kHead);
  FILE* fp = std::fopen(path.c_str(), "rb");
  if (!fp) return EXS_Unknown;
  head.resize(std::fread(head.data(), 1, head.size(), fp));
  std::fclose(fp);
  if (head.size() < 132 + 12 || std::memcmp(head.data() + 128, "DICM", 4) != 0) return EXS_Unknown;
  detail::fast::Reader meta(head.data(), head.size(), 132, true);
  detail::fast::Attrs attrs;
  if (!detail::fast::parseMeta(meta, attrs) || head.size() - meta.pos < 8) return EXS_Unknown;
  const DcmXfer x(detail::fast::Access{&attrs}.str(DCM_TransferSyntaxUID).c_str());
  // Big endian and deflated data sets are out of scope: their encoding is not told this way.
  if (x.getXfer() == EXS_Unknown || x.isBigEndian() || x.getStreamCompression() != ESC_none) return EXS_Unknown;
  const bool writtenExplicit = detail::fast::explicitVrAt(head.data(), head.size(), meta.pos);
  if (writtenExplicit == x.isExplicitVR()) return EXS_Unknown;
  declared = x.getXfer();
  datasetStart = meta.pos;
  return writtenExplicit ? EXS_LittleEndianExplicit : EXS_LittleEndianImplicit;
}

}  // namespace

OFCondition loadAsWritten(const std::string& path, DcmFileFormat& ff, Uint32 maxReadLength, bool* mismatched) {
  E_TransferSyntax declared = EXS_Unknown;
  size_t start = 0;
  const E_TransferSyntax written = mismatchedEncoding(path, declared, start);
  if (mismatched) *mismatched = written != EXS_Unknown;
  if (written == EXS_Unknown) return ff.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, maxReadLength, ERM_autoDetect);
  OFCondition c = ff.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, maxReadLength, ERM_metaOnly);
  if (c.bad()) return c;
  DcmInputFileStream in(path.c_str(), static_cast<offile_off_t>(start));
  if (in.status().bad()) return in.status();
  DcmDataset* ds = ff.getDataset();
  ds->clear();
  ds->transferInit();
  c = ds->read(in, written, EGL_noChange, maxReadLength);
  ds->transferEnd();
  if (c.bad()) return c;
  // Fragments read under the written (native) encoding still hold the declared codec's data.
  DcmElement* el = nullptr;
  DcmPixelData* px = nullptr;
  if (ds->findAndGetElement(DCM_PixelData, el, OFFalse).good() && (px = dynamic_cast<DcmPixelData*>(el))) {
    E_TransferSyntax cur = EXS_Unknown;
    const DcmRepresentationParameter* param = nullptr;
    px->getCurrentRepresentationKey(cur, param);
    DcmPixelSequence* seq = nullptr;
    if (DcmXfer(declared).isEncapsulated() && px->getEncapsulatedRepresentation(cur, param, seq).good() && seq) {
      px->putOriginalRepresentation(declared, nullptr, new DcmPixelSequence(*seq));
      LengthField::setUndefined(*px);
    }
  }
  return EC_Normal;
}

}  // namespace cvx::io::dcm
