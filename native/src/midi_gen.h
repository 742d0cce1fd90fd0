// midi_gen.h - the MIDI the host plays into the plugin, generated up front on the main thread as
// a sorted schedule of absolute sample positions. The audio thread only walks the schedule, so it
// never allocates and the input is identical for a given seed whatever the block size.
#pragma once

#include "vst3_abi.h"

#include <cstdint>
#include <vector>

namespace midi {

struct Scheduled {
    int64_t sample; // absolute position from the start of the run
    vst3::Event event;
};

struct ScheduledParam {
    int64_t sample;
    vst3::ParamID id;
    double value; // normalized
};

struct ParamTarget {
    vst3::ParamID id;
    int32_t stepCount;
    double defaultValue;
};

// Seeded random playing: single notes and chords on several channels and pitches, legato and
// staccato, pauses of a few seconds (so a call-and-response plugin gets its turn), occasional
// note IDs of -1 (on the note-on or only on the note-off) and polyphonic pressure while a note is
// held. Every note is released before `endSample`; a key is never re-struck while it is held.
std::vector<Scheduled> randomPlaying(uint64_t seed, int64_t endSample, double sampleRate);

// A two-bar C major phrase at `tempo` BPM starting at sample 0, on channel 0:
// C4 E4 G4 C5 | B4 G4 D4 C4, quarter notes, the last one held for a half note.
std::vector<Scheduled> phrase(double sampleRate, double tempo);

// `count` random parameter changes spread over [0, endSample) on automatable parameters (values
// quantised to the parameter's steps), then every touched parameter set back to its default at
// `endSample`.
std::vector<ScheduledParam> randomAutomation(uint64_t seed, int64_t endSample,
                                             const std::vector<ParamTarget>& params, int count);

// Number of events in `s` whose sample is below `endSample` (for reporting).
int64_t countBefore(const std::vector<Scheduled>& s, int64_t endSample);

} // namespace midi
