# ardour-scan: Ardour's VST3 scanner must accept the bundle and describe it as a stereo MIDI effect.
#   cmake -DSCANNER=/usr/lib/ardour7/ardour-vst3-scanner -DBUNDLE=/abs/CoPilot.vst3
#         -DWORKDIR=/abs/build/ardour-scan -P ardour_scan.cmake
# The scanner writes $XDG_CACHE_HOME/ardour7/vst/<sha1 of the module .so path>.v3i (XML). Passes
# only when it exits 0, that file exists and its VST3Info says name="CoPilot", one MIDI input and
# output, two audio inputs and outputs. A missing scanner is a failure, not a skip.
if(NOT SCANNER OR NOT BUNDLE OR NOT WORKDIR)
  message(FATAL_ERROR "ardour_scan.cmake needs -DSCANNER=... -DBUNDLE=... -DWORKDIR=...")
endif()
if(NOT EXISTS "${SCANNER}")
  message(FATAL_ERROR "ardour-scan: Ardour's VST3 scanner is not installed (${SCANNER} not found; "
                      "Debian/Ubuntu package ardour, or set -DARDOUR_VST3_SCANNER=...)")
endif()
if(NOT IS_ABSOLUTE "${BUNDLE}")
  message(FATAL_ERROR "ardour-scan: BUNDLE must be an absolute path (got ${BUNDLE})")
endif()
if(NOT IS_DIRECTORY "${BUNDLE}")
  message(FATAL_ERROR "ardour-scan: error: bundle not found: ${BUNDLE}")
endif()
get_filename_component(bundle_name "${BUNDLE}" NAME_WE)
set(module "${BUNDLE}/Contents/x86_64-linux/${bundle_name}.so")
if(NOT EXISTS "${module}")
  message(FATAL_ERROR "ardour-scan: no module at ${module}")
endif()

# A fresh cache folder, so an earlier run's file cannot make this one pass.
file(REMOVE_RECURSE "${WORKDIR}")
file(MAKE_DIRECTORY "${WORKDIR}/cache")
get_filename_component(scanner_dir "${SCANNER}" DIRECTORY)
message(STATUS "XDG_CACHE_HOME=${WORKDIR}/cache LD_LIBRARY_PATH=${scanner_dir} ${SCANNER} -f ${BUNDLE}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env "XDG_CACHE_HOME=${WORKDIR}/cache"
          "LD_LIBRARY_PATH=${scanner_dir}" "${SCANNER}" -f "${BUNDLE}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT 90)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ardour-scan: the scanner exited with ${rc}")
endif()

string(SHA1 digest "${module}")
set(info "${WORKDIR}/cache/ardour7/vst/${digest}.v3i")
if(NOT EXISTS "${info}")
  file(GLOB found "${WORKDIR}/cache/ardour7/vst/*")
  message(FATAL_ERROR "ardour-scan: ${info} (sha1 of ${module}) was not written; found: ${found}")
endif()
file(READ "${info}" xml)
message("${xml}")
string(REGEX MATCH "<VST3Info [^>]*>" entry "${xml}")
if(NOT entry)
  message(FATAL_ERROR "ardour-scan: no VST3Info element in ${info}")
endif()
string(REGEX REPLACE "[ \t\r\n]+" " " entry "${entry}") # Ardour wraps long elements
set(failed "")
foreach(expect name=\"CoPilot\" n_midi_inputs=\"1\" n_midi_outputs=\"1\" n_inputs=\"2\"
               n_outputs=\"2\")
  # Attributes are matched whole (a space before them), so n_inputs does not match n_aux_inputs.
  string(FIND "${entry}" " ${expect}" at)
  if(at EQUAL -1)
    list(APPEND failed "${expect}")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "ardour-scan: VST3Info lacks ${failed}: ${entry}")
endif()
message(STATUS "ardour-scan: ${info}: ${entry}")
