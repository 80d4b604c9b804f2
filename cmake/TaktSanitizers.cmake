# Sanitized builds. TAKT_SANITIZE=ON builds everything with AddressSanitizer and
# UndefinedBehaviorSanitizer (the float-to-integer overflow check included, which GCC leaves
# out of "undefined"), stopping at the first report. TAKT_FUZZ=ON (with clang) adds libFuzzer's
# coverage to every target and builds the fuzz harnesses of tests/fuzz/.
option(TAKT_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(TAKT_FUZZ "Build the libFuzzer harnesses (needs clang); implies the sanitizers" OFF)

if(TAKT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TAKT_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(TAKT_SANITIZE ON)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(TAKT_SANITIZE)
  set(takt_sanitizers -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_compile_options(${takt_sanitizers})
  add_link_options(-fsanitize=address,undefined,float-cast-overflow)
endif()
