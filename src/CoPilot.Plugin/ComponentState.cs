using System.Buffers.Binary;
using CoPilot.Core;
using CoPilot.Vst3;

namespace CoPilot.Plugin;

/// <summary>
/// The processor's saved settings (what a project file and a preset store), in plain values.
/// </summary>
/// <remarks>
/// Stream format, little-endian: "CoPl" magic, u16 version, u16 payload length, payload.
/// Version 1 payload (5 bytes): bypass u8 (0/1), mode u8, transpose i8 (-24..24), thru u8 (0/1),
/// output channel u8 (1..16). Version 2 appends creativity u8 (0..100 %), version 3 style u8 (0..4, the
/// Style parameter's items).
/// Readers accept every older version they know (missing fields take their defaults) and refuse newer
/// ones, so a project saved by a later CoPilot never loads as garbage; anything out of range is refused
/// whole and the previous state stays.
/// </remarks>
internal readonly record struct ComponentState(bool Bypass, RouterMode Mode, int Transpose, bool Thru, int OutputChannel, int Creativity = 30, int Style = 0)
{
    public const ushort CurrentVersion = 3;
    private const int HeaderSize = 8;
    private const int PayloadV1 = 5;
    private const int PayloadV2 = 6;
    private const int PayloadV3 = 7;
    private const int MaxPayload = PayloadV3;
    private static ReadOnlySpan<byte> Magic => "CoPl"u8;

    public static ComponentState Default { get; } = FromNormalized(static id => Parameters.All[Parameters.IndexOf(id)].DefaultNormalized);

    public RouterSettings Settings => new(Bypass, Mode, Transpose, Thru, OutputChannel - 1);

    public static ComponentState FromNormalized(Func<uint, double> value) => new(
        Parameters.All[Parameters.IndexOf(Parameters.Bypass)].ToPlain(value(Parameters.Bypass)) != 0,
        (RouterMode)Parameters.All[Parameters.IndexOf(Parameters.Mode)].ToPlain(value(Parameters.Mode)),
        Parameters.All[Parameters.IndexOf(Parameters.Transpose)].ToPlain(value(Parameters.Transpose)),
        Parameters.All[Parameters.IndexOf(Parameters.Thru)].ToPlain(value(Parameters.Thru)) != 0,
        Parameters.All[Parameters.IndexOf(Parameters.OutputChannel)].ToPlain(value(Parameters.OutputChannel)),
        Parameters.All[Parameters.IndexOf(Parameters.Creativity)].ToPlain(value(Parameters.Creativity)),
        Parameters.All[Parameters.IndexOf(Parameters.Style)].ToPlain(value(Parameters.Style)));

    /// <summary>Normalized value of one of the saved parameters; NaN for parameters not in the state.</summary>
    public double Normalized(uint id) => id switch
    {
        Parameters.Bypass => Bypass ? 1 : 0,
        Parameters.Mode => Spec(id).ToNormalized((int)Mode),
        Parameters.Transpose => Spec(id).ToNormalized(Transpose),
        Parameters.Thru => Thru ? 1 : 0,
        Parameters.OutputChannel => Spec(id).ToNormalized(OutputChannel),
        Parameters.Creativity => Spec(id).ToNormalized(Creativity),
        Parameters.Style => Spec(id).ToNormalized(Style),
        _ => double.NaN,
    };

    /// <summary>This state with one parameter changed by the host (automation, a knob); other IDs leave it as is.</summary>
    public ComponentState With(uint id, double normalized) => id switch
    {
        Parameters.Bypass => this with { Bypass = Spec(id).ToPlain(normalized) != 0 },
        Parameters.Mode => this with { Mode = (RouterMode)Spec(id).ToPlain(normalized) },
        Parameters.Transpose => this with { Transpose = Spec(id).ToPlain(normalized) },
        Parameters.Thru => this with { Thru = Spec(id).ToPlain(normalized) != 0 },
        Parameters.OutputChannel => this with { OutputChannel = Spec(id).ToPlain(normalized) },
        Parameters.Creativity => this with { Creativity = Spec(id).ToPlain(normalized) },
        Parameters.Style => this with { Style = Spec(id).ToPlain(normalized) },
        _ => this,
    };

    public bool IsValid =>
        Mode is RouterMode.Off or RouterMode.Echo or RouterMode.Continue or RouterMode.Harmonize or RouterMode.Accompany && Transpose is >= -24 and <= 24 && OutputChannel is >= 1 and <= 16 && Creativity is >= 0 and <= 100
        && Style >= 0 && Style < Parameters.StyleItems.Length;

    /// <summary>The IDs of the parameters this state holds (what setComponentState updates).</summary>
    public static ReadOnlySpan<uint> ParameterIds =>
        [Parameters.Bypass, Parameters.Mode, Parameters.Transpose, Parameters.Thru, Parameters.OutputChannel, Parameters.Creativity, Parameters.Style];

    /// <summary>Packs into one 64-bit word so the UI thread can hand a state to the audio thread with one atomic exchange.</summary>
    public long Pack() =>
        (1L << 62) | (Bypass ? 1L : 0) | (Thru ? 2L : 0) | ((long)(byte)Mode << 8)
        | ((long)(byte)(Transpose + 128) << 16) | ((long)(byte)OutputChannel << 24) | ((long)(byte)Creativity << 32)
        | ((long)(byte)Style << 40);

    public static ComponentState Unpack(long packed) => new(
        (packed & 1) != 0,
        (RouterMode)(byte)(packed >> 8),
        (byte)(packed >> 16) - 128,
        (packed & 2) != 0,
        (byte)(packed >> 24),
        (byte)(packed >> 32),
        (byte)(packed >> 40));

    public int Write(Span<byte> dst)
    {
        Magic.CopyTo(dst);
        BinaryPrimitives.WriteUInt16LittleEndian(dst[4..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(dst[6..], PayloadV3);
        dst[8] = (byte)(Bypass ? 1 : 0);
        dst[9] = (byte)Mode;
        dst[10] = (byte)(sbyte)Transpose;
        dst[11] = (byte)(Thru ? 1 : 0);
        dst[12] = (byte)OutputChannel;
        dst[13] = (byte)Creativity;
        dst[14] = (byte)Style;
        return HeaderSize + PayloadV3;
    }

    /// <summary>[UI thread] Writes the state to the host's stream without allocating.</summary>
    public bool WriteTo(IBStreamPtr stream)
    {
        Span<byte> buffer = stackalloc byte[HeaderSize + MaxPayload];
        int n = Write(buffer);
        return stream.WriteAll(buffer[..n]);
    }

    /// <summary>Why a state blob was refused, for the status display and tests.</summary>
    public enum ReadError
    {
        None,
        Truncated,
        BadMagic,
        NewerVersion,
        BadLength,
        OutOfRange,
    }

    public static ReadError TryParse(ReadOnlySpan<byte> src, out ComponentState state)
    {
        state = default;
        if (src.Length < HeaderSize)
        {
            return ReadError.Truncated;
        }

        if (!src[..4].SequenceEqual(Magic))
        {
            return ReadError.BadMagic;
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(src[4..]);
        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(src[6..]);
        if (version == 0 || version > CurrentVersion)
        {
            return ReadError.NewerVersion;
        }

        if (length != version switch { 1 => PayloadV1, 2 => PayloadV2, _ => PayloadV3 })
        {
            return ReadError.BadLength;
        }

        if (src.Length < HeaderSize + length)
        {
            return ReadError.Truncated;
        }

        ReadOnlySpan<byte> p = src.Slice(HeaderSize, length);
        if (p[0] > 1 || p[3] > 1)
        {
            return ReadError.OutOfRange;
        }

        int creativity = version >= 2 ? p[5] : Default.Creativity;
        int style = version >= 3 ? p[6] : Default.Style;
        var parsed = new ComponentState(p[0] == 1, (RouterMode)p[1], (sbyte)p[2], p[3] == 1, p[4], creativity, style);
        if (!parsed.IsValid)
        {
            return ReadError.OutOfRange;
        }

        state = parsed;
        return ReadError.None;
    }

    /// <summary>[UI thread] Reads a state from the host's stream; nothing changes unless it is whole and valid.</summary>
    public static ReadError TryRead(IBStreamPtr stream, out ComponentState state)
    {
        Span<byte> buffer = stackalloc byte[HeaderSize + MaxPayload];
        if (!stream.ReadExactly(buffer[..HeaderSize]))
        {
            state = default;
            return ReadError.Truncated;
        }

        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(buffer[6..]);
        int payload = Math.Min((int)length, MaxPayload);
        if (!stream.ReadExactly(buffer.Slice(HeaderSize, payload)))
        {
            // Header checks first, so a foreign or newer blob reports why, not just "truncated".
            ReadError headerError = TryParse(buffer[..HeaderSize], out _);
            state = default;
            return headerError is ReadError.BadMagic or ReadError.NewerVersion or ReadError.BadLength ? headerError : ReadError.Truncated;
        }

        return TryParse(buffer[..(HeaderSize + payload)], out state);
    }

    private static ParameterSpec Spec(uint id) => Parameters.All[Parameters.IndexOf(id)];
}
