namespace CoPilot.Cli.Tests;

/// <summary>Writes a minimal type-0 standard MIDI file: notes on channel 1, 4/4, 120 bpm.</summary>
internal static class MidiFileBuilder
{
    public static byte[] Type0(int ppq, IEnumerable<(int Pitch, int Start, int Length)> notes)
    {
        var events = new List<(int Tick, int Order, byte[] Bytes)>
        {
            (0, 0, [0xFF, 0x58, 0x04, 0x04, 0x02, 0x18, 0x08]),
            (0, 0, [0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20]),
        };
        foreach ((int pitch, int start, int length) in notes)
        {
            events.Add((start, 2, [0x90, (byte)pitch, 100]));
            events.Add((start + length, 1, [0x80, (byte)pitch, 0]));
        }

        events.Sort((a, b) => a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick) : a.Order.CompareTo(b.Order));
        var track = new List<byte>();
        int last = 0;
        foreach ((int tick, _, byte[] bytes) in events)
        {
            WriteVariableLength(track, tick - last);
            last = tick;
            track.AddRange(bytes);
        }

        WriteVariableLength(track, 0);
        track.AddRange([0xFF, 0x2F, 0x00]);

        var file = new List<byte>();
        file.AddRange("MThd"u8.ToArray());
        file.AddRange([0, 0, 0, 6, 0, 0, 0, 1, (byte)(ppq >> 8), (byte)ppq]);
        file.AddRange("MTrk"u8.ToArray());
        file.AddRange([(byte)(track.Count >> 24), (byte)(track.Count >> 16), (byte)(track.Count >> 8), (byte)track.Count]);
        file.AddRange(track);
        return [.. file];
    }

    private static void WriteVariableLength(List<byte> bytes, int value)
    {
        var stack = new Stack<byte>();
        stack.Push((byte)(value & 0x7F));
        value >>= 7;
        while (value > 0)
        {
            stack.Push((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }

        bytes.AddRange(stack);
    }
}
