# GoogleTest: the installed package, else sources (Debian's googletest package, or a folder
# carried to a bare GPU machine via CVX_GTEST_SOURCE).
set(CVX_GTEST_SOURCE "" CACHE PATH "GoogleTest source tree to build from")
if(NOT CVX_GTEST_SOURCE)
  find_package(GTest QUIET)
endif()
if(NOT TARGET GTest::gtest_main)
  set(_src "${CVX_GTEST_SOURCE}")
  if(NOT _src)
    foreach(_cand "${CMAKE_SOURCE_DIR}/third_party_local/googletest" /usr/src/googletest)
      if(EXISTS "${_cand}/CMakeLists.txt")
        set(_src "${_cand}")
        break()
      endif()
    endforeach()
  endif()
  if(NOT _src)
    message(FATAL_ERROR "GoogleTest not found: install libgtest-dev or set CVX_GTEST_SOURCE")
  endif()
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  add_subdirectory("${_src}" "${CMAKE_BINARY_DIR}/_gtest" EXCLUDE_FROM_ALL)
  # GoogleTest >= 1.11 defines the GTest:: aliases itself.
  if(NOT TARGET GTest::gtest_main)
    add_library(GTest::gtest_main ALIAS gtest_main)
    add_library(GTest::gtest ALIAS gtest)
  endif()
endif()
include(GoogleTest)

# The test executables precompile GoogleTest and the standard headers nearly every test includes:
# a test's compile at -O2 -g was 7.1 s and 6.1 s without, 4.9 s and 4.3 s with (a fifth to a third
# less under ASan), and tests are most of CI's compiling (docs/build.md, "Precompiled headers").
option(CVX_TEST_PCH "Precompile GoogleTest and common standard headers for the tests" ON)
# Extra headers after the target: those of its own that most of its tests include (Qt's, say).
function(cvx_test_pch target)
  if(CVX_TEST_PCH)
    target_precompile_headers(${target} PRIVATE <gtest/gtest.h> <algorithm> <cmath> <functional> <map> <memory>
                              <string> <vector> ${ARGN})
  endif()
endfunction()
