# Seed corpora of the image-format fuzzers (fuzz/corpus/{nifti,nrrd,meta}/): small hand-made files
# (nibabel for NIfTI, text + numpy for NRRD and MetaImage). Run from the repository root with
# /usr/bin/python3 (Debian's python3-nibabel and python3-numpy).
import gzip, zlib, os
import numpy as np, nibabel as nib

root = 'fuzz/corpus'
for d in ('nifti', 'nrrd', 'meta'):
    os.makedirs(f'{root}/{d}', exist_ok=True)

rng = np.arange(6 * 5 * 4, dtype=np.int16).reshape(6, 5, 4) * 37 - 900
aff = np.array([[-0.7, 0.1, 0.0, 12.5], [0.0, 0.8, 0.3, -40.0], [0.05, 0.0, 2.5, 7.0], [0, 0, 0, 1]])

def save(img, name, gz=False):
    p = f'{root}/nifti/{name}'
    img.to_filename(p)

# NIfTI-1 int16, sform + qform
img = nib.Nifti1Image(rng, aff); img.header.set_qform(aff, 1); img.header.set_sform(aff, 1)
save(img, 'n1_int16_sform_qform.nii')
# NIfTI-1 gzip (the fuzzer names its input .nii; the reader detects gzip from the bytes)
img.to_filename(f'{root}/nifti/x.nii.gz'); os.replace(f'{root}/nifti/x.nii.gz', f'{root}/nifti/n1_int16_gz.nii')
# big-endian uint8 4D, qform only, time units ms
be = nib.Nifti1Image(np.arange(3 * 3 * 2 * 3, dtype='>u1').reshape(3, 3, 2, 3), np.diag([1.5, 1.5, 3, 1]))
be.header.set_sform(None, 0); be.header.set_qform(np.diag([1.5, 1.5, 3, 1]), 1); be.header.set_xyzt_units('mm', 'msec')
be.header['pixdim'][4] = 250
be.header.set_data_dtype('>u1')
be.to_filename(f'{root}/nifti/n1_uint8_4d_bigendian_qform.nii')
# float32 with scl_slope, no orientation at all (method 1)
f = nib.Nifti1Image(np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 2, 2), None)
f.header.set_sform(None, 0); f.header.set_qform(None, 0); f.header['scl_slope'] = 2.5; f.header['scl_inter'] = -1
f.to_filename(f'{root}/nifti/n1_float32_no_orientation.nii')
# NIfTI-2 float64 (converted to float32 on reading), sheared sform, no qform
sh = aff.copy(); sh[0, 2] = 0.4
n2 = nib.Nifti2Image(np.arange(24, dtype=np.float64).reshape(4, 3, 2), sh); n2.header.set_qform(None, 0)
n2.to_filename(f'{root}/nifti/n2_float64_sheared_sform.nii')
# RGB24
rgb = np.zeros((4, 3, 2), dtype=[('R', 'u1'), ('G', 'u1'), ('B', 'u1')])
rgb['R'] = 10; rgb['G'] = np.arange(24).reshape(4, 3, 2); rgb['B'] = 200
nib.Nifti1Image(rgb, aff).to_filename(f'{root}/nifti/n1_rgb24.nii')

def text(path, s, data=b''):
    with open(path, 'wb') as fh:
        fh.write(s.encode() + data)

vox = np.arange(4 * 3 * 2, dtype='<i2') * 101 - 1000
text(f'{root}/nrrd/raw_lps_int16.nrrd',
     'NRRD0004\n# hand-made\ntype: short\ndimension: 3\nspace: left-posterior-superior\nsizes: 4 3 2\n'
     'space directions: (0.7,0,0) (0,0.8,0.1) (0,0,2.5)\nkinds: domain domain domain\nendian: little\n'
     'encoding: raw\nspace origin: (-12.5,40,7)\n\n', vox.tobytes())
text(f'{root}/nrrd/gzip_ras_float.nrrd',
     'NRRD0005\ntype: float\ndimension: 3\nspace: RAS\nsizes: 2 2 3\n'
     'space directions: (-1,0,0) (0,-1,0) (0,0,2)\nendian: big\nencoding: gzip\nspace origin: (1,2,3)\n\n',
     gzip.compress(np.arange(12, dtype='>f4').tobytes(), mtime=0))
text(f'{root}/nrrd/rgb_4d_time.nrrd',
     'NRRD0004\ntype: uchar\ndimension: 5\nspace: LPS\nsizes: 3 2 2 2 3\n'
     'space directions: none (1,0,0) (0,1,0) (0,0,1) none\nkinds: RGB-color domain domain domain list\n'
     'encoding: raw\nspacings: NaN NaN NaN NaN 0.5\nunits: "" "" "" "" "s"\n\n', bytes(range(72)))
text(f'{root}/nrrd/no_space_byteskip_uint16.nrrd',
     'NRRD0004\ntype: unsigned short\ndimension: 3\nsizes: 3 2 2\nspacings: 0.5 0.5 1.25\nendian: little\n'
     'encoding: raw\nbyte skip: -1\n\n', b'junk' + np.arange(12, dtype='<u2').tobytes())

text(f'{root}/meta/raw_short_matrix.mha',
     'ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\n'
     'TransformMatrix = 1 0 0 0 0.96 0.28 0 -0.28 0.96\nOffset = -12.5 40 7\nElementSpacing = 0.7 0.8 2.5\n'
     'DimSize = 4 3 2\nElementType = MET_SHORT\nElementDataFile = LOCAL\n', vox.tobytes())
text(f'{root}/meta/zlib_float_4d.mha',
     'ObjectType = Image\nNDims = 4\nBinaryData = True\nCompressedData = True\nOffset = 0 0 0 100\n'
     'ElementSpacing = 1 1 2 250\nDimSize = 2 2 2 2\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n',
     zlib.compress(np.arange(16, dtype='<f4').tobytes()))
text(f'{root}/meta/rgb_2d_msb.mha',
     'ObjectType = Image\nNDims = 2\nElementNumberOfChannels = 3\nDimSize = 3 2\n'
     'ElementType = MET_UCHAR\nElementByteOrderMSB = True\nElementDataFile = LOCAL\n', bytes(range(18)))
text(f'{root}/meta/uint_big_endian.mha',
     'ObjectType = Image\nNDims = 3\nBinaryDataByteOrderMSB = True\nDimSize = 2 2 1\n'
     'ElementType = MET_UINT\nElementDataFile = LOCAL\n', np.array([1, 70000, 2**31, 5], dtype='>u4').tobytes())
