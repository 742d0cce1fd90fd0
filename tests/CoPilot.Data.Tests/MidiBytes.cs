namespace CoPilot.Data.Tests;

/// <summary>Builds standard MIDI files byte by byte, so that the tests can also build broken ones.</summary>
internal sealed class MidiBytes
{
    private readonly List<byte> _track = [];

    public static byte[] Header(int format, int tracks, int division) =>
    [
        (byte)'M', (byte)'T', (byte)'h', (byte)'d', 0, 0, 0, 6,
        0, (byte)format, (byte)(tracks >> 8), (byte)tracks, (byte)(division >> 8), (byte)division,
    ];

    public MidiBytes Event(int delta, params byte[] bytes)
    {
        WriteVarLen(delta);
        _track.AddRange(bytes);
        return this;
    }

    public MidiBytes Name(string name)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(name);
        return Event(0, [0xFF, 0x03, (byte)text.Length, .. text]);
    }

    public MidiBytes Tempo(int delta, int microsPerQuarter) =>
        Event(delta, 0xFF, 0x51, 0x03, (byte)(microsPerQuarter >> 16), (byte)(microsPerQuarter >> 8), (byte)microsPerQuarter);

    public MidiBytes On(int delta, int pitch, int velocity = 100, int channel = 0) => Event(delta, (byte)(0x90 | channel), (byte)pitch, (byte)velocity);

    public MidiBytes Off(int delta, int pitch, int channel = 0) => Event(delta, (byte)(0x80 | channel), (byte)pitch, 0);

    public byte[] Chunk()
    {
        var body = _track.Concat(new byte[] { 0x00, 0xFF, 0x2F, 0x00 }).ToList();
        var n = body.Count;
        return [(byte)'M', (byte)'T', (byte)'r', (byte)'k', (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n, .. body];
    }

    public static byte[] File(int format, int division, params MidiBytes[] tracks) =>
        [.. Header(format, tracks.Length, division), .. tracks.SelectMany(t => t.Chunk())];

    private void WriteVarLen(int value)
    {
        var stack = new Stack<byte>();
        stack.Push((byte)(value & 0x7F));
        while ((value >>= 7) > 0)
        {
            stack.Push((byte)(0x80 | (value & 0x7F)));
        }
        _track.AddRange(stack);
    }
}
