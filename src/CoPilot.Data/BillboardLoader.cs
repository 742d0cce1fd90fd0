using System.Diagnostics;
using System.Globalization;

namespace CoPilot.Data;

/// <summary>
/// The McGill Billboard set (rock): billboard-2.0-salami_chords/NNNN/salami_chords.txt. Each timed line holds
/// bars "| A:min | G:maj . F:maj . |"; the tokens of a bar share its beats equally. The README's traps:
/// "." continues the previous chord, "xN" after the bars repeats the line's bars N times, "(3/4)" inside a
/// bar gives that bar its own metre, "&amp;pause", "*" and "N" are not chords (kept as given: see
/// <see cref="ChordSymbols.IsNoChord"/>), and "# tonic:" / "# metre:" can change within a song.
/// Beats are quarter notes counted bar by bar; seconds spread evenly over the bars of a line (lines carry the
/// only timestamps), which also gives one tempo per line.
/// </summary>
public static class BillboardLoader
{
    public static Song LoadSong(string songDirectory)
    {
        var id = Path.GetFileName(Path.TrimEndingDirectorySeparator(songDirectory));
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new DataLoadException(songDirectory, LoadProblem.Unsupported, "not a Billboard song folder (NNNN)");
        }
        var song = Parse(LabelText.ReadLines(Path.Combine(songDirectory, "salami_chords.txt")), Path.Combine(songDirectory, "salami_chords.txt"));
        return song with { Id = id, Split = Splits.Of(CorpusSet.Billboard, number), SourcePath = songDirectory };
    }

    /// <summary>Parses the lines of one salami_chords.txt (Id "", split Train: <see cref="LoadSong"/> sets both).</summary>
    public static Song Parse(IReadOnlyList<string> lines, string path)
    {
        string? title = null, artist = null;
        (int Num, int Den) metre = (4, 4);
        string? tonic = null;
        var timed = new List<(double Seconds, string Content, string? Tonic, (int, int) Metre, int Line)>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] == '#')
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }
                var key = line[1..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                switch (key)
                {
                    case "title":
                        title = value;
                        break;
                    case "artist":
                        artist = value;
                        break;
                    case "tonic":
                        tonic = value;
                        break;
                    case "metre":
                        metre = ParseMetre(value) ?? throw new DataLoadException(path, LoadProblem.Corrupt, $"line {i + 1}: metre '{value}'");
                        break;
                    default:
                        break;
                }
                continue;
            }
            var tab = line.IndexOfAny(LabelText.Whitespace);
            var time = LabelText.Number(tab < 0 ? line : line[..tab], path, i + 1);
            timed.Add((time, tab < 0 ? "" : line[(tab + 1)..], tonic, metre, i + 1));
        }

        var chords = new List<ChordLabel>();
        var keys = new List<KeyLabel>();
        var metres = new List<TimeSignatureChange>();
        var tempos = new List<TempoChange>();
        double beat = 0;
        for (var l = 0; l < timed.Count; l++)
        {
            var (start, content, lineTonic, lineMetre, _) = timed[l];
            var end = l + 1 < timed.Count ? timed[l + 1].Seconds : start;
            if (lineTonic is not null && (keys.Count == 0 || keys[^1].Label != lineTonic))
            {
                keys.Add(new KeyLabel(lineTonic, beat, beat, start, start));
            }
            var bars = ReadBars(content, out var repeats);
            if (bars.Count == 0)
            {
                continue;
            }
            var barLengths = new List<(double Beats, int Num, int Den)>();
            foreach (var bar in bars)
            {
                var m = bar.Metre ?? lineMetre;
                barLengths.Add((m.Item1 * 4.0 / m.Item2, m.Item1, m.Item2));
            }
            var lineBeats = barLengths.Sum(b => b.Beats) * repeats;
            var secondsPerBeat = end > start && lineBeats > 0 ? (end - start) / lineBeats : 0;
            if (secondsPerBeat > 0)
            {
                tempos.Add(new TempoChange(beat, 60.0 / secondsPerBeat));
            }
            var lineStartBeat = beat;
            for (var r = 0; r < repeats; r++)
            {
                for (var b = 0; b < bars.Count; b++)
                {
                    var (barBeats, num, den) = barLengths[b];
                    if (metres.Count == 0 || metres[^1].Numerator != num || metres[^1].Denominator != den)
                    {
                        metres.Add(new TimeSignatureChange(beat, num, den));
                    }
                    var tokens = bars[b].Tokens;
                    var step = barBeats / tokens.Count;
                    for (var k = 0; k < tokens.Count; k++)
                    {
                        var s = beat + (k * step);
                        var e = s + step;
                        var s0 = start + ((s - lineStartBeat) * secondsPerBeat);
                        var e0 = start + ((e - lineStartBeat) * secondsPerBeat);
                        if (tokens[k] == ".")
                        {
                            if (chords.Count > 0)
                            {
                                chords[^1] = chords[^1] with { EndBeat = e, EndSeconds = e0 };
                            }
                            continue;
                        }
                        chords.Add(new ChordLabel(tokens[k], s, e, s0, e0));
                    }
                    beat += barBeats;
                }
            }
        }
        var endSeconds = timed.Count > 0 ? timed[^1].Seconds : 0;
        for (var k = 0; k < keys.Count; k++)
        {
            keys[k] = k + 1 < keys.Count
                ? keys[k] with { EndBeat = keys[k + 1].StartBeat, EndSeconds = keys[k + 1].StartSeconds }
                : keys[k] with { EndBeat = beat, EndSeconds = endSeconds };
        }
        return new Song("", CorpusSet.Billboard, Split.Train, [], chords, keys, tempos, metres)
        {
            Title = title,
            Artist = artist,
            SourcePath = path,
        };
    }

    /// <summary>Loads every NNNN folder under billboard-2.0-salami_chords; failures are reported, not fatal.</summary>
    public static LoadReport<Song> LoadAll(string root)
    {
        var clock = Stopwatch.StartNew();
        var songs = new List<Song>();
        var failures = new List<LoadFailure>();
        List<string> folders;
        try
        {
            folders = Directory.GetDirectories(root)
                .Where(d => Path.GetFileName(d) is { Length: > 0 } n && n.All(char.IsAsciiDigit))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            failures.Add(new LoadFailure(root, LoadProblem.Io, e.Message));
            return new LoadReport<Song>(songs, failures, clock.Elapsed);
        }
        foreach (var folder in folders)
        {
            try
            {
                songs.Add(LoadSong(folder));
            }
            catch (DataLoadException e)
            {
                failures.Add(new LoadFailure(e.Path, e.Problem, e.Detail));
            }
        }
        return new LoadReport<Song>(songs, failures, clock.Elapsed);
    }

    /// <summary>
    /// Drops the valid and test songs whose title and artist also occur in train (the chart data lists some
    /// songs more than once, with identical chords: see the README's known traps). Train songs are kept.
    /// </summary>
    public static IReadOnlyList<Song> DeduplicateAgainstTrain(IEnumerable<Song> songs)
    {
        var all = songs.ToList();
        var train = all.Where(s => s.Split == Split.Train).Select(IdentityOf).ToHashSet(StringComparer.Ordinal);
        return all.Where(s => s.Split == Split.Train || !train.Contains(IdentityOf(s))).ToList();
    }

    /// <summary>Title and artist, case- and space-insensitive: the key of the deduplication.</summary>
    public static string IdentityOf(Song song)
    {
        ArgumentNullException.ThrowIfNull(song);
        return Normalise(song.Title) + "\u001F" + Normalise(song.Artist);
    }

    private static string Normalise(string? text) =>
        string.Join(' ', (text ?? "").Split(LabelText.Whitespace, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    private sealed record Bar(List<string> Tokens, (int, int)? Metre);

    // "A, verse, | A:min | (2/4) C:maj . |, x2, (voice": the bars lie between the first and the last pipe;
    // "xN" right after the last pipe repeats them.
    private static List<Bar> ReadBars(string content, out int repeats)
    {
        repeats = 1;
        var bars = new List<Bar>();
        var first = content.IndexOf('|', StringComparison.Ordinal);
        var last = content.LastIndexOf('|');
        if (first < 0 || last == first)
        {
            return bars;
        }
        var tail = content[(last + 1)..].TrimStart(' ', ',');
        if (tail.Length > 1 && tail[0] == 'x')
        {
            var digits = tail[1..].TakeWhile(char.IsAsciiDigit).Count();
            if (digits > 0)
            {
                repeats = Math.Max(1, int.Parse(tail.AsSpan(1, digits), CultureInfo.InvariantCulture));
            }
        }
        foreach (var segment in content[(first + 1)..last].Split('|'))
        {
            var tokens = new List<string>();
            (int, int)? metre = null;
            foreach (var token in segment.Split(LabelText.Whitespace, StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.Length > 2 && token[0] == '(' && token[^1] == ')' && ParseMetre(token[1..^1]) is { } m)
                {
                    metre = m;
                }
                else if (token != "->")
                {
                    tokens.Add(token);
                }
            }
            if (tokens.Count > 0)
            {
                bars.Add(new Bar(tokens, metre));
            }
        }
        return bars;
    }

    private static (int, int)? ParseMetre(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var num)
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var den)
            && num > 0 && den > 0)
        {
            return (num, den);
        }
        return null;
    }
}
