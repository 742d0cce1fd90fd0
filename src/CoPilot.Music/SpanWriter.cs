namespace CoPilot.Music;

/// <summary>
/// Appends characters to a caller's buffer. Formatting runs on the UI thread while the transport plays, so it
/// writes into a span instead of building strings (CONVENTIONS.md: no plugin thread allocates while playing).
/// </summary>
internal ref struct SpanWriter
{
    private readonly Span<char> _destination;
    private int _position;
    private bool _overflow;

    public SpanWriter(Span<char> destination)
    {
        _destination = destination;
        _position = 0;
        _overflow = false;
    }

    public readonly int Position => _position;

    public void Append(char c)
    {
        if (_position < _destination.Length)
        {
            _destination[_position++] = c;
        }
        else
        {
            _overflow = true;
        }
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (text.TryCopyTo(_destination[_position..]))
        {
            _position += text.Length;
        }
        else
        {
            _overflow = true;
        }
    }

    public void Append(int value)
    {
        if (value.TryFormat(_destination[_position..], out int written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            _position += written;
        }
        else
        {
            _overflow = true;
        }
    }

    /// <summary>True and the length when everything fit; false and 0 otherwise (the .NET TryFormat contract).</summary>
    public readonly bool Finish(out int charsWritten)
    {
        charsWritten = _overflow ? 0 : _position;
        return !_overflow;
    }
}

internal static class MusicMath
{
    /// <summary>Mathematical modulo: the result has the sign of the divisor (Mod(-1, 12) == 11).</summary>
    public static int Mod(int value, int modulus)
    {
        int r = value % modulus;
        return r < 0 ? r + modulus : r;
    }

    /// <summary>Division rounding towards minus infinity.</summary>
    public static int FloorDiv(int value, int divisor)
    {
        int q = value / divisor;
        return (value % divisor != 0 && ((value < 0) != (divisor < 0))) ? q - 1 : q;
    }
}
