# vigil_add_plugin(<name> SOURCES <files...> [LIBRARIES <libs...>])
#
# Builds a Vigil plugin library named <name>.so that exports only the entry
# symbol: hidden visibility, no undefined symbols left for the host to
# resolve (a plugin must not depend on symbols of the host binary).
#
# The version script (vigil_plugin.map, beside this file) makes the entry
# symbol the only export even of code compiled with default visibility
# (static libraries, header-only libraries' unique symbols).
set(VIGIL_PLUGIN_VERSION_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/vigil_plugin.map)

function(vigil_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE VigilSDK::sdk ${ARG_LIBRARIES})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${name} PRIVATE "LINKER:--version-script=${VIGIL_PLUGIN_VERSION_SCRIPT}")
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${VIGIL_PLUGIN_VERSION_SCRIPT})
  # Sanitizer runtimes live in the executable, so sanitized plugins keep
  # their sanitizer symbols undefined.
  if(NOT VIGIL_SANITIZE)
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()
