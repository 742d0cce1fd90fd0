using System.Text;

namespace CoPilot.Vst3;

/// <summary>Copies into the SDK's fixed-size, zero-terminated char8/char16 fields, truncating safely.</summary>
public static unsafe class Strings
{
    /// <summary>UTF-8 into a char8[capacity] field; never splits a code point; always terminated.</summary>
    public static void CopyUtf8(ReadOnlySpan<char> src, byte* dst, int capacity)
    {
        var span = new Span<byte>(dst, capacity);
        span.Clear();
        int max = capacity - 1;
        int written = 0;
        foreach (Rune rune in src.EnumerateRunes())
        {
            int need = rune.Utf8SequenceLength;
            if (written + need > max)
            {
                break;
            }

            written += rune.EncodeToUtf8(span[written..]);
        }
    }

    /// <summary>UTF-16 into a char16[capacity] field; always terminated.</summary>
    public static void CopyUtf16(ReadOnlySpan<char> src, char* dst, int capacity) => CopyUtf16(src, new Span<char>(dst, capacity));

    /// <summary>UTF-16 into a char16 buffer (e.g. the host's String128); always terminated.</summary>
    public static void CopyUtf16(ReadOnlySpan<char> src, Span<char> dst)
    {
        if (dst.IsEmpty)
        {
            return;
        }

        int n = Math.Min(src.Length, dst.Length - 1);
        if (n > 0 && char.IsHighSurrogate(src[n - 1]))
        {
            n--;
        }

        src[..n].CopyTo(dst);
        dst[n] = '\0';
    }

    /// <summary>Reads a zero-terminated char16 field back (for tests and diagnostics).</summary>
    public static string FromUtf16(char* src, int capacity)
    {
        var span = new ReadOnlySpan<char>(src, capacity);
        int end = span.IndexOf('\0');
        return new string(end < 0 ? span : span[..end]);
    }

    /// <summary>Reads a zero-terminated char8 field back (for tests and diagnostics).</summary>
    public static string FromUtf8(byte* src, int capacity)
    {
        var span = new ReadOnlySpan<byte>(src, capacity);
        int end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}
