using CoPilot.Data;

namespace CoPilot.Cli.Corpus;

/// <summary>
/// Counts for the songs of one set and split. Chords are the spans that name a chord (no-chord marks such as
/// "N" are left out); keys and metres count songs (a song with two keys counts for both).
/// </summary>
/// <param name="Seconds">Total duration where every song can be timed (a tempo map, or labels in seconds); null otherwise (jazz, JSB: no tempo).</param>
public sealed record SplitStatistics(
    CorpusSet Set,
    Split Split,
    int Songs,
    long Notes,
    long Chords,
    int DistinctChordLabels,
    double Beats,
    double? Seconds,
    IReadOnlyList<(string Label, int Songs)> Keys,
    IReadOnlyList<(string Label, int Songs)> Metres)
{
    /// <summary>
    /// Billboard valid and test songs whose title and artist also occur in train (the known trap of the data
    /// README: evaluations drop them); 0 for other sets and for train.
    /// </summary>
    public int DuplicatesOfTrain { get; init; }

    public static SplitStatistics Of(CorpusSet set, Split split, IReadOnlyList<Song> songs)
    {
        ArgumentNullException.ThrowIfNull(songs);
        long notes = 0, chords = 0;
        double beats = 0, seconds = 0;
        bool timed = songs.Count > 0;
        var labels = new HashSet<string>(StringComparer.Ordinal);
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var metres = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Song song in songs)
        {
            notes += song.Notes.Count;
            foreach (ChordLabel c in song.Chords)
            {
                if (!ChordSymbols.IsNoChord(c.Label))
                {
                    chords++;
                    labels.Add(c.Label);
                }
            }

            double end = Math.Max(song.Notes.Count == 0 ? 0 : song.Notes.Max(n => n.EndBeat), song.Chords.Count == 0 ? 0 : song.Chords[^1].EndBeat);
            beats += end;
            if (song.Tempos.Count > 0)
            {
                seconds += new TempoMap(song.Tempos).BeatsToSeconds(end);
            }
            else if (song.Chords.Count > 0 && song.Chords[^1].EndSeconds is double s)
            {
                seconds += s;
            }
            else
            {
                timed = false;
            }

            foreach (string k in song.Keys.Select(k => k.Label).Distinct())
            {
                keys[k] = keys.GetValueOrDefault(k) + 1;
            }

            foreach (string m in song.Metres.Select(m => $"{m.Numerator}/{m.Denominator}").Distinct())
            {
                metres[m] = metres.GetValueOrDefault(m) + 1;
            }
        }

        return new SplitStatistics(set, split, songs.Count, notes, chords, labels.Count, beats, timed ? seconds : null, Ranked(keys), Ranked(metres));
    }

    private static List<(string, int)> Ranked(Dictionary<string, int> counts) =>
        [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value))];
}
