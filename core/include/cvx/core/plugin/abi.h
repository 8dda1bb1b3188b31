/* The CineVox plugin ABI: plain C, so that a plugin built by any compiler (or in C) loads into
 * any host of the same API version. No C++ type and no exception crosses it: errors come back
 * as a status code plus a message the plugin writes into a buffer the host owns.
 *
 * A plugin is a shared library that exports one function, cvx_plugin_entry(), returning a table
 * (CvxPluginApi) that lives as long as the library. Beside the library lies a JSON manifest
 * (docs/segmentation.md, "Plugins") that the host reads at start-up without loading the library.
 *
 * Growth rules: apiVersion is the first field of the table and is checked before anything else is
 * read; every struct that crosses the boundary starts with (or carries) its size, so that a later
 * version appends fields and a reader knows which ones the writer knew; reserved slots are NULL.
 * A registrar (kind CVX_KIND_REGISTRAR) will get its own request struct and the registerImages
 * slot; in API version 1 that slot is NULL and the host refuses to run registrars. */
#ifndef CVX_CORE_PLUGIN_ABI_H
#define CVX_CORE_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CVX_PLUGIN_API_VERSION 1u
#define CVX_PLUGIN_ENTRY_SYMBOL "cvx_plugin_entry"

#if defined(_WIN32)
#define CVX_PLUGIN_VISIBLE __declspec(dllexport)
#else
#define CVX_PLUGIN_VISIBLE __attribute__((visibility("default")))
#endif

/* What a plugin does. */
typedef enum CvxPluginKind { CVX_KIND_SEGMENTER = 1, CVX_KIND_REGISTRAR = 2 } CvxPluginKind;

/* Back ends, as bits (CvxPluginApi::backends) or one value (CvxSegmentRequest::backend). */
typedef enum CvxBackend { CVX_BACKEND_CPU = 1u, CVX_BACKEND_CUDA = 2u } CvxBackend;

/* Status of a run. The message buffer says more for every value but CVX_STATUS_OK. */
typedef enum CvxStatus {
  CVX_STATUS_OK = 0,
  CVX_STATUS_FAILED = 1,        /* the algorithm failed (host code plugin.failed) */
  CVX_STATUS_CANCELLED = 2,     /* cancel was asked and honoured (plugin.cancelled) */
  CVX_STATUS_BAD_PARAM = 3,     /* a parameter the host let through is still unusable (plugin.bad_param) */
  CVX_STATUS_BAD_INPUT = 4,     /* pixel type, size or back end not supported (plugin.bad_input) */
  CVX_STATUS_OUT_OF_MEMORY = 5, /* (plugin.out_of_memory) */
  CVX_STATUS_EXCEPTION = 6,     /* C++ code threw; the plugin's guard caught it (plugin.exception) */
  CVX_STATUS_DEVICE_FAULT = 7   /* the CUDA back end failed: no usable device, or a CUDA error that
                                 * may have poisoned the context (plugin.device_fault); the host
                                 * stops using CUDA and runs the CPU back end instead */
} CvxStatus;

/* Parameter types. Seed points are voxel indices (i, j, k) of the input grid. */
typedef enum CvxParamType {
  CVX_PARAM_INT = 1,
  CVX_PARAM_FLOAT = 2,
  CVX_PARAM_BOOL = 3,
  CVX_PARAM_ENUM = 4,
  CVX_PARAM_SEEDS = 5
} CvxParamType;

/* CvxParamSpec::flags */
#define CVX_PARAM_HAS_MIN 1u
#define CVX_PARAM_HAS_MAX 2u
#define CVX_PARAM_REQUIRED 4u /* no default: the caller must give a value */

/* One parameter as the plugin declares it; the manifest repeats it (the host checks they agree). */
typedef struct CvxParamSpec {
  const char* name;  /* key of --param key=value: [a-z][a-z0-9_]* */
  const char* label; /* for the form */
  uint32_t type;     /* CvxParamType */
  uint32_t flags;    /* CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX | CVX_PARAM_REQUIRED */
  double defaultValue; /* int/float/bool (0 or 1); enum: index into enumValues */
  double minValue, maxValue; /* inclusive, when the flags say so */
  const char* unit;  /* "HU", "mm", "series" (the series' modality units), "" for none */
  const char* const* enumValues; /* CVX_PARAM_ENUM: the choices */
  uint32_t enumCount;
  const char* description; /* one sentence, or NULL */
} CvxParamSpec;

/* One resolved parameter value, as the host hands it to a run (always all of them, in spec
 * order, defaults filled in, validated against the spec). */
typedef struct CvxParamValue {
  const char* name;
  uint32_t type;         /* CvxParamType */
  double number;         /* int/float/bool (0 or 1)/enum (index) */
  const char* text;      /* enum: the chosen value; otherwise NULL */
  const double* points;  /* seeds: pointCount (i, j, k) triples; otherwise NULL */
  uint32_t pointCount;
} CvxParamValue;

/* Pixel types of the input (the values of cvx::PixelType for the scalar types). */
typedef enum CvxPixelType {
  CVX_PIXEL_UINT8 = 0,
  CVX_PIXEL_INT16 = 1,
  CVX_PIXEL_UINT16 = 2,
  CVX_PIXEL_FLOAT32 = 3
} CvxPixelType;

/* One phase of the input volume, read-only. Voxels are contiguous, x fastest, then y, z. */
typedef struct CvxVolumeView {
  uint32_t structSize;
  uint32_t pixelType;          /* CvxPixelType */
  const void* data;
  int64_t dims[3];             /* x, y, z */
  double spacingMm[3];
  double worldFromVoxel[12];   /* row-major 3x4: LPS mm = M * (i, j, k, 1) */
  int32_t phase, phaseCount;   /* which phase of a 4D series this is */
  double valueSlope, valueIntercept; /* modality value (the series' units) = stored * slope + intercept */
  const char* units;           /* the series' units, e.g. "HU"; "" when unknown */
} CvxVolumeView;

/* The output the host allocated: uint8 labels on the input grid, zero-filled; 0 is background. */
typedef struct CvxLabelView {
  uint32_t structSize;
  uint8_t* data;
  int64_t dims[3];
} CvxLabelView;

/* A segmenter's work. Progress and cancel are polled by the plugin (call cancelled() at least a
 * few times a second); both callbacks are safe to call from any thread. */
typedef struct CvxSegmentRequest {
  uint32_t structSize;
  uint32_t backend; /* one CvxBackend the plugin declared */
  CvxVolumeView input;
  const CvxParamValue* params;
  uint32_t paramCount;
  CvxLabelView output;
  void* callbackUser;
  void (*progress)(void* user, double fraction); /* 0..1 */
  int (*cancelled)(void* user);                  /* nonzero: stop and return CVX_STATUS_CANCELLED */
  char* errorMessage;  /* the plugin writes a NUL-terminated message here on failure */
  size_t errorCapacity;
  /* Appended (read it only when structSize covers it): read-only uint8 labels on the input grid,
   * by the manifest's "input": "segment" -> the active segment's mask (1 inside, 0 outside);
   * "seeds" -> a seed label map (0 unlabelled, 1..n the seed classes); "image" (the default) ->
   * data NULL. The plugin must not write through data (the view's pointer is not const only
   * because CvxLabelView is shared with the output). */
  CvxLabelView mask;
} CvxSegmentRequest;

/* The size of a request as API version 1 first shipped it (before the mask was appended). */
#define CVX_SEGMENT_REQUEST_V1_SIZE offsetof(CvxSegmentRequest, mask)

/* The table a plugin returns. apiVersion stays the first field in every version. */
typedef struct CvxPluginApi {
  uint32_t apiVersion; /* CVX_PLUGIN_API_VERSION the plugin was built against */
  uint32_t structSize; /* sizeof(CvxPluginApi) as the plugin was built */
  const char* id;      /* stable, e.g. "threshold"; equals the manifest's */
  const char* name;
  const char* version;
  uint32_t kind;     /* CvxPluginKind */
  uint32_t backends; /* CvxBackend bits */
  const CvxParamSpec* params;
  uint32_t paramCount;
  int (*segment)(const CvxSegmentRequest* request);  /* segmenters; returns a CvxStatus */
  int (*registerImages)(const void* request);        /* reserved for registrars (NULL in v1) */
  void* reserved[6];                                  /* NULL */
} CvxPluginApi;

typedef const CvxPluginApi* (*CvxPluginEntryFn)(void);

#ifdef __cplusplus
}
#endif

#endif /* CVX_CORE_PLUGIN_ABI_H */
