# One helper per target kind. Targets are named vxp_<name> with the alias vxp::<name>; source
# lists are explicit.
include_guard(GLOBAL)

# vxp_library(<name> SOURCES ... [DEPS ...]): a static library of the project.
function(vxp_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(vxp_${name} STATIC ${ARG_SOURCES})
  add_library(vxp::${name} ALIAS vxp_${name})
  target_include_directories(vxp_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(vxp_${name} PUBLIC ${ARG_DEPS})
  target_compile_options(vxp_${name} PRIVATE ${VXP_WARNINGS})
endfunction()

# vxp_test(<name> SOURCES ... [DEPS ...]): a GoogleTest binary, registered with ctest test by test.
function(vxp_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  if(NOT VXP_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_options(${name} PRIVATE ${VXP_WARNINGS})
  target_compile_definitions(${name} PRIVATE VXP_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                             VXP_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()

# vxp_bench(<name> SOURCES ... [DEPS ...]): a benchmark program; built, never run by ctest.
function(vxp_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_compile_definitions(${name} PRIVATE VXP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endfunction()

# vxp_fuzzer(<name> SOURCES ... [DEPS ...] CORPUS <dir>): a libFuzzer target when the compiler is
# clang; with any compiler, a replay binary <name>_replay runs every corpus file through the same
# entry point and is registered as a ctest test, so CI replays the corpus on every run.
function(vxp_fuzzer name)
  cmake_parse_arguments(ARG "" "CORPUS" "SOURCES;DEPS" ${ARGN})
  add_executable(${name}_replay ${ARG_SOURCES} ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cc)
  target_link_libraries(${name}_replay PRIVATE ${ARG_DEPS})
  set_target_properties(${name}_replay PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
  if(VXP_BUILD_TESTS)
    add_test(NAME fuzz.${name}.corpus COMMAND ${name}_replay ${ARG_CORPUS})
    set_tests_properties(fuzz.${name}.corpus PROPERTIES TIMEOUT 300)
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND VXP_FUZZ)
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_DEPS})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
  endif()
endfunction()

# vxp_embed(<out_var> <file> <symbol>): generates a .cc defining
#   extern const std::string_view <symbol>;  (namespace vxp::embedded)
# with the file's bytes, so core libraries carry data without reading files at run time.
function(vxp_embed out_var file symbol)
  set(in ${CMAKE_CURRENT_SOURCE_DIR}/${file})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${symbol}.cc)
  file(READ ${in} content)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${in})
  file(CONFIGURE OUTPUT ${out} CONTENT
"// Generated from ${file} by vxp_embed; do not edit.
#include <string_view>
namespace vxp::embedded {
extern const std::string_view ${symbol};
const std::string_view ${symbol} = R\"vxpembed(${content})vxpembed\";
}  // namespace vxp::embedded
" @ONLY)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
