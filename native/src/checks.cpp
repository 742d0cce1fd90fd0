// checks.cpp - see checks.h.
#include "checks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace checks {

void NoteTracker::reset() {
    std::memset(open_, 0, sizeof(open_));
    orphans_ = ons_ = offs_ = 0;
}

void NoteTracker::noteOn(int channel, int pitch) {
    ++open_[channel & 15][pitch & 127];
    ++ons_;
}

bool NoteTracker::noteOff(int channel, int pitch) {
    ++offs_;
    int32_t& n = open_[channel & 15][pitch & 127];
    if (n <= 0) {
        ++orphans_;
        return false;
    }
    --n;
    return true;
}

int64_t NoteTracker::unmatchedNoteOns() const {
    int64_t total = 0;
    for (const auto& ch : open_)
        for (int32_t n : ch)
            total += n;
    return total;
}

std::string NoteTracker::describeOpen(int maxItems) const {
    std::string out;
    int shown = 0;
    for (int c = 0; c < 16; ++c) {
        for (int p = 0; p < 128; ++p) {
            if (open_[c][p] <= 0) continue;
            if (shown == maxItems) return out + " ...";
            char buf[48];
            std::snprintf(buf, sizeof buf, "%sch%d:%s(%d)x%d", shown ? " " : "", c,
                          noteName(p).c_str(), p, open_[c][p]);
            out += buf;
            ++shown;
        }
    }
    return out;
}

bool isKnownEventType(uint16_t type) {
    return type <= Event::kScaleEvent || type == Event::kLegacyMIDICCOutEvent;
}

const char* eventTypeName(uint16_t type) {
    switch (type) {
    case Event::kNoteOnEvent:
        return "NoteOn";
    case Event::kNoteOffEvent:
        return "NoteOff";
    case Event::kDataEvent:
        return "Data";
    case Event::kPolyPressureEvent:
        return "PolyPressure";
    case Event::kNoteExpressionValueEvent:
        return "NoteExprValue";
    case Event::kNoteExpressionTextEvent:
        return "NoteExprText";
    case Event::kChordEvent:
        return "Chord";
    case Event::kScaleEvent:
        return "Scale";
    case Event::kLegacyMIDICCOutEvent:
        return "MIDICCOut";
    default:
        return "UNKNOWN";
    }
}

void EventChecker::fail(int64_t block, int32_t index, const Event& e, const char* why) {
    ++bad_;
    if (messages_ < kMaxMessages) {
        std::snprintf(
            text_[messages_], kMessageLen, "block %lld event %d: %s (type=%u offset=%d bus=%d)",
            static_cast<long long>(block), index, why, e.type, e.sampleOffset, e.busIndex);
    }
    ++messages_;
}

static bool validChannel(int c) {
    return c >= 0 && c <= 15;
}
static bool validPitch(int p) {
    return p >= 0 && p <= 127;
}
static bool unitRange(float v) {
    return std::isfinite(v) && v >= 0.0f && v <= 1.0f;
}

void EventChecker::checkBlock(const Event* events, int32_t count, int32_t numSamples,
                              int32_t numEventBuses, int64_t blockIndex, NoteTracker& tracker) {
    int32_t previousOffset = 0;
    for (int32_t i = 0; i < count; ++i) {
        const Event& e = events[i];
        ++seen_;
        if (!isKnownEventType(e.type)) {
            fail(blockIndex, i, e, "unknown event type");
            continue;
        }
        if (e.busIndex < 0 || e.busIndex >= numEventBuses) {
            fail(blockIndex, i, e, "busIndex out of range");
            continue;
        }
        if (e.sampleOffset < 0 || e.sampleOffset >= numSamples) {
            fail(blockIndex, i, e, "sampleOffset outside [0, numSamples)");
            continue;
        }
        if (e.sampleOffset < previousOffset) {
            fail(blockIndex, i, e, "events not sorted by sampleOffset");
            // still track notes below: the event itself is well formed
        }
        previousOffset = std::max(previousOffset, e.sampleOffset);
        switch (e.type) {
        case Event::kNoteOnEvent:
            if (!validChannel(e.noteOn.channel) || !validPitch(e.noteOn.pitch)) {
                fail(blockIndex, i, e, "note-on channel/pitch out of range");
            } else if (!unitRange(e.noteOn.velocity) || e.noteOn.velocity <= 0.0f) {
                fail(blockIndex, i, e, "note-on velocity not in (0, 1]");
            } else if (!std::isfinite(e.noteOn.tuning)) {
                fail(blockIndex, i, e, "note-on tuning not finite");
            } else {
                tracker.noteOn(e.noteOn.channel, e.noteOn.pitch);
            }
            break;
        case Event::kNoteOffEvent:
            if (!validChannel(e.noteOff.channel) || !validPitch(e.noteOff.pitch)) {
                fail(blockIndex, i, e, "note-off channel/pitch out of range");
            } else if (!unitRange(e.noteOff.velocity)) {
                fail(blockIndex, i, e, "note-off velocity not in [0, 1]");
            } else {
                tracker.noteOff(e.noteOff.channel, e.noteOff.pitch);
            }
            break;
        case Event::kPolyPressureEvent:
            if (!validChannel(e.polyPressure.channel) || !validPitch(e.polyPressure.pitch) ||
                !unitRange(e.polyPressure.pressure))
                fail(blockIndex, i, e, "poly pressure field out of range");
            break;
        case Event::kLegacyMIDICCOutEvent:
            if (!validChannel(e.midiCCOut.channel) || e.midiCCOut.value < 0 ||
                e.midiCCOut.value2 < 0)
                fail(blockIndex, i, e, "MIDI CC out field out of range");
            break;
        case Event::kDataEvent:
            if (e.data.size > 0 && !e.data.bytes)
                fail(blockIndex, i, e, "data event without bytes");
            break;
        case Event::kNoteExpressionValueEvent:
            if (!std::isfinite(e.noteExpressionValue.value) || e.noteExpressionValue.value < 0 ||
                e.noteExpressionValue.value > 1)
                fail(blockIndex, i, e, "note expression value not in [0, 1]");
            break;
        case Event::kNoteExpressionTextEvent:
            if (e.noteExpressionText.textLen > 0 && !e.noteExpressionText.text)
                fail(blockIndex, i, e, "note expression text missing");
            break;
        case Event::kChordEvent:
            if (e.chord.textLen > 0 && !e.chord.text) fail(blockIndex, i, e, "chord text missing");
            break;
        case Event::kScaleEvent:
            if (e.scale.textLen > 0 && !e.scale.text) fail(blockIndex, i, e, "scale text missing");
            break;
        default:
            break;
        }
    }
}

int64_t percentileSorted(const int64_t* sorted, size_t n, double p) {
    if (n == 0) return 0;
    if (p <= 0) return sorted[0];
    if (p >= 100) return sorted[n - 1];
    // Nearest rank: ceil(p/100 * n), 1-based. The tiny epsilon keeps 99.9% of 1000 at rank 999.
    double rank = std::ceil(p / 100.0 * static_cast<double>(n) - 1e-9);
    size_t idx = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
    return sorted[std::min(idx, n - 1)];
}

TimingSummary summariseTimings(const int64_t* ns, size_t n) {
    TimingSummary s;
    if (n == 0) return s;
    std::vector<int64_t> v(ns, ns + n);
    std::sort(v.begin(), v.end());
    double sum = 0;
    for (int64_t x : v)
        sum += static_cast<double>(x);
    s.p50Us = percentileSorted(v.data(), n, 50) / 1000.0;
    s.p99Us = percentileSorted(v.data(), n, 99) / 1000.0;
    s.p999Us = percentileSorted(v.data(), n, 99.9) / 1000.0;
    s.maxUs = v.back() / 1000.0;
    s.meanUs = sum / static_cast<double>(n) / 1000.0;
    return s;
}

std::string noteName(int pitch) {
    static const char* const kNames[12] = {"C",  "C#", "D",  "D#", "E",  "F",
                                           "F#", "G",  "G#", "A",  "A#", "B"};
    if (pitch < 0 || pitch > 127) return "?";
    return std::string(kNames[pitch % 12]) + std::to_string(pitch / 12 - 1);
}

} // namespace checks
