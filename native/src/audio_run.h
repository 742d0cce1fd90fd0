// audio_run.h - the measured run: N blocks of process() on the host's own audio thread, with
// MIDI input, a transport, output checks, allocation counting, timing and GC statistics.
#pragma once

#include "checks.h"
#include "host_objects.h"
#include "midi_gen.h"
#include "plugin_instance.h"
#include "transport.h"

#include <cstdint>
#include <string>
#include <vector>

namespace host {

// Preallocated audio buffers for every audio bus, laid out as ProcessData wants them.
class AudioBuffers {
  public:
    void setup(const std::vector<int32_t>& inChannels, const std::vector<int32_t>& outChannels,
               int32_t maxSamples);
    std::vector<AudioBusBuffers> inputs, outputs;
    float* in(size_t bus, int32_t ch) { return inPtrs_[bus][ch]; }
    float* out(size_t bus, int32_t ch) { return outPtrs_[bus][ch]; }
    // Deterministic input: a different sine per channel, continuous across blocks.
    void fillInputs(int64_t startSample, int32_t numSamples);
    // Quiet-NaN sentinel in every output sample: a plugin that does not write its outputs fails the
    // finiteness check instead of passing with stale data.
    void poisonOutputs(int32_t numSamples);

  private:
    std::vector<std::vector<float>> storage_;
    std::vector<std::vector<float*>> inPtrs_, outPtrs_;
    std::vector<float> sine_;
};

enum class MidiMode { Random, Phrase, Phrases, None };

// Note IDs at or above this are notes CoPilot generated (answers, echo): "CP" in the top bytes.
constexpr int32_t kGeneratedNoteIdBase = 0x43500000;

struct RunConfig {
    int64_t blocks = 1000;
    int32_t blockSize = 512;
    double sampleRate = 48000;
    double tempo = 120;          // at the start; constant unless transportChaos
    bool transportChaos = false; // see transport.h
    uint64_t seed = 1;
    MidiMode midi = MidiMode::Random;
    bool printEvents = false;
    bool realtime = false; // pace blocks to the wall clock...
    double speed = 1.0;    // ...at this multiple of real time (--speed implies --realtime)
    bool expectPassthrough = false;
    bool varyBlockSizes = false; // numSamples random in [1, blockSize] each block
    bool tryFifo = true;
    int automate = 0;         // random parameter changes during the run
    // Parameter values (normalized) sent at the first sample, before any MIDI: --set ID=VALUE.
    std::vector<midi::ScheduledParam> initialParams;
    double tailSeconds = 2.0; // transport still playing, no input
    double stopSeconds = 0.5; // transport stopped: the plugin must release its notes
    RuntimeStatsProc runtimeStats = nullptr;
    ThreadAllocsProc threadAllocs = nullptr;
    std::vector<midi::ParamTarget> automatable;
};

struct RunResult {
    // process() calls (with --transport-chaos a host block split at a loop end makes two).
    int64_t blocksProcessed = 0, mainBlocks = 0, tailBlocks = 0, stopBlocks = 0;
    int64_t samplesProcessed = 0;
    int64_t eventsIn = 0, eventsInDropped = 0;
    int64_t eventsOut = 0, noteOnsOut = 0, noteOffsOut = 0, eventsOutDropped = 0;
    int64_t answerNotes = 0; // output note-ons with a note ID >= kGeneratedNoteIdBase
    int64_t phrasesIn = 0;   // phrases played (--midi phrases)
    // The longest generated note (note-on to the note-off of its key), in samples, and the call of
    // its note-on: a hanging answer shows here even when the stop at the end releases it.
    int64_t longestAnswerNote = 0, longestAnswerNoteCall = -1;
    transport::Counts transport;
    // The measured window (GC statistics, timing percentiles) starts at this process() call: a
    // fixed warm-up, or with --midi phrases the call where the player starts the second phrase,
    // after the first phrase -> answer cycle (-1: no answer before that, the fixed warm-up was
    // used).
    int64_t warmupCalls = 0;
    int64_t firstAnswerCall = -1;
    bool warmupAfterAnswer = false;
    int64_t unmatchedNoteOns = 0, orphanNoteOffs = 0, badEvents = 0;
    std::vector<std::string> badEventMessages;
    std::string openNotes;
    int64_t paramChangesIn = 0, paramChangesOut = 0, badParamChanges = 0;
    // The last value the processor sent for each parameter id below kOutParamIds (its read-only
    // displays), which a host hands to the controller. Fixed arrays: written on the audio thread.
    static constexpr uint32_t kOutParamIds = 64;
    double lastParamOut[kOutParamIds] = {};
    bool paramOutSeen[kOutParamIds] = {};
    char firstBadParam[160] = {}; // written once on the audio thread (fixed buffer, no allocation)
    int64_t processErrors = 0;
    int32_t firstProcessError = 0;
    int64_t audioNonFinite = 0, passthroughMismatchBlocks = 0;
    int64_t firstAudioErrorBlock = -1;
    uint64_t audioThreadMallocs = 0, audioThreadFrees = 0;
    uint64_t firstCallAllocs = 0, firstCallFrees = 0; // the first process() call (not judged)
    std::vector<std::string> allocationSites;
    bool gcAvailable = false;
    int64_t gcCollections = 0, managedAllocBytes = 0;
    bool threadAllocsAvailable = false;
    int64_t audioManagedBytes = 0, inferenceManagedBytes = 0; // exact, per thread
    checks::TimingSummary timing;
    double firstProcessUs = 0;
    int64_t overruns = 0; // process() took longer than the block's duration
    bool fifo = false;
    int64_t logDropped = 0;
};

// Runs the measured pass on a new thread and waits for it. The plugin must be active and
// processing. Prints the event table itself when cfg.printEvents is set.
RunResult runAudio(PluginInstance& plugin, const RunConfig& cfg);

} // namespace host
