using System.Buffers.Binary;
using System.Text;
using CoPilot.Core;
using CoPilot.Vst3;

namespace CoPilot.Plugin;

/// <summary>A factory preset: a name and the processor state it loads.</summary>
public sealed record FactoryPreset(string Name, string Description, byte[] ComponentState);

/// <summary>
/// The factory presets shipped in presets/ as .vstpreset files, and the writer of that format.
/// </summary>
/// <remarks>
/// .vstpreset layout (public.sdk/source/vst/vstpresetfile.cpp; integers little-endian): "VST3", int32
/// version 1, the processor class ID as 32 ASCII hex digits, int64 offset of the chunk list; then the
/// chunks ("Comp": component state, "Cont": controller state, "Info": XML meta information); then
/// "List", int32 count and per chunk its ID, int64 offset and int64 size.
/// </remarks>
public static class FactoryPresets
{
    public static IReadOnlyList<FactoryPreset> All { get; } =
    [
        Make("Call and Response", "Continue: answers your phrases, staying close to what you played.", new ComponentState(false, RouterMode.Continue, 12, true, 2, 20)),
        Make("Call and Response - Adventurous", "Continue with more freedom: answers wander further, still in your key and rhythm.", new ComponentState(false, RouterMode.Continue, 12, true, 2, 75)),
        Make("Band Accompaniment", "Accompany: chords under your tune on channel 2, bar by bar, in your key.", new ComponentState(false, RouterMode.Accompany, 12, true, 2, 30)),
        Make("Four-Part Harmony", "Harmonize: three voice-led voices under your melody on channel 2.", new ComponentState(false, RouterMode.Harmonize, 12, true, 2, 30)),
        Make("Octave Echo", "Echo: every note doubled an octave up on channel 2 (a routing check).", new ComponentState(false, RouterMode.Echo, 12, true, 2, 30)),
        Make("Listen Only", "Off: passes your MIDI through and shows key and chords, generating nothing.", new ComponentState(false, RouterMode.Off, 12, true, 2, 30)),
    ];

    /// <summary>File name of a preset (the host shows it as the preset's name).</summary>
    public static string FileName(FactoryPreset preset) => preset.Name + ".vstpreset";

    /// <summary>The .vstpreset bytes of a preset for the CoPilot processor class.</summary>
    public static byte[] Write(FactoryPreset preset)
    {
        byte[] controller = ControllerStateBytes();
        byte[] info = Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<MetaInfo>\n"
            + $"\t<Attr id=\"MediaType\" value=\"VstPreset\" type=\"string\" flags=\"writeProtected\"/>\n"
            + $"\t<Attr id=\"PlugInName\" value=\"{PluginInfo.Name}\" type=\"string\" flags=\"writeProtected\"/>\n"
            + $"\t<Attr id=\"PlugInCategory\" value=\"{PluginInfo.SubCategories}\" type=\"string\" flags=\"writeProtected\"/>\n"
            + $"\t<Attr id=\"Name\" value=\"{preset.Name}\" type=\"string\" flags=\"writeProtected\"/>\n"
            + "</MetaInfo>\n");
        var chunks = new (string Id, byte[] Data)[] { ("Comp", preset.ComponentState), ("Cont", controller), ("Info", info) };

        using var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        const int headerSize = 4 + 4 + 32 + 8;
        int listOffset = headerSize + chunks.Sum(c => c.Data.Length);
        writer.Write("VST3"u8);
        writer.Write(1);
        writer.Write(Encoding.ASCII.GetBytes(PluginInfo.ProcessorCid.ToString()));
        writer.Write((long)listOffset);
        foreach ((_, byte[] data) in chunks)
        {
            writer.Write(data);
        }

        writer.Write("List"u8);
        writer.Write(chunks.Length);
        long offset = headerSize;
        foreach ((string id, byte[] data) in chunks)
        {
            writer.Write(Encoding.ASCII.GetBytes(id));
            writer.Write(offset);
            writer.Write((long)data.Length);
            offset += data.Length;
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>Reads the component-state chunk back out of .vstpreset bytes (for tests and tools).</summary>
    public static bool TryReadComponentState(ReadOnlySpan<byte> file, out ReadOnlySpan<byte> state)
    {
        state = default;
        if (file.Length < 48 || !file[..4].SequenceEqual("VST3"u8))
        {
            return false;
        }

        long list = BinaryPrimitives.ReadInt64LittleEndian(file[40..]);
        if (list < 48 || list + 8 > file.Length || !file.Slice((int)list, 4).SequenceEqual("List"u8))
        {
            return false;
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(file[((int)list + 4)..]);
        for (int i = 0; i < count; i++)
        {
            int entry = (int)list + 8 + (i * 20);
            if (entry + 20 > file.Length)
            {
                return false;
            }

            if (file.Slice(entry, 4).SequenceEqual("Comp"u8))
            {
                long offset = BinaryPrimitives.ReadInt64LittleEndian(file[(entry + 4)..]);
                long size = BinaryPrimitives.ReadInt64LittleEndian(file[(entry + 12)..]);
                if (offset < 0 || size < 0 || offset + size > file.Length)
                {
                    return false;
                }

                state = file.Slice((int)offset, (int)size);
                return true;
            }
        }

        return false;
    }

    private static FactoryPreset Make(string name, string description, ComponentState state)
    {
        byte[] bytes = new byte[32];
        int n = state.Write(bytes);
        return new FactoryPreset(name, description, bytes[..n]);
    }

    private static byte[] ControllerStateBytes()
    {
        byte[] bytes = new byte[Controller.StateSize];
        Controller.WriteState(bytes);
        return bytes;
    }
}
