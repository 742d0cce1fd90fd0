using CoPilot.Inference.Tokens;
using CoPilot.Music;
using CsCheck;

namespace CoPilot.Inference.Tests.Tokens;

/// <summary>Random valid pieces: any metres and keys of the vocabulary, changing at random bars, notes and chords anywhere.</summary>
internal static class PieceGen
{
    public static readonly Gen<QuantisedPiece> Pieces =
        from style in Gen.Int[0, Vocabulary.StyleCount - 1]
        from task in Gen.Int[0, Vocabulary.TaskCount - 1]
        from bars in Gen.Int[0, 10]
        from metres in Gen.Int[0, Vocabulary.MetreCount - 1].Array[bars + 1]
        from metreChanges in Gen.Int[0, 3].Array[bars + 1]
        from keys in Gen.Int[-1, Key.MajorMinorCount - 1].Array[bars + 1]
        from keyChanges in Gen.Int[0, 3].Array[bars + 1]
        from notes in Gen.Select(Gen.Int[0, 9999], Gen.Int[0, Vocabulary.DurationCount - 1], Gen.Int[0, 127], Gen.Int[0, 7], Gen.Int[0, Vocabulary.VoiceCount - 1]).Array[0, 60]
        from chords in Gen.Select(Gen.Int[0, 9999], Gen.Int[-1, 11], Gen.Int[0, ChordQualities.Count - 1], Gen.Int[-3, 11]).Array[0, 20]
        select Build((Style)style, (GenerationTask)task, bars, metres, metreChanges, keys, keyChanges, notes, chords);

    private static QuantisedPiece Build(
        Style style,
        GenerationTask task,
        int bars,
        int[] metres,
        int[] metreChanges,
        int[] keys,
        int[] keyChanges,
        (int, int, int, int, int)[] notes,
        (int, int, int, int)[] chords)
    {
        var metreList = new List<MetreChange> { new(0, Vocabulary.Metres[metres[0]]) };
        var keyList = new List<KeyChange> { new(0, keys[0]) };
        for (int bar = 1; bar < bars; bar++)
        {
            // One bar in four changes, on average: long runs of one metre and key, as in music.
            Metre metre = Vocabulary.Metres[metres[bar]];
            if (metreChanges[bar] == 0 && metre != metreList[^1].Metre)
            {
                metreList.Add(new MetreChange(bar, metre));
            }

            if (keyChanges[bar] == 0 && keys[bar] != keyList[^1].KeyIndex)
            {
                keyList.Add(new KeyChange(bar, keys[bar]));
            }
        }

        int total = 0;
        for (int i = 0; i < metreList.Count; i++)
        {
            int end = i + 1 < metreList.Count ? metreList[i + 1].Bar : bars;
            total += (end - metreList[i].Bar) * metreList[i].Metre.BarTicks;
        }

        var pieceNotes = new List<PieceNote>();
        var pieceChords = new List<PieceChord>();
        if (total > 0)
        {
            foreach ((int at, int duration, int pitch, int velocity, int voice) in notes)
            {
                pieceNotes.Add(new PieceNote(at * total / 10000, DurationBuckets.Ticks[duration], pitch, velocity, (Voice)voice));
            }

            var onsets = new HashSet<int>();
            foreach ((int at, int root, int quality, int bass) in chords)
            {
                int onset = at * total / 10000;
                if (!onsets.Add(onset))
                {
                    continue;
                }

                Chord chord = root < 0 ? Chord.None
                    : bass < 0 ? new Chord(new PitchClass(root), (ChordQuality)quality)
                    : new Chord(new PitchClass(root), (ChordQuality)quality, new PitchClass(bass));
                pieceChords.Add(new PieceChord(onset, chord));
            }
        }

        return new QuantisedPiece(style, task, bars, metreList, keyList, pieceNotes, pieceChords);
    }
}
