#!/usr/bin/env python3
# Reference decoding of every file of pydicom's own test files, for tests/data/pydicom_test.cpp.
# Usage: pydicom_reference.py OUTDIR
# Writes OUTDIR/manifest.tsv, one line per file (tab-separated):
#   path  kind  frames rows cols samples  lossy  bin  note
# kind is "image" when pydicom decodes the Pixel Data (the same values on two reads, and for JPEG 2000
# a codestream whose SIZ size is the header's), else "nonimage". For an image, bin names a
# float64 little-endian array (frames x rows x cols x samples) of pydicom's values after the
# modality transform the file states (Rescale Slope/Intercept; DoseGridScaling for RT Dose) and,
# where pydicom leaves YBR_FULL/YBR_FULL_422, its conversion to RGB.
# Exit status 3 when pydicom or numpy is missing (the caller skips or fails).
import os
import sys
import warnings

try:
    import numpy as np
    import pydicom
    import pydicom.data
    from pydicom.errors import InvalidDicomError
    from pydicom.pixel_data_handlers.util import apply_modality_lut, convert_color_space
except ImportError as e:
    print("pydicom_reference: %s" % e, file=sys.stderr)
    sys.exit(3)

LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.91"}


def read(path):
    try:
        return pydicom.dcmread(path)
    except InvalidDicomError:
        # No preamble and no meta header: pydicom reads it when told to (force=True).
        return pydicom.dcmread(path, force=True)


J2K = {"1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201",
       "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203"}


def check_j2k_size(ds):
    # A JPEG 2000 codestream states its own size (SIZ marker: Xsiz-XOsiz by Ysiz-YOsiz, ISO 15444-1
    # A.5.1). When it is not Columns x Rows the codestream is damaged (JPEG2000-embedded-sequence-
    # delimiter.dcm: the delimiter bytes overwrite SIZ), and whatever a decoder returns is no
    # reference (GDCM's buffer then changes from one read to the next).
    ts = str(ds.file_meta.get("TransferSyntaxUID", "")) if hasattr(ds, "file_meta") else ""
    if ts not in J2K:
        return
    from pydicom.encaps import generate_pixel_data_frame
    first = next(generate_pixel_data_frame(ds.PixelData))
    at = first.find(b"\xff\x4f\xff\x51")
    if at < 0 or len(first) < at + 24:
        raise ValueError("JPEG 2000 codestream without a SIZ marker")
    x, y, xo, yo = (int.from_bytes(first[at + 8 + 4 * i:at + 12 + 4 * i], "big") for i in range(4))
    if (x - xo, y - yo) != (int(ds.Columns), int(ds.Rows)):
        raise ValueError("JPEG 2000 codestream is %dx%d, the header says %dx%d" %
                         (x - xo, y - yo, int(ds.Columns), int(ds.Rows)))


def reference(ds, path):
    check_j2k_size(ds)
    arr = ds.pixel_array
    # A decoder that fails may still hand pydicom a buffer (GDCM on a damaged codestream: the
    # values change from one read to the next). Only a reproducible decoding is a reference.
    if not np.array_equal(arr, read(path).pixel_array):
        raise ValueError("pydicom's decoding is not reproducible (its decoder failed)")
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    samples = int(ds.SamplesPerPixel)
    if samples > 1 and str(ds.PhotometricInterpretation) in ("YBR_FULL", "YBR_FULL_422"):
        arr = convert_color_space(arr, str(ds.PhotometricInterpretation), "RGB")
    if ds.get("Modality") == "RTDOSE" and "DoseGridScaling" in ds:
        out = arr.astype(np.float64) * float(ds.DoseGridScaling)
    elif samples == 1:
        out = np.asarray(apply_modality_lut(arr, ds), dtype=np.float64)
    else:
        out = arr.astype(np.float64)
    out = out.reshape(frames, int(ds.Rows), int(ds.Columns), samples)
    return out, frames, samples


def main():
    outdir = sys.argv[1]
    root = os.path.join(os.path.dirname(pydicom.data.__file__), "test_files")
    if not os.path.isdir(root):
        print("pydicom_reference: no test_files in " + root, file=sys.stderr)
        sys.exit(3)
    warnings.simplefilter("ignore")
    lines = []
    n = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            kind, shape, lossy, binname, note = "nonimage", (0, 0, 0, 0), 0, "-", "-"
            try:
                ds = read(path)
                if "PixelData" not in ds:
                    note = "no Pixel Data"
                else:
                    out, frames, samples = reference(ds, path)
                    n += 1
                    binname = "ref%03d.bin" % n
                    out.astype("<f8").tofile(os.path.join(outdir, binname))
                    kind, shape = "image", (frames, int(ds.Rows), int(ds.Columns), samples)
                    ts = str(ds.file_meta.get("TransferSyntaxUID", "")) if hasattr(ds, "file_meta") else ""
                    lossy = 1 if ts in LOSSY else 0
                    note = ts or "-"
            except Exception as e:  # pydicom cannot read or decode it: not an image to pydicom
                note = (type(e).__name__ + ": " + str(e)).replace("\t", " ").replace("\n", " ")[:160]
            lines.append("\t".join([path, kind] + [str(v) for v in shape] + [str(lossy), binname, note]))
    with open(os.path.join(outdir, "manifest.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
