// selftest.cpp - checks the host's own logic without any plugin: the stuck-note tracker, the
// output-event checker, percentiles, the MIDI generators, the host-side COM objects and the
// audio-thread allocation counter. Exit code 0 when everything holds.
#include "alloc_counter.h"
#include "checks.h"
#include "host_objects.h"
#include "midi_gen.h"
#include "transport.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <set>
#include <vector>

using namespace vst3;

static int g_failures = 0;
#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                            \
            ++g_failures;                                                                          \
        }                                                                                          \
    } while (0)

static Event on(int32_t off, int ch, int pitch, float vel = 0.8f) {
    Event e{};
    e.type = Event::kNoteOnEvent;
    e.sampleOffset = off;
    e.noteOn.channel = static_cast<int16_t>(ch);
    e.noteOn.pitch = static_cast<int16_t>(pitch);
    e.noteOn.velocity = vel;
    e.noteOn.noteId = -1;
    return e;
}
static Event offEv(int32_t off, int ch, int pitch) {
    Event e{};
    e.type = Event::kNoteOffEvent;
    e.sampleOffset = off;
    e.noteOff.channel = static_cast<int16_t>(ch);
    e.noteOff.pitch = static_cast<int16_t>(pitch);
    e.noteOff.noteId = -1;
    return e;
}

static void testIids() {
    // INLINE_UID with COM_COMPATIBLE == 0: words stored most significant byte first.
    const unsigned char expected[16] = {0xE8, 0x31, 0xFF, 0x31, 0xF2, 0xD5, 0x43, 0x01,
                                        0x92, 0x8E, 0xBB, 0xEE, 0x25, 0x69, 0x78, 0x02};
    EXPECT(std::memcmp(IComponent::iid.data(), expected, 16) == 0);
    const unsigned char funknown[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46};
    EXPECT(std::memcmp(FUnknown::iid.data(), funknown, 16) == 0);
}

static void testTracker() {
    checks::NoteTracker t;
    t.noteOn(0, 60);
    t.noteOn(0, 60); // double strike: two open
    t.noteOn(3, 72);
    EXPECT(t.unmatchedNoteOns() == 3);
    EXPECT(t.noteOff(0, 60));
    EXPECT(t.unmatchedNoteOns() == 2);
    EXPECT(!t.noteOff(1, 60)); // other channel: orphan
    EXPECT(t.orphanNoteOffs() == 1);
    EXPECT(t.noteOff(0, 60));
    EXPECT(t.noteOff(3, 72));
    EXPECT(t.unmatchedNoteOns() == 0);
    EXPECT(!t.noteOff(3, 72));
    EXPECT(t.orphanNoteOffs() == 2);
    EXPECT(t.noteOns() == 3 && t.noteOffs() == 5);
    t.noteOn(15, 127);
    EXPECT(t.describeOpen(4).find("ch15:G9(127)x1") != std::string::npos);
}

static void testChecker() {
    checks::NoteTracker t;
    {
        checks::EventChecker c;
        Event evs[] = {on(0, 0, 60), on(5, 1, 61), offEv(5, 0, 60), offEv(63, 1, 61)};
        c.checkBlock(evs, 4, 64, 1, 0, t);
        EXPECT(c.badEvents() == 0);
        EXPECT(t.unmatchedNoteOns() == 0 && t.orphanNoteOffs() == 0);
    }
    {
        checks::EventChecker c;
        Event evs[] = {on(10, 0, 60), on(5, 0, 62)}; // unsorted
        c.checkBlock(evs, 2, 64, 1, 7, t);
        EXPECT(c.badEvents() == 1);
        EXPECT(std::strstr(c.message(0), "not sorted") != nullptr);
        EXPECT(t.unmatchedNoteOns() == 2); // both still well-formed notes
        t.reset();
    }
    {
        checks::EventChecker c;
        Event unknown{};
        unknown.type = 42;
        Event badBus = on(1, 0, 60);
        badBus.busIndex = 1;
        Event evs[] = {on(64, 0, 60), on(-1, 0, 60),      unknown,          badBus, on(2, 16, 60),
                       on(3, 0, 128), on(4, 0, 60, 0.0f), on(5, 0, 60, NAN)};
        c.checkBlock(evs, 8, 64, 1, 0, t);
        EXPECT(c.badEvents() == 8);
        EXPECT(t.unmatchedNoteOns() == 0); // invalid notes are not tracked
        EXPECT(c.messageCount() == 8);
    }
    {
        checks::EventChecker c;
        Event cc{};
        cc.type = Event::kLegacyMIDICCOutEvent;
        cc.midiCCOut.channel = 2;
        cc.midiCCOut.value = 64;
        c.checkBlock(&cc, 1, 16, 1, 0, t);
        EXPECT(c.badEvents() == 0);
        c.checkBlock(&cc, 1, 16, 0, 0, t); // no event output bus at all
        EXPECT(c.badEvents() == 1);
    }
}

static void testPercentiles() {
    std::vector<int64_t> v(1000);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<int64_t>(i + 1); // 1..1000
    EXPECT(checks::percentileSorted(v.data(), v.size(), 50) == 500);
    EXPECT(checks::percentileSorted(v.data(), v.size(), 99) == 990);
    EXPECT(checks::percentileSorted(v.data(), v.size(), 99.9) == 999);
    EXPECT(checks::percentileSorted(v.data(), v.size(), 100) == 1000);
    EXPECT(checks::percentileSorted(v.data(), v.size(), 0) == 1);
    int64_t one = 7;
    EXPECT(checks::percentileSorted(&one, 1, 99.9) == 7);
    EXPECT(checks::percentileSorted(nullptr, 0, 50) == 0);
    std::vector<int64_t> ns = {5000, 1000, 3000, 2000, 4000}; // unsorted input
    checks::TimingSummary s = checks::summariseTimings(ns.data(), ns.size());
    EXPECT(s.p50Us == 3.0 && s.maxUs == 5.0 && s.meanUs == 3.0);
}

static void testNoteNames() {
    EXPECT(checks::noteName(60) == "C4");
    EXPECT(checks::noteName(69) == "A4");
    EXPECT(checks::noteName(0) == "C-1");
    EXPECT(checks::noteName(61) == "C#4");
    EXPECT(checks::noteName(128) == "?");
}

// Plays a schedule through a tracker the way the host delivers it: every note must be released,
// never re-struck while held, and the schedule must be sorted.
static void checkSchedule(const std::vector<midi::Scheduled>& s, int64_t end) {
    checks::NoteTracker t;
    int64_t last = -1;
    int pressure = 0;
    for (const auto& e : s) {
        EXPECT(e.sample >= last);
        last = e.sample;
        EXPECT(e.sample >= 0 && e.sample < end);
        if (e.event.type == Event::kNoteOnEvent) {
            EXPECT(t.openCount(e.event.noteOn.channel, e.event.noteOn.pitch) == 0);
            t.noteOn(e.event.noteOn.channel, e.event.noteOn.pitch);
        } else if (e.event.type == Event::kNoteOffEvent) {
            EXPECT(t.noteOff(e.event.noteOff.channel, e.event.noteOff.pitch));
        } else if (e.event.type == Event::kPolyPressureEvent) {
            ++pressure;
            EXPECT(t.openCount(e.event.polyPressure.channel, e.event.polyPressure.pitch) == 1);
        }
    }
    EXPECT(t.unmatchedNoteOns() == 0);
    EXPECT(t.orphanNoteOffs() == 0);
}

static void testGenerators() {
    const int64_t end = 48000 * 60;
    auto a = midi::randomPlaying(1, end, 48000);
    auto b = midi::randomPlaying(1, end, 48000);
    auto c = midi::randomPlaying(2, end, 48000);
    EXPECT(a.size() > 200);
    EXPECT(a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof a[0]) == 0);
    EXPECT(a.size() != c.size() || std::memcmp(a.data(), c.data(), a.size() * sizeof a[0]) != 0);
    checkSchedule(a, end);
    checkSchedule(c, end);
    // Features the random mode promises.
    bool minusOneOff = false, otherChannel = false, pressure = false;
    for (const auto& e : a) {
        minusOneOff |= e.event.type == Event::kNoteOffEvent && e.event.noteOff.noteId == -1;
        otherChannel |= e.event.type == Event::kNoteOnEvent && e.event.noteOn.channel != 0;
        pressure |= e.event.type == Event::kPolyPressureEvent;
    }
    EXPECT(minusOneOff && otherChannel && pressure);
    checkSchedule(midi::randomPlaying(9, 100, 48000), 100); // tiny runs stay consistent

    auto p = midi::phrase(48000, 120);
    EXPECT(p.size() == 16);
    checkSchedule(p, 48000 * 5);
    EXPECT(p.front().sample == 0 && p.front().event.noteOn.pitch == 60);

    std::vector<midi::ParamTarget> targets = {{1, 0, 0.5}, {2, 3, 0.0}};
    auto autom = midi::randomAutomation(1, 10000, targets, 20);
    EXPECT(autom.size() >= 20);
    for (size_t i = 0; i < 20; ++i) {
        EXPECT(autom[i].sample >= 0 && autom[i].sample < 10000);
        if (autom[i].id == 2)
            EXPECT(std::fabs(autom[i].value * 3 - std::round(autom[i].value * 3)) < 1e-9);
    }
    EXPECT(autom.back().sample == 10000);
}

// The transport plans: steady is the fixed 120 BPM 4/4 transport; chaos must stay a transport a
// real host could send (positions consistent, wraps inside the loop, flags as counted).
static void testTransport() {
    using transport::Block;
    using transport::Phase;
    const double sr = 48000;
    const uint32_t kAll = ProcessContext::kTempoValid | ProcessContext::kTimeSigValid |
                          ProcessContext::kProjectTimeMusicValid |
                          ProcessContext::kBarPositionValid | ProcessContext::kContTimeValid |
                          ProcessContext::kSystemTimeValid;
    {
        std::vector<int32_t> sizes(115, 512);
        transport::Config c;
        transport::Plan p = transport::makePlan(sizes, 100, 10, c);
        EXPECT(p.blocks.size() == 115 && p.mainCalls == 100 && p.tailCalls == 10 &&
               p.stopCalls == 5 && p.mainSamples == 100 * 512);
        for (size_t i = 0; i < p.blocks.size(); ++i) {
            const Block& b = p.blocks[i];
            const bool stopped = i >= 110;
            EXPECT(b.continuous == static_cast<int64_t>(i) * 512);
            EXPECT(b.state == (kAll | (stopped ? 0u : ProcessContext::kPlaying)));
            EXPECT(b.projectSamples == static_cast<int64_t>(std::min<size_t>(i, 110)) * 512);
            EXPECT(std::fabs(b.projectMusic - b.projectSamples / 24000.0) < 1e-9);
            EXPECT(b.barPosition == std::floor(b.projectMusic / 4 + 1e-9) * 4);
            EXPECT(b.tempo == 120 && b.numerator == 4 && b.denominator == 4);
            EXPECT(b.phase == (i < 100 ? Phase::Main : i < 110 ? Phase::Tail : Phase::Stop));
        }
        EXPECT(transport::sampleAfterBeats(p, 0, 4.0, sr) == 96000);
        EXPECT(transport::sampleAfterBeats(p, 100, 0.5, sr) == 12100);
        EXPECT(transport::nextHostGridPoint(p, 1, 1.0, sr) == 24000);
        EXPECT(transport::nextHostGridPoint(p, 24000, 1.0, sr) == 24000);
        EXPECT(transport::nextHostGridPoint(p, 112 * 512 + 7, 1.0, sr) == 112 * 512 + 7);
        ProcessContext ctx{};
        transport::fillContext(p.blocks[50], sr, ctx);
        EXPECT(ctx.tempo == 120 && ctx.projectTimeSamples == 50 * 512 &&
               ctx.continousTimeSamples == 50 * 512 && ctx.timeSigDenominator == 4);
    }
    for (int run = 0; run < 2; ++run) {
        const int64_t mainBlocks = 100000, tail = 188, stop = 47;
        std::vector<int32_t> sizes(mainBlocks + tail + stop, 512);
        if (run == 1) {
            checks::Rng rng(5);
            for (auto& s : sizes)
                s = static_cast<int32_t>(rng.range(1, 1024));
        }
        transport::Config c;
        c.chaos = true;
        c.seed = 1 + run;
        transport::Plan p = transport::makePlan(sizes, mainBlocks, tail, c);
        const transport::Counts& n = p.counts;
        EXPECT(n.jumps > 0 && n.loops > 0 && n.splitWraps > 0 && n.splitWraps < n.loops &&
               n.tempoChanges > 0 && n.timeSigChanges > 0 && n.stops > 0 && n.flagGaps > 0);
        EXPECT(static_cast<int64_t>(p.blocks.size()) ==
               static_cast<int64_t>(sizes.size()) + n.splitWraps);
        int64_t relocations = 0, gapCalls = 0, loopCalls = 0;
        std::set<int> sigs;
        for (size_t i = 0; i < p.blocks.size(); ++i) {
            const Block& b = p.blocks[i];
            const bool playing = b.state & ProcessContext::kPlaying;
            EXPECT(b.numSamples > 0);
            if (i == 0) {
                EXPECT(b.continuous == 0);
            } else {
                const Block& a = p.blocks[i - 1];
                EXPECT(b.continuous == a.continuous + a.numSamples);
                const bool aPlaying = a.state & ProcessContext::kPlaying;
                if (!aPlaying && !playing)
                    EXPECT(b.projectSamples == a.projectSamples &&
                           b.projectMusic == a.projectMusic);
                if (aPlaying && playing) {
                    const double advance = b.projectMusic - a.projectMusic;
                    if (b.projectSamples != a.projectSamples + a.numSamples) {
                        ++relocations;
                        if (a.state & ProcessContext::kCycleActive && advance < 0)
                            EXPECT(b.projectMusic >= b.cycleStart - 1e-9 &&
                                   b.projectMusic < b.cycleEnd);
                    } else {
                        // Within the tempo range, whatever tempo segments the block crossed.
                        EXPECT(advance > a.numSamples * 59.0 / 60 / sr &&
                               advance < a.numSamples * 201.0 / 60 / sr);
                    }
                }
            }
            if (b.continuous < 20 * 48000) {
                EXPECT(b.state == (kAll | ProcessContext::kPlaying) && b.tempo == 120);
            }
            EXPECT(b.tempo == 120 || (b.tempo >= 60 && b.tempo <= 200));
            sigs.insert(b.numerator * 100 + b.denominator);
            const double barLen = b.numerator * 4.0 / b.denominator;
            EXPECT(b.barPosition <= b.projectMusic + 1e-9 &&
                   b.projectMusic - b.barPosition < barLen + 1e-9);
            EXPECT(b.projectMusic >= 0 && b.projectSamples >= 0);
            if ((b.state & kAll) != kAll) {
                ++gapCalls;
                ProcessContext ctx{};
                transport::fillContext(b, sr, ctx);
                if (!(b.state & ProcessContext::kTempoValid)) EXPECT(ctx.tempo == 0);
                if (!(b.state & ProcessContext::kProjectTimeMusicValid))
                    EXPECT(ctx.projectTimeMusic == 0 && ctx.barPositionMusic == 0);
            }
            if (b.state & ProcessContext::kCycleActive) {
                ++loopCalls;
                EXPECT((b.state & ProcessContext::kCycleValid) && b.cycleStart < b.cycleEnd);
            }
            if (b.phase != Phase::Main)
                EXPECT((b.state & kAll) == kAll && !(b.state & ProcessContext::kCycleActive));
            if (b.phase == Phase::Tail) EXPECT(playing);
            if (b.phase == Phase::Stop) EXPECT(!playing);
        }
        EXPECT(relocations == n.jumps + n.loops);
        EXPECT(gapCalls == n.flagGapBlocks);
        EXPECT(loopCalls > 0);
        for (int sig : sigs)
            EXPECT(sig == 304 || sig == 404 || sig == 608 || sig == 708);
        EXPECT(sigs.size() >= 3);
        // Seeded: the same plan again.
        transport::Plan q = transport::makePlan(sizes, mainBlocks, tail, c);
        bool same = q.blocks.size() == p.blocks.size();
        for (size_t k = 0; same && k < p.blocks.size(); ++k) {
            const Block &x = p.blocks[k], &y = q.blocks[k];
            same = x.continuous == y.continuous && x.numSamples == y.numSamples &&
                   x.phase == y.phase && x.state == y.state &&
                   x.projectSamples == y.projectSamples && x.projectMusic == y.projectMusic &&
                   x.barPosition == y.barPosition && x.cycleStart == y.cycleStart &&
                   x.cycleEnd == y.cycleEnd && x.tempo == y.tempo && x.numerator == y.numerator &&
                   x.denominator == y.denominator;
        }
        EXPECT(same);
    }
}

// --midi phrases: sorted, balanced per note ID, on channel 0, with chords and overlapping
// same-pitch notes, phrases separated by pauses, the same for the same seed.
static void checkPhrases(const std::vector<midi::Scheduled>& s, int64_t end, int64_t phrases) {
    checks::NoteTracker t;
    std::vector<int> openIds(1 << 16, 0);
    int64_t last = -1, ons = 0;
    bool overlap = false, chord = false;
    int64_t lastOnSample = -1;
    for (const auto& e : s) {
        EXPECT(e.sample >= last && e.sample >= 0 && e.sample < end);
        last = e.sample;
        if (e.event.type == Event::kNoteOnEvent) {
            const auto& n = e.event.noteOn;
            EXPECT(n.channel == 0 && n.pitch >= 36 && n.pitch <= 100 && n.velocity > 0 &&
                   n.velocity <= 1 && n.noteId > 0 && n.noteId < (1 << 16));
            overlap |= t.openCount(0, n.pitch) > 0;
            chord |= e.sample == lastOnSample;
            lastOnSample = e.sample;
            t.noteOn(0, n.pitch);
            EXPECT(openIds[n.noteId & 0xFFFF]++ == 0);
            ++ons;
        } else {
            EXPECT(e.event.type == Event::kNoteOffEvent);
            EXPECT(t.noteOff(0, e.event.noteOff.pitch));
            EXPECT(openIds[e.event.noteOff.noteId & 0xFFFF]-- == 1);
        }
    }
    EXPECT(t.unmatchedNoteOns() == 0 && t.orphanNoteOffs() == 0);
    EXPECT(overlap && chord);
    EXPECT(ons >= phrases * 3 && ons <= phrases * 12 * 3);
}

static void testPhrases() {
    const double sr = 48000;
    const int64_t mainBlocks = 20000;
    std::vector<int32_t> sizes(mainBlocks + 235, 512);
    transport::Config c;
    transport::Plan steady = transport::makePlan(sizes, mainBlocks, 188, c);
    int64_t count = 0, again = 0;
    auto a = midi::phrases(1, steady.mainSamples, sr, steady, count);
    auto b = midi::phrases(1, steady.mainSamples, sr, steady, again);
    EXPECT(count > 20 && count == again && a.size() == b.size() &&
           std::memcmp(a.data(), b.data(), a.size() * sizeof a[0]) == 0);
    checkPhrases(a, steady.mainSamples, count);
    // Phrases start on a beat of the steady transport. Gaps inside a phrase are at most a quarter
    // beat (6000 samples); the first phrase is answered in peace: the second starts at least
    // 1.6 + 4 + 1.5 beats after its last note-off.
    EXPECT(a.front().sample % 24000 == 0);
    int held = 0;
    for (size_t i = 0; i + 1 < a.size(); ++i) {
        held += a[i].event.type == Event::kNoteOnEvent ? 1 : -1;
        if (held != 0) continue;
        const int64_t gap = a[i + 1].sample - a[i].sample;
        if (gap <= 6000) continue;
        EXPECT(gap >= static_cast<int64_t>(7.1 * 24000));
        EXPECT(a[i + 1].sample % 24000 == 0);
        break;
    }
    c.chaos = true;
    transport::Plan chaos = transport::makePlan(sizes, mainBlocks, 188, c);
    auto d = midi::phrases(3, chaos.mainSamples, sr, chaos, count);
    checkPhrases(d, chaos.mainSamples, count);
}

static void testHostObjects() {
    using namespace host;
    // Event list: fixed capacity, bounds-checked.
    EventList* list = new EventList(2);
    Event e = on(0, 0, 60);
    EXPECT(list->addEvent(e) == kResultOk);
    EXPECT(list->addEvent(e) == kResultOk);
    EXPECT(list->addEvent(e) == kResultFalse);
    EXPECT(list->overflows() == 1);
    Event got{};
    EXPECT(list->getEvent(1, got) == kResultOk && got.noteOn.pitch == 60);
    EXPECT(list->getEvent(2, got) == kInvalidArgument);
    void* obj = nullptr;
    EXPECT(list->queryInterface(IEventList::iid.data(), &obj) == kResultOk && obj == list);
    EXPECT(list->refCount() == 2);
    EXPECT(list->queryInterface(IBStream::iid.data(), &obj) == kNoInterface && obj == nullptr);
    EXPECT(list->release() == 1);
    EXPECT(list->release() == 0);

    // Parameter changes: one queue per ID, points sorted, fixed pools.
    ParameterChanges* pc = new ParameterChanges(2);
    int32 qi = -1, pi = -1;
    IParamValueQueue* q = pc->addParameterData(7, qi);
    EXPECT(q && qi == 0);
    EXPECT(pc->addParameterData(7, qi) == q && qi == 0);
    q->addPoint(30, 0.3, pi);
    q->addPoint(10, 0.1, pi);
    EXPECT(pi == 0);
    q->addPoint(20, 0.2, pi);
    q->addPoint(20, 0.25, pi); // same offset replaces
    EXPECT(q->getPointCount() == 3);
    int32 off = 0;
    ParamValue v = 0;
    EXPECT(q->getPoint(1, off, v) == kResultOk && off == 20 && v == 0.25);
    EXPECT(pc->addParameterData(8, qi) != nullptr && qi == 1);
    EXPECT(pc->addParameterData(9, qi) == nullptr);
    EXPECT(pc->getParameterData(2) == nullptr);
    pc->clear();
    EXPECT(pc->getParameterCount() == 0);
    EXPECT(pc->release() == 0);

    // Memory stream: partial reads, seek, optional strict EOF.
    MemoryStream* s = new MemoryStream;
    int32 n = 0;
    char data[] = "abcdef";
    EXPECT(s->write(data, 6, &n) == kResultOk && n == 6);
    int64 pos = -1;
    EXPECT(s->seek(2, IBStream::kIBSeekSet, &pos) == kResultOk && pos == 2);
    char buf[8] = {};
    EXPECT(s->read(buf, 8, &n) == kResultOk && n == 4 && std::memcmp(buf, "cdef", 4) == 0);
    EXPECT(s->read(buf, 1, &n) == kResultOk && n == 0);
    s->failOnShortRead = true;
    EXPECT(s->read(buf, 1, &n) == kResultFalse && n == 0);
    EXPECT(s->seek(-1, IBStream::kIBSeekSet, nullptr) == kInvalidArgument);
    EXPECT(s->seek(-2, IBStream::kIBSeekEnd, &pos) == kResultOk && pos == 4);
    void* sizeable = nullptr;
    EXPECT(s->queryInterface(ISizeableStream::iid.data(), &sizeable) == kResultOk);
    int64 size = 0;
    static_cast<ISizeableStream*>(sizeable)->getStreamSize(size);
    EXPECT(size == 6);
    static_cast<ISizeableStream*>(sizeable)->release();
    EXPECT(s->release() == 0);

    // Host application: name and message creation.
    HostApplication* app = new HostApplication;
    String128 name;
    EXPECT(app->getName(name) == kResultOk && utf16ToUtf8(name, 128) == "copilot-host");
    TUID cid, iid;
    std::memcpy(cid, IMessage::iid.data(), 16);
    std::memcpy(iid, IMessage::iid.data(), 16);
    void* m = nullptr;
    EXPECT(app->createInstance(cid, iid, &m) == kResultOk && m);
    auto* msg = static_cast<IMessage*>(m);
    msg->setMessageID("hello");
    EXPECT(std::strcmp(msg->getMessageID(), "hello") == 0);
    msg->getAttributes()->setInt("x", 42);
    int64 x = 0;
    EXPECT(msg->getAttributes()->getInt("x", x) == kResultOk && x == 42);
    EXPECT(msg->release() == 0);
    EXPECT(app->release() == 0);
}

// The allocation counter counts only on threads that enabled it.
static void* countingThread(void*) {
    alloc_counter::enableOnThisThread(true);
    void* volatile p = std::malloc(100);
    std::free(p);
    void* a = nullptr;
    if (posix_memalign(&a, 64, 128) == 0) std::free(a);
    alloc_counter::enableOnThisThread(false);
    return nullptr;
}

static void testAllocCounter() {
    alloc_counter::reset();
    void* volatile p = std::malloc(10); // main thread: not counted
    std::free(p);
    pthread_t t;
    pthread_create(&t, nullptr, countingThread, nullptr);
    pthread_join(t, nullptr);
    auto s = alloc_counter::snapshot();
    EXPECT(s.allocs == 2);
    EXPECT(s.frees == 2);
    alloc_counter::Record r[4];
    EXPECT(alloc_counter::recorded(r, 4) == 4 && r[0].size == 100 && r[0].kind == 'm');
}

int main() {
    testIids();
    testTracker();
    testChecker();
    testPercentiles();
    testNoteNames();
    testGenerators();
    testTransport();
    testPhrases();
    testHostObjects();
    testAllocCounter();
    if (g_failures) {
        std::printf("selftest: %d failure(s)\n", g_failures);
        return 1;
    }
    std::printf("selftest: all checks passed\n");
    return 0;
}
