// abuse.cpp - see abuse.h. Runs on the main thread; allocation is not measured here.
//
// A crash cannot be caught in-process (a NativeAOT plugin owns SIGSEGV), so every check prints its
// name and flushes before the call: if the host dies, the log's last line names the culprit.
#include "abuse.h"

#include "audio_run.h"
#include "checks.h"
#include "crash_report.h"

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
    explicit Checker(const std::vector<std::string>& skips) : skips_(skips) {}
    AbuseResult result;
    // Returns false (and prints SKIP) when the check is excluded with --abuse-skip.
    bool begin(const std::string& name) {
        name_ = name;
        for (const std::string& s : skips_) {
            if (!s.empty() && name.find(s) != std::string::npos) {
                std::printf("abuse: SKIP %s (--abuse-skip \"%s\")\n", name.c_str(), s.c_str());
                return false;
            }
        }
        crash_report::setStep(("abuse: " + name_).c_str());
        std::printf("abuse: ...  %s\n", name.c_str());
        std::fflush(stdout);
        return true;
    }
    void end(bool pass, const std::string& detail) {
        std::printf("abuse: %s %s (%s)\n", pass ? "PASS" : "FAIL", name_.c_str(), detail.c_str());
        std::fflush(stdout);
        if (pass)
            ++result.passed;
        else
            ++result.failed;
    }
    void skip(const std::string& name, const char* why) {
        std::printf("abuse: SKIP %s (%s)\n", name.c_str(), why);
    }

  private:
    const std::vector<std::string>& skips_;
    std::string name_;
};

std::string rc(tresult r) {
    return resultName(r);
}

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
        lastBad.clear();
        for (int i = 0; i < checker.messageCount(); ++i)
            lastBad += std::string("; ") + checker.message(i);
        return checker.badEvents();
    }
    std::string lastBad; // the checker's messages for the last badOutput() call
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
template <typename Obj> void badStateChecks(Checker& ck, Obj* obj, const char* who, uint64_t seed) {
    std::vector<uint8_t> before;
    tresult g = getStateBytes(obj, before);
    std::string prefix = std::string(who) + " ";
    if (g == kNotImplemented) {
        ck.skip(prefix + "setState with bad streams", "getState not implemented");
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
    for (auto& b : garbage)
        b = static_cast<uint8_t>(rng.next());
    for (auto& b : sameLength)
        b = static_cast<uint8_t>(rng.next());
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
        if (!ck.begin(prefix + "setState(" + c.name + ")")) continue;
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
    if (ck.begin(prefix + "setState(nullptr)")) {
        tresult r = obj->setState(nullptr);
        ck.end(r != kResultOk, rc(r));
    }
    if (ck.begin(prefix + "getState(nullptr)")) {
        tresult r = obj->getState(nullptr);
        ck.end(r != kResultOk, rc(r));
    }
}

} // namespace

AbuseResult runAbuse(Module& module, const ClassEntry& cls, HostApplication* app,
                     ComponentHandler* handler, const AbuseConfig& cfg) {
    Checker ck(cfg.skip);
    std::printf("abuse: fresh instance of \"%s\"\n", cls.name.c_str());
    PluginInstance p;
    std::string error;
    crash_report::setStep("abuse: create + initialize a second instance");
    bool created = p.create(module.factory(), cls.cid, app, handler, error, false);
    bool busesOk = created && p.setupBuses(error, false);
    if (!created || !busesOk) {
        ck.begin("create, initialize and set up a second instance");
        ck.end(false, error);
        if (created) {
            std::string report;
            p.shutdown(true, report);
        }
        return ck.result;
    }

    IAudioProcessor* proc = p.processor;
    IComponent* comp = p.component;
    IEditController* ctrl = p.controller;
    const int32_t bs = cfg.blockSize;
    tresult r = kResultOk;
    Harness h;
    h.setup(p, bs, cfg.sampleRate);

    // ---- wrong order -------------------------------------------------------------------------
    if (ck.begin("process before setupProcessing/setActive")) {
        r = proc->process(h.make(bs));
        ck.end(h.badOutput(bs) == 0, rc(r) + ", no crash");
    }
    if (ck.begin("setProcessing(true) before setActive")) {
        r = proc->setProcessing(1);
        tresult r2 = proc->setProcessing(0);
        ck.end(true, "on " + rc(r) + ", off " + rc(r2) + ", no crash");
    }

    // ---- bad indices ------------------------------------------------------------------------
    BusInfo bi{};
    if (ck.begin("getBusInfo(audio out, 99)")) {
        r = comp->getBusInfo(kAudio, kOutput, 99, bi);
        ck.end(r != kResultOk, rc(r));
    }
    if (ck.begin("getBusInfo(event in, -1)")) {
        r = comp->getBusInfo(kEvent, kInput, -1, bi);
        ck.end(r != kResultOk, rc(r));
    }
    if (ck.begin("getBusInfo(media type 7)")) {
        r = comp->getBusInfo(7, kInput, 0, bi);
        ck.end(r != kResultOk, rc(r));
    }
    if (ck.begin("activateBus(event out, 99)")) {
        r = comp->activateBus(kEvent, kOutput, 99, 1);
        ck.end(r != kResultOk, rc(r));
    }
    if (ck.begin("getBusArrangement(out, 99)")) {
        SpeakerArrangement arr = 0;
        r = proc->getBusArrangement(kOutput, 99, arr);
        ck.end(r != kResultOk, rc(r));
    }

    // ---- arrangements ------------------------------------------------------------------------
    const size_t nIn = p.buses.audioIn.info.size(), nOut = p.buses.audioOut.info.size();
    auto restoreStereo = [&]() {
        std::vector<SpeakerArrangement> in(nIn, SpeakerArr::kStereo),
            out(nOut, SpeakerArr::kStereo);
        proc->setBusArrangements(in.empty() ? nullptr : in.data(), static_cast<int32>(nIn),
                                 out.empty() ? nullptr : out.data(), static_cast<int32>(nOut));
    };
    if (nOut == 0) {
        ck.skip("setBusArrangements(stereo in, 5.1 out)", "no audio output bus");
    } else if (ck.begin("setBusArrangements(stereo in, 5.1 out)")) {
        std::vector<SpeakerArrangement> in(nIn, SpeakerArr::kStereo),
            out(nOut, SpeakerArr::kStereo);
        out[0] = SpeakerArr::k51;
        r = proc->setBusArrangements(in.empty() ? nullptr : in.data(), static_cast<int32>(nIn),
                                     out.data(), static_cast<int32>(nOut));
        SpeakerArrangement now = 0;
        proc->getBusArrangement(kOutput, 0, now);
        bool consistent = r != kResultOk || now == SpeakerArr::k51;
        ck.end(r == kResultFalse || (r == kResultOk && consistent),
               rc(r) + (r == kResultOk ? (consistent ? " (accepted; reads back 5.1)"
                                                     : " (accepted but does not read back 5.1)")
                                       : ""));
        restoreStereo();
    }
    if (ck.begin("setBusArrangements with one bus too many")) {
        std::vector<SpeakerArrangement> in(nIn + 1, SpeakerArr::kStereo),
            out(nOut + 1, SpeakerArr::kStereo);
        r = proc->setBusArrangements(in.data(), static_cast<int32>(nIn + 1), out.data(),
                                     static_cast<int32>(nOut + 1));
        ck.end(r != kResultOk, rc(r));
        restoreStereo();
    }

    // ---- sample sizes ------------------------------------------------------------------------
    if (ck.begin("canProcessSampleSize(99)")) {
        r = proc->canProcessSampleSize(99);
        ck.end(r != kResultOk, rc(r));
    }
    if (proc->canProcessSampleSize(kSample64) == kResultOk) {
        ck.skip("setupProcessing(kSample64) when unsupported", "plugin supports kSample64");
    } else if (ck.begin("setupProcessing(kSample64) when unsupported")) {
        ProcessSetup s64{kRealtime, kSample64, bs, cfg.sampleRate};
        r = proc->setupProcessing(s64);
        ck.end(r != kResultOk, rc(r));
    }
    if (ck.begin("setupProcessing(kSample32)")) {
        ProcessSetup setup{kRealtime, kSample32, bs, cfg.sampleRate};
        r = proc->setupProcessing(setup);
        ck.end(r == kResultOk, rc(r));
    }

    // ---- activation twice ---------------------------------------------------------------------
    if (ck.begin("setActive(true)")) {
        r = comp->setActive(1);
        ck.end(r == kResultOk, rc(r));
    }
    if (ck.begin("setActive(true) twice")) {
        r = comp->setActive(1);
        ck.end(true, rc(r) + ", no crash");
    }
    if (ck.begin("setProcessing(true)")) {
        r = proc->setProcessing(1);
        ck.end(r == kResultOk || r == kNotImplemented, rc(r));
    }

    // ---- flushes and null buffers ---------------------------------------------------------------
    std::vector<AudioBusBuffers> ins(nIn), outs(nOut);
    if (ck.begin("process(numSamples=0, no buses) = parameter flush")) {
        ProcessData& d = h.make(0);
        d.numInputs = d.numOutputs = 0;
        d.inputs = d.outputs = nullptr;
        int32 qi = 0, pi = 0;
        ParameterInfo info{};
        if (ctrl->getParameterCount() > 0 && ctrl->getParameterInfo(0, info) == kResultOk) {
            h.inParams->clear();
            if (IParamValueQueue* q = h.inParams->addParameterData(info.id, qi))
                q->addPoint(0, info.defaultNormalizedValue, pi);
        }
        r = proc->process(d);
        h.inParams->clear();
        ck.end(r == kResultOk && h.badOutput(1) == 0, rc(r));
    }
    if (ck.begin("process(numSamples=0, buses with 0 channels and null buffers)")) {
        ProcessData& d = h.make(0);
        for (auto& b : ins)
            b = AudioBusBuffers{0, 0, {nullptr}};
        for (auto& b : outs)
            b = AudioBusBuffers{0, 0, {nullptr}};
        d.inputs = ins.empty() ? nullptr : ins.data();
        d.outputs = outs.empty() ? nullptr : outs.data();
        r = proc->process(d);
        ck.end(r == kResultOk && h.badOutput(1) == 0, rc(r));
    }
    if (ck.begin("process(numSamples=block, channelBuffers32=nullptr)")) {
        ProcessData& d = h.make(bs);
        for (auto& b : ins)
            b = AudioBusBuffers{2, 0, {nullptr}};
        for (auto& b : outs)
            b = AudioBusBuffers{2, 0, {nullptr}};
        d.inputs = ins.empty() ? nullptr : ins.data();
        d.outputs = outs.empty() ? nullptr : outs.data();
        r = proc->process(d);
        ck.end(h.badOutput(bs) == 0, rc(r) + ", no crash");
    }
    if (ck.begin("process(numSamples=block, inputs/outputs=nullptr with counts > 0)")) {
        ProcessData& d = h.make(bs);
        d.inputs = d.outputs = nullptr;
        r = proc->process(d);
        ck.end(h.badOutput(bs) == 0, rc(r) + ", no crash");
    }
    if (ck.begin("process(numSamples = maxSamplesPerBlock + 1)")) {
        r = proc->process(h.make(bs + 1));
        ck.end(h.badOutput(bs + 1) == 0, rc(r) + ", no crash");
    }
    if (ck.begin("process(numSamples = -1)")) {
        r = proc->process(h.make(-1));
        ck.end(h.outEvents->getEventCount() == 0, rc(r) + ", no crash");
    }
    if (ck.begin("process with null event lists and null context")) {
        ProcessData& d = h.make(bs);
        d.inputEvents = d.outputEvents = nullptr;
        d.inputParameterChanges = d.outputParameterChanges = nullptr;
        d.processContext = nullptr;
        r = proc->process(d);
        ck.end(r == kResultOk, rc(r));
    }

    // ---- malformed input events ---------------------------------------------------------------
    if (ck.begin("process with malformed input events")) {
        h.inEvents->clear();
        Event evs[] = {
            noteOn(-5, 0, 60, 0.8f),         // offset before the block
            noteOn(bs + 10, 0, 61, 0.8f),    // offset after the block
            noteOn(3, 0, 200, 0.8f),         // pitch out of range
            noteOn(4, 40, 62, 0.8f),         // channel out of range
            noteOn(5, 0, -3, 0.8f),          // negative pitch
            noteOn(6, 0, 63, 7.5f),          // velocity > 1
            noteOn(7, 0, 64, std::nanf("")), // NaN velocity
            noteOff(2, 0, 65),               // unsorted, and no matching note-on
            noteOff(8, 3, 127),              // note-off without note-on
        };
        for (Event& e : evs)
            h.inEvents->addEvent(e);
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
        ck.end(bad == 0, rc(r) + ", " + std::to_string(bad) + " invalid output events" + h.lastBad);
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
    if (ck.begin("controller setComponentState(random garbage)")) {
        std::vector<uint8_t> garbage(48);
        checks::Rng rng(cfg.seed ^ 0x77);
        for (auto& b : garbage)
            b = static_cast<uint8_t>(rng.next());
        MemoryStream* s = new MemoryStream(garbage);
        r = ctrl->setComponentState(s);
        s->release();
        ck.end(r != kResultOk, rc(r));
    }
    if (ck.begin("controller setComponentState(nullptr)")) {
        r = ctrl->setComponentState(nullptr);
        ck.end(r != kResultOk, rc(r));
    }

    // ---- parameters ----------------------------------------------------------------------------
    const int32 count = ctrl->getParameterCount();
    ParameterInfo info{};
    std::vector<ParamID> ids;
    for (int32 i = 0; i < count; ++i)
        if (ctrl->getParameterInfo(i, info) == kResultOk) ids.push_back(info.id);
    ParamID unknown = 0x7FFFFF00; // an ID no parameter uses
    while (std::find(ids.begin(), ids.end(), unknown) != ids.end())
        ++unknown;
    if (ck.begin("getParameterInfo(-1)")) {
        r = ctrl->getParameterInfo(-1, info);
        ck.end(r != kResultOk, rc(r));
    }
    if (ck.begin("getParameterInfo(count)")) {
        r = ctrl->getParameterInfo(count, info);
        ck.end(r != kResultOk, rc(r));
    }
    if (ck.begin("getParamStringByValue(unknown id)")) {
        String128 text{};
        r = ctrl->getParamStringByValue(unknown, 0.5, text);
        ck.end(r != kResultOk, rc(r));
    }
    if (ids.empty()) {
        ck.skip("getParamStringByValue(valid id, nullptr)", "no parameters");
    } else if (ck.begin("getParamStringByValue(valid id, nullptr)")) {
        r = ctrl->getParamStringByValue(ids[0], 0.5, nullptr);
        ck.end(r != kResultOk, rc(r));
    }
    if (ck.begin("setParamNormalized(unknown id)")) {
        r = ctrl->setParamNormalized(unknown, 0.5);
        ck.end(r != kResultOk, rc(r));
    }
    if (!ids.empty()) {
        const ParamID id = ids[0];
        const ParamValue saved = ctrl->getParamNormalized(id);
        const double bad[] = {1.5, -0.25, std::nan("")};
        for (double v : bad) {
            if (!ck.begin("setParamNormalized(id " + std::to_string(id) + ", " + std::to_string(v) +
                          ") stays in [0, 1]"))
                continue;
            r = ctrl->setParamNormalized(id, v);
            ParamValue now = ctrl->getParamNormalized(id);
            ck.end(std::isfinite(now) && now >= 0 && now <= 1,
                   rc(r) + ", reads back " + std::to_string(now));
        }
        ctrl->setParamNormalized(id, saved);
    }

    // ---- teardown in the wrong order
    // -------------------------------------------------------------
    crash_report::setStep("abuse: terminate while active and processing");
    ck.begin("terminate while active and processing, then release");
    std::string report;
    int leaks = p.shutdown(true, report);
    ck.end(leaks == 0, leaks == 0 ? "refcounts reached 0" : report);
    std::printf("abuse: %d passed, %d failed\n", ck.result.passed, ck.result.failed);
    return ck.result;
}

} // namespace host
