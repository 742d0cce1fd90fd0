using CoPilot.Core;
using CoPilot.Vst3;

namespace CoPilot.Plugin;

/// <summary>How a parameter's normalized value maps to what the musician sees.</summary>
internal enum ParameterKind
{
    Toggle,
    List,
    Integer,

    /// <summary>A chord packed by Inference.ChordCode, shown as musicians write it ("-" for none).</summary>
    Chord,
}

/// <summary>One parameter as the host sees it (ParameterInfo) plus how to show and parse its value.</summary>
internal sealed class ParameterSpec
{
    public required uint Id { get; init; }

    public required string Title { get; init; }

    public required string ShortTitle { get; init; }

    public string Units { get; init; } = "";

    public required ParameterKind Kind { get; init; }

    public int Min { get; init; }

    public int Max { get; init; } = 1;

    public required int DefaultPlain { get; init; }

    public int Flags { get; init; }

    public string[] Items { get; init; } = [];

    public int StepCount => Max - Min;

    public double DefaultNormalized => ToNormalized(DefaultPlain);

    public int ToPlain(double normalized)
    {
        if (double.IsNaN(normalized))
        {
            return DefaultPlain;
        }

        double clamped = Math.Clamp(normalized, 0.0, 1.0);
        return Min + (int)Math.Round(clamped * StepCount);
    }

    public double ToNormalized(double plain) =>
        StepCount == 0 ? 0 : Math.Clamp((plain - Min) / StepCount, 0.0, 1.0);

    /// <summary>Formats the value into the host's buffer without allocating (hosts poll this while playing).</summary>
    public bool TryFormat(double normalized, Span<char> text)
    {
        int plain = ToPlain(normalized);
        int written;
        switch (Kind)
        {
            case ParameterKind.Toggle:
                Strings.CopyUtf16(plain != 0 ? "On" : "Off", text);
                return true;
            case ParameterKind.List:
                Strings.CopyUtf16(Items[plain - Min], text);
                return true;
            case ParameterKind.Chord:
                Music.Chord chord = Inference.ChordCode.Decode(plain);
                if (chord.IsNone || !chord.TryFormat(text[..^1], out written))
                {
                    Strings.CopyUtf16("-", text);
                    return true;
                }

                text[written] = '\0';
                return true;
            default:
                var format = Min < 0 ? "+0;-0;0" : "0";
                if (!plain.TryFormat(text[..^1], out written, format))
                {
                    return false;
                }

                text[written] = '\0';
                return true;
        }
    }

    public bool TryParse(ReadOnlySpan<char> text, out double normalized)
    {
        text = text.Trim();
        normalized = 0;
        switch (Kind)
        {
            case ParameterKind.Toggle:
                if (text.Equals("On", StringComparison.OrdinalIgnoreCase) || text.SequenceEqual("1"))
                {
                    normalized = 1;
                    return true;
                }

                if (text.Equals("Off", StringComparison.OrdinalIgnoreCase) || text.SequenceEqual("0"))
                {
                    return true;
                }

                return false;
            case ParameterKind.List:
                for (int i = 0; i < Items.Length; i++)
                {
                    if (text.Equals(Items[i], StringComparison.OrdinalIgnoreCase))
                    {
                        normalized = ToNormalized(Min + i);
                        return true;
                    }
                }

                return false;
            default:
                if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int plain)
                    || plain < Min || plain > Max)
                {
                    return false;
                }

                normalized = ToNormalized(plain);
                return true;
        }
    }
}

/// <summary>The plugin's parameters. IDs are stable forever: hosts store automation and state by them.</summary>
internal static class Parameters
{
    public const uint Bypass = 0;
    public const uint Mode = 1;
    public const uint Transpose = 2;
    public const uint Thru = 3;
    public const uint OutputChannel = 4;
    public const uint Status = 5;
    public const uint Creativity = 6;
    public const uint LearnedNotes = 7;
    public const uint Key = 8;
    public const uint Chord = 9;
    public const uint NextChord1 = 10;
    public const uint NextChord2 = 11;
    public const uint NextChord3 = 12;
    public const uint Model = 13;
    public const uint Style = 14;

    /// <summary>Upper end of the Learned Notes display (the style learner's memory).</summary>
    public const int LearnedNotesMax = 4096;

    /// <summary>
    /// MIDI controllers reach a VST3 plugin only as parameters (IMidiMapping). Each channel's mod wheel,
    /// sustain pedal, aftertouch, pitch bend and all-notes-off get a hidden parameter so that MIDI thru can
    /// forward them (an instrument after CoPilot must still see the pedal) and all-notes-off can stop
    /// what CoPilot generated.
    /// </summary>
    public const uint FirstMidiController = 0x1000;

    public static readonly short[] MappedControllers =
    [
        ControllerNumbers.kCtrlModWheel,
        ControllerNumbers.kCtrlSustainOnOff,
        ControllerNumbers.kAfterTouch,
        ControllerNumbers.kPitchBend,
        ControllerNumbers.kCtrlAllNotesOff,
    ];

    /// <summary>The style the model answers in (Inference.Tokens.Style order: never reorder, only append).</summary>
    public static readonly string[] StyleItems = ["Pop", "Rock", "Folk", "Chorale", "Jazz"];

    public static readonly string[] StatusItems = ["Bypassed", "Off", "Listening", "Echoing", "Answering", "Harmonizing", "Accompanying"];

    /// <summary>
    /// Whether Continue answers (Accompany: chooses chords) with the model or falls back to the style learner and
    /// rules, and why (Inference.Generation.ModelStatus order).
    /// </summary>
    public static readonly string[] ModelItems =
        ["Rules only", "Model: loaded", "Model missing: rules", "Model corrupt: rules", "Model incompatible: rules", "No ONNX Runtime: rules", "Model failed: rules"];

    /// <summary>"-" (not known yet), then the 24 keys in <see cref="Music.Key.Index"/> order, spelled as musicians write them.</summary>
    public static readonly string[] KeyItems = BuildKeyItems();

    public static readonly ParameterSpec[] All = Build();

    private const int VisibleCount = (int)Style + 1;

    public static int Count => All.Length;

    public static bool TryGet(uint id, out ParameterSpec spec)
    {
        int index = IndexOf(id);
        spec = index >= 0 ? All[index] : null!;
        return index >= 0;
    }

    public static int IndexOf(uint id)
    {
        if (id < VisibleCount)
        {
            return (int)id;
        }

        uint rel = id - FirstMidiController;
        return id >= FirstMidiController && rel < NoteTracker.Channels * (uint)MappedControllers.Length
            ? VisibleCount + (int)rel
            : -1;
    }

    public static uint MidiControllerId(int channel, int controllerIndex) =>
        FirstMidiController + (uint)(channel * MappedControllers.Length) + (uint)controllerIndex;

    /// <summary>Decodes a hidden controller parameter ID into channel and controller number.</summary>
    public static bool TryDecodeMidiController(uint id, out int channel, out short controller)
    {
        uint rel = id - FirstMidiController;
        if (id < FirstMidiController || rel >= NoteTracker.Channels * (uint)MappedControllers.Length)
        {
            channel = 0;
            controller = 0;
            return false;
        }

        channel = (int)(rel / (uint)MappedControllers.Length);
        controller = MappedControllers[rel % (uint)MappedControllers.Length];
        return true;
    }

    private static ParameterSpec ChordDisplay(uint id, string title, string shortTitle) => new()
    {
        Id = id,
        Title = title,
        ShortTitle = shortTitle,
        Kind = ParameterKind.Chord,
        Max = Inference.ChordCode.Max,
        DefaultPlain = 0,
        Flags = ParameterInfo.kIsReadOnly,
    };

    private static string[] BuildKeyItems()
    {
        var items = new string[25];
        items[0] = "-";
        for (int i = 0; i < 24; i++)
        {
            items[i + 1] = Music.Key.FromIndex(i).ToString();
        }

        return items;
    }

    private static ParameterSpec[] Build()
    {
        var list = new List<ParameterSpec>
        {
            new()
            {
                Id = Bypass, Title = "Bypass", ShortTitle = "Bypass", Kind = ParameterKind.Toggle, DefaultPlain = 0,
                Flags = ParameterInfo.kCanAutomate | ParameterInfo.kIsBypass,
            },
            new()
            {
                Id = Mode, Title = "Mode", ShortTitle = "Mode", Kind = ParameterKind.List, DefaultPlain = (int)RouterMode.Continue,
                Max = 4, Items = ["Off", "Echo", "Continue", "Harmonize", "Accompany"], Flags = ParameterInfo.kCanAutomate | ParameterInfo.kIsList,
            },
            new()
            {
                Id = Transpose, Title = "Transpose", ShortTitle = "Transp", Units = "st", Kind = ParameterKind.Integer,
                Min = -24, Max = 24, DefaultPlain = 12, Flags = ParameterInfo.kCanAutomate,
            },
            new()
            {
                Id = Thru, Title = "MIDI Thru", ShortTitle = "Thru", Kind = ParameterKind.Toggle, DefaultPlain = 1,
                Flags = ParameterInfo.kCanAutomate,
            },
            new()
            {
                Id = OutputChannel, Title = "Output Channel", ShortTitle = "Out Ch", Kind = ParameterKind.Integer,
                Min = 1, Max = 16, DefaultPlain = 2, Flags = ParameterInfo.kCanAutomate,
            },
            new()
            {
                Id = Status, Title = "Status", ShortTitle = "Status", Kind = ParameterKind.List, Max = StatusItems.Length - 1,
                DefaultPlain = 2, Items = StatusItems, Flags = ParameterInfo.kIsReadOnly | ParameterInfo.kIsList,
            },
            new()
            {
                Id = Creativity, Title = "Creativity", ShortTitle = "Creat", Units = "%", Kind = ParameterKind.Integer,
                Max = 100, DefaultPlain = 30, Flags = ParameterInfo.kCanAutomate,
            },
            new()
            {
                Id = LearnedNotes, Title = "Learned Notes", ShortTitle = "Learned", Kind = ParameterKind.Integer,
                Max = LearnedNotesMax, DefaultPlain = 0, Flags = ParameterInfo.kIsReadOnly,
            },
            new()
            {
                Id = Key, Title = "Key", ShortTitle = "Key", Kind = ParameterKind.List, Max = KeyItems.Length - 1,
                DefaultPlain = 0, Items = KeyItems, Flags = ParameterInfo.kIsReadOnly | ParameterInfo.kIsList,
            },
            ChordDisplay(Chord, "Chord", "Chord"),
            ChordDisplay(NextChord1, "Next Chord 1", "Next 1"),
            ChordDisplay(NextChord2, "Next Chord 2", "Next 2"),
            ChordDisplay(NextChord3, "Next Chord 3", "Next 3"),
            new()
            {
                Id = Model, Title = "Model", ShortTitle = "Model", Kind = ParameterKind.List, Max = ModelItems.Length - 1,
                DefaultPlain = 0, Items = ModelItems, Flags = ParameterInfo.kIsReadOnly | ParameterInfo.kIsList,
            },
            new()
            {
                Id = Style, Title = "Style", ShortTitle = "Style", Kind = ParameterKind.List, Max = StyleItems.Length - 1,
                DefaultPlain = 0, Items = StyleItems, Flags = ParameterInfo.kCanAutomate | ParameterInfo.kIsList,
            },
        };

        string[] names = ["Mod Wheel", "Sustain", "Aftertouch", "Pitch Bend", "All Notes Off"];
        for (int ch = 0; ch < NoteTracker.Channels; ch++)
        {
            for (int k = 0; k < MappedControllers.Length; k++)
            {
                bool bend = MappedControllers[k] == ControllerNumbers.kPitchBend;
                list.Add(new ParameterSpec
                {
                    Id = MidiControllerId(ch, k),
                    Title = $"MIDI Ch {ch + 1} {names[k]}",
                    ShortTitle = $"Ch{ch + 1} {names[k]}",
                    Kind = ParameterKind.Integer,
                    Max = bend ? 16383 : 127,
                    DefaultPlain = bend ? 8192 : 0,
                    Flags = ParameterInfo.kIsHidden,
                });
            }
        }

        return [.. list];
    }
}
