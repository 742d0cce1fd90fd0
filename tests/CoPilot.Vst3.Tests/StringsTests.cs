using System.Text;
using CoPilot.Vst3;

namespace CoPilot.Vst3.Tests;

/// <summary>Copies into the SDK's fixed-size char8/char16 fields.</summary>
public unsafe class StringsTests
{
    private static byte[] CopyUtf8(string s, int capacity)
    {
        byte[] buffer = new byte[capacity];
        Array.Fill(buffer, (byte)0xCC);
        fixed (byte* p = buffer)
        {
            Strings.CopyUtf8(s, p, capacity);
        }

        return buffer;
    }

    private static char[] CopyUtf16(string s, int capacity)
    {
        char[] buffer = new char[capacity];
        Array.Fill(buffer, 'x');
        fixed (char* p = buffer)
        {
            Strings.CopyUtf16(s, p, capacity);
        }

        return buffer;
    }

    [Fact]
    public void Utf8_that_fits_is_copied_terminated_and_the_rest_cleared()
    {
        Assert.Equal("abc\0\0\0"u8.ToArray(), CopyUtf8("abc", 6));
        Assert.Equal("abc\0"u8.ToArray(), CopyUtf8("abc", 4));
        Assert.Equal(new byte[4], CopyUtf8("", 4));
    }

    [Fact]
    public void Utf8_is_truncated_at_capacity_minus_one()
    {
        Assert.Equal("abc\0"u8.ToArray(), CopyUtf8("abcdef", 4));
        Assert.Equal(new byte[1], CopyUtf8("abcdef", 1));
    }

    [Theory]
    [InlineData("aé", 3, "a")]         // é needs 2 bytes, only 1 left
    [InlineData("aé", 4, "aé")]
    [InlineData("€€", 6, "€")]         // 3 + 3 > 5
    [InlineData("€€", 7, "€€")]
    [InlineData("😀", 4, "")]          // 4-byte sequence, 3 bytes of room
    [InlineData("😀", 5, "😀")]
    [InlineData("ab😀c", 6, "ab")]
    public void Utf8_truncation_never_splits_a_code_point(string src, int capacity, string expected)
    {
        byte[] buffer = CopyUtf8(src, capacity);
        byte[] want = Encoding.UTF8.GetBytes(expected);
        Assert.Equal(want, buffer[..want.Length]);
        Assert.All(buffer[want.Length..], b => Assert.Equal(0, b));
        fixed (byte* p = buffer)
        {
            Assert.Equal(expected, Strings.FromUtf8(p, capacity));
        }
    }

    [Fact]
    public void Utf8_with_zero_capacity_writes_nothing()
    {
        byte guard = 0xCC;
        Strings.CopyUtf8("abc", &guard, 0);
        Assert.Equal(0xCC, guard);
    }

    [Fact]
    public void Utf16_is_copied_and_always_terminated()
    {
        Assert.Equal("abc\0xx".ToCharArray(), CopyUtf16("abc", 6));
        Assert.Equal("abc\0".ToCharArray(), CopyUtf16("abc", 4));
        Assert.Equal("ab\0".ToCharArray(), CopyUtf16("abcdef", 3));
        Assert.Equal("\0".ToCharArray(), CopyUtf16("abcdef", 1));
        Assert.Equal("\0xx".ToCharArray(), CopyUtf16("", 3));
    }

    [Fact]
    public void Utf16_truncation_does_not_leave_half_a_surrogate_pair()
    {
        Assert.Equal("a\0x".ToCharArray(), CopyUtf16("a😀", 3)); // the pair does not fit: neither half is written
        Assert.Equal("a😀\0".ToCharArray(), CopyUtf16("a😀", 4));
    }

    [Fact]
    public void Utf16_span_overload_fills_a_String128_and_ignores_an_empty_destination()
    {
        Span<char> s128 = stackalloc char[128];
        s128.Fill('x');
        string longText = new('y', 200);
        Strings.CopyUtf16(longText, s128);
        Assert.Equal(new string('y', 127), s128[..127].ToString());
        Assert.Equal('\0', s128[127]);

        Strings.CopyUtf16("abc", Span<char>.Empty); // must not throw
    }

    [Fact]
    public void FromUtf8_and_FromUtf16_stop_at_the_terminator_or_the_capacity()
    {
        byte[] utf8 = "ab\0cd"u8.ToArray();
        char[] utf16 = "ab\0cd".ToCharArray();
        fixed (byte* p = utf8)
        fixed (char* q = utf16)
        {
            Assert.Equal("ab", Strings.FromUtf8(p, utf8.Length));
            Assert.Equal("ab", Strings.FromUtf16(q, utf16.Length));
            Assert.Equal("a", Strings.FromUtf8(p, 1)); // unterminated field: read up to capacity
            Assert.Equal("a", Strings.FromUtf16(q, 1));
        }
    }
}
