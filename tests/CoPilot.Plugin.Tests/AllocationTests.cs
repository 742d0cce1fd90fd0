using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

/// <summary>
/// The audio thread allocates nothing, and neither do the UI-thread calls hosts make while playing
/// (a collection on any plugin thread stalls the audio thread: DESIGN.md).
/// </summary>
[Collection("allocation")]
public sealed class AllocationTests
{
    // xunit's Assert.Equal allocates a comparer per call: measured loops count failures by hand instead.
    private static int PlayBlock(PluginUnderTest p, Random rng, int block)
    {
        int pitch = 36 + rng.Next(60);
        p.InputEvents.NoteOn(rng.Next(256), block % 16, pitch, 0.7f, block);
        p.InputEvents.NoteOff(256 + rng.Next(256), block % 16, pitch, block);
        if (block % 7 == 0)
        {
            p.InputChanges.Add(Parameters.Transpose, rng.Next(512), rng.NextDouble());
            p.InputChanges.Add(Parameters.MidiControllerId(0, 1), rng.Next(512), rng.NextDouble());
        }

        if (block % 50 == 0)
        {
            p.InputChanges.Add(Parameters.Bypass, 100, block % 100 == 0 ? 1 : 0);
        }

        return p.ProcessBlock(512) == Result.kResultOk ? 0 : 1;
    }

    [Fact]
    public void Process_allocates_nothing_after_warm_up()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        var rng = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            PlayBlock(p, rng, i);
        }

        RealtimeGuard.Enabled = true;
        RealtimeGuard.Reset();
        int failures = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++)
        {
            // The test host's lists are fixed arrays, so the whole loop, host side included, is measured.
            failures += PlayBlock(p, rng, i);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0, RealtimeGuard.Violations);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public unsafe void Hosts_polling_parameter_text_and_state_allocate_nothing()
    {
        using var p = new PluginUnderTest();
        char* text = stackalloc char[128];
        var stream = new HostStream();
        for (int warm = 0; warm < 3; warm++)
        {
            for (int i = 0; i < Parameters.Count; i++)
            {
                p.GetParamStringByValue(Parameters.All[i].Id, 0.3, text);
            }

            p.GetState(stream.Ptr);
            stream.Rewind();
        }

        int failures = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 100; round++)
        {
            for (int i = 0; i < Parameters.Count; i++)
            {
                failures += p.GetParamStringByValue(Parameters.All[i].Id, round / 100.0, text) == Result.kResultOk ? 0 : 1;
                p.GetParamNormalized(Parameters.All[i].Id);
            }

            failures += p.GetState(stream.Ptr) == Result.kResultOk ? 0 : 1;
            stream.Rewind();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }
}
