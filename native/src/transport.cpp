// transport.cpp - see transport.h.
#include "transport.h"

#include "checks.h"

#include <algorithm>
#include <cmath>

namespace transport {

using vst3::ProcessContext;

namespace {

struct TempoSeg {
    double beat, sample, tempo;
};

struct SigSeg {
    double beat;
    int32_t num, den;
    double barLen() const { return num * 4.0 / den; }
};

// The project's tempo and signature tracks as far as the transport has written them. Both are
// functions of the musical position; a change at P replaces everything from P on.
class Timeline {
  public:
    Timeline(double sampleRate, double tempo) : sr_(sampleRate) {
        tempo_.push_back({0, 0, tempo});
        sig_.push_back({0, 4, 4});
    }

    double tempoAtSample(double sample) const { return segBySample(sample).tempo; }

    // Sample position of a musical position (the tempo integrated from the project start).
    double samplesAt(double beat) const {
        const TempoSeg& s = segByBeat(beat);
        return s.sample + (beat - s.beat) * 60.0 * sr_ / s.tempo;
    }

    double beatAtSample(double sample) const {
        const TempoSeg& s = segBySample(sample);
        return s.beat + (sample - s.sample) * s.tempo / (60.0 * sr_);
    }

    // A tempo change at (beat, sample): the track says `tempo` from here on.
    void setTempo(double beat, double sample, double tempo) {
        while (!tempo_.empty() && tempo_.back().beat >= beat - 1e-12)
            tempo_.pop_back();
        tempo_.push_back({beat, sample, tempo});
    }

    const SigSeg& sigAt(double beat) const {
        auto it = std::upper_bound(sig_.begin(), sig_.end(), beat,
                                   [](double b, const SigSeg& s) { return b < s.beat - 1e-9; });
        return it == sig_.begin() ? sig_.front() : *(it - 1);
    }

    double barStartAt(double beat) const {
        const SigSeg& s = sigAt(beat);
        const double len = s.barLen();
        const double bar = s.beat + std::floor((beat - s.beat) / len + 1e-9) * len;
        return std::min(bar, beat);
    }

    // A time signature from the bar line `barLine` on.
    void setSig(double barLine, int32_t num, int32_t den) {
        while (!sig_.empty() && sig_.back().beat >= barLine - 1e-9)
            sig_.pop_back();
        sig_.push_back({barLine, num, den});
    }

  private:
    const TempoSeg& segByBeat(double beat) const {
        auto it = std::upper_bound(tempo_.begin(), tempo_.end(), beat,
                                   [](double b, const TempoSeg& s) { return b < s.beat; });
        return it == tempo_.begin() ? tempo_.front() : *(it - 1);
    }
    const TempoSeg& segBySample(double sample) const {
        auto it = std::upper_bound(tempo_.begin(), tempo_.end(), sample,
                                   [](double x, const TempoSeg& s) { return x < s.sample; });
        return it == tempo_.begin() ? tempo_.front() : *(it - 1);
    }

    double sr_;
    std::vector<TempoSeg> tempo_;
    std::vector<SigSeg> sig_;
};

constexpr uint32_t kAlwaysValid = ProcessContext::kTempoValid | ProcessContext::kTimeSigValid |
                                  ProcessContext::kProjectTimeMusicValid |
                                  ProcessContext::kBarPositionValid |
                                  ProcessContext::kContTimeValid | ProcessContext::kSystemTimeValid;

enum class Chaos { TempoStep, TempoRamp, TimeSig, FlagGap, Jump, Loop, Stop, Count };

} // namespace

Plan makePlan(const std::vector<int32_t>& hostSizes, int64_t mainBlocks, int64_t tailBlocks,
              const Config& cfg) {
    Plan plan;
    plan.blocks.reserve(hostSizes.size() + hostSizes.size() / 16 + 16);
    const double sr = cfg.sampleRate;
    Timeline tl(sr, cfg.tempo);
    checks::Rng rng(cfg.seed * 0x2545F4914F6CDD1Dull + 0x7C4A7C4A);
    Counts& counts = plan.counts;

    int64_t cont = 0, samples = 0; // continousTimeSamples, projectTimeSamples
    double music = 0;              // projectTimeMusic
    bool playing = true;
    double playStartMusic = 0; // where playback last started (return-to-start on stop)
    bool cycleValid = false, cycleActive = false, splitAtLoop = false;
    double loopStart = 0, loopEnd = 0;
    int wrapsLeft = 0;
    int rampLeft = 0;
    double rampTarget = 0;
    bool sigPending = false;
    int32_t sigNum = 4, sigDen = 4;
    double lastBarStart = 0;
    int64_t stopLeft = 0;
    bool returnToStart = false;
    int gapLeft = 0;
    uint32_t gapMask = 0;
    int64_t nextChaosAt = static_cast<int64_t>(cfg.steadySeconds * sr);

    auto relocate = [&](double target) {
        music = target;
        samples = std::llround(tl.samplesAt(target));
    };
    auto emit = [&](int32_t n, Phase phase) {
        Block b{};
        b.continuous = cont;
        b.numSamples = n;
        b.phase = phase;
        b.state = (kAlwaysValid & ~gapMask) | (playing ? ProcessContext::kPlaying : 0u) |
                  (cycleValid ? ProcessContext::kCycleValid : 0u) |
                  (cycleActive ? ProcessContext::kCycleActive : 0u);
        b.projectSamples = samples;
        b.projectMusic = music;
        b.barPosition = tl.barStartAt(music);
        b.cycleStart = loopStart;
        b.cycleEnd = loopEnd;
        b.tempo = tl.tempoAtSample(static_cast<double>(samples));
        const auto& sig = tl.sigAt(music);
        b.numerator = sig.num;
        b.denominator = sig.den;
        plan.blocks.push_back(b);
        if (gapMask) ++counts.flagGapBlocks;
        cont += n;
        if (playing) {
            samples += n;
            music = tl.beatAtSample(static_cast<double>(samples));
        }
        switch (phase) {
        case Phase::Main:
            ++plan.mainCalls;
            plan.mainSamples += n;
            break;
        case Phase::Tail:
            ++plan.tailCalls;
            break;
        case Phase::Stop:
            ++plan.stopCalls;
            break;
        }
    };
    auto wrap = [&]() {
        ++counts.loops;
        if (--wrapsLeft <= 0) cycleActive = false; // the last pass plays on past the loop end
    };

    const int64_t total = static_cast<int64_t>(hostSizes.size());
    for (int64_t hb = 0; hb < total; ++hb) {
        const int32_t n = hostSizes[static_cast<size_t>(hb)];
        const Phase phase = hb < mainBlocks                ? Phase::Main
                            : hb < mainBlocks + tailBlocks ? Phase::Tail
                                                           : Phase::Stop;
        if (hb == mainBlocks) {
            // The tail: plain playback (no loop, every flag), started again if the chaos had
            // stopped it, so that the stop at the end is a real stop.
            cycleActive = false;
            gapLeft = 0;
            gapMask = 0;
            rampLeft = 0;
            sigPending = false;
            if (!playing) {
                playing = true;
                playStartMusic = music;
            }
        }
        if (hb == mainBlocks + tailBlocks) playing = false;

        if (cfg.chaos && phase == Phase::Main) {
            if (!playing && stopLeft > 0 && --stopLeft == 0) {
                if (returnToStart) relocate(playStartMusic);
                playing = true;
                playStartMusic = music;
            }
            if (rampLeft > 0 && playing) {
                double cur = tl.tempoAtSample(static_cast<double>(samples));
                double next = cur + (rampTarget - cur) / rampLeft;
                --rampLeft;
                tl.setTempo(music, static_cast<double>(samples), next);
            }
            if (gapLeft > 0 && --gapLeft == 0) gapMask = 0;
            const double bar = tl.barStartAt(music);
            if (sigPending && std::fabs(bar - lastBarStart) > 1e-9) {
                tl.setSig(bar, sigNum, sigDen); // at the first bar line reached
                sigPending = false;
                ++counts.timeSigChanges;
            }
            if (playing && cont >= nextChaosAt) {
                nextChaosAt = cont + static_cast<int64_t>((2.0 + 12.0 * rng.uniform()) * sr);
                static const double kWeights[static_cast<int>(Chaos::Count)] = {3, 2,   2,  2,
                                                                                2, 1.5, 1.5};
                Chaos what = Chaos::TempoStep;
                for (int attempt = 0; attempt < 16; ++attempt) {
                    double sum = 0;
                    for (double w : kWeights)
                        sum += w;
                    double r = rng.uniform() * sum;
                    int i = 0;
                    while (i + 1 < static_cast<int>(Chaos::Count) && r >= kWeights[i])
                        r -= kWeights[i++];
                    what = static_cast<Chaos>(i);
                    // One loop at a time, and no relocation while it plays.
                    if (!(cycleActive && (what == Chaos::Jump || what == Chaos::Loop))) break;
                    what = Chaos::TempoStep;
                }
                const auto& sig = tl.sigAt(music);
                const double barLen = sig.barLen();
                switch (what) {
                case Chaos::TempoStep:
                    tl.setTempo(music, static_cast<double>(samples), 60.0 + 140.0 * rng.uniform());
                    rampLeft = 0;
                    ++counts.tempoChanges;
                    break;
                case Chaos::TempoRamp:
                    rampTarget = 60.0 + 140.0 * rng.uniform();
                    rampLeft = static_cast<int>(rng.range(3, 12));
                    ++counts.tempoChanges;
                    break;
                case Chaos::TimeSig: {
                    static const int32_t kSigs[4][2] = {{3, 4}, {4, 4}, {6, 8}, {7, 8}};
                    int k = static_cast<int>(rng.range(0, 3));
                    if (kSigs[k][0] == sig.num && kSigs[k][1] == sig.den) k = (k + 1) % 4;
                    sigNum = kSigs[k][0];
                    sigDen = kSigs[k][1];
                    sigPending = true;
                    break;
                }
                case Chaos::FlagGap: {
                    static const uint32_t kMasks[3] = {
                        ProcessContext::kProjectTimeMusicValid | ProcessContext::kBarPositionValid,
                        ProcessContext::kTempoValid,
                        ProcessContext::kProjectTimeMusicValid | ProcessContext::kBarPositionValid |
                            ProcessContext::kTempoValid};
                    gapMask = kMasks[rng.range(0, 2)];
                    gapLeft = static_cast<int>(rng.range(1, 6));
                    ++counts.flagGaps;
                    break;
                }
                case Chaos::Jump: {
                    int64_t bars = rng.range(1, 16) * (rng.chance(0.5) ? -1 : 1);
                    double target = tl.barStartAt(music) + static_cast<double>(bars) * barLen;
                    if (rng.chance(0.25)) target += rng.uniform() * barLen; // off the bar grid
                    if (target < 0) target = 0;
                    if (std::fabs(target - music) < 1.0) target = music + 4 * barLen;
                    relocate(target);
                    ++counts.jumps;
                    break;
                }
                case Chaos::Loop:
                    loopStart = tl.barStartAt(music);
                    loopEnd = loopStart + static_cast<double>(rng.range(1, 4)) * barLen;
                    wrapsLeft = static_cast<int>(rng.range(2, 5));
                    splitAtLoop = rng.chance(0.5);
                    cycleValid = cycleActive = true;
                    break;
                case Chaos::Stop: {
                    const double blockSeconds = n / sr;
                    stopLeft = std::max<int64_t>(
                        1, static_cast<int64_t>((0.3 + 2.7 * rng.uniform()) / blockSeconds));
                    returnToStart = rng.chance(0.5);
                    playing = false;
                    ++counts.stops;
                    break;
                }
                case Chaos::Count:
                    break;
                }
            }
            lastBarStart = tl.barStartAt(music);
        }

        // The host block, split at the loop end if this host does that.
        if (playing && cycleActive) {
            const double endSample = tl.samplesAt(loopEnd);
            double remaining = endSample - static_cast<double>(samples);
            if (remaining <= 0 && remaining > -1) { // the block starts at the loop end
                relocate(loopStart);
                wrap();
                remaining = -1;
            }
            if (remaining > 0 && remaining < n) {
                if (splitAtLoop) {
                    int32_t k = static_cast<int32_t>(std::ceil(remaining));
                    if (k < n) {
                        emit(k, phase);
                        relocate(loopStart);
                        wrap();
                        ++counts.splitWraps;
                        emit(n - k, phase);
                        continue;
                    }
                    // k == n: the block ends on the loop end; the next one starts at its start.
                } else {
                    // Not split: this block runs past the loop end, the next one starts as far
                    // past the loop start.
                    const double over = static_cast<double>(samples + n) - endSample;
                    emit(n, phase);
                    samples = std::llround(tl.samplesAt(loopStart) + over);
                    music = tl.beatAtSample(static_cast<double>(samples));
                    wrap();
                    continue;
                }
            }
        }
        emit(n, phase);
    }
    return plan;
}

void fillContext(const Block& b, double sampleRate, ProcessContext& ctx) {
    ctx.state = b.state;
    ctx.sampleRate = sampleRate;
    ctx.projectTimeSamples = b.projectSamples;
    ctx.continousTimeSamples = b.continuous;
    const bool music = b.state & ProcessContext::kProjectTimeMusicValid;
    ctx.projectTimeMusic = music ? b.projectMusic : 0.0;
    ctx.barPositionMusic = (b.state & ProcessContext::kBarPositionValid) ? b.barPosition : 0.0;
    const bool cycle = b.state & ProcessContext::kCycleValid;
    ctx.cycleStartMusic = cycle ? b.cycleStart : 0.0;
    ctx.cycleEndMusic = cycle ? b.cycleEnd : 0.0;
    ctx.tempo = (b.state & ProcessContext::kTempoValid) ? b.tempo : 0.0;
    const bool sig = b.state & ProcessContext::kTimeSigValid;
    ctx.timeSigNumerator = sig ? b.numerator : 0;
    ctx.timeSigDenominator = sig ? b.denominator : 0;
}

size_t blockAt(const Plan& plan, int64_t sample) {
    const auto& v = plan.blocks;
    if (v.empty()) return 0;
    auto it = std::upper_bound(v.begin(), v.end(), sample,
                               [](int64_t s, const Block& b) { return s < b.continuous; });
    return it == v.begin() ? 0 : static_cast<size_t>(it - v.begin() - 1);
}

int64_t sampleAfterBeats(const Plan& plan, int64_t from, double beats, double sampleRate) {
    const auto& v = plan.blocks;
    double pos = static_cast<double>(from);
    double left = beats;
    for (size_t i = blockAt(plan, from); !v.empty(); ++i) {
        const Block& b = v[i];
        const double perSample = b.tempo / (60.0 * sampleRate);
        const bool last = i + 1 >= v.size();
        const double end = static_cast<double>(b.continuous + b.numSamples);
        const double here = (end - pos) * perSample;
        if (last || left <= here) return static_cast<int64_t>(std::llround(pos + left / perSample));
        left -= here;
        pos = end;
    }
    return std::llround(pos + left * 60.0 * sampleRate / 120.0);
}

int64_t nextHostGridPoint(const Plan& plan, int64_t from, double grid, double sampleRate) {
    const auto& v = plan.blocks;
    size_t i = blockAt(plan, from);
    for (int tries = 0; tries < 100000 && i < v.size(); ++tries, ++i) {
        const Block& b = v[i];
        const int64_t start = std::max(from, b.continuous);
        if (start >= b.continuous + b.numSamples) continue;
        if (!(b.state & ProcessContext::kPlaying)) return start;
        const double perSample = b.tempo / (60.0 * sampleRate);
        const int32_t off0 = static_cast<int32_t>(start - b.continuous);
        const double beat = beatAt(b, off0, sampleRate);
        const double target = std::ceil(beat / grid - 1e-9) * grid;
        const int64_t off =
            static_cast<int64_t>(std::ceil((target - b.projectMusic) / perSample - 1e-6));
        if (off < b.numSamples) return std::max(start, b.continuous + off);
    }
    return from;
}

} // namespace transport
