using System.Globalization;
using CoPilot.Cli.Analysis;
using CoPilot.Data;
using CoPilot.Music;

namespace CoPilot.Cli.Evaluation;

/// <summary>Learns the POP909 key profile from the train split (songs with a single labelled key).</summary>
public static class Pop909ProfileLearner
{
    public static (KeyProfile Profile, int Songs, List<string> Failures) Learn(string dataDirectory, Action? step = null)
    {
        var trainer = new KeyProfileTrainer();
        var failures = new List<string>();
        Span<double> histogram = stackalloc double[PitchClass.Count];
        foreach (string folder in Pop909Songs.Folders(dataDirectory, Split.Train, null))
        {
            step?.Invoke();
            try
            {
                Song song = Pop909Loader.LoadSong(folder);
                ReferenceKeys? reference = ReferenceKeys.From(song.Keys, out string? problem);
                if (reference is null)
                {
                    failures.Add($"{folder}: {problem}");
                    continue;
                }

                // A song that modulates would blur its key's distribution: learn from one-key songs only.
                if (reference.HasModulation)
                {
                    continue;
                }

                AnalysedSong analysed = AnalysedSong.From(song.Id, song.Notes, song.Beats, song.Metres, Pop909Songs.AllTracks);
                NoteWeightingHistogram(analysed, histogram);
                trainer.Add(histogram, reference.Main);
            }
            catch (DataLoadException e)
            {
                failures.Add(e.Message);
            }
        }

        return (trainer.Build("POP909 train"), trainer.MajorSongs + trainer.MinorSongs, failures);
    }

    private static void NoteWeightingHistogram(AnalysedSong song, Span<double> histogram)
    {
        histogram.Clear();
        foreach (AnalysedNote n in song.Notes)
        {
            histogram[n.Pitch % PitchClass.Count] += n.DurationBeats;
        }
    }

    public static string Format(KeyProfile profile) =>
        string.Create(CultureInfo.InvariantCulture, $"major [{string.Join(", ", profile.Major.ToArray().Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))}] minor [{string.Join(", ", profile.Minor.ToArray().Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))}]");
}
