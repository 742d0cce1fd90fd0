using CoPilot.Core;

namespace CoPilot.Core.Tests;

/// <summary>
/// Random sequences of note-ons, note-offs, settings changes and full-destination periods. Whatever
/// happens, the output never releases a note it did not send, the router's open count always equals what
/// is sounding at the destination, and after ReleaseAll + FlushPending into a sink with room nothing is
/// left sounding on any (channel, pitch).
/// </summary>
public class NoteRouterPropertyTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 1; seed <= 40; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_note_on_gets_exactly_one_note_off(int seed)
    {
        const int Steps = 2_000;
        var rng = new Random(seed);
        var router = new NoteRouter();
        var sink = new RecordingSink();
        var playerHeld = new List<(int Channel, int Pitch)>();
        int nextId = 1;
        long lastDropped = 0;

        for (int step = 0; step < Steps; step++)
        {
            int offset = rng.Next(0, 512);
            int op = rng.Next(100);
            string what;
            if (op < 36)
            {
                (int ch, int pitch) = RandomKey(rng);
                what = $"NoteOn ch{ch} p{pitch}";
                router.NoteOn(ref sink, offset, ch, pitch, (float)rng.NextDouble(), nextId++);
                playerHeld.Add((ch, pitch));
            }
            else if (op < 66)
            {
                (int ch, int pitch) = playerHeld.Count > 0 && rng.Next(10) < 8
                    ? playerHeld[rng.Next(playerHeld.Count)]
                    : RandomKey(rng);
                playerHeld.Remove((ch, pitch));
                what = $"NoteOff ch{ch} p{pitch}";
                router.NoteOff(ref sink, offset, ch, pitch);
            }
            else if (op < 78)
            {
                RouterSettings s = RandomSettings(rng);
                what = $"Apply {s}";
                router.Apply(ref sink, s, offset);
            }
            else if (op < 90)
            {
                int r = rng.Next(10);
                sink.Capacity = r < 3 ? 0 : r < 6 ? rng.Next(1, 4) : -1;
                sink.RefuseNoteOffs = rng.Next(10) == 0;
                what = $"Sink capacity {sink.Capacity} refuseOffs {sink.RefuseNoteOffs}";
            }
            else if (op < 96)
            {
                what = "FlushPending";
                router.FlushPending(ref sink, offset);
            }
            else if (op < 99)
            {
                what = "ReleaseGenerated";
                router.ReleaseGenerated(ref sink, offset);
            }
            else
            {
                what = "ReleaseAll";
                router.ReleaseAll(ref sink, offset);
            }

            string where = $"seed {seed}, step {step} ({what})";
            Assert.True(sink.UnmatchedOffs == 0, $"note-off for a note not sounding at {where}");
            Assert.True(sink.SoundingCount == router.OpenNotes, $"sounding {sink.SoundingCount} != open {router.OpenNotes} at {where}");
            Assert.True(router.GeneratedOpen <= router.OpenNotes, where);
            Assert.True(router.DroppedNotes >= lastDropped, where);
            lastDropped = router.DroppedNotes;
        }

        sink.Capacity = -1;
        sink.RefuseNoteOffs = false;
        router.ReleaseAll(ref sink, 0);
        router.FlushPending(ref sink, 0);

        Assert.Equal(0, sink.UnmatchedOffs);
        Assert.Equal(0, router.OpenNotes);
        Assert.Equal(0, sink.SoundingCount);
        Assert.Equal(sink.TotalOns, sink.TotalOffs);
        Assert.True(sink.TotalOns > Steps / 10, $"seed {seed}: only {sink.TotalOns} note-ons; the run exercised too little");

        for (int ch = 0; ch < 16; ch++)
        {
            for (int p = 0; p < 128; p++)
            {
                Assert.Equal(0, sink.SoundingAt(ch, p));
            }
        }

        // And the player's late note-offs change nothing.
        foreach ((int ch, int pitch) in playerHeld)
        {
            router.NoteOff(ref sink, 0, ch, pitch);
        }

        Assert.Equal(0, sink.SoundingCount);
        Assert.Equal(0, sink.UnmatchedOffs);
    }

    internal static (int Channel, int Pitch) RandomKey(Random rng)
    {
        int r = rng.Next(100);
        if (r < 3)
        {
            // Invalid input the router must ignore.
            return rng.Next(2) == 0 ? (rng.Next(-3, 0), 60) : (0, rng.Next(128, 200));
        }

        int channel = r < 90 ? rng.Next(0, 3) : rng.Next(0, 16);
        int pitch = r < 80 ? rng.Next(55, 67) : rng.Next(0, 128); // few keys: many overlaps and collisions
        return (channel, pitch);
    }

    internal static RouterSettings RandomSettings(Random rng)
    {
        int transpose = rng.Next(10) == 0 ? rng.Next(-127, 128) : rng.Next(-24, 25);
        return new RouterSettings(
            Bypass: rng.Next(5) == 0,
            Mode: rng.Next(4) == 0 ? RouterMode.Off : RouterMode.Echo,
            Transpose: transpose,
            Thru: rng.Next(3) != 0,
            OutputChannel: rng.Next(10) < 7 ? rng.Next(0, 3) : rng.Next(0, 16));
    }
}
