// checks.h - the host's verdict logic, kept free of plugin and thread code so the self-test can
// exercise it: output-event validation, the stuck-note tracker, percentiles, note names and the
// deterministic random generator. Nothing here allocates after construction (it runs on the
// audio thread).
#pragma once

#include "vst3_abi.h"

#include <cstdint>
#include <string>
#include <vector>

namespace checks {

using vst3::Event;

// SplitMix64: tiny, deterministic across platforms, no allocation.
class Rng {
  public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform integer in [lo, hi] (inclusive).
    int64_t range(int64_t lo, int64_t hi) {
        return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
    }
    double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return uniform() < p; }

  private:
    uint64_t state_;
};

// Tracks note-ons and note-offs per (channel, pitch), the way a host or a synth matches them when
// note IDs are -1 (Bitwig) or ignored: a note-off closes one open note-on of the same key.
class NoteTracker {
  public:
    NoteTracker() { reset(); }
    void reset();
    void noteOn(int channel, int pitch);
    // Returns false (and counts an orphan) when no note-on of that key is open.
    bool noteOff(int channel, int pitch);
    int64_t unmatchedNoteOns() const; // open notes right now (stuck, if the run is over)
    int64_t orphanNoteOffs() const { return orphans_; }
    int64_t noteOns() const { return ons_; }
    int64_t noteOffs() const { return offs_; }
    int openCount(int channel, int pitch) const { return open_[channel & 15][pitch & 127]; }
    // Fills `out` with "ch/pitch" descriptions of open notes (main thread, for the report).
    std::string describeOpen(int maxItems) const;

  private:
    int32_t open_[16][128];
    int64_t orphans_ = 0;
    int64_t ons_ = 0;
    int64_t offs_ = 0;
};

// Validates one block of output events. Problems are counted; the first few are kept as text in
// fixed buffers so the audio thread never allocates.
class EventChecker {
  public:
    static constexpr int kMaxMessages = 8;
    static constexpr int kMessageLen = 160;

    // numEventBuses: number of event output buses (busIndex must be below it).
    void checkBlock(const Event* events, int32_t count, int32_t numSamples, int32_t numEventBuses,
                    int64_t blockIndex, NoteTracker& tracker);

    int64_t badEvents() const { return bad_; }
    int64_t eventsSeen() const { return seen_; }
    int messageCount() const { return messages_ < kMaxMessages ? messages_ : kMaxMessages; }
    const char* message(int i) const { return text_[i]; }

  private:
    void fail(int64_t block, int32_t index, const Event& e, const char* why);
    int64_t bad_ = 0;
    int64_t seen_ = 0;
    int messages_ = 0;
    char text_[kMaxMessages][kMessageLen] = {};
};

// True for event types defined in ivstevents.h.
bool isKnownEventType(uint16_t type);
const char* eventTypeName(uint16_t type);

// Nearest-rank percentile of an ascending-sorted array: the smallest value with at least p% of
// the samples at or below it. p in [0, 100]. Returns 0 for an empty array.
int64_t percentileSorted(const int64_t* sorted, size_t n, double p);

struct TimingSummary {
    double p50Us = 0, p99Us = 0, p999Us = 0, maxUs = 0, meanUs = 0;
};
// Sorts a copy of the nanosecond timings and summarises them in microseconds.
TimingSummary summariseTimings(const int64_t* ns, size_t n);

// "C4" for 60 (scientific pitch notation: middle C = C4 = MIDI 60).
std::string noteName(int pitch);

} // namespace checks
