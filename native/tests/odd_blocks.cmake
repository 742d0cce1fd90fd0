# host-odd-blocks: the same random MIDI run at block sizes 1, 37 and 4096 (and with a random size
# per block), each a separate copilot-host process. Fails if any run fails.
#   cmake -DHOST=path/to/copilot-host -DBUNDLE=path/to/CoPilot.vst3 -P odd_blocks.cmake
if(NOT HOST OR NOT BUNDLE)
  message(FATAL_ERROR "odd_blocks.cmake needs -DHOST=... and -DBUNDLE=...")
endif()

# block size : blocks [: extra option] (5 to 90 seconds of music each)
set(runs "1:240000" "37:8000" "4096:1000" "1024:2000:--vary-block-sizes")
set(failed "")
foreach(run IN LISTS runs)
  string(REPLACE ":" ";" parts "${run}")
  list(GET parts 0 size)
  list(GET parts 1 blocks)
  set(extra "")
  list(LENGTH parts n)
  if(n GREATER 2)
    list(GET parts 2 extra)
  endif()
  message(STATUS "copilot-host --block-size ${size} --blocks ${blocks} ${extra}")
  execute_process(
    COMMAND "${HOST}" --strict --block-size ${size} --blocks ${blocks} --midi random --seed 3
            ${extra} "${BUNDLE}"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
  # Show the failures and the summary line of every run.
  string(REGEX MATCHALL "(^|\n)(FAIL|error|abuse: FAIL)[^\n]*" problems "${out}\n${err}")
  string(REGEX MATCH "copilot-host: [^\n]*" summary "${out}")
  foreach(p IN LISTS problems)
    string(STRIP "${p}" p)
    message("  ${p}")
  endforeach()
  message("  ${summary}")
  if(NOT rc EQUAL 0)
    list(APPEND failed "block-size ${size} ${extra} (exit ${rc})")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "host-odd-blocks failed: ${failed}")
endif()
