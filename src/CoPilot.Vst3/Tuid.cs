using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CoPilot.Vst3;

/// <summary>
/// The 16-byte interface/class identifier (TUID, pluginterfaces/base/funknown.h).
/// </summary>
/// <remarks>
/// With COM_COMPATIBLE == 0 (Linux, macOS) INLINE_UID stores the four 32-bit words big-endian, byte by
/// byte; on Windows (COM_COMPATIBLE == 1) the first word and the two halves of the second are stored
/// little-endian, as a Windows GUID. <see cref="FromWords"/> follows the platform so DECLARE_CLASS_IID
/// values can be copied from the headers as they are.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = 16)]
public unsafe struct Tuid : IEquatable<Tuid>
{
    private fixed byte _bytes[16];

    public static Tuid FromWords(uint l1, uint l2, uint l3, uint l4) =>
        FromWords(l1, l2, l3, l4, comCompatible: OperatingSystem.IsWindows());

    public static Tuid FromWords(uint l1, uint l2, uint l3, uint l4, bool comCompatible)
    {
        Tuid id = default;
        Span<byte> b = id.AsSpan();
        if (comCompatible)
        {
            b[0] = (byte)l1;
            b[1] = (byte)(l1 >> 8);
            b[2] = (byte)(l1 >> 16);
            b[3] = (byte)(l1 >> 24);
            b[4] = (byte)(l2 >> 16);
            b[5] = (byte)(l2 >> 24);
            b[6] = (byte)l2;
            b[7] = (byte)(l2 >> 8);
        }
        else
        {
            Write(b, l1);
            Write(b[4..], l2);
        }

        Write(b[8..], l3);
        Write(b[12..], l4);
        return id;

        static void Write(Span<byte> dst, uint v)
        {
            dst[0] = (byte)(v >> 24);
            dst[1] = (byte)(v >> 16);
            dst[2] = (byte)(v >> 8);
            dst[3] = (byte)v;
        }
    }

    public static Tuid Read(void* p) => p == null ? default : *(Tuid*)p;

    [UnscopedRef]
    public Span<byte> AsSpan() => MemoryMarshal.CreateSpan(ref _bytes[0], 16);

    public readonly bool Equals(Tuid other)
    {
        fixed (byte* a = _bytes)
        {
            return ((ulong*)a)[0] == ((ulong*)other._bytes)[0] && ((ulong*)a)[1] == ((ulong*)other._bytes)[1];
        }
    }

    public override readonly bool Equals(object? obj) => obj is Tuid t && Equals(t);

    public override readonly int GetHashCode()
    {
        fixed (byte* a = _bytes)
        {
            return HashCode.Combine(((ulong*)a)[0], ((ulong*)a)[1]);
        }
    }

    public static bool operator ==(Tuid left, Tuid right) => left.Equals(right);

    public static bool operator !=(Tuid left, Tuid right) => !left.Equals(right);

    /// <summary>32 hex digits, the form moduleinfo.json and validators print.</summary>
    public override readonly string ToString()
    {
        fixed (byte* a = _bytes)
        {
            return Convert.ToHexString(new ReadOnlySpan<byte>(a, 16));
        }
    }
}
