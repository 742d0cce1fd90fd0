// selftest.cpp - checks the host's own logic without any plugin: the stuck-note tracker, the
// output-event checker, percentiles, the MIDI generators, the host-side COM objects and the
// audio-thread allocation counter. Exit code 0 when everything holds.
#include "alloc_counter.h"
#include "checks.h"
#include "host_objects.h"
#include "midi_gen.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
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
    testHostObjects();
    testAllocCounter();
    if (g_failures) {
        std::printf("selftest: %d failure(s)\n", g_failures);
        return 1;
    }
    std::printf("selftest: all checks passed\n");
    return 0;
}
