# Strict warnings for every takt target; TAKT_WARNINGS_AS_ERRORS makes them fatal (CI does).
function(takt_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wold-style-cast -Woverloaded-virtual -Wdouble-promotion)
  if(TAKT_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
