// main.cpp - copilot-host: loads a VST3 bundle like a DAW, drives it from its own audio thread and
// prints one `copilot-host: key=value ...` summary line. Exit codes: 0 all checks passed, 1 a
// check failed, 2 usage or loading error. See README.md for what each check means.
#include "abuse.h"
#include "audio_run.h"
#include "crash_report.h"
#include "host_objects.h"
#include "moduleinfo.h"
#include "params.h"
#include "plugin_instance.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace host;

namespace {

const char* kUsage =
    "usage: copilot-host [options] BUNDLE\n"
    "  BUNDLE                      path to NAME.vst3 (directory) or to the plugin .so\n"
    "  --blocks N                  blocks to process (default 1000)\n"
    "  --block-size N              samples per block / maxSamplesPerBlock (default 512)\n"
    "  --sample-rate HZ            (default 48000)\n"
    "  --seed N                    seed of the random MIDI (default 1)\n"
    "  --midi MODE                 input MIDI: random (default), phrase (one two-bar phrase),\n"
    "                              phrases (call-and-response playing), none\n"
    "  --transport-chaos           after 20 s the transport changes tempo and metre, jumps, loops\n"
    "                              (split and unsplit at the loop end), stops and starts, and\n"
    "                              leaves validity flags out, at seeded random moments\n"
    "  --print-events              print every input and output event after the run\n"
    "  --class TEXT                use the first audio module class whose name contains TEXT\n"
    "  --list-params               print the controller's parameters\n"
    "  --abuse                     also run the bad-order/bad-input pass on a fresh instance\n"
    "  --realtime                  pace blocks to wall-clock time (default: as fast as possible)\n"
    "  --speed F                   pace blocks at F times real time (implies --realtime)\n"
    "  --expect-audio-passthrough  audio output must equal the input bit for bit\n"
    "  --max-mallocs N             allowed allocation (and free) calls on the audio thread after\n"
    "                              its first process() call (default 0)\n"
    "  --max-managed-bytes N       allowed growth of the plugin's managed allocated bytes during\n"
    "                              the run, when CoPilot_GetRuntimeStats exists (default 0)\n"
    "  --automate N                N random parameter changes during the run (default 0)\n"
    "  --set ID=VALUE              send parameter ID this normalized value [0, 1] at the first\n"
    "                              sample (repeatable), e.g. --set 1=1 for the last Mode item\n"
    "  --vary-block-sizes          numSamples random in [1, block-size] for every block\n"
    "  --abuse-skip TEXT           skip abuse checks whose name contains TEXT (repeatable)\n"
    "  --no-fifo                   do not try SCHED_FIFO for the audio thread\n"
    "  --strict                    also require an event input and output bus, component state,\n"
    "                              and the CoPilot_GetRuntimeStats export\n"
    "  --moduleinfo FILE           only write the module's moduleinfo.json (from its factory) to "
    "FILE\n"
    "  --help\n";

struct Options {
    RunConfig run;
    bool listParams = false;
    bool abuse = false;
    bool strict = false;
    std::vector<std::string> abuseSkip;
    std::string className;
    std::string moduleInfo;
    uint64_t maxMallocs = 0;
    int64_t maxManagedBytes = 0;
    std::string bundle;
};

[[noreturn]] void usageError(const std::string& msg) {
    std::fprintf(stderr, "error: %s\n%s", msg.c_str(), kUsage);
    std::printf("copilot-host: result=ERROR reason=usage\n");
    std::exit(2);
}

int64_t parseInt(const char* opt, const char* s, int64_t lo, int64_t hi) {
    if (!s) usageError(std::string(opt) + " needs a value");
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(s, &end, 10);
    if (errno || !end || *end || v < lo || v > hi)
        usageError(std::string(opt) + ": expected an integer in [" + std::to_string(lo) + ", " +
                   std::to_string(hi) + "], got \"" + s + "\"");
    return v;
}

Options parseArgs(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
        auto value = [&]() {
            ++i;
            return next;
        };
        if (a == "--help" || a == "-h") {
            std::printf("%s", kUsage);
            std::exit(0);
        } else if (a == "--blocks") {
            o.run.blocks = parseInt("--blocks", value(), 1, 100000000);
        } else if (a == "--block-size") {
            o.run.blockSize = static_cast<int32_t>(parseInt("--block-size", value(), 1, 65536));
        } else if (a == "--sample-rate") {
            o.run.sampleRate =
                static_cast<double>(parseInt("--sample-rate", value(), 1000, 768000));
        } else if (a == "--seed") {
            o.run.seed = static_cast<uint64_t>(parseInt("--seed", value(), 0, INT64_MAX));
        } else if (a == "--midi") {
            const char* v = value();
            std::string m = v ? v : "";
            if (m == "random")
                o.run.midi = MidiMode::Random;
            else if (m == "phrase")
                o.run.midi = MidiMode::Phrase;
            else if (m == "phrases")
                o.run.midi = MidiMode::Phrases;
            else if (m == "none")
                o.run.midi = MidiMode::None;
            else
                usageError("--midi: expected random, phrase, phrases or none");
        } else if (a == "--transport-chaos") {
            o.run.transportChaos = true;
        } else if (a == "--print-events") {
            o.run.printEvents = true;
        } else if (a == "--class") {
            const char* v = value();
            if (!v) usageError("--class needs a value");
            o.className = v;
        } else if (a == "--moduleinfo") {
            const char* v = value();
            if (!v) usageError("--moduleinfo needs a file name");
            o.moduleInfo = v;
        } else if (a == "--list-params") {
            o.listParams = true;
        } else if (a == "--abuse") {
            o.abuse = true;
        } else if (a == "--realtime") {
            o.run.realtime = true;
        } else if (a == "--speed") {
            const char* v = value();
            char* end = nullptr;
            double f = v ? std::strtod(v, &end) : 0;
            if (!v || !end || *end || !(f >= 0.01 && f <= 1000))
                usageError("--speed: expected a factor in [0.01, 1000]");
            o.run.speed = f;
            o.run.realtime = true;
        } else if (a == "--expect-audio-passthrough") {
            o.run.expectPassthrough = true;
        } else if (a == "--max-mallocs") {
            o.maxMallocs = static_cast<uint64_t>(parseInt("--max-mallocs", value(), 0, INT64_MAX));
        } else if (a == "--max-managed-bytes") {
            o.maxManagedBytes = parseInt("--max-managed-bytes", value(), 0, INT64_MAX);
        } else if (a == "--automate") {
            o.run.automate = static_cast<int>(parseInt("--automate", value(), 0, 100000));
        } else if (a == "--set") {
            const char* v = value();
            const std::string text = v ? v : "";
            const size_t eq = text.find('=');
            char* end = nullptr;
            const unsigned long id = eq == std::string::npos ? 0 : std::strtoul(text.c_str(), &end, 10);
            if (eq == std::string::npos || end != text.c_str() + eq)
                usageError("--set: expected ID=VALUE, got '" + text + "'");
            const double norm = std::strtod(text.c_str() + eq + 1, &end);
            if (*end != '\0' || !(norm >= 0.0 && norm <= 1.0))
                usageError("--set: VALUE must be a normalized value in [0, 1], got '" + text + "'");
            o.run.initialParams.push_back({0, static_cast<vst3::ParamID>(id), norm});
        } else if (a == "--vary-block-sizes") {
            o.run.varyBlockSizes = true;
        } else if (a == "--abuse-skip") {
            const char* v = value();
            if (!v) usageError("--abuse-skip needs a value");
            o.abuseSkip.push_back(v);
        } else if (a == "--no-fifo") {
            o.run.tryFifo = false;
        } else if (a == "--strict") {
            o.strict = true;
        } else if (!a.empty() && a[0] == '-') {
            usageError("unknown option " + a);
        } else if (o.bundle.empty()) {
            o.bundle = a;
        } else {
            usageError("more than one BUNDLE given");
        }
    }
    if (o.bundle.empty()) usageError("no BUNDLE given");
    return o;
}

const char* midiName(MidiMode m) {
    switch (m) {
    case MidiMode::Random:
        return "random";
    case MidiMode::Phrase:
        return "phrase";
    case MidiMode::Phrases:
        return "phrases";
    case MidiMode::None:
        return "none";
    }
    return "?";
}

[[noreturn]] void loadError(const std::string& msg) {
    std::fprintf(stderr, "error: %s\n", msg.c_str());
    std::fflush(stderr);
    std::printf("copilot-host: result=ERROR reason=load\n");
    std::exit(2);
}

struct Failures {
    std::vector<std::string> list;
    void add(const std::string& s) { list.push_back(s); }
};

// getState -> setState -> getState must reproduce the bytes (component, then controller), and
// the controller must accept the component state.
std::string stateRoundTrip(PluginInstance& p, bool strict, Failures& fails) {
    bool ok = true, any = false;
    std::vector<uint8_t> a, b;
    tresult r = getStateBytes(p.component, a);
    if (r == kResultOk) {
        any = true;
        MemoryStream* s = new MemoryStream(a);
        tresult sr = p.component->setState(s);
        s->release();
        tresult r2 = getStateBytes(p.component, b);
        if (sr != kResultOk || r2 != kResultOk || a != b) {
            ok = false;
            fails.add("component state round-trip: setState " + resultName(sr) + ", getState " +
                      resultName(r2) + ", " + std::to_string(a.size()) + " vs " +
                      std::to_string(b.size()) + " bytes" + (a == b ? "" : ", bytes differ"));
        }
        MemoryStream* cs = new MemoryStream(a);
        tresult cr = p.controller->setComponentState(cs);
        cs->release();
        if (cr != kResultOk) {
            ok = false;
            fails.add("controller setComponentState(component state) returned " + resultName(cr));
        }
        std::printf("state: component %zu bytes, round-trip %s\n", a.size(),
                    a == b ? "identical" : "DIFFERENT");
    } else if (r == kNotImplemented && !strict) {
        std::printf("state: component getState not implemented\n");
    } else {
        ok = false;
        fails.add("component getState returned " + resultName(r));
    }
    if (!p.singleComponent) {
        r = getStateBytes(p.controller, a);
        if (r == kResultOk) {
            any = true;
            MemoryStream* s = new MemoryStream(a);
            tresult sr = p.controller->setState(s);
            s->release();
            tresult r2 = getStateBytes(p.controller, b);
            if (sr != kResultOk || r2 != kResultOk || a != b) {
                ok = false;
                fails.add("controller state round-trip: setState " + resultName(sr) +
                          ", getState " + resultName(r2) + (a == b ? "" : ", bytes differ"));
            }
            std::printf("state: controller %zu bytes, round-trip %s\n", a.size(),
                        a == b ? "identical" : "DIFFERENT");
        } else if (r == kNotImplemented) {
            std::printf("state: controller getState not implemented\n");
        } else {
            ok = false;
            fails.add("controller getState returned " + resultName(r));
        }
    }
    if (!ok) return "FAIL";
    return any ? "ok" : "n/a";
}

} // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Options opt = parseArgs(argc, argv);
    RunConfig& cfg = opt.run;
    Failures fails;

    HostApplication* app = new HostApplication;
    ComponentHandler* handler = new ComponentHandler;
    crash_report::install();
    crash_report::setStep("loading the module");
    Module module;
    std::string error;
    if (!module.load(opt.bundle, app, error)) loadError(error);
    std::printf("module: %s\n", module.sharedObjectPath().c_str());
    std::printf("factory: IPluginFactory%s vendor=\"%s\" classes=%zu runtime-stats=%s\n",
                module.factoryVersion() == 1 ? "" : std::to_string(module.factoryVersion()).c_str(),
                module.factoryInfo().vendor, module.classes().size(),
                module.runtimeStats() ? "yes" : "no");
    for (const ClassEntry& c : module.classes())
        std::printf("class: %s \"%s\" category=\"%s\" sub=\"%s\" version=%s sdk=%s\n",
                    cidToString(c.cid).c_str(), c.name.c_str(), c.category.c_str(),
                    c.subCategories.c_str(), c.version.c_str(), c.sdkVersion.c_str());
    if (!opt.moduleInfo.empty()) {
        if (!writeModuleInfo(module, opt.bundle, opt.moduleInfo, error)) loadError(error);
        module.unload();
        std::printf("copilot-host: result=PASS moduleinfo=%s classes=%zu\n", opt.moduleInfo.c_str(),
                    module.classes().size());
        return 0;
    }
    const ClassEntry* cls = nullptr;
    for (const ClassEntry& c : module.classes())
        if (!cls && c.category == kVstAudioEffectClass &&
            c.name.find(opt.className) != std::string::npos)
            cls = &c;
    if (!cls)
        loadError("no class with category \"Audio Module Class\"" +
                  (opt.className.empty() ? "" : " named like \"" + opt.className + "\"") + " in " +
                  opt.bundle);
    std::printf("using: \"%s\"\n", cls->name.c_str());

    crash_report::setStep("creating and initializing the plugin");
    PluginInstance plugin;
    if (!plugin.create(module.factory(), cls->cid, app, handler, error, true))
        loadError("cannot instantiate \"" + cls->name + "\": " + error);

    crash_report::setStep("reading parameters");
    ParamReport params = readParameters(plugin.controller);
    if (opt.listParams) printParameters(params);
    for (const std::string& m : params.messages)
        fails.add(m);
    cfg.automatable = params.automatable;

    crash_report::setStep("bus setup");
    bool setupOk = plugin.setupBuses(error, true);
    if (!setupOk) fails.add("buses: " + error);
    const Buses& buses = plugin.buses;
    std::printf("buses: audio in %zu, audio out %zu, event in %zu, event out %zu\n",
                buses.audioIn.info.size(), buses.audioOut.info.size(), buses.eventIn.info.size(),
                buses.eventOut.info.size());
    if (opt.strict) {
        if (buses.eventIn.info.empty()) fails.add("strict: no event input bus");
        if (buses.eventOut.info.empty()) fails.add("strict: no event output bus");
        if (!module.runtimeStats()) fails.add("strict: CoPilot_GetRuntimeStats not exported");
    }
    if (cfg.expectPassthrough && (buses.audioIn.info.empty() || buses.audioOut.info.empty()))
        fails.add("--expect-audio-passthrough: the plugin needs an audio input and output bus");

    IAudioProcessor* proc = plugin.processor;
    RunResult res;
    std::string stateResult = "n/a";
    bool ran = false;
    tresult r = proc->canProcessSampleSize(kSample32);
    if (r != kResultOk) {
        fails.add("canProcessSampleSize(kSample32) returned " + resultName(r));
        setupOk = false;
    }
    ProcessSetup setup{kRealtime, kSample32, cfg.blockSize, cfg.sampleRate};
    tresult rs = proc->setupProcessing(setup);
    if (rs != kResultOk) fails.add("setupProcessing returned " + resultName(rs));
    void* obj = nullptr;
    if (plugin.component->queryInterface(IProcessContextRequirements::iid.data(), &obj) ==
            kResultOk &&
        obj) {
        auto* req = static_cast<IProcessContextRequirements*>(obj);
        std::printf("process context requirements: 0x%x\n", req->getProcessContextRequirements());
        req->release();
    }
    std::printf("latency: %u samples, tail: %u samples\n", proc->getLatencySamples(),
                proc->getTailSamples());
    tresult ra = plugin.component->setActive(1);
    if (ra != kResultOk) fails.add("setActive(true) returned " + resultName(ra));
    if (setupOk && rs == kResultOk && ra == kResultOk) {
        tresult rp = proc->setProcessing(1);
        if (rp != kResultOk && rp != kNotImplemented)
            fails.add("setProcessing(true) returned " + resultName(rp));
        cfg.runtimeStats = module.runtimeStats();
        cfg.threadAllocs = module.threadAllocs();
        std::printf(
            "run: %" PRId64 " blocks of %d samples at %.0f Hz, midi=%s, seed=%" PRIu64 "%s%s%s\n",
            cfg.blocks, cfg.blockSize, cfg.sampleRate, midiName(cfg.midi), cfg.seed,
            cfg.realtime ? (cfg.speed == 1.0 ? ", realtime" : ", paced faster than real time") : "",
            cfg.varyBlockSizes ? ", varying block sizes" : "",
            cfg.transportChaos ? ", transport chaos" : "");
        crash_report::setStep("the audio run (process() on the audio thread)");
        res = runAudio(plugin, cfg);
        ran = true;
        rp = proc->setProcessing(0);
        if (rp != kResultOk && rp != kNotImplemented)
            fails.add("setProcessing(false) returned " + resultName(rp));
        // What the read-only displays say after the run (the controller is still alive here).
        printDisplays(plugin.controller, params, res.lastParamOut, res.paramOutSeen,
                      RunResult::kOutParamIds);
        crash_report::setStep("state round-trip");
        stateResult = stateRoundTrip(plugin, opt.strict, fails);
        ra = plugin.component->setActive(0);
        if (ra != kResultOk) fails.add("setActive(false) returned " + resultName(ra));
    } else {
        fails.add("not running: setup failed");
    }

    crash_report::setStep("terminate and release");
    std::string leakReport;
    int leaks = plugin.shutdown(true, leakReport);
    if (leaks) fails.add(leakReport);

    std::string abuseFailed = "n/a";
    if (opt.abuse) {
        AbuseConfig ac{cfg.blockSize, cfg.sampleRate, cfg.seed, opt.abuseSkip};
        AbuseResult ar = runAbuse(module, *cls, app, handler, ac);
        abuseFailed = std::to_string(ar.failed);
        if (ar.failed) fails.add("abuse: " + abuseFailed + " check(s) failed");
    }

    crash_report::setStep("ModuleExit and dlclose");
    bool exitOk = module.unload();
    if (!exitOk) std::printf("note: ModuleExit returned false\n");
    // The plugin must have released every reference it took to the host's objects.
    uint32 appRefs = app->refCount(), handlerRefs = handler->refCount();
    if (appRefs != 1)
        fails.add("plugin kept " + std::to_string(appRefs - 1) +
                  " reference(s) to the host context after unload");
    if (handlerRefs != 1)
        fails.add("plugin kept " + std::to_string(handlerRefs - 1) +
                  " reference(s) to the component handler after unload");
    std::printf("host: messages created %d, unsupported host-context queries %d, component "
                "handler edits %d/%d/%d restarts %d\n",
                app->messagesCreated.load(), app->unknownInterfaceQueries.load(),
                handler->beginEdits.load(), handler->performEdits.load(), handler->endEdits.load(),
                handler->restarts.load());
    app->release();
    handler->release();

    // Verdicts of the run.
    std::string gcText = "n/a", managedText = "n/a", audioBytesText = "n/a", inferenceBytesText = "n/a";
    if (ran) {
        std::printf("run: %" PRId64 " process() calls (%" PRId64 " main, %" PRId64 " tail, %" PRId64
                    " stopped), audio thread %s, mean process() %.2f us\n",
                    res.blocksProcessed, res.mainBlocks, res.tailBlocks, res.stopBlocks,
                    res.fifo ? "SCHED_FIFO" : "SCHED_OTHER", res.timing.meanUs);
        const transport::Counts& tc = res.transport;
        if (cfg.transportChaos)
            std::printf("transport: %" PRId64 " jumps, %" PRId64 " loop wraps (%" PRId64
                        " with the block split at the loop end), %" PRId64
                        " tempo changes, %" PRId64 " time signature changes, %" PRId64
                        " stops, %" PRId64 " stretches of missing flags (%" PRId64 " calls)\n",
                        tc.jumps, tc.loops, tc.splitWraps, tc.tempoChanges, tc.timeSigChanges,
                        tc.stops, tc.flagGaps, tc.flagGapBlocks);
        if (res.answerNotes)
            std::printf("answers: %" PRId64 " generated note-ons, the first in call %" PRId64
                        "; longest generated note %.2f s (note-on in call %" PRId64 ")\n",
                        res.answerNotes, res.firstAnswerCall,
                        static_cast<double>(res.longestAnswerNote) / cfg.sampleRate,
                        res.longestAnswerNoteCall);
        if (cfg.midi == MidiMode::Phrases) {
            if (res.warmupAfterAnswer)
                std::printf("warm-up: %" PRId64
                            " calls, up to the second phrase (first answer note "
                            "in call %" PRId64 "); GC statistics and percentiles from there on\n",
                            res.warmupCalls, res.firstAnswerCall);
            else
                std::printf("warm-up: no phrase -> answer cycle completed; GC statistics and "
                            "percentiles from call %" PRId64 "\n",
                            res.warmupCalls);
        }
        std::printf("first process() call: %.1f us, %" PRIu64 " allocation(s), %" PRIu64
                    " free(s) (thread attach; not judged)\n",
                    res.firstProcessUs, res.firstCallAllocs, res.firstCallFrees);
        if (res.processErrors)
            fails.add("process() returned " + resultName(res.firstProcessError) + " in " +
                      std::to_string(res.processErrors) + " block(s)");
        if (res.eventsInDropped)
            fails.add("host input event list overflowed (" + std::to_string(res.eventsInDropped) +
                      " events)");
        for (const std::string& m : res.badEventMessages)
            std::printf("bad event: %s\n", m.c_str());
        if (res.badEvents) fails.add(std::to_string(res.badEvents) + " invalid output event(s)");
        if (res.unmatchedNoteOns)
            fails.add(std::to_string(res.unmatchedNoteOns) +
                      " stuck note(s) after transport stop: " + res.openNotes);
        if (res.orphanNoteOffs)
            fails.add(std::to_string(res.orphanNoteOffs) + " note-off(s) without note-on");
        if (res.badParamChanges)
            fails.add(std::to_string(res.badParamChanges) +
                      " invalid output parameter point(s), first: " + res.firstBadParam);
        if (res.audioNonFinite)
            fails.add(std::to_string(res.audioNonFinite) +
                      " non-finite (or unwritten) output sample(s), first in block " +
                      std::to_string(res.firstAudioErrorBlock));
        if (res.passthroughMismatchBlocks)
            fails.add("audio differs from input in " +
                      std::to_string(res.passthroughMismatchBlocks) + " block(s), first " +
                      std::to_string(res.firstAudioErrorBlock));
        for (const std::string& s : res.allocationSites)
            std::printf("audio-thread allocation: %s\n", s.c_str());
        if (res.audioThreadMallocs > opt.maxMallocs || res.audioThreadFrees > opt.maxMallocs)
            fails.add(std::to_string(res.audioThreadMallocs) + " allocation(s) and " +
                      std::to_string(res.audioThreadFrees) +
                      " free(s) on the audio thread (allowed " + std::to_string(opt.maxMallocs) +
                      ")");
        if (res.eventsOutDropped)
            std::printf("note: output event list full, %" PRId64 " event(s) refused\n",
                        res.eventsOutDropped);
        if (res.gcAvailable) {
            gcText = std::to_string(res.gcCollections);
            managedText = std::to_string(res.managedAllocBytes);
            if (res.gcCollections > 0) fails.add(gcText + " garbage collection(s) during the run");
            if (res.managedAllocBytes > opt.maxManagedBytes)
                fails.add(managedText + " managed bytes allocated during the run (allowed " +
                          std::to_string(opt.maxManagedBytes) + ")");
            if (res.threadAllocsAvailable) {
                audioBytesText = std::to_string(res.audioManagedBytes);
                inferenceBytesText = std::to_string(res.inferenceManagedBytes);
                if (res.audioManagedBytes > opt.maxManagedBytes)
                    fails.add(audioBytesText + " managed bytes allocated inside process() (exact count)");
                if (res.inferenceManagedBytes > opt.maxManagedBytes)
                    fails.add(inferenceBytesText + " managed bytes allocated on the inference thread (exact count)");
            }
        } else if (opt.strict) {
            fails.add("strict: runtime statistics unavailable");
        }
    }
    if (stateResult == "n/a" && opt.strict) fails.add("strict: no component state");

    for (const std::string& f : fails.list)
        std::printf("FAIL: %s\n", f.c_str());
    const bool pass = fails.list.empty();
    std::printf(
        "copilot-host: result=%s blocks=%" PRId64 " block_size=%d sample_rate=%.0f "
        "midi=%s transport=%s events_in=%" PRId64 " events_out=%" PRId64 " note_ons_out=%" PRId64
        " note_offs_out=%" PRId64 " answer_notes=%" PRId64 " phrases_in=%" PRId64
        " unmatched_note_ons=%" PRId64 " orphan_note_offs=%" PRId64 " bad_events=%" PRId64
        " process_errors=%" PRId64 " audio_errors=%" PRId64 " param_changes_in=%" PRId64
        " jumps=%" PRId64 " loops=%" PRId64 " tempo_changes=%" PRId64 " stops=%" PRId64
        " audio_thread_mallocs=%" PRIu64 " audio_thread_frees=%" PRIu64
        " gc_collections=%s managed_alloc_bytes=%s process_us_p50=%.2f"
        " process_us_p99=%.2f process_us_p999=%.2f process_us_max=%.2f overruns=%" PRId64
        " sched=%s state_roundtrip=%s param_errors=%d refcount_leaks=%d abuse_failed=%s"
        " audio_managed_bytes=%s inference_managed_bytes=%s\n",
        pass ? "PASS" : "FAIL", cfg.blocks, cfg.blockSize, cfg.sampleRate, midiName(cfg.midi),
        cfg.transportChaos ? "chaos" : "steady", res.eventsIn, res.eventsOut, res.noteOnsOut,
        res.noteOffsOut, res.answerNotes, res.phrasesIn, res.unmatchedNoteOns, res.orphanNoteOffs,
        res.badEvents, res.processErrors, res.audioNonFinite + res.passthroughMismatchBlocks,
        res.paramChangesIn, res.transport.jumps, res.transport.loops, res.transport.tempoChanges,
        res.transport.stops, res.audioThreadMallocs, res.audioThreadFrees, gcText.c_str(),
        managedText.c_str(), res.timing.p50Us, res.timing.p99Us, res.timing.p999Us,
        res.timing.maxUs, res.overruns, res.fifo ? "fifo" : "other", stateResult.c_str(),
        params.errors, leaks + (appRefs != 1) + (handlerRefs != 1), abuseFailed.c_str(),
        audioBytesText.c_str(), inferenceBytesText.c_str());
    return pass ? 0 : 1;
}
