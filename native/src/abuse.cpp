// abuse.cpp - see abuse.h. Runs on the main thread; allocation is not measured here.
//
// A crash cannot be caught in-process (a NativeAOT plugin owns SIGSEGV), so every check prints its
// name and flushes before the call: if the host dies, the log's last line names the culprit.
#include "abuse.h"

#include "audio_run.h"
#include "checks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace host {
namespace {

class Checker {
  public:
    AbuseResult result;
    void begin(const char* name) {
        name_ = name;
        std::printf("abuse: ...  %s\n", name);
        std::fflush(stdout);
    }
    void end(bool pass, const std::string& detail) {
        std::printf("abuse: %s %s (%s)\n", pass ? "PASS" : "FAIL", name_.c_str(), detail.c_str());
        std::fflush(stdout);
        if (pass)
            ++result.passed;
        else
            ++result.failed;
    }
    void skip(const char* name, const char* why) { std::printf("abuse: SKIP %s (%s)\n", name, why); }

  private:
    std::string name_;
};

std::string rc(tresult r) { return resultName(r); }

// A process() harness with its own lists and buffers (sized for twice the block size, so the
// oversized-block check stays inside host memory).
struct Harness {
    AudioBuffers buffers;
    EventList* inEvents = new EventList(256);
    EventList* outEvents = new EventList(4096);
    ParameterChanges* inParams = new ParameterChanges(64);
    ParameterChanges* outParams = new ParameterChanges(64);
    ProcessContext ctx{};
    ProcessData data{};
    int32_t numEventOut = 0;
    int64_t position = 0;
    double sampleRate = 48000;

    void setup(const PluginInstance& p, int32_t blockSize, double sr) {
        sampleRate = sr;
        buffers.setup(p.buses.audioIn.channels, p.buses.audioOut.channels, blockSize * 2);
        numEventOut = static_cast<int32_t>(p.buses.eventOut.info.size());
    }
    ~Harness() {
        inEvents->release();
        outEvents->release();
        inParams->release();
        outParams->release();
    }
    ProcessData& make(int32_t numSamples) {
        std::memset(&data, 0, sizeof data);
        std::memset(&ctx, 0, sizeof ctx);
        outEvents->clear();
        outParams->clear();
        ctx.state = ProcessContext::kPlaying | ProcessContext::kTempoValid |
                    ProcessContext::kTimeSigValid | ProcessContext::kProjectTimeMusicValid;
        ctx.sampleRate = sampleRate;
        ctx.tempo = 120;
        ctx.timeSigNumerator = ctx.timeSigDenominator = 4;
        ctx.projectTimeSamples = position;
        ctx.projectTimeMusic = static_cast<double>(position) / (sampleRate / 2);
        data.processMode = kRealtime;
        data.symbolicSampleSize = kSample32;
        data.numSamples = numSamples;
        data.numInputs = static_cast<int32>(buffers.inputs.size());
        data.numOutputs = static_cast<int32>(buffers.outputs.size());
        data.inputs = buffers.inputs.empty() ? nullptr : buffers.inputs.data();
        data.outputs = buffers.outputs.empty() ? nullptr : buffers.outputs.data();
        data.inputEvents = inEvents;
        data.outputEvents = outEvents;
        data.inputParameterChanges = inParams;
        data.outputParameterChanges = outParams;
        data.processContext = &ctx;
        if (numSamples > 0) {
            buffers.fillInputs(position, numSamples);
            position += numSamples;
        }
        return data;
    }
    // Output events of the last call must still be well formed (bad inputs must not leak out).
    int64_t badOutput(int32_t numSamples) {
        checks::EventChecker checker;
        checks::NoteTracker tracker;
        checker.checkBlock(outEvents->data(), outEvents->getEventCount(),
                           numSamples > 0 ? numSamples : 1, numEventOut, 0, tracker);
        return checker.badEvents();
    }
};

Event noteOn(int32_t offset, int ch, int pitch, float vel) {
    Event e{};
    e.sampleOffset = offset;
    e.type = Event::kNoteOnEvent;
    e.noteOn.channel = static_cast<int16_t>(ch);
    e.noteOn.pitch = static_cast<int16_t>(pitch);
    e.noteOn.velocity = vel;
    e.noteOn.noteId = -1;
    return e;
}
Event noteOff(int32_t offset, int ch, int pitch) {
    Event e{};
    e.sampleOffset = offset;
    e.type = Event::kNoteOffEvent;
    e.noteOff.channel = static_cast<int16_t>(ch);
    e.noteOff.pitch = static_cast<int16_t>(pitch);
    e.noteOff.noteId = -1;
    return e;
}

// setState with a bad stream must fail and leave the state as it was.
template <typename Obj>
void badStateChecks(Checker& ck, Obj* obj, const char* who, uint64_t seed) {
    std::vector<uint8_t> before;
    tresult g = getStateBytes(obj, before);
    std::string prefix = std::string(who) + " ";
    if (g == kNotImplemented) {
        ck.skip((prefix + "setState with bad streams").c_str(), "getState not implemented");
        return;
    }
    struct Case {
        std::string name;
        std::vector<uint8_t> bytes;
        bool failOnShortRead;
    };
    std::vector<Case> cases;
    checks::Rng rng(seed ^ 0x5151);
    std::vector<uint8_t> garbage(64), sameLength(before.size());
    for (auto& b : garbage) b = static_cast<uint8_t>(rng.next());
    for (auto& b : sameLength) b = static_cast<uint8_t>(rng.next());
    if (!before.empty()) {
        cases.push_back({"empty stream", {}, false});
        std::vector<uint8_t> half(before.begin(), before.begin() + before.size() / 2);
        cases.push_back({"truncated stream (half)", half, false});
        cases.push_back({"truncated stream (half, short read fails)", half, true});
        std::vector<uint8_t> minusOne(before.begin(), before.end() - 1);
        cases.push_back({"truncated stream (one byte short)", minusOne, false});
        cases.push_back({"random bytes, same length", sameLength, false});
    }
    cases.push_back({"random garbage (64 bytes)", garbage, false});
    for (const Case& c : cases) {
        std::string name = prefix + "setState(" + c.name + ")";
        ck.begin(name.c_str());
        MemoryStream* s = new MemoryStream(c.bytes);
        s->failOnShortRead = c.failOnShortRead;
        tresult r = obj->setState(s);
        s->release();
        std::vector<uint8_t> after;
        getStateBytes(obj, after);
        bool unchanged = after == before;
        ck.end(r != kResultOk && unchanged,
               "setState " + rc(r) + (r == kResultOk ? " (expected an error)" : "") +
                   (unchanged ? ", state unchanged" : ", STATE CHANGED"));
        if (!unchanged) { // put the good state back for the following checks
            MemoryStream* good = new MemoryStream(before);
            obj->setState(good);
            good->release();
        }
    }
    std::string n1 = prefix + "setState(nullptr)";
    ck.begin(n1.c_str());
    tresult r1 = obj->setState(nullptr);
    ck.end(r1 != kResultOk, rc(r1));
    std::string n2 = prefix + "getState(nullptr)";
    ck.begin(n2.c_str());
    tresult r2 = obj->getState(nullptr);
    ck.end(r2 != kResultOk, rc(r2));
}

} // namespace

AbuseResult runAbuse(Module& module, const ClassEntry& cls, HostApplication* app,
                     ComponentHandler* handler, const AbuseConfig& cfg) {
    Checker ck;
    std::printf("abuse: fresh instance of \"%s\"\n", cls.name.c_str());
    PluginInstance p;
    std::string error;
    ck.begin("create + initialize a second instance");
    bool created = p.create(module.factory(), cls.cid, app, handler, error, false);
    ck.end(created, created ? "ok" : error);
    if (!created) return ck.result;
    ck.begin("bus setup");
    bool busesOk = p.setupBuses(error, false);
    ck.end(busesOk, busesOk ? "ok" : error);
    if (!busesOk) {
        std::string report;
        p.shutdown(true, report);
        return ck.result;
    }

    IAudioProcessor* proc = p.processor;
    IComponent* comp = p.component;
    IEditController* ctrl = p.controller;
    const int32_t bs = cfg.blockSize;
    Harness h;
    h.setup(p, bs, cfg.sampleRate);

    // ---- wrong order -------------------------------------------------------------------------
    ck.begin("process before setupProcessing/setActive");
    tresult r = proc->process(h.make(bs));
    ck.end(h.badOutput(bs) == 0, rc(r) + ", no crash");

    ck.begin("setProcessing(true) before setActive");
    r = proc->setProcessing(1);
    tresult r2 = proc->setProcessing(0);
    ck.end(true, "on " + rc(r) + ", off " + rc(r2) + ", no crash");

    // ---- bad indices ------------------------------------------------------------------------
    {
        BusInfo bi{};
        ck.begin("getBusInfo(audio out, 99)");
        r = comp->getBusInfo(kAudio, kOutput, 99, bi);
        ck.end(r != kResultOk, rc(r));
        ck.begin("getBusInfo(event in, -1)");
        r = comp->getBusInfo(kEvent, kInput, -1, bi);
        ck.end(r != kResultOk, rc(r));
        ck.begin("getBusInfo(media type 7)");
        r = comp->getBusInfo(7, kInput, 0, bi);
        ck.end(r != kResultOk, rc(r));
        ck.begin("activateBus(event out, 99)");
        r = comp->activateBus(kEvent, kOutput, 99, 1);
        ck.end(r != kResultOk, rc(r));
        SpeakerArrangement arr = 0;
        ck.begin("getBusArrangement(out, 99)");
        r = proc->getBusArrangement(kOutput, 99, arr);
        ck.end(r != kResultOk, rc(r));
    }

    // ---- arrangements ------------------------------------------------------------------------
    const size_t nIn = p.buses.audioIn.info.size(), nOut = p.buses.audioOut.info.size();
    if (nOut > 0) {
        std::vector<SpeakerArrangement> in(nIn, SpeakerArr::kStereo), out(nOut, SpeakerArr::kStereo);
        out[0] = SpeakerArr::k51;
        ck.begin("setBusArrangements(stereo in, 5.1 out)");
        r = proc->setBusArrangements(in.data(), static_cast<int32>(nIn), out.data(),
                                     static_cast<int32>(nOut));
        SpeakerArrangement now = 0;
        proc->getBusArrangement(kOutput, 0, now);
        bool consistent = r != kResultOk ? true : now == SpeakerArr::k51;
        ck.end(r == kResultFalse || (r == kResultOk && consistent),
               rc(r) + (r == kResultOk ? (consistent ? " (accepted; reads back 5.1)"
                                                     : " (accepted but does not read back 5.1)")
                                       : ""));
        out[0] = SpeakerArr::kStereo;
        proc->setBusArrangements(in.data(), static_cast<int32>(nIn), out.data(),
                                 static_cast<int32>(nOut));
    } else {
        ck.skip("setBusArrangements(5.1 out)", "no audio output bus");
    }
    {
        std::vector<SpeakerArrangement> in(nIn + 1, SpeakerArr::kStereo),
            out(nOut + 1, SpeakerArr::kStereo);
        ck.begin("setBusArrangements with one bus too many");
        r = proc->setBusArrangements(in.data(), static_cast<int32>(nIn + 1), out.data(),
                                     static_cast<int32>(nOut + 1));
        ck.end(r != kResultOk, rc(r));
        in.assign(nIn, SpeakerArr::kStereo);
        out.assign(nOut, SpeakerArr::kStereo);
        proc->setBusArrangements(in.empty() ? nullptr : in.data(), static_cast<int32>(nIn),
                                 out.empty() ? nullptr : out.data(), static_cast<int32>(nOut));
    }

    // ---- sample sizes ------------------------------------------------------------------------
    ck.begin("canProcessSampleSize(99)");
    r = proc->canProcessSampleSize(99);
    ck.end(r != kResultOk, rc(r));
    tresult can64 = proc->canProcessSampleSize(kSample64);
    if (can64 != kResultOk) {
        ProcessSetup s64{kRealtime, kSample64, bs, cfg.sampleRate};
        ck.begin("setupProcessing(kSample64) when unsupported");
        r = proc->setupProcessing(s64);
        ck.end(r != kResultOk, rc(r));
    } else {
        ck.skip("setupProcessing(kSample64) when unsupported", "plugin supports kSample64");
    }
    ProcessSetup setup{kRealtime, kSample32, bs, cfg.sampleRate};
    ck.begin("setupProcessing(kSample32)");
    r = proc->setupProcessing(setup);
    ck.end(r == kResultOk, rc(r));

    // ---- activation twice ---------------------------------------------------------------------
    ck.begin("setActive(true)");
    r = comp->setActive(1);
    ck.end(r == kResultOk, rc(r));
    ck.begin("setActive(true) twice");
    r = comp->setActive(1);
    ck.end(true, rc(r) + ", no crash");
    ck.begin("setProcessing(true)");
    r = proc->setProcessing(1);
    ck.end(r == kResultOk || r == kNotImplemented, rc(r));

    // ---- flushes and null buffers ---------------------------------------------------------------
    {
        ck.begin("process(numSamples=0, no buses) = parameter flush");
        ProcessData& d = h.make(0);
        d.numInputs = d.numOutputs = 0;
        d.inputs = d.outputs = nullptr;
        int32 qi = 0, pi = 0;
        if (ctrl->getParameterCount() > 0) {
            ParameterInfo info{};
            if (ctrl->getParameterInfo(0, info) == kResultOk) {
                h.inParams->clear();
                if (IParamValueQueue* q = h.inParams->addParameterData(info.id, qi))
                    q->addPoint(0, info.defaultNormalizedValue, pi);
            }
        }
        r = proc->process(d);
        h.inParams->clear();
        ck.end(r == kResultOk && h.badOutput(1) == 0, rc(r));

        ck.begin("process(numSamples=0, buses with 0 channels and null buffers)");
        ProcessData& d2 = h.make(0);
        std::vector<AudioBusBuffers> ins(nIn), outs(nOut);
        for (auto& b : ins) b = AudioBusBuffers{0, 0, {nullptr}};
        for (auto& b : outs) b = AudioBusBuffers{0, 0, {nullptr}};
        d2.inputs = ins.empty() ? nullptr : ins.data();
        d2.outputs = outs.empty() ? nullptr : outs.data();
        r = proc->process(d2);
        ck.end(r == kResultOk && h.badOutput(1) == 0, rc(r));

        ck.begin("process(numSamples=block, channelBuffers32=nullptr)");
        ProcessData& d3 = h.make(bs);
        for (auto& b : ins) b = AudioBusBuffers{2, 0, {nullptr}};
        for (auto& b : outs) b = AudioBusBuffers{2, 0, {nullptr}};
        d3.inputs = ins.empty() ? nullptr : ins.data();
        d3.outputs = outs.empty() ? nullptr : outs.data();
        r = proc->process(d3);
        ck.end(h.badOutput(bs) == 0, rc(r) + ", no crash");

        ck.begin("process(numSamples=block, inputs/outputs=nullptr with counts > 0)");
        ProcessData& d4 = h.make(bs);
        d4.inputs = d4.outputs = nullptr;
        r = proc->process(d4);
        ck.end(h.badOutput(bs) == 0, rc(r) + ", no crash");

        ck.begin("process(numSamples = maxSamplesPerBlock + 1)");
        r = proc->process(h.make(bs + 1));
        ck.end(h.badOutput(bs + 1) == 0, rc(r) + ", no crash");

        ck.begin("process(numSamples = -1)");
        r = proc->process(h.make(-1));
        ck.end(h.outEvents->getEventCount() == 0, rc(r) + ", no crash");

        ck.begin("process with null event lists and null context");
        ProcessData& d5 = h.make(bs);
        d5.inputEvents = d5.outputEvents = nullptr;
        d5.inputParameterChanges = d5.outputParameterChanges = nullptr;
        d5.processContext = nullptr;
        r = proc->process(d5);
        ck.end(r == kResultOk, rc(r));
    }

    // ---- malformed input events ---------------------------------------------------------------
    {
        ck.begin("process with malformed input events");
        h.inEvents->clear();
        Event evs[] = {
            noteOn(-5, 0, 60, 0.8f),       // offset before the block
            noteOn(bs + 10, 0, 61, 0.8f),  // offset after the block
            noteOn(3, 0, 200, 0.8f),       // pitch out of range
            noteOn(4, 40, 62, 0.8f),       // channel out of range
            noteOn(5, 0, -3, 0.8f),        // negative pitch
            noteOn(6, 0, 63, 7.5f),        // velocity > 1
            noteOn(7, 0, 64, std::nanf("")), // NaN velocity
            noteOff(2, 0, 65),             // unsorted, and no matching note-on
            noteOff(8, 3, 127),            // note-off without note-on
        };
        for (Event& e : evs) h.inEvents->addEvent(e);
        Event weird{};
        weird.type = 999; // unknown type
        weird.sampleOffset = 9;
        h.inEvents->addEvent(weird);
        Event wrongBus = noteOn(10, 0, 66, 0.5f);
        wrongBus.busIndex = 7;
        h.inEvents->addEvent(wrongBus);
        Event sysex{};
        sysex.type = Event::kDataEvent;
        sysex.sampleOffset = 11;
        sysex.data.size = 100;
        sysex.data.bytes = nullptr; // size without bytes
        h.inEvents->addEvent(sysex);
        r = proc->process(h.make(bs));
        int64_t bad = h.badOutput(bs);
        h.inEvents->clear();
        ck.end(bad == 0, rc(r) + ", " + std::to_string(bad) + " invalid output events");

        // Let it settle a few blocks, stopped, so whatever it holds is released.
        for (int i = 0; i < 8; ++i) {
            ProcessData& d = h.make(bs);
            h.ctx.state &= ~static_cast<uint32>(ProcessContext::kPlaying);
            proc->process(d);
        }
    }

    // ---- state ---------------------------------------------------------------------------------
    badStateChecks(ck, comp, "component", cfg.seed);
    if (!p.singleComponent) badStateChecks(ck, ctrl, "controller", cfg.seed);
    {
        ck.begin("controller setComponentState(random garbage)");
        std::vector<uint8_t> garbage(48);
        checks::Rng rng(cfg.seed ^ 0x77);
        for (auto& b : garbage) b = static_cast<uint8_t>(rng.next());
        MemoryStream* s = new MemoryStream(garbage);
        r = ctrl->setComponentState(s);
        s->release();
        ck.end(r != kResultOk, rc(r));
        ck.begin("controller setComponentState(nullptr)");
        r = ctrl->setComponentState(nullptr);
        ck.end(r != kResultOk, rc(r));
    }

    // ---- parameters ----------------------------------------------------------------------------
    {
        int32 count = ctrl->getParameterCount();
        ParameterInfo info{};
        ck.begin("getParameterInfo(-1)");
        r = ctrl->getParameterInfo(-1, info);
        ck.end(r != kResultOk, rc(r));
        ck.begin("getParameterInfo(count)");
        r = ctrl->getParameterInfo(count, info);
        ck.end(r != kResultOk, rc(r));
        // An ID no parameter uses.
        std::vector<ParamID> ids;
        for (int32 i = 0; i < count; ++i)
            if (ctrl->getParameterInfo(i, info) == kResultOk) ids.push_back(info.id);
        ParamID unknown = 0x7FFFFF00;
        while (std::find(ids.begin(), ids.end(), unknown) != ids.end()) ++unknown;
        String128 text{};
        ck.begin("getParamStringByValue(unknown id)");
        r = ctrl->getParamStringByValue(unknown, 0.5, text);
        ck.end(r != kResultOk, rc(r));
        ck.begin("getParamStringByValue(valid id, nullptr)");
        r = count > 0 ? ctrl->getParamStringByValue(ids.empty() ? 0 : ids[0], 0.5, nullptr)
                      : kInvalidArgument;
        ck.end(r != kResultOk, rc(r));
        ck.begin("setParamNormalized(unknown id)");
        r = ctrl->setParamNormalized(unknown, 0.5);
        ck.end(r != kResultOk, rc(r));
        if (!ids.empty() && ctrl->getParameterInfo(0, info) == kResultOk) {
            ParamValue saved = ctrl->getParamNormalized(info.id);
            const double bad[] = {1.5, -0.25, std::nan("")};
            for (double v : bad) {
                std::string name = "setParamNormalized(id " + std::to_string(info.id) + ", " +
                                   std::to_string(v) + ") stays in [0, 1]";
                ck.begin(name.c_str());
                r = ctrl->setParamNormalized(info.id, v);
                ParamValue now = ctrl->getParamNormalized(info.id);
                ck.end(std::isfinite(now) && now >= 0 && now <= 1,
                       rc(r) + ", reads back " + std::to_string(now));
            }
            ctrl->setParamNormalized(info.id, saved);
        }
    }

    // ---- teardown in the wrong order -------------------------------------------------------------
    ck.begin("terminate while active and processing, then release");
    std::string report;
    int leaks = p.shutdown(true, report);
    ck.end(leaks == 0, leaks == 0 ? "refcounts reached 0" : report);
    std::printf("abuse: %d passed, %d failed\n", ck.result.passed, ck.result.failed);
    return ck.result;
}

} // namespace host
