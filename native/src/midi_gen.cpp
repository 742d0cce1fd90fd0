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

std::vector<Scheduled> phrases(uint64_t seed, int64_t endSample, double sampleRate,
                               const transport::Plan& plan, int64_t& phraseCount) {
    static const int kMajor[7] = {0, 2, 4, 5, 7, 9, 11};
    static const int kMinor[7] = {0, 2, 3, 5, 7, 8, 10};
    static const double kGrids[3] = {0.5, 0.25, 1.0 / 3.0};            // 1/8, 1/16, 1/8 triplets
    static const int kMotion[10] = {-2, -1, -1, 0, 1, 1, 2, -4, 3, 4}; // scale steps
    struct Note {
        double on, off; // beats from the phrase start
        int pitch;
        float velocity;
    };
    std::vector<Scheduled> out;
    std::vector<Note> notes;
    phraseCount = 0;
    checks::Rng rng(seed ^ 0x5048524153455321ull);
    auto after = [&](int64_t from, double beats) {
        return transport::sampleAfterBeats(plan, from, beats, sampleRate);
    };
    int root = static_cast<int>(rng.range(0, 11));
    bool minor = rng.chance(0.5);
    const double interruptFraction = 0.15 + 0.35 * rng.uniform();
    int32_t nextNoteId = 1;
    int64_t t = static_cast<int64_t>(0.25 * sampleRate);
    for (bool first = true;; first = false) {
        if (!first && rng.chance(0.1)) { // modulate now and then
            root = static_cast<int>(rng.range(0, 11));
            minor = rng.chance(0.5);
        }
        const int* scale = minor ? kMinor : kMajor;
        const int tonic = 48 + root; // C3..B3; degrees 0-17 reach up to two and a half octaves
        const int64_t start = transport::nextHostGridPoint(plan, t, 1.0, sampleRate);
        const double grid = kGrids[rng.range(0, 2)];
        const int count = static_cast<int>(rng.range(3, 12));
        notes.clear();
        int degree = static_cast<int>(rng.range(4, 11));
        double beat = 0, phraseEnd = 0;
        bool repeatPitch = false; // this note overlaps the previous one on the same key
        double busyUntil[128];
        std::fill(busyUntil, busyUntil + 128, -1.0);
        for (int i = 0; i < count; ++i) {
            const bool last = i == count - 1;
            const int steps = rng.chance(0.65) ? 1 : rng.chance(0.8) ? 2 : 3;
            const double step = steps * grid;
            double length =
                last ? std::max(grid, 0.5 + rng.uniform()) : step * (0.6 + 0.4 * rng.uniform());
            length = std::max(length, step - 0.25); // no gap long enough to end the phrase
            if (repeatPitch) length = std::max(length, grid);
            const bool overlapNext = !last && !repeatPitch && rng.chance(0.08);
            if (overlapNext) length = step + 0.5 * grid; // held into the next, same-pitch note
            const int pitch = tonic + scale[degree % 7] + 12 * (degree / 7);
            const bool onBeat = std::fabs(beat - std::round(beat)) < 1e-9;
            const float velocity = static_cast<float>(
                std::min(1.0, 0.45 + 0.35 * rng.uniform() + (onBeat ? 0.15 : 0.0)));
            if (repeatPitch || beat >= busyUntil[pitch]) {
                notes.push_back({beat, beat + length, pitch, velocity});
                busyUntil[pitch] = std::max(busyUntil[pitch], beat + length);
            }
            if (!overlapNext && rng.chance(0.12)) { // a chord: third and (maybe) fifth above
                const int extra = rng.chance(0.5) ? 1 : 2;
                for (int k = 1; k <= extra; ++k) {
                    const int d = degree + 2 * k;
                    const int p = tonic + scale[d % 7] + 12 * (d / 7);
                    if (p > 127 || beat < busyUntil[p]) continue;
                    notes.push_back({beat, beat + length, p, velocity * 0.9f});
                    busyUntil[p] = beat + length;
                }
            }
            phraseEnd = std::max(phraseEnd, beat + length);
            repeatPitch = overlapNext;
            if (!overlapNext) degree = std::clamp(degree + kMotion[rng.range(0, 9)], 0, 17);
            beat += step;
        }
        const int64_t lastOff = after(start, phraseEnd);
        if (lastOff >= endSample - 1) break;
        for (const Note& n : notes) {
            const int64_t on = after(start, n.on);
            const int64_t off = std::max(on + 1, after(start, n.off));
            const int32_t id = nextNoteId++;
            out.push_back(makeNoteOn(on, 0, n.pitch, n.velocity, id));
            out.push_back(makeNoteOff(off, 0, n.pitch, 0.5f, id));
        }
        ++phraseCount;
        if (!first && rng.chance(interruptFraction)) {
            t = after(lastOff, 2.0 + 2.0 * rng.uniform()); // while the answer plays
        } else {
            const double answer = std::clamp(std::ceil(phraseEnd), 4.0, 16.0);
            t = after(lastOff, 1.6 + answer + 1.5 + 2.5 * rng.uniform());
        }
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
