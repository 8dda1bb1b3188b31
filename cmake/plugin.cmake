# cvx_add_plugin(<target> MANIFEST <file.json> DESTINATION <build folder> [INSTALL] SOURCES ...)
# A plugin: a MODULE library named <target>.so (no "lib" prefix; the manifest's "library" field
# names it) with its manifest copied beside it. It sees only the plugin ABI and core's headers
# (cvx/core/plugin/, cvx/core/hd/), never Qt. INSTALL: both go to lib/cinevox/plugins.
function(cvx_add_plugin target)
  cmake_parse_arguments(P "INSTALL" "MANIFEST;DESTINATION" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${target} MODULE ${P_SOURCES})
  target_include_directories(${target} PRIVATE ${CMAKE_SOURCE_DIR}/core/include)
  target_compile_features(${target} PRIVATE cxx_std_20)
  if(P_LIBRARIES)
    target_link_libraries(${target} PRIVATE ${P_LIBRARIES})
  endif()
  set_target_properties(${target} PROPERTIES PREFIX "" OUTPUT_NAME ${target}
                        LIBRARY_OUTPUT_DIRECTORY ${P_DESTINATION}
                        CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  get_filename_component(_name ${P_MANIFEST} NAME)
  configure_file(${P_MANIFEST} ${P_DESTINATION}/${_name} COPYONLY)
  if(P_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION lib/cinevox/plugins)
    install(FILES ${P_MANIFEST} DESTINATION lib/cinevox/plugins)
  endif()
endfunction()
