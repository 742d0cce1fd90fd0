using CoPilot.Core;

namespace CoPilot.Core.Tests;

/// <summary>The router runs on the audio thread: after warm-up it must not allocate at all.</summary>
public class AllocationTests
{
    private const int Operations = 10_000;

    private interface ITestSink : INoteSink
    {
        int Ons { get; }

        /// <summary>Negative: unlimited; 0: full; n: n more events.</summary>
        void SetCapacity(int capacity);
    }

    private struct StructSink : ITestSink
    {
        private int _capacity;

        public StructSink() => _capacity = -1;

        public int Ons { get; private set; }

        public void SetCapacity(int capacity) => _capacity = capacity;

        public bool TryNoteOn(int sampleOffset, int channel, int pitch, float velocity, int noteId)
        {
            if (!Take())
            {
                return false;
            }

            Ons++;
            return true;
        }

        public bool TryNoteOff(int sampleOffset, int channel, int pitch, float velocity, int noteId) => Take();

        private bool Take()
        {
            if (_capacity == 0)
            {
                return false;
            }

            if (_capacity > 0)
            {
                _capacity--;
            }

            return true;
        }
    }

    private sealed class ClassSink : ITestSink
    {
        private StructSink _inner = new();

        public int Ons => _inner.Ons;

        public void SetCapacity(int capacity) => _inner.SetCapacity(capacity);

        public bool TryNoteOn(int sampleOffset, int channel, int pitch, float velocity, int noteId) =>
            _inner.TryNoteOn(sampleOffset, channel, pitch, velocity, noteId);

        public bool TryNoteOff(int sampleOffset, int channel, int pitch, float velocity, int noteId) =>
            _inner.TryNoteOff(sampleOffset, channel, pitch, velocity, noteId);
    }

    private enum Kind
    {
        NoteOn,
        NoteOff,
        Settings,
        Capacity,
        Flush,
        ReleaseAll,
    }

    private readonly record struct Op(Kind Kind, int Channel, int Pitch, int Value);

    private static Op[] Script(int seed, bool fullPeriods)
    {
        var rng = new Random(seed);
        var ops = new Op[Operations];
        for (int i = 0; i < ops.Length; i++)
        {
            Kind kind = rng.Next(100) switch
            {
                < 40 => Kind.NoteOn,
                < 80 => Kind.NoteOff,
                < 88 => Kind.Settings,
                < 94 => fullPeriods ? Kind.Capacity : Kind.Flush,
                < 98 => Kind.Flush,
                _ => Kind.ReleaseAll,
            };
            ops[i] = new Op(kind, rng.Next(0, 16), rng.Next(40, 90), rng.Next());
        }

        return ops;
    }

    private static void Run<TSink>(NoteRouter router, ref TSink sink, Op[] ops)
        where TSink : ITestSink
    {
        foreach (Op op in ops)
        {
            int offset = op.Value & 255;
            switch (op.Kind)
            {
                case Kind.NoteOn:
                    router.NoteOn(ref sink, offset, op.Channel, op.Pitch, 0.7f, op.Value);
                    break;
                case Kind.NoteOff:
                    router.NoteOff(ref sink, offset, op.Channel, op.Pitch);
                    break;
                case Kind.Settings:
                    var s = new RouterSettings(
                        Bypass: (op.Value & 7) == 0,
                        Mode: (op.Value & 24) == 0 ? RouterMode.Off : RouterMode.Echo,
                        Transpose: (op.Value % 49) - 24,
                        Thru: (op.Value & 32) != 0,
                        OutputChannel: op.Channel);
                    router.Apply(ref sink, s, offset);
                    break;
                case Kind.Capacity:
                    sink.SetCapacity((op.Value % 4) - 1); // unlimited, full, or 1..2 events of room
                    break;
                case Kind.Flush:
                    router.FlushPending(ref sink, offset);
                    break;
                default:
                    router.ReleaseAll(ref sink, offset);
                    break;
            }
        }
    }

    private static long MeasureThirdRun<TSink>(NoteRouter router, ref TSink sink, Op[] ops)
        where TSink : ITestSink
    {
        Run(router, ref sink, ops); // warm-up: JIT, statics
        Run(router, ref sink, ops);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(router, ref sink, ops);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Ten_thousand_operations_with_a_struct_sink_allocate_nothing()
    {
        var router = new NoteRouter();
        var sink = new StructSink();
        Assert.Equal(0, MeasureThirdRun(router, ref sink, Script(seed: 7, fullPeriods: false)));
        Assert.True(sink.Ons > 3000, "the script must actually route notes");
    }

    [Fact]
    public void Ten_thousand_operations_with_full_sink_periods_allocate_nothing()
    {
        var router = new NoteRouter();
        var sink = new StructSink();
        Assert.Equal(0, MeasureThirdRun(router, ref sink, Script(seed: 11, fullPeriods: true)));
        Assert.True(router.DroppedNotes > 0, "the script must hit a full sink");
    }

    [Fact]
    public void Ten_thousand_operations_with_a_class_sink_allocate_nothing()
    {
        var router = new NoteRouter();
        var sink = new ClassSink();
        Assert.Equal(0, MeasureThirdRun(router, ref sink, Script(seed: 3, fullPeriods: true)));
        Assert.True(sink.Ons > 3000);
    }
}
