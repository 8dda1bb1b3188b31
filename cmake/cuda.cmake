# CUDA back end: built when nvcc is found (see STACK.md for the -std=c++20 pitfall).
include(CheckLanguage)
if(NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
  set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
endif()
check_language(CUDA)
if(CMAKE_CUDA_COMPILER)
  if(NOT CMAKE_CUDA_ARCHITECTURES)
    # The release list: machine code for Turing, Ampere (A100 and consumer), Ada, Hopper and
    # Blackwell (CUDA 13's minimum is 7.5), and PTX for newer devices. CI narrows it to 90 (.ci/run).
    set(CMAKE_CUDA_ARCHITECTURES 75-real 80-real 86-real 89-real 90-real 120-real 120-virtual)
  endif()
  enable_language(CUDA)
  # CMake 3.25 does not know nvcc 13's C++20 flag, and core's cxx_std_20 makes every consumer
  # require the CUDA20 dialect: tell CMake the flag (STACK.md).
  if(NOT CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
    set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
    set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
  endif()
  if(EXISTS ${CMAKE_SOURCE_DIR}/cuda/CMakeLists.txt)
    add_subdirectory(cuda)
  endif()
else()
  message(STATUS "nvcc not found: building without the CUDA back end")
endif()
