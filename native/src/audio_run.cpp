// audio_run.cpp - see audio_run.h.
//
// Everything the audio thread touches is allocated before the thread starts: buffers, event and
// parameter lists, the MIDI schedule, the block-size list, the timing array and the event log. The
// thread itself only copies, compares and counts, so the interposed allocation counter sees the
// plugin's allocations and nothing of the host's.
#include "audio_run.h"

#include "alloc_counter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <dlfcn.h>
#include <limits>
#include <pthread.h>
#include <sched.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace host {

// ---- AudioBuffers ------------------------------------------------------------------------------
void AudioBuffers::setup(const std::vector<int32_t>& inChannels,
                         const std::vector<int32_t>& outChannels, int32_t maxSamples) {
    storage_.clear();
    inPtrs_.assign(inChannels.size(), {});
    outPtrs_.assign(outChannels.size(), {});
    inputs.assign(inChannels.size(), AudioBusBuffers{});
    outputs.assign(outChannels.size(), AudioBusBuffers{});
    // Reserve first so the float* taken below stay valid.
    size_t total = 0;
    for (int32_t c : inChannels)
        total += static_cast<size_t>(c);
    for (int32_t c : outChannels)
        total += static_cast<size_t>(c);
    storage_.reserve(total);
    auto make = [&](const std::vector<int32_t>& chans, std::vector<std::vector<float*>>& ptrs,
                    std::vector<AudioBusBuffers>& bufs) {
        for (size_t b = 0; b < chans.size(); ++b) {
            for (int32_t c = 0; c < chans[b]; ++c) {
                storage_.emplace_back(static_cast<size_t>(maxSamples) + 16, 0.0f);
                ptrs[b].push_back(storage_.back().data());
            }
            ptrs[b].push_back(nullptr); // keeps data() valid for zero-channel buses
            bufs[b].numChannels = chans[b];
            bufs[b].silenceFlags = 0;
            bufs[b].channelBuffers32 = ptrs[b].data();
        }
    };
    make(inChannels, inPtrs_, inputs);
    make(outChannels, outPtrs_, outputs);
    sine_.resize(4096);
    for (size_t i = 0; i < sine_.size(); ++i)
        sine_[i] = static_cast<float>(0.5 * std::sin(2.0 * M_PI * static_cast<double>(i) / 4096.0));
}

void AudioBuffers::fillInputs(int64_t startSample, int32_t numSamples) {
    for (size_t b = 0; b < inputs.size(); ++b) {
        for (int32_t c = 0; c < inputs[b].numChannels; ++c) {
            float* p = inPtrs_[b][c];
            const uint64_t step = 11 + 6 * static_cast<uint64_t>(c) + 13 * b; // distinct pitches
            for (int32_t s = 0; s < numSamples; ++s)
                p[s] = sine_[(static_cast<uint64_t>(startSample + s) * step) & 4095];
        }
    }
}

void AudioBuffers::poisonOutputs(int32_t numSamples) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (size_t b = 0; b < outputs.size(); ++b)
        for (int32_t c = 0; c < outputs[b].numChannels; ++c)
            std::fill(outPtrs_[b][c], outPtrs_[b][c] + numSamples, nan);
}

// ---- the audio thread
// ----------------------------------------------------------------------------
namespace {

struct LogEntry {
    int64_t block;
    double beat;
    bool output;
    Event event;
};

struct ThreadState {
    PluginInstance* plugin;
    const RunConfig* cfg;
    AudioBuffers* buffers;
    EventList* inEvents;
    EventList* outEvents;
    ParameterChanges* inParams;
    ParameterChanges* outParams;
    const std::vector<midi::Scheduled>* schedule;
    const std::vector<midi::ScheduledParam>* automation;
    const transport::Plan* plan;
    int64_t totalBlocks, warmupBlocks;
    int64_t* timings;
    LogEntry* log;
    size_t logCapacity;
    size_t logCount;
    checks::EventChecker checker;
    checks::NoteTracker tracker;
    RunResult* result;
    int32_t numEventOutBuses;
    bool hasEventIn;
    // [0] collections, [1] process-wide managed bytes, [2] audio-thread bytes, [3] inference-thread bytes
    int64_t gcStart[4], gcEnd[4];
    bool gcStartOk, gcEndOk;
    // --midi phrases: the window starts where the player plays again after the first answer.
    bool warmupUntilAnswer;
    bool sawAnswer;
    int64_t answerWarmupCall;
    int64_t gcAnswer[4];
    bool gcAnswerOk;
    // Generated notes sounding, per output key: continuous sample and call of the note-on (-1:
    // none).
    int64_t answerOnAt[16][128];
    int64_t answerOnCall[16][128];
};

int64_t nowNs() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// The runtime-stats export is a diagnostic, not part of the process path: do not count it.
ThreadAllocsProc g_threadAllocs = nullptr; // set per run from the config

bool readRuntimeStats(RuntimeStatsProc fn, int64_t out[4]) {
    if (!fn) return false;
    bool was = alloc_counter::enabledOnThisThread();
    alloc_counter::enableOnThisThread(false);
    out[0] = out[1] = out[2] = out[3] = 0;
    int rc = fn(&out[0], &out[1]);
    if (rc == 0 && g_threadAllocs) rc = g_threadAllocs(&out[2], &out[3]);
    alloc_counter::enableOnThisThread(was);
    return rc == 0;
}

void logEvent(ThreadState& st, int64_t block, double beat, bool output, const Event& e) {
    if (st.logCount < st.logCapacity)
        st.log[st.logCount++] = {block, beat, output, e};
    else
        ++st.result->logDropped;
}

void* audioThreadMain(void* arg) {
    ThreadState& st = *static_cast<ThreadState*>(arg);
    const RunConfig& cfg = *st.cfg;
    RunResult& res = *st.result;
    pthread_setname_np(pthread_self(), "copilot-audio");
#if defined(__SSE__)
    // Flush-to-zero / denormals-are-zero, as DAWs set on their audio threads.
    _mm_setcsr(_mm_getcsr() | 0x8040);
#endif
    AudioBuffers& buf = *st.buffers;
    IAudioProcessor* proc = st.plugin->processor;

    ProcessContext ctx;
    std::memset(&ctx, 0, sizeof ctx);
    ProcessData data;
    std::memset(&data, 0, sizeof data);
    data.processMode = kRealtime;
    data.symbolicSampleSize = kSample32;
    data.numInputs = static_cast<int32>(buf.inputs.size());
    data.numOutputs = static_cast<int32>(buf.outputs.size());
    data.inputs = buf.inputs.empty() ? nullptr : buf.inputs.data();
    data.outputs = buf.outputs.empty() ? nullptr : buf.outputs.data();
    data.inputParameterChanges = st.inParams;
    data.outputParameterChanges = st.outParams;
    data.inputEvents = st.inEvents;
    data.outputEvents = st.outEvents;
    data.processContext = &ctx;

    const auto& schedule = *st.schedule;
    const auto& automation = *st.automation;
    const auto& plan = st.plan->blocks;
    size_t nextEvent = 0, nextParam = 0;
    int64_t continuousSamples = 0;
    const int64_t runStartNs = nowNs();
    // Linux RT throttling (sched_rt_runtime_us, 950 ms per second by default) stalls a SCHED_FIFO
    // thread that never sleeps for ~50 ms each second, which would show up as a fake process()
    // spike. In the as-fast-as-possible mode the thread therefore rests 10 ms every 100 ms.
    int policy = SCHED_OTHER;
    sched_param sp{};
    pthread_getschedparam(pthread_self(), &policy, &sp);
    const bool breathe = !cfg.realtime && policy == SCHED_FIFO;
    int64_t lastRestNs = runStartNs;

    for (int64_t b = 0; b < st.totalBlocks; ++b) {
        const transport::Block& tb = plan[static_cast<size_t>(b)];
        const int32_t n = tb.numSamples;
        const bool main = tb.phase == transport::Phase::Main;
        const bool playing = tb.phase != transport::Phase::Stop; // the run's phase, not kPlaying
        // The schedules are in player time: samples since the run started.
        const int64_t blockStart = tb.continuous;
        const int64_t blockEnd = blockStart + n;
        bool playerStrikes = false;

        if (b == st.warmupBlocks) st.gcStartOk = readRuntimeStats(cfg.runtimeStats, st.gcStart);

        // Inputs for this block: MIDI from the schedule, parameter points from the automation.
        st.inEvents->clear();
        st.outEvents->clear();
        st.inParams->clear();
        st.outParams->clear();
        if (main) {
            while (nextEvent < schedule.size() && schedule[nextEvent].sample < blockEnd) {
                Event e = schedule[nextEvent].event;
                e.busIndex = 0;
                e.sampleOffset = static_cast<int32_t>(schedule[nextEvent].sample - blockStart);
                e.ppqPosition = transport::beatAt(tb, e.sampleOffset, cfg.sampleRate);
                ++nextEvent;
                playerStrikes |= e.type == Event::kNoteOnEvent;
                if (!st.hasEventIn) continue;
                if (st.inEvents->addEvent(e) != kResultOk) {
                    ++res.eventsInDropped;
                    continue;
                }
                ++res.eventsIn;
                if (cfg.printEvents) logEvent(st, b, e.ppqPosition, false, e);
            }
        }
        if (playing) {
            while (nextParam < automation.size() && automation[nextParam].sample < blockEnd) {
                const midi::ScheduledParam& p = automation[nextParam++];
                int32 qi = 0, pi = 0;
                IParamValueQueue* q = st.inParams->addParameterData(p.id, qi);
                if (q && q->addPoint(static_cast<int32>(p.sample - blockStart), p.value, pi) ==
                             kResultOk)
                    ++res.paramChangesIn;
            }
        }

        // The first phrase -> answer cycle is over when the player plays again after an answer:
        // one-time costs of the first answer (and of the phrase that asked for it) are behind.
        if (st.warmupUntilAnswer && st.sawAnswer && playerStrikes && st.answerWarmupCall < 0) {
            st.answerWarmupCall = b;
            st.gcAnswerOk = readRuntimeStats(cfg.runtimeStats, st.gcAnswer);
        }

        // Transport, as planned.
        transport::fillContext(tb, cfg.sampleRate, ctx);
        ctx.systemTime = nowNs();

        buf.fillInputs(continuousSamples, n);
        buf.poisonOutputs(n);
        data.numSamples = n;

        // The first call on a new thread may attach it to the plugin's runtime (NativeAOT: 4
        // native allocations). It is counted separately (reported, never judged); from the second
        // call on, every allocation on this thread counts.
        if (b == 0) alloc_counter::enableOnThisThread(true);
        const int64_t t0 = nowNs();
        const tresult rc = proc->process(data);
        const int64_t t1 = nowNs();
        if (b == 0) {
            alloc_counter::Snapshot first = alloc_counter::snapshot();
            res.firstCallAllocs = first.allocs;
            res.firstCallFrees = first.frees;
            alloc_counter::reset();
        }
        st.timings[b] = t1 - t0;
        if (static_cast<double>(t1 - t0) > static_cast<double>(n) / cfg.sampleRate * 1e9)
            ++res.overruns;
        if (rc != kResultOk) {
            if (res.processErrors == 0) res.firstProcessError = rc;
            ++res.processErrors;
        }

        // Output events and parameter changes.
        const int32_t outCount = st.outEvents->getEventCount();
        res.eventsOut += outCount;
        st.checker.checkBlock(st.outEvents->data(), outCount, n, st.numEventOutBuses, b,
                              st.tracker);
        for (int32_t i = 0; i < outCount; ++i) {
            const Event& e = st.outEvents->data()[i];
            if (e.type == Event::kNoteOnEvent && e.noteOn.noteId >= kGeneratedNoteIdBase) {
                if (res.answerNotes++ == 0) res.firstAnswerCall = b;
                st.sawAnswer = true;
                if (e.noteOn.channel >= 0 && e.noteOn.channel < 16 && e.noteOn.pitch >= 0 &&
                    e.noteOn.pitch < 128) {
                    st.answerOnAt[e.noteOn.channel][e.noteOn.pitch] = blockStart + e.sampleOffset;
                    st.answerOnCall[e.noteOn.channel][e.noteOn.pitch] = b;
                }
            } else if (e.type == Event::kNoteOffEvent && e.noteOff.channel >= 0 &&
                       e.noteOff.channel < 16 && e.noteOff.pitch >= 0 && e.noteOff.pitch < 128) {
                int64_t& on = st.answerOnAt[e.noteOff.channel][e.noteOff.pitch];
                if (on >= 0) {
                    const int64_t held = blockStart + e.sampleOffset - on;
                    if (held > res.longestAnswerNote) {
                        res.longestAnswerNote = held;
                        res.longestAnswerNoteCall =
                            st.answerOnCall[e.noteOff.channel][e.noteOff.pitch];
                    }
                    on = -1;
                }
            }
            if (cfg.printEvents)
                logEvent(st, b, transport::beatAt(tb, e.sampleOffset, cfg.sampleRate), true, e);
        }
        const int32 queues = st.outParams->getParameterCount();
        for (int32 qi = 0; qi < queues; ++qi) {
            IParamValueQueue* q = st.outParams->getParameterData(qi);
            const int32 points = q ? q->getPointCount() : 0;
            for (int32 pi = 0; pi < points; ++pi) {
                int32 offset = 0;
                ParamValue v = 0;
                ++res.paramChangesOut;
                tresult pr = q->getPoint(pi, offset, v);
                if (pr != kResultOk || offset < 0 || offset >= n || !std::isfinite(v) || v < 0 ||
                    v > 1) {
                    if (res.badParamChanges++ == 0)
                        std::snprintf(res.firstBadParam, sizeof res.firstBadParam,
                                      "block %lld: parameter %u point %d: getPoint %d, offset %d "
                                      "(block of %d), value %g",
                                      static_cast<long long>(b), q->getParameterId(), pi, pr,
                                      offset, n, v);
                } else if (q->getParameterId() < RunResult::kOutParamIds) {
                    res.lastParamOut[q->getParameterId()] = v;
                    res.paramOutSeen[q->getParameterId()] = true;
                }
            }
        }

        // Audio: finite everywhere on active outputs; bit-exact pass-through if asked.
        bool audioBad = false;
        for (size_t ob = 0; ob < buf.outputs.size(); ++ob) {
            if (!st.plugin->buses.audioOut.active[ob]) continue;
            for (int32_t c = 0; c < buf.outputs[ob].numChannels; ++c) {
                const float* p = buf.out(ob, c);
                for (int32_t s = 0; s < n; ++s)
                    if (!std::isfinite(p[s])) {
                        ++res.audioNonFinite;
                        audioBad = true;
                    }
            }
        }
        if (cfg.expectPassthrough) {
            bool same = !buf.inputs.empty() && !buf.outputs.empty() &&
                        buf.inputs[0].numChannels == buf.outputs[0].numChannels;
            for (int32_t c = 0; same && c < buf.outputs[0].numChannels; ++c)
                same = std::memcmp(buf.in(0, c), buf.out(0, c), sizeof(float) * n) == 0;
            if (!same) {
                ++res.passthroughMismatchBlocks;
                audioBad = true;
            }
        }
        if (audioBad && res.firstAudioErrorBlock < 0) res.firstAudioErrorBlock = b;

        continuousSamples += n;
        ++res.blocksProcessed;
        res.samplesProcessed += n;

        if (breathe && nowNs() - lastRestNs > 100000000) {
            timespec rest{0, 10000000};
            nanosleep(&rest, nullptr);
            lastRestNs = nowNs();
        }
        if (cfg.realtime) {
            // Pace to wall-clock: block b+1 starts at runStart + (samples so far) / (rate * speed).
            int64_t deadline =
                runStartNs + static_cast<int64_t>(static_cast<double>(continuousSamples) /
                                                  (cfg.sampleRate * cfg.speed) * 1e9);
            timespec ts{static_cast<time_t>(deadline / 1000000000),
                        static_cast<long>(deadline % 1000000000)};
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) != 0) {
            }
        }
    }
    alloc_counter::enableOnThisThread(false);
    st.gcEndOk = readRuntimeStats(cfg.runtimeStats, st.gcEnd);
    return nullptr;
}

const char* allocKindName(char k) {
    switch (k) {
    case 'm':
        return "malloc";
    case 'c':
        return "calloc";
    case 'r':
        return "realloc";
    case 'a':
        return "aligned";
    case 'f':
        return "free";
    default:
        return "?";
    }
}

void printEventTable(const LogEntry* log, size_t count) {
    std::printf("%7s %6s %8s %-4s %-13s %4s %-8s %6s %7s\n", "block", "offset", "beat", "dir",
                "type", "chan", "note", "vel", "noteId");
    for (size_t i = 0; i < count; ++i) {
        const LogEntry& l = log[i];
        const Event& e = l.event;
        char note[24] = "", vel[16] = "", id[16] = "", chan[8] = "";
        switch (e.type) {
        case Event::kNoteOnEvent:
            std::snprintf(chan, sizeof chan, "%d", e.noteOn.channel);
            std::snprintf(note, sizeof note, "%s(%d)", checks::noteName(e.noteOn.pitch).c_str(),
                          e.noteOn.pitch);
            std::snprintf(vel, sizeof vel, "%.3f", e.noteOn.velocity);
            std::snprintf(id, sizeof id, "%d", e.noteOn.noteId);
            break;
        case Event::kNoteOffEvent:
            std::snprintf(chan, sizeof chan, "%d", e.noteOff.channel);
            std::snprintf(note, sizeof note, "%s(%d)", checks::noteName(e.noteOff.pitch).c_str(),
                          e.noteOff.pitch);
            std::snprintf(vel, sizeof vel, "%.3f", e.noteOff.velocity);
            std::snprintf(id, sizeof id, "%d", e.noteOff.noteId);
            break;
        case Event::kPolyPressureEvent:
            std::snprintf(chan, sizeof chan, "%d", e.polyPressure.channel);
            std::snprintf(note, sizeof note, "%s(%d)",
                          checks::noteName(e.polyPressure.pitch).c_str(), e.polyPressure.pitch);
            std::snprintf(vel, sizeof vel, "%.3f", e.polyPressure.pressure);
            std::snprintf(id, sizeof id, "%d", e.polyPressure.noteId);
            break;
        case Event::kLegacyMIDICCOutEvent:
            std::snprintf(chan, sizeof chan, "%d", e.midiCCOut.channel);
            std::snprintf(note, sizeof note, "cc%u", e.midiCCOut.controlNumber);
            std::snprintf(vel, sizeof vel, "%d", e.midiCCOut.value);
            break;
        default:
            break;
        }
        std::printf("%7lld %6d %8.3f %-4s %-13s %4s %-8s %6s %7s\n",
                    static_cast<long long>(l.block), e.sampleOffset, l.beat,
                    l.output ? "out" : "in", checks::eventTypeName(e.type), chan, note, vel, id);
    }
}

} // namespace

RunResult runAudio(PluginInstance& plugin, const RunConfig& cfg) {
    g_threadAllocs = cfg.threadAllocs;
    RunResult res;
    const Buses& buses = plugin.buses;

    // Block sizes, fixed up front (random ones included) so the thread needs no generator.
    const int64_t tailBlocks = std::max<int64_t>(
        1, static_cast<int64_t>(std::ceil(cfg.tailSeconds * cfg.sampleRate / cfg.blockSize)));
    const int64_t stopBlocks = std::max<int64_t>(
        1, static_cast<int64_t>(std::ceil(cfg.stopSeconds * cfg.sampleRate / cfg.blockSize)));
    const int64_t hostBlocks = cfg.blocks + tailBlocks + stopBlocks;
    std::vector<int32_t> sizes(static_cast<size_t>(hostBlocks), cfg.blockSize);
    if (cfg.varyBlockSizes) {
        checks::Rng rng(cfg.seed * 7919 + 17);
        for (auto& s : sizes)
            s = static_cast<int32_t>(rng.range(1, cfg.blockSize));
    }
    // The transport of every process() call, then the MIDI in player time on top of it.
    transport::Config tc;
    tc.sampleRate = cfg.sampleRate;
    tc.tempo = cfg.tempo;
    tc.seed = cfg.seed;
    tc.chaos = cfg.transportChaos;
    const transport::Plan plan = transport::makePlan(sizes, cfg.blocks, tailBlocks, tc);
    const int64_t total = static_cast<int64_t>(plan.blocks.size());
    const int64_t mainSamples = plan.mainSamples;

    std::vector<midi::Scheduled> schedule;
    if (cfg.midi == MidiMode::Random)
        schedule = midi::randomPlaying(cfg.seed, mainSamples, cfg.sampleRate);
    else if (cfg.midi == MidiMode::Phrase)
        schedule = midi::phrase(cfg.sampleRate, cfg.tempo);
    else if (cfg.midi == MidiMode::Phrases)
        schedule = midi::phrases(cfg.seed, mainSamples, cfg.sampleRate, plan, res.phrasesIn);
    // The phrase may not fit a short run: drop what starts too late and release what is held.
    if (cfg.midi == MidiMode::Phrase) {
        std::vector<midi::Scheduled> kept;
        for (const auto& s : schedule) {
            if (s.sample < mainSamples - 1) {
                kept.push_back(s);
            } else if (s.event.type == Event::kNoteOffEvent) {
                bool wasOn = false; // its own note-on (same key and note ID) was kept
                for (const auto& k : kept)
                    wasOn |= k.event.type == Event::kNoteOnEvent &&
                             k.event.noteOn.channel == s.event.noteOff.channel &&
                             k.event.noteOn.pitch == s.event.noteOff.pitch &&
                             k.event.noteOn.noteId == s.event.noteOff.noteId;
                if (wasOn) {
                    midi::Scheduled c = s;
                    c.sample = std::max<int64_t>(0, mainSamples - 1);
                    kept.push_back(c);
                }
            }
        }
        schedule.swap(kept);
    }
    std::vector<midi::ScheduledParam> automation = cfg.initialParams;
    const std::vector<midi::ScheduledParam> random =
        midi::randomAutomation(cfg.seed, mainSamples, cfg.automatable, cfg.automate);
    automation.insert(automation.end(), random.begin(), random.end());

    AudioBuffers buffers;
    buffers.setup(buses.audioIn.channels, buses.audioOut.channels, cfg.blockSize);
    EventList* inEvents = new EventList(4096);
    EventList* outEvents = new EventList(4096);
    ParameterChanges* inParams = new ParameterChanges(256);
    ParameterChanges* outParams = new ParameterChanges(256);
    std::vector<int64_t> timings(static_cast<size_t>(total), 0);
    std::vector<LogEntry> log(cfg.printEvents ? 200000 : 0);

    ThreadState st{};
    st.plugin = &plugin;
    st.cfg = &cfg;
    st.buffers = &buffers;
    st.inEvents = inEvents;
    st.outEvents = outEvents;
    st.inParams = inParams;
    st.outParams = outParams;
    st.schedule = &schedule;
    st.automation = &automation;
    st.plan = &plan;
    st.totalBlocks = total;
    st.warmupUntilAnswer = cfg.midi == MidiMode::Phrases;
    st.answerWarmupCall = -1;
    for (auto& row : st.answerOnAt)
        std::fill(std::begin(row), std::end(row), -1);
    st.warmupBlocks = std::min<int64_t>(16, std::max<int64_t>(1, total / 10));
    st.timings = timings.data();
    st.log = log.data();
    st.logCapacity = log.size();
    st.result = &res;
    st.numEventOutBuses = static_cast<int32_t>(buses.eventOut.info.size());
    st.hasEventIn = !buses.eventIn.info.empty();

    res.mainBlocks = plan.mainCalls;
    res.tailBlocks = plan.tailCalls;
    res.stopBlocks = plan.stopCalls;
    res.transport = plan.counts;

    alloc_counter::reset();
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_t thread;
    int rc = -1;
    if (cfg.tryFifo) {
        sched_param sp{};
        sp.sched_priority = std::min(70, sched_get_priority_max(SCHED_FIFO));
        pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
        pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
        pthread_attr_setschedparam(&attr, &sp);
        rc = pthread_create(&thread, &attr, audioThreadMain, &st);
        res.fifo = rc == 0;
    }
    if (rc != 0) { // not permitted (no CAP_SYS_NICE / rtprio): plain scheduling, silently
        pthread_attr_destroy(&attr);
        pthread_attr_init(&attr);
        rc = pthread_create(&thread, &attr, audioThreadMain, &st);
    }
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        std::fprintf(stderr, "error: cannot create the audio thread (%d)\n", rc);
        res.processErrors = 1;
        return res;
    }
    pthread_join(thread, nullptr);

    // Verdicts.
    auto snap = alloc_counter::snapshot();
    res.audioThreadMallocs = snap.allocs;
    res.audioThreadFrees = snap.frees;
    alloc_counter::Record recs[alloc_counter::kRecorded];
    int nrec = alloc_counter::recorded(recs, alloc_counter::kRecorded);
    for (int i = 0; i < nrec; ++i) {
        Dl_info info{};
        char line[512];
        if (dladdr(recs[i].caller, &info) && info.dli_fname) {
            std::snprintf(line, sizeof line, "%s size=%zu from %s (%s+0x%lx)",
                          allocKindName(recs[i].kind), recs[i].size,
                          info.dli_sname ? info.dli_sname : "?", info.dli_fname,
                          static_cast<unsigned long>(static_cast<char*>(recs[i].caller) -
                                                     static_cast<char*>(info.dli_fbase)));
        } else {
            std::snprintf(line, sizeof line, "%s size=%zu from %p", allocKindName(recs[i].kind),
                          recs[i].size, recs[i].caller);
        }
        res.allocationSites.push_back(line);
    }

    res.unmatchedNoteOns = st.tracker.unmatchedNoteOns();
    res.orphanNoteOffs = st.tracker.orphanNoteOffs();
    res.noteOnsOut = st.tracker.noteOns();
    res.noteOffsOut = st.tracker.noteOffs();
    res.openNotes = st.tracker.describeOpen(12);
    res.badEvents = st.checker.badEvents();
    for (int i = 0; i < st.checker.messageCount(); ++i)
        res.badEventMessages.push_back(st.checker.message(i));
    res.eventsOutDropped = outEvents->overflows();

    // The measured window: from the fixed warm-up, or (phrases) from the end of the first phrase ->
    // answer cycle.
    res.warmupAfterAnswer = st.answerWarmupCall >= 0;
    res.warmupCalls = res.warmupAfterAnswer ? st.answerWarmupCall : st.warmupBlocks;
    const int64_t* gcFrom = res.warmupAfterAnswer ? st.gcAnswer : st.gcStart;
    const bool gcFromOk = res.warmupAfterAnswer ? st.gcAnswerOk : st.gcStartOk;
    res.gcAvailable = cfg.runtimeStats && gcFromOk && st.gcEndOk;
    if (res.gcAvailable) {
        res.gcCollections = st.gcEnd[0] - gcFrom[0];
        res.managedAllocBytes = st.gcEnd[1] - gcFrom[1];
        res.threadAllocsAvailable = cfg.threadAllocs != nullptr;
        res.audioManagedBytes = st.gcEnd[2] - gcFrom[2];
        res.inferenceManagedBytes = st.gcEnd[3] - gcFrom[3];
    }
    res.firstProcessUs = timings.empty() ? 0 : timings[0] / 1000.0;
    const size_t skip = static_cast<size_t>(res.warmupCalls);
    if (timings.size() > skip)
        res.timing = checks::summariseTimings(timings.data() + skip, timings.size() - skip);

    if (cfg.printEvents) {
        printEventTable(log.data(), st.logCount);
        if (res.logDropped)
            std::printf("(event log full: %lld events not shown)\n",
                        static_cast<long long>(res.logDropped));
    }

    auto releaseChecked = [](FUnknown* o, const char* what) {
        uint32 left = o->release();
        if (left != 0)
            std::printf("warning: host %s still referenced %u time(s) after the run\n", what, left);
    };
    releaseChecked(inEvents, "input event list");
    releaseChecked(outEvents, "output event list");
    releaseChecked(inParams, "input parameter changes");
    releaseChecked(outParams, "output parameter changes");
    return res;
}

} // namespace host
