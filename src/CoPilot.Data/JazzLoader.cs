using System.Diagnostics;
using System.Globalization;

namespace CoPilot.Data;

/// <summary>
/// The jazz chord progressions (jazz): SongDB/Songs[…]/Title.txt, a "Key = value" header (Title, ComposedBy,
/// DBKeySig, TimeSig "4 4", Bars) then bars terminated by "|", repeats already written out. The chords of a
/// bar share its beats equally. Labels are kept as written ("Abm7", "NC"); DBKeySig is a key signature, not
/// a mode, and one song's is "U".
/// </summary>
public static class JazzLoader
{
    /// <summary>Parses one song file (Id "", split Train: <see cref="LoadAll"/> sets both).</summary>
    public static Song LoadSong(string path)
    {
        var lines = LabelText.ReadLines(path);
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var chords = new List<ChordLabel>();
        (int Num, int Den) metre = (4, 4);
        double beat = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!line.Contains('|', StringComparison.Ordinal))
            {
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    header[line[..eq].Trim()] = line[(eq + 1)..].Trim();
                    if (line[..eq].Trim() == "TimeSig")
                    {
                        var parts = line[(eq + 1)..].Split(LabelText.Whitespace, StringSplitOptions.RemoveEmptyEntries);
                        if (parts.Length != 2
                            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var num)
                            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var den)
                            || num <= 0 || den <= 0)
                        {
                            throw new DataLoadException(path, LoadProblem.Corrupt, $"line {i + 1}: TimeSig '{line[(eq + 1)..].Trim()}'");
                        }
                        metre = (num, den);
                    }
                }
                continue;
            }
            var segments = line.Split('|');
            // Every bar ends with '|': the text after the last pipe is not a bar.
            for (var s = 0; s < segments.Length - 1; s++)
            {
                var tokens = segments[s].Split(LabelText.Whitespace, StringSplitOptions.RemoveEmptyEntries);
                var barBeats = metre.Num * 4.0 / metre.Den;
                if (tokens.Length == 0)
                {
                    throw new DataLoadException(path, LoadProblem.Corrupt, $"line {i + 1}: empty bar");
                }
                var step = barBeats / tokens.Length;
                for (var k = 0; k < tokens.Length; k++)
                {
                    chords.Add(new ChordLabel(tokens[k], beat + (k * step), beat + ((k + 1) * step)));
                }
                beat += barBeats;
            }
        }
        if (chords.Count == 0)
        {
            throw new DataLoadException(path, LoadProblem.Corrupt, "no bars");
        }
        var keys = header.TryGetValue("DBKeySig", out var key) ? new[] { new KeyLabel(key, 0, beat) } : [];
        return new Song("", CorpusSet.JazzProgressions, Split.Train, [], chords, keys, [], [new TimeSignatureChange(0, metre.Num, metre.Den)])
        {
            Title = header.GetValueOrDefault("Title"),
            Artist = header.GetValueOrDefault("ComposedBy"),
            SourcePath = path,
        };
    }

    /// <summary>
    /// Loads every .txt under <paramref name="songDb"/> (the SongDB folder). Id is the path relative to it with
    /// '/' separators; the split is by index in that ordinally sorted list.
    /// </summary>
    public static LoadReport<Song> LoadAll(string songDb)
    {
        var clock = Stopwatch.StartNew();
        var songs = new List<Song>();
        var failures = new List<LoadFailure>();
        IReadOnlyList<string> ids;
        try
        {
            ids = Splits.SortForSplit(Directory.GetFiles(songDb, "*.txt", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(songDb, f)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            failures.Add(new LoadFailure(songDb, LoadProblem.Io, e.Message));
            return new LoadReport<Song>(songs, failures, clock.Elapsed);
        }
        for (var i = 0; i < ids.Count; i++)
        {
            try
            {
                var song = LoadSong(Path.Combine(songDb, ids[i]));
                songs.Add(song with { Id = ids[i], Split = Splits.Of(CorpusSet.JazzProgressions, i) });
            }
            catch (DataLoadException e)
            {
                failures.Add(new LoadFailure(e.Path, e.Problem, e.Detail));
            }
        }
        return new LoadReport<Song>(songs, failures, clock.Elapsed);
    }
}
