# vigil_add_plugin(<name> SOURCES <files...> [LIBRARIES <libs...>])
#
# Builds a Vigil plugin library named <name>.so that exports only the entry
# symbol: hidden visibility, no undefined symbols left for the host to
# resolve (a plugin must not depend on symbols of the host binary).
function(vigil_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE VigilSDK::sdk ${ARG_LIBRARIES})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Sanitizer runtimes live in the executable, so sanitized plugins keep
  # their sanitizer symbols undefined.
  if(NOT VIGIL_SANITIZE)
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()
