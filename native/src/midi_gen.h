// midi_gen.h - the MIDI the host plays into the plugin, generated up front on the main thread as
// a sorted schedule of absolute sample positions. The audio thread only walks the schedule, so it
// never allocates and the input is identical for a given seed whatever the block size.
#pragma once

#include "transport.h"
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

// Phrases for a call-and-response engine, seeded, on channel 0, in player time (the player follows
// the host's tempo through `plan`, whatever the transport does): 3-12 notes on a 1/8, 1/16 or 1/8
// triplet grid in a major or minor key (now and then another key), mostly stepwise with leaps,
// accents on the beat, sometimes a chord (third and fifth above) and sometimes two overlapping
// notes of the same pitch (the second struck before the first is released). Gaps inside a phrase
// stay under a quarter beat, so the phrase only ends at its end. Each phrase starts on a beat of
// the host's timeline (when it plays). After a phrase the player either listens (waits as long as
// an answer can last - the phrase rounded up to whole beats, one to four 4/4 bars - plus 1.6 beats
// for it to begin, then pauses 1.5-4 beats) or, for a random fraction of the phrases (15-50% per
// run; never the first), interrupts: starts the next phrase 2-4 beats after the last note-off,
// while the answer plays. Every note is released before `endSample`. `phraseCount` receives the
// number of phrases.
std::vector<Scheduled> phrases(uint64_t seed, int64_t endSample, double sampleRate,
                               const transport::Plan& plan, int64_t& phraseCount);

// `count` random parameter changes spread over [0, endSample) on automatable parameters (values
// quantised to the parameter's steps), then every touched parameter set back to its default at
// `endSample`.
std::vector<ScheduledParam> randomAutomation(uint64_t seed, int64_t endSample,
                                             const std::vector<ParamTarget>& params, int count);

// Number of events in `s` whose sample is below `endSample` (for reporting).
int64_t countBefore(const std::vector<Scheduled>& s, int64_t endSample);

} // namespace midi
