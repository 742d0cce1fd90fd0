// midi_gen.cpp - see midi_gen.h.
#include "midi_gen.h"

#include "checks.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace midi {

using vst3::Event;

static Scheduled makeNoteOn(int64_t at, int ch, int pitch, float velocity, int32_t noteId) {
    Scheduled s{};
    s.sample = at;
    s.event.type = Event::kNoteOnEvent;
    s.event.flags = Event::kIsLive;
    s.event.noteOn.channel = static_cast<int16_t>(ch);
    s.event.noteOn.pitch = static_cast<int16_t>(pitch);
    s.event.noteOn.velocity = velocity;
    s.event.noteOn.noteId = noteId;
    return s;
}

static Scheduled makeNoteOff(int64_t at, int ch, int pitch, float velocity, int32_t noteId) {
    Scheduled s{};
    s.sample = at;
    s.event.type = Event::kNoteOffEvent;
    s.event.flags = Event::kIsLive;
    s.event.noteOff.channel = static_cast<int16_t>(ch);
    s.event.noteOff.pitch = static_cast<int16_t>(pitch);
    s.event.noteOff.velocity = velocity;
    s.event.noteOff.noteId = noteId;
    return s;
}

// Order inside one sample: note-offs first (so a release and a re-strike of the same key at the
// same sample arrive in playable order), then note-ons, then pressure.
static int typeRank(uint16_t type) {
    return type == Event::kNoteOffEvent ? 0 : type == Event::kNoteOnEvent ? 1 : 2;
}

static void sortSchedule(std::vector<Scheduled>& v) {
    std::stable_sort(v.begin(), v.end(), [](const Scheduled& a, const Scheduled& b) {
        if (a.sample != b.sample) return a.sample < b.sample;
        return typeRank(a.event.type) < typeRank(b.event.type);
    });
}

std::vector<Scheduled> randomPlaying(uint64_t seed, int64_t endSample, double sampleRate) {
    std::vector<Scheduled> out;
    checks::Rng rng(seed);
    // busyUntil[ch][pitch]: sample of the scheduled note-off of the last note on that key.
    std::vector<int64_t> busyUntil(16 * 128, -1);
    int32_t nextNoteId = 1;
    auto secs = [&](double s) { return static_cast<int64_t>(s * sampleRate); };
    const int64_t lastOnset = endSample - 2;
    int64_t t = secs(0.01 * static_cast<double>(rng.range(0, 20)));
    while (t < lastOnset) {
        int channel = rng.chance(0.6) ? 0 : static_cast<int>(rng.range(1, 15));
        int chordSize = rng.chance(0.75) ? 1 : static_cast<int>(rng.range(2, 4));
        int root = static_cast<int>(rng.range(36, 90));
        for (int k = 0; k < chordSize; ++k) {
            int pitch = std::min(127, root + k * static_cast<int>(rng.range(3, 5)));
            int64_t& busy = busyUntil[channel * 128 + pitch];
            if (t <= busy) continue; // key still down (or released this very sample)
            int64_t length = secs(0.03 + 1.2 * rng.uniform() * rng.uniform());
            int64_t off = std::min(t + std::max<int64_t>(1, length), endSample - 1);
            if (off <= t) continue;
            bool idOnOn = !rng.chance(0.1); // Bitwig-style -1 IDs now and then
            bool idOnOff = idOnOn && !rng.chance(0.15);
            int32_t id = nextNoteId++;
            float velocity = static_cast<float>(0.05 + 0.95 * rng.uniform());
            out.push_back(makeNoteOn(t, channel, pitch, velocity, idOnOn ? id : -1));
            out.push_back(makeNoteOff(off, channel, pitch, static_cast<float>(rng.uniform()),
                                      idOnOff ? id : -1));
            busy = off;
            if (rng.chance(0.25) && off - t > 2) {
                int presses = static_cast<int>(rng.range(1, 3));
                for (int p = 0; p < presses; ++p) {
                    Scheduled s{};
                    s.sample = rng.range(t + 1, off - 1);
                    s.event.type = Event::kPolyPressureEvent;
                    s.event.flags = Event::kIsLive;
                    s.event.polyPressure.channel = static_cast<int16_t>(channel);
                    s.event.polyPressure.pitch = static_cast<int16_t>(pitch);
                    s.event.polyPressure.pressure = static_cast<float>(rng.uniform());
                    s.event.polyPressure.noteId = idOnOn ? id : -1;
                    out.push_back(s);
                }
            }
        }
        // Mostly short gaps; sometimes a pause long enough for a reply.
        double gap = rng.chance(0.06) ? 1.0 + 3.0 * rng.uniform() : 0.02 + 0.4 * rng.uniform();
        t += std::max<int64_t>(1, secs(gap));
    }
    sortSchedule(out);
    return out;
}

std::vector<Scheduled> phrase(double sampleRate, double tempo) {
    static const int kPitches[8] = {60, 64, 67, 72, 71, 67, 62, 60};
    static const double kBeats[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    static const double kLengths[8] = {1, 1, 1, 1, 1, 1, 1, 2};
    std::vector<Scheduled> out;
    const double samplesPerBeat = sampleRate * 60.0 / tempo;
    double beat = 0;
    for (int i = 0; i < 8; ++i) {
        int64_t on = static_cast<int64_t>(std::llround(beat * samplesPerBeat));
        int64_t off =
            static_cast<int64_t>(std::llround((beat + 0.9 * kLengths[i]) * samplesPerBeat));
        float velocity = (i % 4 == 0) ? 0.9f : 0.7f; // accent the downbeats
        out.push_back(makeNoteOn(on, 0, kPitches[i], velocity, i + 1));
        out.push_back(makeNoteOff(off, 0, kPitches[i], 0.5f, i + 1));
        beat += kBeats[i];
    }
    sortSchedule(out);
    return out;
}

std::vector<ScheduledParam> randomAutomation(uint64_t seed, int64_t endSample,
                                             const std::vector<ParamTarget>& params, int count) {
    std::vector<ScheduledParam> out;
    if (params.empty() || count <= 0 || endSample <= 1) return out;
    checks::Rng rng(seed ^ 0xA5A5A5A5ull);
    std::vector<bool> touched(params.size(), false);
    for (int i = 0; i < count; ++i) {
        size_t which = static_cast<size_t>(rng.range(0, static_cast<int64_t>(params.size()) - 1));
        const ParamTarget& p = params[which];
        double v = rng.uniform();
        if (p.stepCount > 0) v = std::round(v * p.stepCount) / p.stepCount;
        out.push_back({rng.range(0, endSample - 1), p.id, v});
        touched[which] = true;
    }
    std::stable_sort(out.begin(), out.end(), [](const ScheduledParam& a, const ScheduledParam& b) {
        return a.sample < b.sample;
    });
    for (size_t i = 0; i < params.size(); ++i)
        if (touched[i]) out.push_back({endSample, params[i].id, params[i].defaultValue});
    return out;
}

int64_t countBefore(const std::vector<Scheduled>& s, int64_t endSample) {
    int64_t n = 0;
    for (const Scheduled& e : s)
        n += e.sample < endSample ? 1 : 0;
    return n;
}

} // namespace midi
