// The table every test plugin returns, with its id and its segment function.
#pragma once
#include <cvx/core/plugin/plugin.h>

#define CVX_TEST_PLUGIN(ID, SEGMENT, API_VERSION)                                                    \
  CVX_PLUGIN_ENTRY {                                                                                \
    static const CvxPluginApi api = {API_VERSION, sizeof(CvxPluginApi), ID, "test", "0.1",          \
                                     CVX_KIND_SEGMENTER, CVX_BACKEND_CPU, nullptr, 0, SEGMENT, nullptr, {}}; \
    return &api;                                                                                    \
  }
