// transport.h - the host's transport for every process() call, planned up front on the main thread
// (the audio thread only copies it into the ProcessContext, so it never allocates and a seed gives
// the same transport whatever happens at run time).
//
// Steady: playing at the start tempo in 4/4 through the main run and the tail, then stopped.
// Chaos (--transport-chaos): after a steady lead-in, at seeded random moments, what a musician does
// to a DAW's transport: tempo steps and ramps, time signature changes at bar lines, relocations,
// cycle (loop) playback with and without the host splitting the block at the loop end, stop/start,
// and blocks with validity flags missing.
//
// The timeline is a tempo map and a signature map, both functions of the musical position like a
// DAW's tempo and signature tracks: a change at position P replaces whatever the maps said from P
// on, and relocating or wrapping back returns to the tempo and metre recorded there. So
// projectTimeSamples is always the map's sample position of projectTimeMusic (to the sample),
// barPositionMusic is the start of the bar containing projectTimeMusic, and continousTimeSamples
// counts every sample processed since the run started (it runs on while the transport is stopped).
#pragma once

#include "vst3_abi.h"

#include <cstdint>
#include <vector>

namespace transport {

enum class Phase : uint8_t { Main, Tail, Stop };

// One process() call.
struct Block {
    int64_t continuous; // continousTimeSamples of its first sample: samples since the run started
    int32_t numSamples;
    Phase phase;
    uint32_t state; // ProcessContext::state as sent
    int64_t projectSamples;
    // The host's real values, also when the flag saying they are valid is left out of `state` (the
    // host then sends 0 in that field, see fillContext).
    double projectMusic, barPosition, cycleStart, cycleEnd, tempo;
    int32_t numerator, denominator;
};

// What the chaos did during the main run.
struct Counts {
    int64_t jumps = 0;        // relocations while playing
    int64_t loops = 0;        // loop wraps (projectTimeMusic back from the cycle end to its start)
    int64_t splitWraps = 0;   // ...of which the host split the block at the loop end
    int64_t tempoChanges = 0; // step changes plus ramps (a ramp counts once)
    int64_t timeSigChanges = 0;
    int64_t stops = 0;         // the transport stopped for a while, then started again
    int64_t flagGaps = 0;      // stretches of blocks without kProjectTimeMusicValid or kTempoValid
    int64_t flagGapBlocks = 0; // process() calls in those stretches
};

struct Plan {
    std::vector<Block> blocks;
    int64_t mainCalls = 0, tailCalls = 0, stopCalls = 0;
    int64_t mainSamples = 0; // continuous samples of the main run
    Counts counts;
};

struct Config {
    double sampleRate = 48000;
    double tempo = 120; // at the start
    uint64_t seed = 1;
    bool chaos = false;
    double steadySeconds = 20; // chaos begins after this much audio
};

// hostSizes: numSamples of every host block, main run first (mainBlocks of them), then the tail
// (tailBlocks, still playing), then the stopped blocks. With chaos a host block that crosses a loop
// end may become two process() calls.
Plan makePlan(const std::vector<int32_t>& hostSizes, int64_t mainBlocks, int64_t tailBlocks,
              const Config& cfg);

// Copies a block into a ProcessContext (systemTime is left to the caller): fields whose validity
// flag is missing are sent as 0, as a host that does not know them would.
void fillContext(const Block& b, double sampleRate, vst3::ProcessContext& ctx);

// Host musical position at a sample offset inside a block (frozen while stopped).
inline double beatAt(const Block& b, int32_t offset, double sampleRate) {
    if (!(b.state & vst3::ProcessContext::kPlaying)) return b.projectMusic;
    return b.projectMusic + offset * b.tempo / (60.0 * sampleRate);
}

// Player time, for the MIDI generators: the player follows the host's tempo (the click), whatever
// the transport does. Index of the call containing `sample` (the last call if beyond the plan).
size_t blockAt(const Plan& plan, int64_t sample);
// The sample `beats` beats after `from`, the tempo integrated call by call (the last tempo beyond
// the plan).
int64_t sampleAfterBeats(const Plan& plan, int64_t from, double beats, double sampleRate);
// The first sample at or after `from` where the playing host's musical position is a multiple of
// `grid` beats (a phrase starts on the beat); `from` itself when the transport is stopped there.
int64_t nextHostGridPoint(const Plan& plan, int64_t from, double grid, double sampleRate);

} // namespace transport
