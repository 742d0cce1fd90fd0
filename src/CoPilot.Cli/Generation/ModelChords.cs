using CoPilot.Data;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Cli.Generation;

/// <summary>Chords for a file's melody from the model (<see cref="ChordAccompanist"/>), in beats of the file.</summary>
public static class ModelChords
{
    /// <summary>
    /// The model's chords for <paramref name="melody"/>; null with the reason when the melody cannot be tokenized
    /// (the caller then falls back to the rule-based harmoniser). The melody goes on the token grid as a continuation
    /// prompt's does (<see cref="ContinuationPrompt.QuantiseMelody"/>), and the model reads it as a lead sheet in
    /// <paramref name="key"/> and <paramref name="style"/>.
    /// </summary>
    public static IReadOnlyList<TimedChord>? Accompany(OnnxDecoder decoder, IReadOnlyList<Note> melody, IReadOnlyList<TimeSignatureChange> metres, Key key, Style style, AccompanistSettings settings, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(melody);
        problem = null;
        if (melody.Count == 0)
        {
            problem = "the melody has no notes";
            return null;
        }

        if (ContinuationPrompt.QuantiseMelody(melody, metres, out problem) is not { } quantised)
        {
            return null;
        }

        var piece = new QuantisedPiece(style, GenerationTask.NextChords, quantised.Bars, quantised.Metres.ToArray(), [new KeyChange(0, key.Index)], quantised.Notes.ToArray(), []);
        int count = ContinuationPrompt.Encode(piece, out int[] tokens);
        Accompaniment accompaniment = new ChordAccompanist(decoder).Accompany(tokens.AsSpan(0, count), settings);
        double end = melody.Max(n => n.EndBeat);
        var chords = new List<TimedChord>();
        for (int i = 0; i < accompaniment.Chords.Count; i++)
        {
            double start = accompaniment.Chords[i].Onset / (double)Vocabulary.TicksPerBeat;
            double until = i + 1 < accompaniment.Chords.Count ? accompaniment.Chords[i + 1].Onset / (double)Vocabulary.TicksPerBeat : Math.Max(end, start + 1);
            chords.Add(new TimedChord(start, until, accompaniment.Chords[i].Chord));
        }

        return chords;
    }
}
